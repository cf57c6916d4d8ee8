"""Look inside a zip spreadsheet before any parser does, and refuse what would harm it.

python-calamine allocates one slot for every cell in the rectangle a sheet's data spans,
so a 2 KB xlsx with cells at A1 and XFD1048576 asks for 17 billion cells and the whole
process aborts (calamine issue #693); it also has no zip-bomb bound. So, before calamine
sees a file, we check the container (entry count, declared and actual sizes, compression
ratio, encrypted members) and stream every XML part in bounded chunks:

* any DOCTYPE or ENTITY declaration is refused (spreadsheet programs never write one; it is
  how billion-laughs and external-entity attacks start);
* xlsx worksheets are scanned with byte patterns, not a full XML parse, to keep the fast
  path fast: cell and row references give the real extent, ``t="e"`` cells and ``<f>``
  without a saved ``<v>`` are located, and ``hidden`` rows noted;
* ODS ``content.xml`` is walked with expat (DTDs refused) to bound repeated rows/columns.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.parsers import expat

from commissioning.errors import UnreadableFileError
from commissioning.quality import Issue
from commissioning.returns.filetype import MSG_ENCRYPTED, MSG_TRUNCATED_ZIP
from commissioning.returns.limits import Limits

MSG_XML_DECLARATIONS = (
    "This file contains XML declarations (DOCTYPE or ENTITY) that spreadsheet programs never "
    "write, so it was not opened, for safety. Ask the provider to save the return again as a "
    "new .xlsx file and resend it."
)
MSG_XML_ENCODING = (
    "This file stores its contents in a text encoding spreadsheet programs do not use, so it "
    "was not opened, for safety. Ask the provider to save the return again as a new .xlsx file."
)
MSG_UNCOMPRESSED = (
    "This file expands to {size} MB when opened, more than the {limit} MB limit. Ask the "
    "provider to send only the monitoring data, or raise the limit."
)
MSG_RATIO = (
    "Part of this file expands {ratio} times when opened, far more than any normal spreadsheet "
    "(this is how 'zip bomb' attacks work), so it was not opened. Ask the provider to save the "
    "return again as a new .xlsx file."
)
MSG_TOO_MANY_CELLS = (
    "Sheet '{sheet}' spreads over {rows} rows and {cols} columns ({cells} cells), more than the "
    "limit of {limit} cells. There may be a stray entry far below or to the right of the table: "
    "ask the provider to delete everything outside the monitoring table and resend it."
)
MSG_TOO_MANY_ROWS = (
    "Sheet '{sheet}' uses row {rows}, beyond the limit of {limit} rows. Ask the provider to "
    "delete everything below the monitoring table and resend it."
)
MSG_TOO_MANY_COLUMNS = (
    "Sheet '{sheet}' uses column {cols}, beyond the limit of {limit} columns. Ask the provider "
    "to delete everything to the right of the monitoring table and resend it."
)
MSG_ODS_REPEAT = (
    "Sheet '{sheet}' repeats a filled row or cell {count} times, more than the limit of {limit}, "
    "so it was not opened. Ask the provider to delete everything outside the monitoring table "
    "and resend it."
)
MSG_ODS_DAMAGED = (
    "This OpenDocument spreadsheet is damaged and cannot be read. Ask the provider to open it, "
    "save it again, and resend it."
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

CHUNK = 4 * 1024 * 1024
#: a row longer than this is cut at any tag end (keeps buffering linear on a giant cell)
MAX_CARRY = 8 * 1024 * 1024
#: positions kept per sheet for error / formula cells and hidden rows (counts are exact)
MAX_POSITIONS = 10_000

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # optional namespace prefix
_Q = rb"[\"']"
DECLARATION = re.compile(rb"<!(?i:doctype|entity)")
CELL_START = re.compile(rb"<" + _P + rb"c[\s/>]")
CELL_REF = re.compile(
    rb"<" + _P + rb"c\s[^>]*?\br\s*=\s*" + _Q + rb"\$?([A-Za-z]+)\$?(\d+)" + _Q
)
ROW_START = re.compile(rb"<" + _P + rb"row[\s/>]")
ROW_REF = re.compile(rb"<" + _P + rb"row\s[^>]*?\br\s*=\s*" + _Q + rb"(\d+)" + _Q)
HIDDEN_ROW = re.compile(
    rb"<" + _P + rb"row\s([^>]*?\bhidden\s*=\s*" + _Q + rb"(?:1|true)" + _Q + rb"[^>]*)>"
)
R_ATTR = re.compile(rb"\br\s*=\s*" + _Q + rb"\$?([A-Za-z]+)?\$?(\d+)" + _Q)
T_ATTR = re.compile(rb"\bt\s*=\s*" + _Q + rb"(\w+)" + _Q)
CELL_ELEMENT = re.compile(rb"<" + _P + rb"c(\s[^>]*?)?(?:/>|>(.*?)</" + _P + rb"c\s*>)", re.DOTALL)
FORMULA = re.compile(rb"<" + _P + rb"f[\s/>]")
VALUE = re.compile(rb"<" + _P + rb"v(?:\s[^>]*)?(?:/>|>(.*?)</" + _P + rb"v\s*>)", re.DOTALL)
XML_ENCODING = re.compile(rb"<\?xml[^>]*\bencoding\s*=\s*" + _Q + rb"([\w.-]+)" + _Q)
_SAFE_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DEFUSED_REFUSALS = ("DTDForbidden", "EntitiesForbidden", "ExternalReferenceForbidden")

ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODS_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


@dataclass(frozen=True)
class SheetScan:
    """What the pre-scan learned about one sheet. Positions are 0-based (row, col)."""

    max_row: int = 0  # 1-based last row holding a cell
    max_col: int = 0  # 1-based last column holding a cell
    cells: int = 0
    declared: str | None = None  # the <dimension ref> as written, for the record
    error_cells: tuple[tuple[int, int], ...] = ()
    error_count: int = 0
    formula_cells: tuple[tuple[int, int], ...] = ()
    formula_count: int = 0
    hidden_rows: tuple[int, ...] = ()  # 1-based


@dataclass(frozen=True)
class ScanResult:
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    notes: tuple[Issue, ...] = ()
    scanned: bool = False  # False when the format cannot be pre-scanned (xls)
    uncompressed_bytes: int = 0


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) as an A1 reference: (6, 2) -> "C7"."""
    return f"{column_letters(col + 1)}{row + 1}"


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: bytes) -> int:
    number = 0
    for byte in letters.upper():
        number = number * 26 + (byte - 64)
    return number


