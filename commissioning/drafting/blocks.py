"""Parsing the section template's output (directive lines such as ``@heading``) into blocks.

The template words everything; this parser only gives the words their shape and numbers
the parts ("3") and paragraphs ("3.2") in the order they appear.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final

from commissioning.drafting.section import (
    Block,
    BulletList,
    Chart,
    ChartSpec,
    Heading,
    Paragraph,
    Table,
)
from commissioning.drafting.wording import REF_MARK, plain
from commissioning.errors import TemplateProblemError

MSG_UNKNOWN_DIRECTIVE = (
    "The template {name} has a line starting '@{directive}', which is not a known block. "
    "Use @title, @heading, @subheading, @para, @note, @bullet, @table, @row, @caption, "
    "@chart or @alt."
)
MSG_ROW_OUTSIDE_TABLE = (
    "The template {name} has a table row before any table. Put '@table NAME | columns' "
    "before its rows."
)
MSG_ROW_WIDTH = (
    "The template {name} has a row in table '{table}' with {got} cells, but the table has "
    "{want} columns. Give every row the same number of cells as the table heading."
)
MSG_CAPTION_ALONE = (
    "The template {name} has a caption or alt text with no table or chart before it. "
    "Move it under the table or chart it describes."
)



#: Makes the chart for a ``@chart`` line from its legend words and key ("" for Figure 1).
ChartMaker = Callable[[Sequence[str], str], ChartSpec]

_SPLIT_CELLS = re.compile(r"(?<!\\)\|")
DIRECTIVES: Final = (
    "title", "heading", "subheading", "para", "note", "bullet", "table", "row", "caption",
    "chart", "alt",
)
# Jinja2's trim_blocks can join a directive onto the line before; split it off again.
_JOINED = re.compile(r"(?<!@)@(" + "|".join(DIRECTIVES) + r")\b(?![.@-])")
# "@heading[actions] Implications and actions": the heading's key for cross-references.
_KEYED = re.compile(r"(\w+)\[([\w-]{1,40})\]")


def _cells(text: str) -> list[str]:
    return [c.strip().replace("\\|", "|") for c in _SPLIT_CELLS.split(text)]


def _directive_lines(text: str) -> list[tuple[str, str]]:
    """(directive, rest) pairs; a line without a directive continues the one before."""
    raw: list[tuple[str, str]] = []
    for line in _JOINED.sub(r"\n@\1", text).splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("@"):
            directive, _, rest = stripped[1:].partition(" ")
            keyed = _KEYED.fullmatch(directive)
            if keyed:  # the key travels in front of the text, split off by the builder
                directive, rest = keyed.group(1), f"[{keyed.group(2)}] {rest}"
            raw.append((directive, rest.strip()))
        elif raw:
            directive, rest = raw[-1]
            raw[-1] = (directive, f"{rest} {stripped}".strip())
    return [(directive, plain(rest)) for directive, rest in raw]


class _Builder:
    """Collects blocks in order, numbering parts and paragraphs as they come."""

    def __init__(self, name: str, chart: ChartMaker) -> None:
        self.name = name
        self.chart = chart
        self.blocks: list[Block] = []
        self.part = 0
        self.para = 0
        self.table: dict[str, Any] | None = None
        self.bullets: list[str] = []

    def flush_bullets(self) -> None:
        if self.bullets:
            self.blocks.append(BulletList(tuple(self.bullets)))
            self.bullets.clear()

    def flush_table(self) -> None:
        table = self.table
        if table is not None:
            self.blocks.append(
                Table(table["name"], table["columns"], tuple(table["rows"]), table["caption"])
            )
            self.table = None

    def add(self, directive: str, rest: str) -> None:
        if directive != "bullet":
            self.flush_bullets()
        if directive not in ("row", "caption"):
            self.flush_table()
        if directive == "title":
            self.blocks.append(Heading(rest, 1))
        elif directive == "heading":
            self.part += 1
            self.para = 0
            key = ""
            if rest.startswith("[") and "] " in rest:
                key, rest = rest[1:].split("] ", 1)
            self.blocks.append(Heading(rest, 2, str(self.part), key))
        elif directive == "subheading":
            self.blocks.append(Heading(rest, 3))
        elif directive == "para":
            self.para += 1
            self.blocks.append(Paragraph(rest, f"{self.part}.{self.para}"))
        elif directive == "note":
            self.blocks.append(Paragraph(rest))
        elif directive == "bullet":
            self.bullets.append(rest)
        elif directive in ("table", "row"):
            self.add_table_line(directive, rest)
        elif directive in ("chart", "caption", "alt"):
            self.add_chart_line(directive, rest)
        else:
            raise TemplateProblemError(
                MSG_UNKNOWN_DIRECTIVE.format(name=self.name, directive=directive[:20])
            )

    def add_table_line(self, directive: str, rest: str) -> None:
        if directive == "table":
            table_name, *columns = _cells(rest)
            self.table = {"name": table_name, "columns": tuple(columns), "rows": [], "caption": ""}
            return
        table = self.table
        if table is None:
            raise TemplateProblemError(MSG_ROW_OUTSIDE_TABLE.format(name=self.name))
        cells = _cells(rest)
        if len(cells) != len(table["columns"]):
            raise TemplateProblemError(
                MSG_ROW_WIDTH.format(
                    name=self.name, table=table["name"], got=len(cells),
                    want=len(table["columns"]),
                )
            )
        table["rows"].append(tuple(cells))

    def add_chart_line(self, directive: str, rest: str) -> None:
        """@chart, and @caption / @alt (a caption may also close a table)."""
        blocks = self.blocks
        if directive == "chart":
            key = ""
            if rest.startswith("[") and "]" in rest:  # @chart[sex]: another table's chart
                key, rest = rest[1:].split("]", 1)
                rest = rest.strip()
            blocks.append(Chart(self.chart(_cells(rest) if rest else [], key)))
        elif directive == "caption" and self.table is not None:
            self.table["caption"] = rest
            self.flush_table()
        elif not blocks or not isinstance(blocks[-1], Chart):
            raise TemplateProblemError(MSG_CAPTION_ALONE.format(name=self.name))
        elif directive == "caption":
            last = blocks[-1]
            blocks[-1] = Chart(last.spec, rest, last.alt)
        else:
            last = blocks[-1]
            blocks[-1] = Chart(last.spec, last.caption, rest)


def parse_blocks(text: str, name: str, chart: ChartMaker) -> tuple[Block, ...]:
    """Turn the template's directive lines into blocks; number parts and paragraphs.
    ``chart(labels, key)`` draws each ``@chart`` (key "") or ``@chart[key]`` line."""
    builder = _Builder(name, chart)
    for directive, rest in _directive_lines(text):
        builder.add(directive, " ".join(rest.split()))
    builder.flush_bullets()
    builder.flush_table()
    return _resolve_refs(builder.blocks)


def _resolve_refs(blocks: list[Block]) -> tuple[Block, ...]:
    """Write each cross-reference marker as the part number it names, keeping where."""
    numbers = {b.key: b.number for b in blocks if isinstance(b, Heading) and b.key}
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and REF_MARK.search(block.text):
            text, refs, last = "", [], 0
            for match in REF_MARK.finditer(block.text):
                text += block.text[last:match.start()]
                number = numbers.get(match.group(1), "")
                if number:
                    refs.append((len(text), len(text) + len(number), match.group(1)))
                text += number
                last = match.end()
            text += block.text[last:]
            block = Paragraph(text, block.number, tuple(refs))
        out.append(block)
    return tuple(out)
