"""Laying a drafted `Section` into a Word document: the blocks, their styles and numbers.

Shared by the stand-alone document (`commissioning.render.docx`) and insertion into a
decision report (`commissioning.render.insert`), which decides the `Layout`: which
styles, whether parts and paragraphs are numbered by the report's Word lists or typed,
where captions start counting, and how wide the text is. Part and paragraph numbers and
cross-references are written last (`finish_numbers`), from the numbers the reader will see.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from commissioning.drafting.section import (
    BulletList,
    Chart,
    Heading,
    Paragraph,
    Section,
    Table,
    caption_parts,
)
from commissioning.render import wordparts
from commissioning.render.clean import clean_section
from commissioning.render.wordlists import list_numbers, read_lists

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLE_FONT_PT: Final = 9.0
CHART_WIDTH_CM: Final = 15.5

ChartRenderer = Callable[[Chart, float], bytes]


def _style(document: Any, name: str | None) -> str | None:
    """The style name if this document defines it (a council template may not)."""
    if not name:
        return None
    try:
        document.styles[name]
    except KeyError:
        return None
    return name


def _chart_png(chart: Chart, width_cm: float) -> bytes:
    from commissioning.render.chart import render_chart_png

    return render_chart_png(chart.spec, width_in=width_cm / 2.54)


def _set_alt_text(run: Any, alt: str, title: str) -> None:
    for doc_pr in run._r.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                              "wordprocessingDrawing}docPr"):
        doc_pr.set("descr", alt)
        doc_pr.set("title", title)


@dataclass
class Layout:
    """Where the section's styles and numbers come from (the defaults: a new document)."""

    include_title: bool = True
    title_level: int = 1
    title_style: str | None = None  # None: "Heading {title_level}"
    title_number: str = ""  # typed before the title, "7. "
    title_num: tuple[str, int] | None = None  # or Word list numbering for the title
    title_element: Any = None  # the report's own heading, when the section goes under it
    part_style: str | None = None
    part_num: tuple[str, int] | None = None  # Word list numbering for the parts
    para_style: str | None = None
    para_num: tuple[str, int] | None = None  # Word list numbering for numbered paragraphs
    suppress_style_numbers: bool = False  # the chosen styles number by themselves: stop it
    text_width_cm: float = 21.0 - 2 * 2.54
    seq_start: dict[str, int] = field(default_factory=dict)  # "Table" -> first number
    seq_restart: set[str] = field(default_factory=set)  # labels whose first SEQ needs \r


@dataclass
class Written:
    """What `write_blocks` added, for `finish_numbers` to number once all is in place."""

    title: Any = None
    parts: list[tuple[Heading, Any, Any]] = field(default_factory=list)  # block, para, run
    paras: list[tuple[Paragraph, Any, Any, Any]] = field(default_factory=list)


def write_blocks(
    document: Any, section: Section, layout: Layout | None = None,
    *, chart_png: ChartRenderer = _chart_png,
) -> Written:
    """Append the section's blocks to the end of ``document``."""
    section = clean_section(section)  # no control characters can break the XML
    layout = layout or Layout()
    written = Written(title=layout.title_element)
    counters = dict(layout.seq_start)
    for block in section.blocks:
        if isinstance(block, Heading):
            _write_heading(document, block, layout, written)
        elif isinstance(block, Paragraph):
            _write_paragraph(document, block, layout, written)
        elif isinstance(block, BulletList):
            bullet_style = _style(document, "List Bullet")
            for item in block.items:
                if bullet_style:
                    document.add_paragraph(item, style=bullet_style)
                else:
                    document.add_paragraph("\u2022 " + item)
        elif isinstance(block, Table):
            if block.caption:
                _caption(document, block.caption, counters, layout)
            _write_table(document, block, layout)
        elif isinstance(block, Chart):
            width = min(CHART_WIDTH_CM, layout.text_width_cm)
            from docx.shared import Cm

            para = document.add_paragraph()
            para.paragraph_format.keep_with_next = bool(block.caption)
            run = para.add_run()
            run.add_picture(io.BytesIO(chart_png(block, width)), width=Cm(width))
            label = caption_parts(block.caption)
            _set_alt_text(run, block.alt, label[0] if label else "Chart")
            if block.caption:
                _caption(document, block.caption, counters, layout)
    return written


