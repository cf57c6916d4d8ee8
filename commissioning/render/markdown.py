"""Markdown layout of a drafted `Section` (wording comes from the section itself)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from commissioning.drafting.section import BulletList, Chart, Heading, Paragraph, Section, Table
from commissioning.render.clean import clean_section

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Escape Markdown syntax so provider text shows as written and cannot add markup."""
    return _SPECIAL.sub(r"\\\1", text)


def render_markdown(section: Section, *, chart_path: str | None = None,
                    chart_paths: Sequence[str] = ()) -> str:
    """The section as Markdown. ``chart_paths`` are the image files to link, one per
    chart in order (``chart_path``: the first chart's alone); a chart with no file is
    described by its alt text."""
    section = clean_section(section)
    files = list(chart_paths) or ([chart_path] if chart_path else [])
    out: list[str] = []
    for block in section.blocks:
        if isinstance(block, Heading):
            marks = "#" * block.level
            number = f"{block.number} " if block.number else ""
            out.append(f"{marks} {number}{escape(block.text)}")
        elif isinstance(block, Paragraph):
            number = f"{block.number} " if block.number else ""
            out.append(number + escape(block.text))
        elif isinstance(block, BulletList):
            out.append("\n".join(f"- {escape(item)}" for item in block.items))
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Chart):
            path = files.pop(0) if files else None
            if path:
                out.append(f"![{escape(block.alt)}]({path})")
            else:
                out.append(f"*{escape(block.alt)}*")
            if block.caption:
                out.append(f"*{escape(block.caption)}*")
    return "\n\n".join(out) + "\n"


def _table(table: Table) -> str:
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(escape(c) for c in cells) + " |"

    lines = [line(table.columns), "|" + "|".join("---" for _ in table.columns) + "|"]
    lines.extend(line(row) for row in table.rows)
    text = "\n".join(lines)
    if table.caption:
        text = f"*{escape(table.caption)}*\n\n{text}"
    return text
