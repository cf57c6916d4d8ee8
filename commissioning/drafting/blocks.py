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



_SPLIT_CELLS = re.compile(r"(?<!\\)\|")
DIRECTIVES: Final = (
    "title", "heading", "subheading", "para", "note", "bullet", "table", "row", "caption",
    "chart", "alt",
)
# Jinja2's trim_blocks can join a directive onto the line before; split it off again.
_JOINED = re.compile(r"(?<!@)@(" + "|".join(DIRECTIVES) + r")\b(?![.@-])")


def _cells(text: str) -> list[str]:
    return [c.strip().replace("\\|", "|") for c in _SPLIT_CELLS.split(text)]


def parse_blocks(
    text: str, name: str, chart: Callable[[Sequence[str]], ChartSpec]
) -> tuple[Block, ...]:
    """Turn the template's directive lines into blocks; number parts and paragraphs."""
    raw: list[tuple[str, str]] = []
    for line in _JOINED.sub(r"\n@\1", text).splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("@"):
            directive, _, rest = stripped[1:].partition(" ")
            raw.append((directive, rest.strip()))
        elif raw:
            directive, rest = raw[-1]
            raw[-1] = (directive, f"{rest} {stripped}".strip())
    blocks: list[Block] = []
    part = 0
    para = 0
    table: dict[str, Any] | None = None
    bullets: list[str] = []

    def flush_bullets() -> None:
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
            bullets.clear()

    def flush_table() -> None:
        nonlocal table
        if table is not None:
            blocks.append(
                Table(table["name"], table["columns"], tuple(table["rows"]), table["caption"])
            )
            table = None

    for directive, rest in raw:
        rest = " ".join(rest.split())
        if directive != "bullet":
            flush_bullets()
        if directive not in ("row", "caption"):
            flush_table()
        if directive == "title":
            blocks.append(Heading(rest, 1))
        elif directive == "heading":
            part += 1
            para = 0
            blocks.append(Heading(rest, 2, str(part)))
        elif directive == "subheading":
            blocks.append(Heading(rest, 3))
        elif directive == "para":
            para += 1
            blocks.append(Paragraph(rest, f"{part}.{para}"))
        elif directive == "note":
            blocks.append(Paragraph(rest))
        elif directive == "bullet":
            bullets.append(rest)
        elif directive == "table":
            table_name, *columns = _cells(rest)
            table = {"name": table_name, "columns": tuple(columns), "rows": [], "caption": ""}
        elif directive == "row":
            if table is None:
                raise TemplateProblemError(MSG_ROW_OUTSIDE_TABLE.format(name=name))
            cells = _cells(rest)
            if len(cells) != len(table["columns"]):
                raise TemplateProblemError(
                    MSG_ROW_WIDTH.format(
                        name=name, table=table["name"], got=len(cells), want=len(table["columns"])
                    )
                )
            table["rows"].append(tuple(cells))
        elif directive == "caption":
            if table is not None:
                table["caption"] = rest
                flush_table()
            elif blocks and isinstance(blocks[-1], Chart):
                last = blocks[-1]
                blocks[-1] = Chart(last.spec, rest, last.alt)
            else:
                raise TemplateProblemError(MSG_CAPTION_ALONE.format(name=name))
        elif directive == "chart":
            blocks.append(Chart(chart(_cells(rest) if rest else [])))
        elif directive == "alt":
            if not blocks or not isinstance(blocks[-1], Chart):
                raise TemplateProblemError(MSG_CAPTION_ALONE.format(name=name))
            last = blocks[-1]
            blocks[-1] = Chart(last.spec, last.caption, rest)
        else:
            raise TemplateProblemError(
                MSG_UNKNOWN_DIRECTIVE.format(name=name, directive=directive[:20])
            )
    flush_bullets()
    flush_table()
    return tuple(blocks)
