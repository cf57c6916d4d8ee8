"""Decision reports built with python-docx in the ways councils write them, for --into tests.

Each builder writes an Executive Decision Report with sections 1 to 8 around the place the
Disproportionality Implications go: typed numbers ("7. ..."), Word's own list numbering
(numbering.xml), a bare placeholder paragraph, an existing heading with placeholder text,
existing "Table 1" captions, and a header, footer and the council's own styles.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from conftest import require_tool
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

PLACEHOLDER = "{{ disproportionality_implications }}"
TO_BE_COMPLETED = "[To be completed by the commissioner: the Disproportionality Implications]"
BEFORE = ["Executive Summary", "Recommendations", "Reasons for Decision", "Background",
          "Financial Implications", "Legal Implications"]
AFTER = "Carbon Impact"


def _set(element: Any, tag: str, **attrs: str) -> Any:
    child = OxmlElement(tag)
    for key, value in attrs.items():
        child.set(qn(key.replace("_", ":", 1)), value)
    element.append(child)
    return child


def add_numbering(document: Any) -> str:
    """A three-level list "1." / "1.1" / "1.1.1" (like a council template); its numId."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    _set(abstract, "w:multiLevelType", w_val="multilevel")
    for ilvl, text in enumerate(("%1.", "%1.%2", "%1.%2.%3")):
        lvl = _set(abstract, "w:lvl", w_ilvl=str(ilvl))
        _set(lvl, "w:start", w_val="1")
        _set(lvl, "w:numFmt", w_val="decimal")
        _set(lvl, "w:lvlText", w_val=text)
        ppr = _set(lvl, "w:pPr")
        _set(ppr, "w:ind", w_left=str(850 * (ilvl + 1)), w_hanging="850")
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = _set(numbering, "w:num", w_numId="90")
    _set(num, "w:abstractNumId", w_val="90")
    return "90"


def _style_numbered(style: Any, num_id: str, ilvl: int) -> None:
    ppr = style.element.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    _set(num_pr, "w:ilvl", w_val=str(ilvl))
    _set(num_pr, "w:numId", w_val=num_id)
    ppr.insert(0, num_pr)


def _base(margin_cm: float = 2.0) -> Any:
    import docx

    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(margin_cm)
    document.add_paragraph("Executive Decision Report: Holiday Activities and Food",
                           style="Title")
    return document


def typed(path: Path) -> Path:
    """Typed numbers; the placeholder under a typed "7." heading."""
    document = _base()
    for i, name in enumerate(BEFORE, start=1):
        document.add_heading(f"{i}. {name}", level=1)
        document.add_paragraph(f"{i}.1\tText of section {i}.")
    document.add_heading("7. Disproportionality Implications", level=1)
    document.add_paragraph(PLACEHOLDER)
    document.add_heading(f"8. {AFTER}", level=1)
    document.add_paragraph("8.1\tNo carbon impact.")
    document.save(str(path))
    return path


def word_numbered(path: Path) -> Path:
    """Headings numbered by Word (Heading 1 and 2 linked to a list); placeholder text,
    itself a numbered paragraph, under the Disproportionality Implications heading."""
    document = _base()
    num_id = add_numbering(document)
    _style_numbered(document.styles["Heading 1"], num_id, 0)
    _style_numbered(document.styles["Heading 2"], num_id, 1)
    para = document.styles.add_style("Numbered Para", WD_STYLE_TYPE.PARAGRAPH)
    para.base_style = document.styles["Normal"]
    _style_numbered(para, num_id, 1)
    for i, name in enumerate(BEFORE, start=1):
        document.add_heading(name, level=1)
        document.add_paragraph(f"Text of section {i}.", style="Numbered Para")
    document.add_heading("Disproportionality Implications", level=1)
    document.add_paragraph(TO_BE_COMPLETED, style="Numbered Para")
    document.add_heading(AFTER, level=1)
    document.add_paragraph("No carbon impact.", style="Numbered Para")
    document.save(str(path))
    return path


def bare_placeholder(path: Path) -> Path:
    """No heading: the placeholder sits between section 6 and section 8."""
    document = _base()
    for i, name in enumerate(BEFORE, start=1):
        document.add_heading(f"{i}. {name}", level=1)
        document.add_paragraph(f"{i}.1\tText of section {i}.")
    document.add_paragraph(PLACEHOLDER)
    document.add_heading(f"8. {AFTER}", level=1)
    document.save(str(path))
    return path


def heading_with_text(path: Path) -> Path:
    """An existing heading with the template's "7.1 [To be completed ...]" under it."""
    document = _base()
    for i, name in enumerate(BEFORE, start=1):
        document.add_heading(f"{i}. {name}", level=1)
        document.add_paragraph(f"{i}.1\tText of section {i}.")
    document.add_heading("7. Disproportionality Implications", level=1)
    document.add_paragraph(f"7.1\t{TO_BE_COMPLETED}")
    document.add_heading(f"8. {AFTER}", level=1)
    document.save(str(path))
    return path


