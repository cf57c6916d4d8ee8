"""What a file really is, judged by its bytes, never by its name.

Providers rename files ("return.csv" saved as "return.xlsx"), export web pages with an
.xls name, and send password-protected workbooks. Looking at the first bytes (and, for
zip files, the member names) tells us which reader is safe to use, and lets us say in
plain English what is wrong instead of letting a parser fail obscurely.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from commissioning.errors import UnreadableFileError
from commissioning.loading.limits import Limits
from commissioning.loading.rawtypes import FileFormat
from commissioning.model.quality import Issue, IssueCode

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EOCD_MAGIC = b"PK\x05\x06"
ZIP64_LOCATOR_MAGIC = b"PK\x06\x07"
CD_MAGIC = b"PK\x01\x02"
CD_HEADER_BYTES = 46
HEAD_BYTES = 64 * 1024
#: above this share of non-text bytes in the first 64 KB a file is binary, not CSV; a few
#: stray NUL or control characters in a real CSV export stay readable
BINARY_SHARE = 0.05
_TEXT_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))

MSG_EMPTY = "This file is empty (0 bytes). Ask the provider to send the return again."
MSG_NOT_FOUND = "Cannot find the file {name}. Check the name and the folder, then try again."
MSG_NOT_A_FILE = "{name} is a folder, not a file. Give the path of the return file itself."
MSG_NO_PERMISSION = (
    "Cannot open {name}: permission denied. Copy the file to a folder you can read, then try again."
)
MSG_TOO_BIG = (
    "This file is {size} MB, more than the {limit} MB limit for a return. Ask the provider to "
    "send only the monitoring data, or raise the file size limit."
)
MSG_ENCRYPTED = (
    "This file is password-protected. Ask the provider for an unprotected copy, sent securely."
)
MSG_TRUNCATED_ZIP = (
    "This file is damaged: the spreadsheet inside it is incomplete (it may have been cut off "
    "while downloading or attaching). Ask the provider to send the return again."
)
MSG_ZIP_NOT_SPREADSHEET = (
    "This file is a zip archive, not a spreadsheet. Take the return out of the archive and "
    "check that file instead."
)
MSG_WORD = (
    "This file is a Word document, not a spreadsheet. Ask the provider for the return as an "
    "Excel (.xlsx), OpenDocument (.ods) or CSV file."
)
MSG_OTHER_OFFICE = (
    "This file is an Office document that is not a spreadsheet. Ask the provider for the "
    "return as an Excel (.xlsx), OpenDocument (.ods) or CSV file."
)
MSG_PDF = (
    "This file is a PDF, which cannot be read as data. Ask the provider for the return as an "
    "Excel (.xlsx), OpenDocument (.ods) or CSV file."
)
MSG_HTML = (
    "This file is a web page (HTML), not a spreadsheet, although it may open in Excel. Open it "
    "in Excel, choose Save As, pick 'Excel Workbook (.xlsx)', and check that copy."
)
MSG_XML_SPREADSHEET = (
    "This file is an old 'XML Spreadsheet 2003' file, which cannot be read safely. Open it in "
    "Excel, choose Save As, pick 'Excel Workbook (.xlsx)', and check that copy."
)
MSG_ARCHIVE = (
    "This file is a compressed archive, not a spreadsheet. Take the return out of the archive "
    "and check that file instead."
)
MSG_BINARY = (
    "This file is not a spreadsheet or a text (CSV) file that can be read. Ask the provider for "
    "the return as an Excel (.xlsx), OpenDocument (.ods) or CSV file."
)
MSG_TOO_MANY_ENTRIES = (
    "This file has more than {limit} parts inside it (counted in its directory); no normal "
    "spreadsheet has that many. Ask the provider to save the return again as a new .xlsx file."
)
MSG_XLSB = (
    "This file is an Excel Binary Workbook (.xlsb), which cannot be checked safely before it is "
    "read. Open it in Excel, choose Save As, pick 'Excel Workbook (.xlsx)', and check that copy."
)
MSG_RENAMED = (
    "This file is called .{ext} but is really {actual}; it was read as {actual}. Ask the "
    "provider to save returns with the right file type."
)

_ACTUAL_NAMES: dict[str, str] = {
    "csv": "a CSV text file",
    "xls": "an old-style Excel (.xls) workbook",
    "xlsx": "an Excel (.xlsx) workbook",
    "xlsm": "an Excel macro-enabled (.xlsm) workbook",
    "ods": "an OpenDocument (.ods) spreadsheet",
}
#: extensions that are consistent with each detected format (no warning needed)
_EXPECTED_EXTENSIONS: dict[str, frozenset[str]] = {
    "csv": frozenset({"csv", "txt", "tsv", "tab", ""}),
    "xls": frozenset({"xls", "xlt"}),
    "xlsx": frozenset({"xlsx", "xltx"}),
    "xlsm": frozenset({"xlsm", "xltm", "xlsx"}),  # macros in .xlsx are reported separately
    "ods": frozenset({"ods", "ots"}),
}
_OLE_ENCRYPTED_NAMES = (
    "EncryptedPackage".encode("utf-16-le"),
    "EncryptionInfo".encode("utf-16-le"),
)
_OLE_WORKBOOK_NAMES = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_OLE_WORD_NAME = "WordDocument".encode("utf-16-le")


@dataclass(frozen=True)
class FileType:
    """The detected format, plus any note about a misleading file name."""

    file_format: FileFormat
    container: str  # "zip", "ole" or "text"
    notes: tuple[Issue, ...] = ()


def read_head(path: Path, limits: Limits) -> tuple[bytes, int]:
    """Return the first bytes of ``path`` and its size, turning OS errors into plain ones."""
    name = path.name
    try:
        if path.is_dir():
            raise UnreadableFileError(MSG_NOT_A_FILE.format(name=name))
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except FileNotFoundError as exc:
        raise UnreadableFileError(MSG_NOT_FOUND.format(name=name)) from exc
    except PermissionError as exc:
        raise UnreadableFileError(MSG_NO_PERMISSION.format(name=name)) from exc
    except OSError as exc:
        raise UnreadableFileError(MSG_NOT_FOUND.format(name=name)) from exc
    if size == 0 or not head:
        raise UnreadableFileError(MSG_EMPTY)
    if size > limits.max_file_bytes:
        raise UnreadableFileError(
            MSG_TOO_BIG.format(size=_mb(size), limit=_mb(limits.max_file_bytes))
        )
    return head, size


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.1f}"


def detect(path: Path, limits: Limits) -> FileType:
    """Classify ``path`` by content; raise `UnreadableFileError` for anything unreadable."""
    head, size = read_head(path, limits)
    ext = path.suffix.lower().lstrip(".")
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        fmt: FileFormat = _zip_format(path, size, limits)
        container = "zip"
    elif head.startswith(OLE_MAGIC):
        fmt = _ole_format(path, size)
        container = "ole"
    else:
        _refuse_non_text(head)
        fmt = "csv"
        container = "text"
    return FileType(fmt, container, _rename_notes(ext, fmt))


def _rename_notes(ext: str, fmt: FileFormat) -> tuple[Issue, ...]:
    if ext in _EXPECTED_EXTENSIONS[fmt]:
        return ()
    actual = _ACTUAL_NAMES[fmt]
    message = MSG_RENAMED.format(ext=ext, actual=actual)
    return (Issue("warning", IssueCode.FILE_TYPE_MISMATCH, message),)


def zip_entry_count(path: Path, size: int, limit: int) -> int:
    """How many entries the zip's central directory really holds, counted by walking its
    records before zipfile builds one object per entry. The end record's own count is not
    trusted (it may say 5 while the directory holds millions); counting stops at
    ``limit + 1``, so a huge directory costs no more than a normal one."""
    with path.open("rb") as handle:
        start, length, _ = _central_directory(handle, size)
        handle.seek(start)
        return _count_records(handle, length, limit + 1)


def _central_directory(handle: IO[bytes], size: int) -> tuple[int, int, int]:
    """(offset, length, declared entries) of the central directory, located the way
    zipfile does: it ends where the end record (or its zip64 record) begins."""
    tail_len = min(size, 22 + 65_535)
    handle.seek(size - tail_len)
    tail = handle.read(tail_len)
    pos = tail.rfind(EOCD_MAGIC)
    if pos < 0 or pos + 22 > len(tail):
        raise UnreadableFileError(MSG_TRUNCATED_ZIP)
    (entries, cd_size) = struct.unpack_from("<HI", tail, pos + 10)
    end = size - tail_len + pos
    locator = pos - 20
    if locator >= 0 and tail[locator : locator + 4] == ZIP64_LOCATOR_MAGIC:
        end = size - tail_len + locator - 56  # zipfile reads the zip64 record here
        handle.seek(max(end, 0))
        record = handle.read(56)
        if end < 0 or len(record) < 56 or record[:4] != b"PK\x06\x06":
            raise UnreadableFileError(MSG_TRUNCATED_ZIP)
        (entries, cd_size) = struct.unpack_from("<QQ", record, 32)
    start = end - cd_size
    if start < 0 or cd_size > size:
        raise UnreadableFileError(MSG_TRUNCATED_ZIP)
    return start, int(cd_size), int(entries)


def _count_records(handle: IO[bytes], length: int, stop: int) -> int:
    """Central directory records in the next ``length`` bytes, up to ``stop``."""
    count, done, buffer = 0, 0, b""
    while done < length and count < stop:
        if len(buffer) < CD_HEADER_BYTES:
            buffer += handle.read(min(1 << 20, length - done))
            if len(buffer) < CD_HEADER_BYTES:
                break
        if buffer[:4] != CD_MAGIC:
            break  # zipfile refuses the file itself; nothing more to count
        name, extra, comment = struct.unpack_from("<HHH", buffer, 28)
        record = CD_HEADER_BYTES + name + extra + comment
        while len(buffer) < record and done + len(buffer) < length:
            buffer += handle.read(min(1 << 20, length - done - len(buffer)))
        count += 1
        done += record
        buffer = buffer[record:]
    return count


def _zip_format(path: Path, size: int, limits: Limits) -> FileFormat:
    import zipfile

    count = zip_entry_count(path, size, limits.max_zip_entries)
    if count > limits.max_zip_entries:
        limit = f"{limits.max_zip_entries:,}"
        raise UnreadableFileError(MSG_TOO_MANY_ENTRIES.format(limit=limit))
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").strip()
    except RuntimeError as exc:  # zipfile: "File is encrypted, password required"
        raise UnreadableFileError(MSG_ENCRYPTED) from exc
    except Exception as exc:  # zlib, struct and zipfile errors alike
        raise UnreadableFileError(MSG_TRUNCATED_ZIP) from exc
    if mimetype == b"application/vnd.oasis.opendocument.spreadsheet" or (
        not mimetype and "content.xml" in names and "META-INF/manifest.xml" in names
    ):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise UnreadableFileError(MSG_OTHER_OFFICE)
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
            raise UnreadableFileError(MSG_XLSB)  # binary records: no pre-scan is possible
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "word/document.xml" in names:
        raise UnreadableFileError(MSG_WORD)
    if "ppt/presentation.xml" in names:
        raise UnreadableFileError(MSG_OTHER_OFFICE)
    raise UnreadableFileError(MSG_ZIP_NOT_SPREADSHEET)


def _ole_format(path: Path, size: int) -> FileFormat:
    # OLE directory entries hold stream names in UTF-16; an Office file protected with a
    # password to open is an OLE file holding "EncryptedPackage" instead of a workbook.
    with path.open("rb") as handle:
        data = handle.read(min(size, 8 * 1024 * 1024))
    if all(name in data for name in _OLE_ENCRYPTED_NAMES):
        raise UnreadableFileError(MSG_ENCRYPTED)
    if any(name in data for name in _OLE_WORKBOOK_NAMES):
        return "xls"
    if _OLE_WORD_NAME in data:
        raise UnreadableFileError(MSG_WORD)
    return "xls"  # let the xls reader decide; it fails cleanly on other OLE files


def _refuse_non_text(head: bytes) -> None:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%PDF"):
        raise UnreadableFileError(MSG_PDF)
    if head.startswith((b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf\x27\x1c", b"BZh", b"\xfd7zXZ")):
        raise UnreadableFileError(MSG_ARCHIVE)
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body")) or (
        stripped.startswith(b"<") and b"<html" in stripped[:2048]
    ):
        raise UnreadableFileError(MSG_HTML)
    if stripped.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise UnreadableFileError(MSG_XML_SPREADSHEET)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text with a byte-order mark
    if _binary_share(head) > BINARY_SHARE and not _looks_like_utf16(head):
        raise UnreadableFileError(MSG_BINARY)


def _binary_share(head: bytes) -> float:
    """Share of bytes that never occur in text (controls other than tab, CR, LF, ESC, FF)."""
    return len(head.translate(None, _TEXT_BYTES)) / len(head)


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 text without a byte-order mark: NUL in (nearly) every other byte."""
    sample = head[: len(head) - len(head) % 2][:4096]
    if len(sample) < 4:
        return False
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    return odd_nuls > 0.9 > even_nuls or even_nuls > 0.9 > odd_nuls
