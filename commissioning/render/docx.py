"""Word layout of a drafted `Section`, on its own or inside an existing decision report.

Uses the document's real styles (Heading 1-9, Table Grid, Caption, List Bullet) so the
section takes on a council's house style when inserted into its report
(`commissioning.render.insert` decides the styles and numbering there). Part and
paragraph numbers are typed ("3.2") unless the report numbers with Word lists, and
cross-references are written from the numbers the reader will see. Captions are SEQ
fields, so Word and LibreOffice count tables and figures with the report's own. Tables
have fixed column widths worked out from their text, so no word is broken.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from commissioning import __version__
from commissioning.drafting.section import Section
from commissioning.outputs import write_atomic
from commissioning.render.clean import clean_text

# Insertion lives in its own module; callers and tests find it here as they always have.
from commissioning.render.insert import MSG_NO_ANCHOR, MSG_NOT_DOCX, insert_into
from commissioning.render.wordlayout import Layout, finish_numbers, write_blocks

#: Page and font of a stand-alone section, unless the terminology file's "document" entry
#: says otherwise (see templates/draft_terminology.json).
DEFAULT_DOCUMENT: Final[Mapping[str, Any]] = {
    "font": "Arial", "font_size_pt": 11, "paper": "A4", "margin_cm": 2.54,
}
PAPER_CM: Final = {"a4": (21.0, 29.7), "letter": (21.59, 27.94), "a3": (29.7, 42.0)}
# -- a stand-alone document --------------------------------------------------------------
def _page(document: Any, settings: Mapping[str, Any]) -> float:
    """Set paper and margins; the text width in cm."""
    from docx.shared import Cm

    paper = PAPER_CM.get(str(settings.get("paper", "A4")).lower(), PAPER_CM["a4"])
    margin = float(settings.get("margin_cm", 2.54))
    for sect in document.sections:
        sect.page_width, sect.page_height = Cm(paper[0]), Cm(paper[1])
        sect.left_margin = sect.right_margin = Cm(margin)
        sect.top_margin = sect.bottom_margin = Cm(margin)
    return paper[0] - 2 * margin


def _fonts(document: Any, settings: Mapping[str, Any]) -> None:
    """One font a council computer has, for every style the section uses."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    name = str(settings.get("font", "Arial"))
    for style in document.styles:
        if style.type not in (1, 2) or (style.element.rPr is None and style.name != "Normal"):
            continue
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, fonts)
        for attr in list(fonts.attrib):
            if attr.endswith("Theme"):
                del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), name)
    document.styles["Normal"].font.size = Pt(float(settings.get("font_size_pt", 11)))


def _properties(document: Any, section: Section, settings: Mapping[str, Any]) -> None:
    """Title, subject and author from the section; none of python-docx's own. The
    dates are the section's own date produced, so the same section gives the same bytes
    (a clock time would say when, to the second, each file was made)."""
    produced = dict(section.audit.items).get("produced", "")
    try:
        now = dt.datetime.combine(dt.date.fromisoformat(produced), dt.time(), dt.UTC)
    except ValueError:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    council = str(settings.get("author") or "")
    props = document.core_properties
    props.title = clean_text(section.title)
    props.subject = f"{section.title}: {section.service}" if section.service else section.title
    props.author = props.last_modified_by = council[:1].upper() + council[1:]
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = now
    props.revision = 1
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = _APP_XML.format(version=__version__).encode("utf-8")


_APP_XML: Final = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>commissioning {version}</Application>'
    "<DocSecurity>0</DocSecurity></Properties>"
)


def render_docx(section: Section) -> bytes:
    """The section as a stand-alone Word document: A4, UK margins, the council's font."""
    import docx

    settings = {**DEFAULT_DOCUMENT, **dict(section.document)}
    document = docx.Document()
    layout = Layout(text_width_cm=_page(document, settings))
    _fonts(document, settings)
    _properties(document, section, settings)
    written = write_blocks(document, section, layout)
    finish_numbers(document, written, layout)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same package with every part dated 1 January 1980 (zip's first date): the
    same section then gives the same bytes, and no file says when it was made."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def write_docx(section: Section, out: Path | str) -> Path:
    return write_atomic(out, render_docx(section))



__all__ = ["MSG_NOT_DOCX", "MSG_NO_ANCHOR", "insert_into", "render_docx", "write_docx"]