def with_tables(path: Path) -> Path:
    """Two tables already captioned "Table 1" and "Table 2" (typed), and a figure."""
    document = _base()
    for i, name in enumerate(BEFORE, start=1):
        document.add_heading(f"{i}. {name}", level=1)
        document.add_paragraph(f"{i}.1\tText of section {i}.")
        if i in (4, 5):
            document.add_paragraph(f"Table {i - 3}: Spending by year", style="Caption")
            table = document.add_table(rows=2, cols=2)
            table.style = document.styles["Table Grid"]
            table.cell(0, 0).text, table.cell(0, 1).text = "Year", "Spend"
            table.cell(1, 0).text, table.cell(1, 1).text = "2024", "100"
        if i == 5:
            document.add_paragraph("Figure 1: Spending over time", style="Caption")
    document.add_heading("7. Disproportionality Implications", level=1)
    document.add_paragraph(PLACEHOLDER)
    document.add_heading(f"8. {AFTER}", level=1)
    document.save(str(path))
    return path


def house_style(path: Path) -> Path:
    """The council's own styles (not "Heading N"), a header and footer, wide margins."""
    document = _base(margin_cm=3.5)
    styles = document.styles
    h1 = styles.add_style("EDR Section Heading", WD_STYLE_TYPE.PARAGRAPH)
    h1.base_style = styles["Normal"]
    h1.font.bold, h1.font.size = True, Pt(13)
    body = styles.add_style("EDR Numbered Text", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = styles["Normal"]
    body.paragraph_format.left_indent = Cm(1.27)
    body.paragraph_format.first_line_indent = Cm(-1.27)
    section = document.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL - Westminster City Council"
    section.footer.paragraphs[0].text = "Executive Decision Report - Holiday Activities"
    for i, name in enumerate(BEFORE, start=1):
        document.add_paragraph(f"{i}. {name}", style="EDR Section Heading")
        document.add_paragraph(f"{i}.1\tText of section {i}.", style="EDR Numbered Text")
    document.add_paragraph("7. Disproportionality Implications", style="EDR Section Heading")
    document.add_paragraph(f"7.1\t{TO_BE_COMPLETED}", style="EDR Numbered Text")
    document.add_paragraph(f"8. {AFTER}", style="EDR Section Heading")
    document.add_paragraph("8.1\tNo carbon impact.", style="EDR Numbered Text")
    document.save(str(path))
    return path


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "typed": typed,
    "word_numbered": word_numbered,
    "bare_placeholder": bare_placeholder,
    "heading_with_text": heading_with_text,
    "with_tables": with_tables,
    "house_style": house_style,
}


# -- reports for a section number chosen by the user (`draft --number`) -------------------
LATER = ["Carbon Impact", "Background Papers"]


def unreserved(path: Path) -> Path:
    """Typed numbers; the placeholder sits between 6 and "7. Carbon Impact", so the report
    has kept no number for the section, and "8. Background Papers" follows."""
    document = _base()
    for i, name in enumerate(BEFORE, start=1):
        document.add_heading(f"{i}. {name}", level=1)
        document.add_paragraph(f"{i}.1\tText of section {i}.")
    document.add_paragraph(PLACEHOLDER)
    for i, name in enumerate(LATER, start=7):
        document.add_heading(f"{i}. {name}", level=1)
        document.add_paragraph(f"{i}.1\tText of section {i}.")
    document.save(str(path))
    return path


def word_numbered_placeholder(path: Path) -> Path:
    """Headings numbered by Word; a bare placeholder (no heading) between 6 and 7."""
    document = _base()
    num_id = add_numbering(document)
    _style_numbered(document.styles["Heading 1"], num_id, 0)
    para = document.styles.add_style("Numbered Para", WD_STYLE_TYPE.PARAGRAPH)
    para.base_style = document.styles["Normal"]
    _style_numbered(para, num_id, 1)
    for i, name in enumerate(BEFORE, start=1):
        document.add_heading(name, level=1)
        document.add_paragraph(f"Text of section {i}.", style="Numbered Para")
    document.add_paragraph(PLACEHOLDER)
    for i, name in enumerate(LATER, start=7):
        document.add_heading(name, level=1)
        document.add_paragraph(f"Text of section {i}.", style="Numbered Para")
    document.save(str(path))
    return path


NUMBER_BUILDERS: dict[str, Callable[[Path], Path]] = {
    "unreserved": unreserved,
    "word_numbered_placeholder": word_numbered_placeholder,
}


def convert_to_pdf(folder: Path, documents: Iterable[Path]) -> None:
    """Each Word file converted to a PDF beside it by LibreOffice (one soffice run)."""
    soffice = require_tool("soffice")
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, documents)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
