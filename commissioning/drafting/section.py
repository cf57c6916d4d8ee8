"""The drafted section as immutable values: the blocks the renderers draw.

`draft` builds a `Section`; `commissioning.render` lays it out as Word, Markdown or HTML.
Nothing here knows about statistics or wording: a `Section` is what remains after
suppression and the templates have done their work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from commissioning.drafting.disclosure import SafeAnalysis
from commissioning.drafting.findings import Findings
from commissioning.drafting.two_way import SafeIntersection

#: Keys of `ChartSpec.labels`, in the order the template's ``@chart`` line gives them.
CHART_LABEL_KEYS: Final = (
    "axis",
    "significant",
    "indicative",
    "too few to judge",
    "proportionate",
    "not shown",
)



@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 = the section title, 2 = a numbered part, 3 = a part's sub-heading
    number: str = ""  # "3" for part 3; "" for the title


@dataclass(frozen=True)
class Paragraph:
    text: str
    number: str = ""  # "3.2" for a numbered paragraph; "" for a note


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class ChartPoint:
    group: str
    rri: float  # 0 for "not represented"
    low: float | None
    high: float | None
    kind: str  # "significant", "indicative", "too few to judge", "proportionate"


@dataclass(frozen=True)
class ChartSpec:
    points: tuple[ChartPoint, ...]
    lines: tuple[float, ...]  # reference lines: under, 1, over
    labels: Mapping[str, str]  # axis and legend words, keyed by CHART_LABEL_KEYS
    not_shown: tuple[str, ...]  # groups hidden to protect small numbers


@dataclass(frozen=True)
class Chart:
    spec: ChartSpec
    caption: str = ""
    alt: str = ""


Block = Heading | Paragraph | BulletList | Table | Chart


@dataclass(frozen=True)
class Audit:
    """What a reviewer needs to reproduce the section."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Section:
    """The drafted section: blocks in reading order plus what they were made from."""

    title: str
    blocks: tuple[Block, ...]
    findings: Findings
    safe: SafeAnalysis
    audit: Audit
    authority: str
    service: str
    intersections: tuple[SafeIntersection, ...] = ()  # what the two-way tables were made from

    def text(self) -> str:
        """All narrative text (headings, paragraphs, bullets), one block a line."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                lines.append(block.text)
            elif isinstance(block, BulletList):
                lines.extend(block.items)
        return "\n".join(lines)

    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    def chart(self) -> Chart | None:
        return next((b for b in self.blocks if isinstance(b, Chart)), None)