def scan(path: Path, file_format: str, limits: Limits) -> ScanResult:
    """Check ``path`` and its XML; raise `UnreadableFileError` for anything unsafe."""
    if file_format not in ("xlsx", "xlsm", "ods"):
        return ScanResult()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = _check_container(infos, limits)
            if file_format == "ods":
                sheets = _scan_ods(archive, limits)
                _scan_other_xml(archive, infos, {"content.xml"}, limits)
                notes: tuple[Issue, ...] = ()
            else:
                targets = _xlsx_sheet_targets(archive, limits)
                sheets = {
                    name: _scan_worksheet(archive, target, name, limits)
                    for name, target in targets.items()
                    if target in archive.NameToInfo
                }
                _scan_other_xml(archive, infos, set(targets.values()), limits)
                notes = _xlsx_notes(archive.namelist())
    except UnreadableFileError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise UnreadableFileError(MSG_TRUNCATED_ZIP) from exc
    except RuntimeError as exc:  # an encrypted member
        raise UnreadableFileError(MSG_ENCRYPTED) from exc
    return ScanResult(sheets=sheets, notes=notes, scanned=True, uncompressed_bytes=total)


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


def _pieces(stream: IO[bytes]) -> Iterator[bytes]:
    """Yield the stream in pieces that end just after a row (or, failing that, a tag)."""
    carry = b""
    first = True
    while True:
        block = stream.read(CHUNK)
        data = carry + block if carry else block
        if first:
            _check_prolog(data)
            first = False
        if not block:
            if data:
                yield data
            return
        cut = data.rfind(b"row>") + 4
        if cut < 4 or (len(data) - cut) > MAX_CARRY:
            cut = data.rfind(b">") + 1
        if cut <= 0:
            if len(data) > MAX_CARRY:
                cut = len(data)
            else:
                carry = data
                continue
        yield data[:cut]
        carry = data[cut:]


