"""A council's decision report (.docx), uploaded to have the section put into it.

The report comes from the officer, not a provider, but it is still a file from a browser,
and python-docx reads it in the server's own process (not in a reader process, as returns
are). So before python-docx sees it, the same bounds as a return's zip container apply
(`commissioning.loading.limits`: file size, number of zip members, expanded size,
compression ratio, encrypted members), every XML part is streamed through the same
checks (no DOCTYPE or ENTITY, UTF-8 only, well formed) and the XML parts together may
expand to at most `MAX_REPORT_XML_MB`, the whole report to `MAX_REPORT_EXPANDED_MB`
(python-docx holds every part in memory). The section is then put in by the library's own
`commissioning.render.docx.insert_into`, exactly as `commissioning draft --into` does.

Every problem is a `ReportError` (status 400) whose message says what to do in Word.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final

from commissioning.drafting.section import Section
from commissioning.errors import TemplateProblemError, UnreadableFileError
from commissioning.loading import xmlstream
from commissioning.loading.filetype import OLE_MAGIC, ZIP_MAGIC, zip_entry_count
from commissioning.loading.limits import DEFAULT_LIMITS, MIB, Limits
from commissioning.web.forms import FormError
from commissioning.web.uploads import Upload, save_upload

#: The XML parts of a report (its text, styles, lists) together, expanded, in megabytes.
#: A long decision report has a few MB; pictures are not XML and do not count.
MAX_REPORT_XML_MB: Final = 32
#: The whole report, expanded, in megabytes (the lower of this and the loading limit):
#: python-docx holds every part in memory, in the server's own process. Pictures are
#: stored compressed already, so a report expands little beyond its upload size.
MAX_REPORT_EXPANDED_MB: Final = 256
#: What the downloaded report is called: the uploaded name, then this (as the CLI names it).
REPORT_FILENAME: Final = "{stem} with Disproportionality Implications.docx"
REPORT_FOLDER: Final = "report"
_XML_SUFFIXES: Final = (".xml", ".rels")
_DOCUMENT_PART: Final = "word/document.xml"

MSG_NO_REPORT = (
    "Choose your decision report (a Word .docx file) under 'Your decision report', then press "
    "the button again."
)
MSG_REPORT_NOT_DOCX = (
    "The decision report is not a Word document saved as .docx. Open it in Word, choose Save "
    "As, pick 'Word Document (.docx)', and upload that copy."
)
MSG_REPORT_OLD_OR_LOCKED = (
    "The decision report is an older Word file (.doc) or is protected by a password, so it "
    "cannot be opened. Open it in Word, remove any password, choose Save As, pick 'Word "
    "Document (.docx)', and upload that copy."
)
MSG_REPORT_DAMAGED = (
    "The decision report is damaged (the Word file is incomplete or broken inside). Open it "
    "in Word, save it again as a new .docx file, and upload that copy."
)
MSG_REPORT_TOO_BIG = (
    "The decision report is {size} MB, more than the {limit} MB limit. Upload a copy without "
    "large pictures or attachments."
)
MSG_REPORT_TOO_MANY_PARTS = (
    "The decision report is made of more than {limit} parts, far more than any Word "
    "document, so it was not opened. Open it in Word, save it again as a new .docx file, and "
    "upload that copy."
)
MSG_REPORT_EXPANDS = (
    "The decision report expands to {size} MB when opened, more than the {limit} MB this page "
    "accepts. Upload a copy without large pictures, embedded files or tracked changes."
)
MSG_REPORT_RATIO = (
    "Part of the decision report expands {ratio} times when opened, far more than any Word "
    "document (this is how 'zip bomb' attacks work), so it was not opened. Open it in Word, "
    "save it again as a new .docx file, and upload that copy."
)
MSG_REPORT_XML = (
    "The decision report contains XML that Word never writes (declarations or an unusual text "
    "encoding), so it was not opened, for safety. Open it in Word, save it again as a new "
    ".docx file, and upload that copy."
)


class ReportError(FormError):
    """The uploaded decision report cannot be used (shown with status 400, like the form)."""


def _mb(size: int) -> str:
    return f"{size / MIB:,.0f}" if size >= MIB else f"{size / MIB:.1f}"


def save_report(upload: Upload, folder: Path) -> Path:
    """Save the report in its own subfolder of the request's private folder."""
    own = folder / REPORT_FOLDER
    own.mkdir(mode=0o700)
    return save_upload(upload, own)


