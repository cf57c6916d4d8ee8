"""Word layout of a drafted `Section`, on its own or inside an existing decision report.

Uses the document's real styles (Heading 1-9, Table Grid, Caption, List Bullet) so the
section takes on a council's house style when inserted into its report template.
Paragraphs are numbered as decision reports number them ("3.2"), as text, so the numbers
survive copying between documents. The chart is an image with alt text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from commissioning.drafting.section import BulletList, Chart, Heading, Paragraph, Section, Table
from commissioning.errors import TemplateProblemError, UnreadableFileError
from commissioning.outputs import write_atomic
from commissioning.render.clean import clean_section, clean_text

PLACEHOLDER: Final = re.compile(r"\{\{\s*disproportionality_implications\s*\}\}", re.IGNORECASE)
HEADING_TEXT: Final = re.compile(r"disproportionality\s+implications", re.IGNORECASE)
# A paragraph that is only the heading's words, in a council style that is not "Heading N".
HEADING_ALONE: Final = re.compile(
    r"\s*(\d+(?:\.\d+)*\.?\s+)?disproportionality\s+implications\s*:?\s*", re.IGNORECASE
)
_LEADING_NUMBER: Final = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+")

MSG_NO_ANCHOR = (
    "{name} has no '{{{{ disproportionality_implications }}}}' paragraph and no "
    "'Disproportionality Implications' heading. Add one of them where the section should go."
)
MSG_NOT_DOCX = (
    "{name} could not be opened as a Word document. Save it as .docx (Word 2007 or later) "
    "and try again."
)

ChartRenderer = Callable[[Any], bytes]


def _style(document: Any, name: str) -> str | None:
    """The style name if this document defines it (a council template may not)."""
    try:
        document.styles[name]
    except KeyError:
        return None
    return name


def _heading_level(paragraph: Any) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    match = re.match(r"Heading (\d)$", name or "")
    if match:
        return int(match.group(1))
    return 0 if name == "Title" else None


def _chart_png(chart: Chart) -> bytes:
    from commissioning.render.chart import render_chart_png

    return render_chart_png(chart.spec)


def _set_alt_text(run: Any, alt: str, title: str) -> None:
    from docx.oxml.ns import qn

    for doc_pr in run._r.iter(qn("wp:docPr")):
        doc_pr.set("descr", alt)
        doc_pr.set("title", title)


def write_blocks(
    document: Any,
    section: Section,
    *,
    title_level: int = 1,
    include_title: bool = True,
    number_prefix: str = "",
    chart_png: Callable[[Chart], bytes] = _chart_png,
) -> None:
    """Append the section's blocks to the end of ``document``."""
    section = clean_section(section)
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    bullet_style = _style(document, "List Bullet")
    caption_style = _style(document, "Caption")
    grid_style = _style(document, "Table Grid")
    figure = 0
    for block in section.blocks:
        if isinstance(block, Heading):
            if block.level == 1 and not include_title:
                continue
            level = min(title_level + block.level - 1, 9)
            number = f"{number_prefix}{block.number}" if block.number else ""
            text = f"{number} {block.text}" if number else block.text
            style = _style(document, f"Heading {level}")
            if style:
                document.add_paragraph(text, style=style)
            else:
                document.add_paragraph().add_run(text).bold = True
        elif isinstance(block, Paragraph):
            para = document.add_paragraph()
            if block.number:
                para.paragraph_format.left_indent = Cm(1.25)
                para.paragraph_format.first_line_indent = Cm(-1.25)
                para.paragraph_format.tab_stops.add_tab_stop(Cm(1.25))
                para.add_run(f"{number_prefix}{block.number}\t")
            para.add_run(block.text)
        elif isinstance(block, BulletList):
            for item in block.items:
                if bullet_style:
                    document.add_paragraph(item, style=bullet_style)
                else:
                    document.add_paragraph("\u2022 " + item)
        elif isinstance(block, Table):
            if block.caption:
                document.add_paragraph(block.caption, style=caption_style)
            table = document.add_table(rows=1, cols=len(block.columns))
            if grid_style:
                table.style = grid_style
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            header = table.rows[0]
            _repeat_header(header)
            for cell, text in zip(header.cells, block.columns, strict=True):
                run = cell.paragraphs[0].add_run(text)
                run.bold = True
                run.font.size = Pt(9)
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.paragraphs[0].add_run(text).font.size = Pt(9)
        elif isinstance(block, Chart):
            figure += 1
            para = document.add_paragraph()
            run = para.add_run()
            run.add_picture(io.BytesIO(chart_png(block)), width=Cm(15.5))
            _set_alt_text(run, block.alt, f"Figure {figure}")
            if block.caption:
                document.add_paragraph(block.caption, style=caption_style)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def render_docx(section: Section) -> bytes:
    """The section as a stand-alone Word document."""
    import docx

    document = docx.Document()
    document.core_properties.title = clean_text(section.title)
    document.core_properties.author = "commissioning"
    write_blocks(document, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(section: Section, out: Path | str) -> Path:
    return write_atomic(out, render_docx(section))


def _open(path: Path) -> Any:
    import docx

    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFileError(MSG_NOT_DOCX.format(name=path.name)) from exc
    except Exception as exc:  # python-docx raises its own errors for non-Word zips
        if type(exc).__name__ in ("PackageNotFoundError", "InvalidXmlError"):
            raise UnreadableFileError(MSG_NOT_DOCX.format(name=path.name)) from exc
        raise


def insert_into(section: Section, report: Path | str, out: Path | str) -> Path:
    """Write a copy of ``report`` with the section inserted; ``report`` is not changed.

    The section goes at a ``{{ disproportionality_implications }}`` paragraph (which it
    replaces) or, failing that, straight after a "Disproportionality Implications"
    heading (whose own title and number it then uses).
    """
    source = Path(report).expanduser()
    document = _open(source)
    paragraphs = list(document.paragraphs)
    anchor = None
    replace = False
    heading_level: int | None = None
    heading_text = ""
    for i, para in enumerate(paragraphs):
        if PLACEHOLDER.search(para.text):
            anchor, replace = para, True
            previous = next(
                (p for p in reversed(paragraphs[:i]) if _heading_level(p) is not None), None
            )
            if previous is not None:
                heading_level = _heading_level(previous)
                if HEADING_TEXT.search(previous.text):
                    heading_text = previous.text
            break
    if anchor is None:
        for para in paragraphs:
            level = _heading_level(para)
            if (level is not None and HEADING_TEXT.search(para.text)) or HEADING_ALONE.fullmatch(
                para.text
            ):
                anchor, heading_level, heading_text = para, level or 1, para.text
                break
    if anchor is None:
        raise TemplateProblemError(MSG_NO_ANCHOR.format(name=source.name))

    include_title = not heading_text
    if heading_text:
        title_level = heading_level or 1
    elif heading_level:
        title_level = heading_level
    else:
        title_level = 1
    match = _LEADING_NUMBER.match(heading_text)
    prefix = f"{match.group(1)}." if match else ""

    body = document.element.body
    existing = list(body)  # holding the proxies keeps their ids stable
    before = {id(el) for el in existing}
    write_blocks(
        document,
        section,
        title_level=max(title_level, 1),
        include_title=include_title,
        number_prefix=prefix,
    )
    new = [el for el in body if id(el) not in before and not el.tag.endswith("}sectPr")]
    current = anchor._p
    for element in new:
        current.addnext(element)
        current = element
    if replace:
        anchor._p.getparent().remove(anchor._p)
    buffer = io.BytesIO()
    document.save(buffer)
    return write_atomic(out, buffer.getvalue())
