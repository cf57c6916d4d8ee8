"""The drafted section as immutable values: the blocks the renderers draw.

`draft` builds a `Section`; `commissioning.render` lays it out as Word, Markdown or HTML.
Nothing here knows about statistics or wording: a `Section` is what remains after
suppression and the templates have done their work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

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
    "under line",
    "over line",
)



@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 = the section title, 2 = a numbered part, 3 = a part's sub-heading
    number: str = ""  # "3" for part 3; "" for the title
    key: str = ""  # the name other text refers to it by ("actions"), from @heading[actions]


@dataclass(frozen=True)
class Paragraph:
    text: str
    number: str = ""  # "3.2" for a numbered paragraph; "" for a note
    #: Cross-references in ``text``: (start, end, key) of each part number written there,
    #: so a renderer that renumbers the parts (inserting into a report) can rewrite them.
    refs: tuple[tuple[int, int, str], ...] = ()


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
    #: Page, font and author for a stand-alone document: the terminology file's "document"
    #: entry, with "author" set to the council.
    document: Mapping[str, Any] = field(default_factory=dict)
    #: Notes for the officer drafting the report (what to check, placeholders to fill).
    #: Never part of the published text: the command line prints them, the web page shows
    #: them and the internal audit record keeps them.
    author_notes: tuple[str, ...] = ()

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
        """The first chart (Figure 1)."""
        return next(iter(self.charts()), None)

    def charts(self) -> tuple[Chart, ...]:
        """Every chart, in reading order (Figure 1, then any by sex or by age)."""
        return tuple(b for b in self.blocks if isinstance(b, Chart))


def section_title(blocks: tuple[Block, ...]) -> str:
    """The text of the section's level-1 heading (its ``@title``), or ""."""
    return next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), "")


# A caption that starts with its own label and number: "Table 1a: Who ...".
_CAPTION_NUMBER: Final = re.compile(r"([^\W\d_]+) (\d+[a-z]?)([:.]) ")


def caption_parts(caption: str) -> tuple[str, str, str] | None:
    """("Table", "1a", ": Who ...") for a caption that starts with its label and number,
    so a Word renderer can number it with a SEQ field instead; None otherwise."""
    match = _CAPTION_NUMBER.match(caption)
    if match is None:
        return None
    return match.group(1), match.group(2), caption[match.end(2):]
