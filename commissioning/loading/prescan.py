"""Look inside a zip spreadsheet before any parser does, and refuse what would harm it.

python-calamine has no zip-bomb bound and aborts the whole process (uncatchable) on a
2 KB xlsx with cells at A1 and XFD1048576 (calamine issue #693). So before calamine sees
an xlsx, xlsm or ods file we check the container (entry count, declared sizes,
compression ratio of every member, encrypted members), then stream every XML part in
bounded pieces (`xmlstream`: no DOCTYPE/ENTITY, no UTF-16), scan each worksheet for its
real extent and odd cells (`sheetscan`, `odsscan`), and note macros, external links and
data connections, which are never run or followed.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from commissioning.errors import UnreadableFileError
from commissioning.loading import xmlstream
from commissioning.loading.filetype import MSG_ENCRYPTED, MSG_TRUNCATED_ZIP
from commissioning.loading.limits import Limits
from commissioning.loading.odsscan import scan_ods
from commissioning.loading.sheetscan import SheetScan, cell_ref, scan_worksheet
from commissioning.model.quality import Issue, IssueCode

__all__ = ["ScanResult", "SheetScan", "cell_ref", "scan"]

MSG_UNCOMPRESSED = (
    "This file expands to {size} MB when opened, more than the {limit} MB limit. Ask the "
    "provider to send only the monitoring data, or raise the limit."
)
MSG_RATIO = (
    "Part of this file expands {ratio} times when opened, far more than any normal spreadsheet "
    "(this is how 'zip bomb' attacks work), so it was not opened. Ask the provider to save the "
    "return again as a new .xlsx file."
)
MSG_MACROS = (
    "This workbook contains macros (program code). They were not run; only the saved cell "
    "values were read. Ask the provider to send returns as plain .xlsx files without macros."
)
MSG_EXTERNAL_LINKS = (
    "This workbook links to {count} other file(s). The links were not followed; the values read "
    "are those last saved in this file and may be out of date."
)
MSG_CONNECTIONS = (
    "This workbook has data connections or queries. They were not run; the values read are "
    "those last saved in this file and may be out of date."
)

MSG_DECLARED_SIZE = (
    "This file declares {count} {what}, more than the limit of {limit}; no real return is that "
    "large, and reading it could exhaust the computer's memory. Ask the provider to save the "
    "return again as a new .xlsx file."
)
MSG_TOTAL_CELLS = (
    "The sheets of this file together span {cells} cells, more than the limit of {limit}. Ask "
    "the provider to send only the monitoring data (delete other sheets), or raise the limit."
)

_XML_SUFFIXES = (".xml", ".rels", ".vml")
#: the ``<sst>`` start tag's declared sizes: calamine reserves memory for ``uniqueCount``
_SST_COUNTS = re.compile(rb"<(?:\w+:)?sst\b[^>]*>")
_SST_ATTR = re.compile(rb"\b(count|uniqueCount)\s*=\s*[\"'](\d+)[\"']")
_DEFUSED_REFUSALS = ("DTDForbidden", "EntitiesForbidden", "ExternalReferenceForbidden")


@dataclass(frozen=True)
class ScanResult:
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    notes: tuple[Issue, ...] = ()
    scanned: bool = False  # False when the format cannot be pre-scanned (xls)
    uncompressed_bytes: int = 0


def scan(path: Path, file_format: str, limits: Limits) -> ScanResult:
    """Check ``path`` and its XML; raise `UnreadableFileError` for anything unsafe."""
    if file_format not in ("xlsx", "xlsm", "ods"):
        return ScanResult()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = _check_container(infos, limits)
            if file_format == "ods":
                sheets = scan_ods(archive, limits)
                check_total_cells(sheets, limits)
                _scan_other_xml(archive, infos, {"content.xml"}, limits)
                notes: tuple[Issue, ...] = ()
            else:
                targets = _xlsx_sheet_targets(archive, limits)
                sheets = {
                    name: scan_worksheet(_opener(archive, target), name, limits)
                    for name, target in targets.items()
                    if target in archive.NameToInfo
                }
                check_total_cells(sheets, limits)
                _scan_other_xml(archive, infos, set(targets.values()), limits)
                notes = _xlsx_notes(archive.namelist())
    except UnreadableFileError:
        raise
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise UnreadableFileError(MSG_ENCRYPTED) from exc
    except Exception as exc:  # zlib, lzma, bz2 and struct errors from a damaged zip
        raise UnreadableFileError(MSG_TRUNCATED_ZIP) from exc
    return ScanResult(sheets=sheets, notes=notes, scanned=True, uncompressed_bytes=total)


def check_container_file(path: Path, file_format: str, limits: Limits) -> None:
    """Only the container checks of `scan` (central directory, nothing inflated)."""
    if file_format not in ("xlsx", "xlsm", "ods"):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            _check_container(archive.infolist(), limits)
    except UnreadableFileError:
        raise
    except Exception as exc:  # a damaged zip: `scan` says so in its own words
        raise UnreadableFileError(MSG_TRUNCATED_ZIP) from exc


def _check_container(infos: list[zipfile.ZipInfo], limits: Limits) -> int:
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableFileError(MSG_ENCRYPTED)
        total += info.file_size
        if info.file_size > limits.ratio_floor_bytes:
            ratio = info.file_size / max(1, info.compress_size)
            if ratio > limits.max_compression_ratio:
                raise UnreadableFileError(MSG_RATIO.format(ratio=f"{ratio:,.0f}"))
    if total > limits.max_uncompressed_bytes:
        raise UnreadableFileError(
            MSG_UNCOMPRESSED.format(
                size=f"{total / 1024**2:,.0f}",
                limit=f"{limits.max_uncompressed_bytes / 1024**2:,.0f}",
            )
        )
    return total


def _scan_other_xml(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], done: set[str], limits: Limits
) -> None:
    """Every other XML part: no DTDs, valid encoding (openpyxl or calamine may read it)."""
    for info in infos:
        if info.filename in done or not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        with archive.open(info) as stream:
            if info.filename.lower().endswith("sharedstrings.xml"):
                _check_shared_strings(stream, limits)
            else:
                xmlstream.drain(stream)


def check_total_cells(sheets: dict[str, SheetScan], limits: Limits) -> None:
    """Refuse a workbook whose sheets together span more cells than the limit (each sheet
    is within the per-sheet limit, but the reader holds all of them at once)."""
    total = sum(found.max_row * found.max_col for found in sheets.values())
    if total > limits.max_total_cells:
        raise UnreadableFileError(
            MSG_TOTAL_CELLS.format(cells=f"{total:,}", limit=f"{limits.max_total_cells:,}")
        )


def _check_shared_strings(stream: IO[bytes], limits: Limits) -> None:
    """The shared-strings table's declared sizes, checked before calamine reserves memory
    for them (a 1.7 KB file declaring 4,000,000,000 strings aborts it)."""
    for index, piece in enumerate(xmlstream.pieces(stream)):
        if index == 0:
            tag = _SST_COUNTS.search(piece)
            for name, value in _SST_ATTR.findall(tag.group(0)) if tag else []:
                if int(value) > limits.max_total_cells:
                    what = "shared strings" if name == b"uniqueCount" else "uses of shared strings"
                    raise UnreadableFileError(
                        MSG_DECLARED_SIZE.format(
                            count=f"{int(value):,}", what=what, limit=f"{limits.max_total_cells:,}"
                        )
                    )


def _read_small_xml(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    with archive.open(name) as stream:
        return b"".join(xmlstream.pieces(stream))


def _xlsx_sheet_targets(archive: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    """Worksheet name -> zip member, from workbook.xml and its relationships."""
    import defusedxml.ElementTree as SafeET

    names = archive.NameToInfo
    if "xl/workbook.xml" not in names:
        return {}
    try:
        book = SafeET.fromstring(_read_small_xml(archive, "xl/workbook.xml", limits))
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = (
            SafeET.fromstring(_read_small_xml(archive, rels_name, limits))
            if rels_name in names
            else None
        )
    except UnreadableFileError:
        raise
    except Exception as exc:  # defusedxml's DTDForbidden etc., ParseError
        if type(exc).__name__ in _DEFUSED_REFUSALS:
            raise UnreadableFileError(xmlstream.MSG_XML_DECLARATIONS) from exc
        raise UnreadableFileError(MSG_TRUNCATED_ZIP) from exc
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter():
            if rel.tag.rsplit("}", 1)[-1] == "Relationship" and rel.get("Id"):
                target = rel.get("Target", "")
                resolved = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                targets[rel.get("Id", "")] = resolved
    sheets: dict[str, str] = {}
    for element in book.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), "")
        name = element.get("name", "")
        if rid in targets:
            sheets[name] = targets[rid]
    return sheets


def _xlsx_notes(names: list[str]) -> tuple[Issue, ...]:
    lowered = [n.lower() for n in names]
    notes: list[Issue] = []
    if any(n.endswith("vbaproject.bin") or n.startswith("xl/activex/") for n in lowered):
        notes.append(Issue("warning", IssueCode.MACROS, MSG_MACROS))
    links = sum(1 for n in lowered if re.fullmatch(r"xl/externallinks/externallink\d*\.xml", n))
    if links:
        message = MSG_EXTERNAL_LINKS.format(count=links)
        notes.append(Issue("warning", IssueCode.EXTERNAL_LINKS, message))
    if "xl/connections.xml" in lowered or any(n.startswith("xl/querytables/") for n in lowered):
        notes.append(Issue("warning", IssueCode.DATA_CONNECTIONS, MSG_CONNECTIONS))
    return tuple(notes)


def _opener(archive: zipfile.ZipFile, member: str) -> Callable[[], IO[bytes]]:
    return lambda: archive.open(member)