def _write_heading(document: Any, block: Heading, layout: Layout, written: Written) -> None:
    if block.level == 1:
        if not layout.include_title:
            return
        style = _style(document, layout.title_style or f"Heading {layout.title_level}")
        para = document.add_paragraph(style=style)
        if layout.title_num:
            wordparts.set_numbering(para, *layout.title_num)
        para.add_run(f"{layout.title_number}{block.text}")
        if not style:
            para.runs[0].bold = True
        written.title = para._p
        return
    level = min(layout.title_level + block.level - 1, 9)
    style = _style(document, (layout.part_style if block.level == 2 else None)
                   or f"Heading {level}")
    para = document.add_paragraph(style=style)
    number_run = None
    if block.level == 2 and block.number:
        if layout.part_num:
            wordparts.set_numbering(para, *layout.part_num)
        else:
            if layout.suppress_style_numbers:
                wordparts.set_numbering(para, "0", 0)
            number_run = para.add_run(block.number + " ")
        written.parts.append((block, para._p, number_run))
    para.add_run(block.text)
    if not style:
        for run in para.runs:
            run.bold = True


def _write_paragraph(document: Any, block: Paragraph, layout: Layout, written: Written) -> None:
    from docx.shared import Cm

    if not block.number:
        document.add_paragraph(block.text)
        return
    style = _style(document, layout.para_style)
    para = document.add_paragraph(style=style)
    number_run = None
    if layout.para_num:
        wordparts.set_numbering(para, *layout.para_num)
    else:
        if layout.suppress_style_numbers and style:
            wordparts.set_numbering(para, "0", 0)
        if not style:
            para.paragraph_format.left_indent = Cm(1.25)
            para.paragraph_format.first_line_indent = Cm(-1.25)
            para.paragraph_format.tab_stops.add_tab_stop(Cm(1.25))
        number_run = para.add_run(f"{block.number}\t")
    text_run = para.add_run(block.text)
    written.paras.append((block, para._p, number_run, text_run))


def _caption(document: Any, caption: str, counters: dict[str, int], layout: Layout) -> None:
    style = _style(document, "Caption")
    para = document.add_paragraph(style=style)
    parts = caption_parts(caption)
    if parts is None:
        para.add_run(caption)
        return
    label, _, rest = parts
    number = counters.get(label, 1)
    instruction = f"SEQ {label} \\* ARABIC"
    if label in layout.seq_restart:
        instruction = f"SEQ {label} \\r {number} \\* ARABIC"
        layout.seq_restart.discard(label)
    para.add_run(f"{label} ")
    wordparts.add_field(para, instruction, str(number))
    para.add_run(rest)
    counters[label] = number + 1
    para.paragraph_format.keep_with_next = True


def _write_table(document: Any, block: Table, layout: Layout) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    widths, size = wordparts.column_widths(
        block.columns, block.rows, layout.text_width_cm / 2.54 * 72, TABLE_FONT_PT
    )
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    grid_style = _style(document, "Table Grid")
    if grid_style:
        table.style = grid_style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, cells in enumerate((block.columns, *block.rows)):
        for cell, text in zip(table.rows[r].cells, cells, strict=True):
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(size)
            run.bold = r == 0 or None
    wordparts.keep_rows_whole(table)
    wordparts.set_widths(table, widths)


def finish_numbers(document: Any, written: Written, layout: Layout) -> None:
    """Type the part and paragraph numbers, and the cross-references, as the reader will
    see them once Word (or LibreOffice) has numbered the report's lists."""
    shown = _shown_numbers(document)
    title = _title_number(written.title, shown)
    part_numbers: dict[str, str] = {}
    for heading, element, run in written.parts:
        number = shown.get(element) if layout.part_num else None
        if number is None:
            number = f"{title}.{heading.number}" if title else heading.number
            if run is not None:
                run.text = number + " "
        part_numbers[heading.number] = number.rstrip(".")
    keys = {h.key: part_numbers.get(h.number, h.number) for h, _, _ in written.parts if h.key}
    for para, _, number_run, text_run in written.paras:
        part, _, own = para.number.rpartition(".")
        if number_run is not None:
            number_run.text = f"{part_numbers.get(part, part)}.{own}\t"
        if para.refs:
            text = para.text
            for start, end, key in sorted(para.refs, reverse=True):
                text = text[:start] + keys.get(key, text[start:end]) + text[end:]
            text_run.text = text


def _shown_numbers(document: Any) -> dict[Any, str]:
    lists = read_lists(document)
    return {p: text for p, text, _ in list_numbers(document.element.body.iter(_W + "p"), lists)}


def _title_number(title: Any, shown: Mapping[Any, str]) -> str:
    """"7" for a title numbered "7." by Word or typed "7. ..."; "" when it has none."""
    from commissioning.render.wordlists import paragraph_text, typed_number

    if title is None:
        return ""
    if title in shown:
        return shown[title].strip().rstrip(".")
    typed = typed_number(paragraph_text(title))
    return typed[0] if typed else ""