def check_report(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a report python-docx should not open; raise `ReportError` saying why."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise ReportError(MSG_REPORT_TOO_BIG.format(
            size=_mb(size), limit=_mb(limits.max_file_bytes)))
    with path.open("rb") as handle:
        head = handle.read(len(OLE_MAGIC))
    if head.startswith(OLE_MAGIC):  # .doc, and also how Word stores a password-protected .docx
        raise ReportError(MSG_REPORT_OLD_OR_LOCKED)
    if not head.startswith(ZIP_MAGIC):
        raise ReportError(MSG_REPORT_NOT_DOCX)
    try:
        if zip_entry_count(path, size, limits.max_zip_entries) > limits.max_zip_entries:
            raise ReportError(MSG_REPORT_TOO_MANY_PARTS.format(
                limit=f"{limits.max_zip_entries:,}"))
        with zipfile.ZipFile(path) as archive:
            _check_members(archive, limits)
    except ReportError:
        raise
    except UnreadableFileError as exc:
        xml = exc.message in (xmlstream.MSG_XML_DECLARATIONS, xmlstream.MSG_XML_ENCODING)
        raise ReportError(MSG_REPORT_XML if xml else MSG_REPORT_DAMAGED) from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise ReportError(MSG_REPORT_OLD_OR_LOCKED) from exc
    except Exception as exc:  # zlib, struct and zipfile errors from a damaged zip
        raise ReportError(MSG_REPORT_DAMAGED) from exc


def _check_members(archive: zipfile.ZipFile, limits: Limits) -> None:
    """The container's declared sizes first, then every XML part streamed and parsed."""
    infos = archive.infolist()
    if _DOCUMENT_PART not in archive.NameToInfo:
        raise ReportError(MSG_REPORT_NOT_DOCX)
    total = xml_total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReportError(MSG_REPORT_OLD_OR_LOCKED)
        total += info.file_size
        if info.filename.lower().endswith(_XML_SUFFIXES):
            xml_total += info.file_size
        if info.file_size > limits.ratio_floor_bytes:
            ratio = info.file_size / max(1, info.compress_size)
            if ratio > limits.max_compression_ratio:
                raise ReportError(MSG_REPORT_RATIO.format(ratio=f"{ratio:,.0f}"))
    bounds = (
        (total, min(limits.max_uncompressed_bytes, MAX_REPORT_EXPANDED_MB * MIB)),
        (xml_total, MAX_REPORT_XML_MB * MIB),
    )
    for used, limit in bounds:
        if used > limit:
            raise ReportError(MSG_REPORT_EXPANDS.format(size=_mb(used), limit=_mb(limit)))
    for info in infos:
        if info.filename.lower().endswith(_XML_SUFFIXES):
            _check_xml(archive, info)


def _check_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Stream one part through the XML checks; its real size may not pass what it declared."""
    with archive.open(info) as stream:  # zipfile stops at the declared size (and checks CRC)
        xmlstream.feed(xmlstream.expat_parser(), stream)


def insert_section(
    section: Section, report: Path, out: Path, *, number: int | None = None
) -> bytes:
    """The report with the section put in (`insert_into`, as `draft --into`, numbered
    ``number`` as `draft --number` when one is given), as bytes.

    The library's own messages (no place for the section, not a Word file) already name
    the fix; here they become a `ReportError`, so the page shows them with status 400."""
    from commissioning.render.docx import insert_into

    try:
        return insert_into(section, report, out, number=number).read_bytes()
    except (UnreadableFileError, TemplateProblemError) as exc:
        raise ReportError(exc.message) from exc


def report_filename(report: Path) -> str:
    """The downloaded report's name: the uploaded (safe) name with the section's."""
    return REPORT_FILENAME.format(stem=report.stem or "report")