def _check_prolog(data: bytes) -> None:
    head = data[:512]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise UnreadableFileError(MSG_XML_ENCODING)
    declared = XML_ENCODING.match(head.lstrip(b"\xef\xbb\xbf \t\r\n"))
    if declared and declared.group(1).lower() not in _SAFE_ENCODINGS:
        raise UnreadableFileError(MSG_XML_ENCODING)


def _check_piece(piece: bytes) -> None:
    if b"<!" in piece and DECLARATION.search(piece):
        raise UnreadableFileError(MSG_XML_DECLARATIONS)


def _scan_other_xml(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], done: set[str], limits: Limits
) -> None:
    """Every other XML part: no DTDs, valid encoding (openpyxl or calamine may read it)."""
    for info in infos:
        if info.filename in done or not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        with archive.open(info) as stream:
            for piece in _pieces(stream):
                _check_piece(piece)


def _read_small_xml(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    with archive.open(name) as stream:
        data = b"".join(_pieces(stream))
    _check_piece(data)
    return data


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
            raise UnreadableFileError(MSG_XML_DECLARATIONS) from exc
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


def _scan_worksheet(archive: zipfile.ZipFile, member: str, sheet: str, limits: Limits) -> SheetScan:
    max_row = max_col = cells = cells_with_ref = rows = rows_with_ref = 0
    letters: set[bytes] = set()
    declared: str | None = None
    errors: list[tuple[int, int]] = []
    formulas: list[tuple[int, int]] = []
    hidden: list[int] = []
    error_count = formula_count = 0
    with archive.open(member) as stream:
        for index, piece in enumerate(_pieces(stream)):
            _check_piece(piece)
            if index == 0:
                found = re.search(
                    rb"<"
                    + _P
                    + rb"dimension\s[^>]*?\bref\s*=\s*"
                    + _Q
                    + rb"([A-Za-z0-9:$]{1,40})"
                    + _Q,
                    piece,
                )
                declared = found.group(1).decode("ascii") if found else None
            cells += len(CELL_START.findall(piece))
            refs = CELL_REF.findall(piece)
            cells_with_ref += len(refs)
            if refs:
                letters.update(col for col, _ in refs)
                max_row = max(max_row, max(int(r) for _, r in refs))
            rows += len(ROW_START.findall(piece))
            row_refs = ROW_REF.findall(piece)
            rows_with_ref += len(row_refs)
            if row_refs:
                max_row = max(max_row, max(map(int, row_refs)))
            if b"hidden" in piece:
                for match in HIDDEN_ROW.finditer(piece):
                    number = re.search(rb"\br\s*=\s*" + _Q + rb"(\d+)" + _Q, match.group(1))
                    if number and len(hidden) < MAX_POSITIONS:
                        hidden.append(int(number.group(1)))
            if b't="e"' in piece or b"t='e'" in piece or FORMULA.search(piece):
                e, f, ne, nf = _odd_cells(piece, len(errors), len(formulas))
                errors += e
                formulas += f
                error_count += ne
                formula_count += nf
    if letters:
        max_col = max(column_number(col) for col in letters)
    # Cells or rows without a reference follow the one before, so these bounds are safe.
    bound_rows = max_row + (rows - rows_with_ref)
    bound_cols = max_col + (cells - cells_with_ref)
    if cells > cells_with_ref and _too_big(bound_rows, bound_cols, limits):
        with archive.open(member) as stream:
            bound_rows, bound_cols = _exact_extent(stream)
    _check_extent(sheet, bound_rows, bound_cols, limits)
    return SheetScan(
        max_row=bound_rows,
        max_col=bound_cols,
        cells=cells,
        declared=declared,
        error_cells=tuple(errors),
        error_count=error_count,
        formula_cells=tuple(formulas),
        formula_count=formula_count,
        hidden_rows=tuple(sorted(set(hidden))),
    )


def _odd_cells(
    piece: bytes, have_errors: int, have_formulas: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int, int]:
    """Error cells and formula cells without a saved value in one piece of sheet XML."""
    errors: list[tuple[int, int]] = []
    formulas: list[tuple[int, int]] = []
    n_errors = n_formulas = 0
    for match in CELL_ELEMENT.finditer(piece):
        attrs = match.group(1) or b""
        body = match.group(2) or b""
        kind_match = T_ATTR.search(attrs)
        kind = kind_match.group(1) if kind_match else b"n"
        if kind == b"e":
            n_errors += 1
            target, have = errors, have_errors
        elif FORMULA.search(body):
            value = VALUE.search(body)
            if value is not None and (value.group(1) or kind in (b"str", b"inlineStr")):
                continue
            n_formulas += 1
            target, have = formulas, have_formulas
        else:
            continue
        ref = R_ATTR.search(attrs)
        if ref and ref.group(1) and have + len(target) < MAX_POSITIONS:
            target.append((int(ref.group(2)) - 1, column_number(ref.group(1)) - 1))
    return errors, formulas, n_errors, n_formulas


def _exact_extent(stream: IO[bytes]) -> tuple[int, int]:
    """Sheet extent by a full (DTD-refusing) parse, for the rare file whose cells lack
    references: each row or cell without one follows the previous."""
    state = {"row": 0, "col": 0, "max_row": 0, "max_col": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "row":
            state["row"] = int(attrs["r"]) if attrs.get("r", "").isdigit() else state["row"] + 1
            state["col"] = 0
        elif local == "c":
            ref = re.fullmatch(r"\$?([A-Za-z]+)\$?(\d+)", attrs.get("r", ""))
            if ref:
                state["col"] = column_number(ref.group(1).encode())
                state["row"] = max(state["row"], int(ref.group(2)))
            else:
                state["col"] += 1
            state["max_row"] = max(state["max_row"], state["row"])
            state["max_col"] = max(state["max_col"], state["col"])

    parser = _expat_parser()
    parser.StartElementHandler = start
    _feed(parser, stream)
    return state["max_row"], state["max_col"]


def _expat_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args: object) -> None:
        raise UnreadableFileError(MSG_XML_DECLARATIONS)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    return parser


def _feed(parser: expat.XMLParserType, stream: IO[bytes]) -> None:
    try:
        for piece in _pieces(stream):
            _check_piece(piece)
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnreadableFileError(MSG_ODS_DAMAGED) from exc


def _too_big(rows: int, cols: int, limits: Limits) -> bool:
    return rows > limits.max_rows or cols > limits.max_columns or rows * cols > limits.max_cells


def _check_extent(sheet: str, rows: int, cols: int, limits: Limits) -> None:
    if rows > limits.max_rows:
        raise UnreadableFileError(
            MSG_TOO_MANY_ROWS.format(sheet=sheet, rows=f"{rows:,}", limit=f"{limits.max_rows:,}")
        )
    if cols > limits.max_columns:
        raise UnreadableFileError(
            MSG_TOO_MANY_COLUMNS.format(
                sheet=sheet, cols=column_letters(cols), limit=f"{limits.max_columns:,}"
            )
        )
    if rows * cols > limits.max_cells:
        raise UnreadableFileError(
            MSG_TOO_MANY_CELLS.format(
                sheet=sheet,
                rows=f"{rows:,}",
                cols=f"{cols:,}",
                cells=f"{rows * cols:,}",
                limit=f"{limits.max_cells:,}",
            )
        )


def _xlsx_notes(names: list[str]) -> tuple[Issue, ...]:
    lowered = [n.lower() for n in names]
    notes: list[Issue] = []
    if any(n.endswith("vbaproject.bin") or n.startswith("xl/activex/") for n in lowered):
        notes.append(Issue("warning", "macros", MSG_MACROS))
    links = sum(1 for n in lowered if re.fullmatch(r"xl/externallinks/externallink\d*\.xml", n))
    if links:
        notes.append(Issue("warning", "external-links", MSG_EXTERNAL_LINKS.format(count=links)))
    if "xl/connections.xml" in lowered or any(n.startswith("xl/querytables/") for n in lowered):
        notes.append(Issue("warning", "data-connections", MSG_CONNECTIONS))
    return tuple(notes)


# --- OpenDocument -----------------------------------------------------------------------


@dataclass
class _OdsState:
    limits: Limits
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    sheet: str = ""
    row: int = 0  # rows before the current row
    row_repeat: int = 1
    col: int = 0
    cell_repeat: int = 1
    cell_has_value: bool = False
    cell_error: bool = False
    row_has_value: bool = False
    row_max_col: int = 0
    max_row: int = 0
    max_col: int = 0
    expanded: int = 0
    hidden: list[int] = field(default_factory=list)
    errors: list[tuple[int, int]] = field(default_factory=list)
    error_count: int = 0


def _repeat(attrs: dict[str, str], key: str, limit: int, state: _OdsState) -> int:
    raw = attrs.get(f"{ODS_TABLE} {key}", "1")
    try:
        value = int(raw)
    except ValueError:
        raise UnreadableFileError(MSG_ODS_DAMAGED) from None
    if value < 1:
        raise UnreadableFileError(MSG_ODS_DAMAGED)
    if value > limit:
        raise UnreadableFileError(
            MSG_ODS_REPEAT.format(sheet=state.sheet, count=f"{value:,}", limit=f"{limit:,}")
        )
    return value


def _scan_ods(archive: zipfile.ZipFile, limits: Limits) -> dict[str, SheetScan]:
    if "content.xml" not in archive.NameToInfo:
        raise UnreadableFileError(MSG_ODS_DAMAGED)
    state = _OdsState(limits)
    table, row_tag = f"{ODS_TABLE} table", f"{ODS_TABLE} table-row"
    cells = {f"{ODS_TABLE} table-cell", f"{ODS_TABLE} covered-table-cell"}
    # Empty repeats may reach Excel's size (LibreOffice pads sheets to their end).
    empty_row_limit, empty_col_limit = limits.max_rows, limits.max_columns

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == table:
            state.sheet = attrs.get(f"{ODS_TABLE} name", "")
            state.row = state.max_row = state.max_col = 0
            state.hidden, state.errors, state.error_count = [], [], 0
        elif name == row_tag:
            state.row_repeat = _repeat(attrs, "number-rows-repeated", empty_row_limit, state)
            state.col = state.row_max_col = 0
            state.row_has_value = False
            if attrs.get(f"{ODS_TABLE} visibility", "visible") != "visible":
                first = state.row + 1
                count = min(state.row_repeat, MAX_POSITIONS - len(state.hidden))
                state.hidden.extend(range(first, first + max(0, count)))
        elif name in cells:
            state.cell_repeat = _repeat(attrs, "number-columns-repeated", empty_col_limit, state)
            state.cell_has_value = f"{ODS_OFFICE} value-type" in attrs
            state.cell_error = attrs.get(f"{ODS_CALCEXT} value-type") == "error"
        elif name.startswith(ODS_TEXT + " "):
            state.cell_has_value = True

    def end(name: str) -> None:
        if name in cells:
            if state.cell_has_value:
                limit = limits.ods_max_repeat
                if state.cell_repeat > limit or (state.row_repeat > limit):
                    count = max(state.cell_repeat, state.row_repeat)
                    raise UnreadableFileError(
                        MSG_ODS_REPEAT.format(
                            sheet=state.sheet, count=f"{count:,}", limit=f"{limit:,}"
                        )
                    )
                state.row_has_value = True
                state.row_max_col = state.col + state.cell_repeat
                state.expanded += state.cell_repeat * state.row_repeat
                if state.expanded > limits.ods_max_expanded_cells:
                    raise UnreadableFileError(
                        MSG_ODS_REPEAT.format(
                            sheet=state.sheet,
                            count=f"{state.expanded:,}",
                            limit=f"{limits.ods_max_expanded_cells:,}",
                        )
                    )
                if state.cell_error:
                    state.error_count += 1
                    if len(state.errors) < MAX_POSITIONS:
                        state.errors.append((state.row, state.col))
            state.col += state.cell_repeat
            if state.col > limits.max_columns * 64:
                _check_extent(state.sheet, state.row + 1, state.col, limits)
        elif name == row_tag:
            if state.row_has_value:
                state.max_row = state.row + state.row_repeat
                state.max_col = max(state.max_col, state.row_max_col)
                _check_extent(state.sheet, state.max_row, state.max_col, limits)
            state.row += state.row_repeat
        elif name == table:
            state.sheets[state.sheet] = SheetScan(
                max_row=state.max_row,
                max_col=state.max_col,
                hidden_rows=tuple(state.hidden),
                error_cells=tuple(state.errors),
                error_count=state.error_count,
            )

    parser = _expat_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with archive.open("content.xml") as stream:
        _feed(parser, stream)
    return state.sheets
