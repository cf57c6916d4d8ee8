"""Scan one xlsx worksheet's XML for its true extent and its odd cells, quickly.

python-calamine allocates a slot for every cell in the rectangle a sheet's data spans, so a
cell at XFD1048576 aborts the whole process. Before calamine runs we need the largest row
and column any cell uses, plus the error cells, formulas without a saved value and hidden
rows to report. Doing that with a Python XML parser costs more than calamine's whole read,
so the usual case is scanned with numpy over the raw bytes:

* **fast path** (what Excel, LibreOffice and openpyxl write): every cell element starts
  exactly ``<c r="`` and no cell, row, formula or value element has a namespace prefix.
  Each ``<`` is located with numpy, element names classified in bulk, and the cell
  references decoded as vectors;
* **exact path**, for anything else (prefixes, cells without references, odd spacing or
  quoting, entity-escaped references): a full expat parse that follows calamine's rules
  (a row or cell without a reference follows the one before). Slower, but only hostile or
  unusual files take it, and it is bounded by the zip size limits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

import numpy as np
import numpy.typing as npt

from commissioning.errors import UnreadableFileError
from commissioning.returns import xmlstream
from commissioning.returns.limits import Limits

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

#: positions kept per sheet for error / formula cells and hidden rows (counts stay exact)
MAX_POSITIONS = 10_000

_PAD = b"\0" * 16
_WINDOW = np.arange(12)
_NAME_ENDS = np.array([9, 10, 13, 32, 47, 62], dtype=np.uint8)  # tab LF CR space / >
_PREFIXED_LOCAL = re.compile(rb"<[^\s/>:]+:(c|row|f|v|is|sheetData|worksheet)[\s/>]")
_HIDDEN = re.compile(rb"hidden\s*=\s*[\"'](?:1|true)[\"']")
_ROW_NUMBER = re.compile(rb"<row\s[^>]*?\br=\"(\d+)\"")
_T_ATTR = re.compile(rb"\bt=\"(\w+)\"")
_DIMENSION = re.compile(rb"<dimension\s+ref=\"([A-Za-z0-9:$]{1,40})\"")
_ERROR_T = re.compile(rb"\st=[\"']e[\"']")

IntArray = npt.NDArray[np.int64]


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
    exact: bool = False  # True when the slow exact path was needed


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


def check_extent(sheet: str, rows: int, cols: int, limits: Limits) -> None:
    """Refuse a sheet whose used rectangle is beyond the limits."""
    if rows > limits.max_rows:
        raise UnreadableFileError(
            MSG_TOO_MANY_ROWS.format(sheet=sheet, rows=f"{rows:,}", limit=f"{limits.max_rows:,}")
        )
    if cols > limits.max_columns:
        raise UnreadableFileError(
            MSG_TOO_MANY_COLUMNS.format(
                sheet=sheet, cols=_column_name(cols), limit=f"{limits.max_columns:,}"
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


def _column_name(number: int) -> str:
    return column_letters(number) if number < 10**9 else f"number {number:,}"


# --- fast path ----------------------------------------------------------------------------


class _Irregular(Exception):
    """The sheet is not in the common form; use the exact path."""


@dataclass
class _Tally:
    max_row: int = 0
    max_col: int = 0
    cells: int = 0
    declared: str | None = None
    errors: list[tuple[int, int]] = field(default_factory=list)
    error_count: int = 0
    formulas: list[tuple[int, int]] = field(default_factory=list)
    formula_count: int = 0
    hidden: list[int] = field(default_factory=list)

    def result(self, exact: bool) -> SheetScan:
        return SheetScan(
            max_row=self.max_row,
            max_col=self.max_col,
            cells=self.cells,
            declared=self.declared,
            error_cells=tuple(self.errors),
            error_count=self.error_count,
            formula_cells=tuple(self.formulas),
            formula_count=self.formula_count,
            hidden_rows=tuple(sorted(set(self.hidden))),
            exact=exact,
        )


def scan_worksheet(open_member: Callable[[], IO[bytes]], sheet: str, limits: Limits) -> SheetScan:
    """Scan a worksheet (``open_member`` opens its XML afresh); refuse it if too large."""
    try:
        with open_member() as stream:
            found = _fast(stream)
    except _Irregular:
        with open_member() as stream:
            found = _exact(stream)
    check_extent(sheet, found.max_row, found.max_col, limits)
    return found


def _fast(stream: IO[bytes]) -> SheetScan:
    tally = _Tally()
    for index, piece in enumerate(xmlstream.pieces(stream)):
        if index == 0:
            at = piece.find(b"<dimension")
            found = _DIMENSION.match(piece, at) if at >= 0 else None
            tally.declared = found.group(1).decode("ascii") if found else None
        _fast_piece(piece, tally)
    return tally.result(exact=False)


def _fast_piece(piece: bytes, tally: _Tally) -> None:
    size = len(piece)
    data = np.frombuffer(piece + _PAD, dtype=np.uint8)
    opens = np.flatnonzero(data[:size] == 60)  # "<"
    follow = data[opens + 1]
    is_start = ((follow | 32) >= 97) & ((follow | 32) <= 122) | (follow == 95)
    starts = opens[is_start]
    names = data[starts[:, None] + 1 + _WINDOW]  # 12 bytes after "<"
    ends = np.isin(names, _NAME_ENDS)
    name_len = np.where(ends.any(axis=1), ends.argmax(axis=1), 12)
    colons = names == 58
    colon_at = np.where(colons.any(axis=1), colons.argmax(axis=1), 12)
    if np.any(colon_at < name_len) and _PREFIXED_LOCAL.search(piece):
        raise _Irregular
    one = name_len == 1
    first = names[:, 0]
    cells = starts[one & (first == 99)]  # c
    if cells.size:
        window = names[one & (first == 99)]
        canonical = (window[:, 1] == 32) & (window[:, 2] == 114)
        canonical &= (window[:, 3] == 61) & (window[:, 4] == 34)  # ' r="'
        if not canonical.all():
            raise _Irregular
        rows, cols = _decode_refs(data[cells[:, None] + 6 + _WINDOW])
        tally.cells += int(cells.size)
        tally.max_row = max(tally.max_row, int(rows.max()))
        tally.max_col = max(tally.max_col, int(cols.max()))
        formulas = starts[one & (first == 102)]  # f
        if formulas.size:
            values = starts[one & (first == 118)]  # v
            _formulas_without_values(piece, data, cells, rows, cols, formulas, values, tally)
        if b't="e"' in piece or b"t='e'" in piece:
            _error_cells(piece, cells, rows, cols, tally)
    if b"hidden" in piece:
        _hidden_rows(piece, tally)


def _decode_refs(window: npt.NDArray[np.uint8]) -> tuple[IntArray, IntArray]:
    """1-based (row, col) from windows holding ``A1"...``; irregular refs raise."""
    letters = (window >= 65) & (window <= 90)
    n_letters = np.where(letters.all(axis=1), 12, letters.argmin(axis=1))
    digits = (window >= 48) & (window <= 57)
    after = np.where(n_letters[:, None] <= _WINDOW, digits, True)
    end = np.where(after.all(axis=1), 12, after.argmin(axis=1))
    n_digits = end - n_letters
    closing = window[np.arange(window.shape[0]), np.minimum(end, 11)] == 34
    ok = (n_letters >= 1) & (n_letters <= 4) & (n_digits >= 1) & (n_digits <= 8)
    if not (ok & closing & (end < 12)).all():
        raise _Irregular  # "$A$1", entities, very long references: let expat decide
    values = window.astype(np.int64)
    in_letters = n_letters[:, None] > _WINDOW
    power26 = np.clip(n_letters[:, None] - 1 - _WINDOW, 0, None)
    cols = np.where(in_letters, (values - 64) * 26**power26, 0).sum(axis=1)
    in_digits = (n_letters[:, None] <= _WINDOW) & (end[:, None] > _WINDOW)
    power10 = np.clip(end[:, None] - 1 - _WINDOW, 0, None)
    rows = np.where(in_digits, (values - 48) * 10**power10, 0).sum(axis=1)
    return rows, cols


def _owner(cells: IntArray, positions: IntArray) -> IntArray:
    return np.searchsorted(cells, positions, side="right") - 1


def _formulas_without_values(
    piece: bytes,
    data: npt.NDArray[np.uint8],
    cells: IntArray,
    rows: IntArray,
    cols: IntArray,
    formulas: IntArray,
    values: IntArray,
    tally: _Tally,
) -> None:
    # "<v>" followed at once by "<" (i.e. "<v></v>") or "<v/>" holds nothing.
    empty = (data[values + 2] == 47) | ((data[values + 2] == 62) & (data[values + 3] == 60))
    with_value = np.unique(_owner(cells, values[~empty]))
    with_formula = np.unique(_owner(cells, formulas))
    lacking = np.setdiff1d(with_formula[with_formula >= 0], with_value)
    has_value_element = set(np.unique(_owner(cells, values)).tolist()) if lacking.size else set()
    for index in lacking.tolist():
        start = int(cells[index])
        tag_end = piece.find(b">", start)
        kind = _T_ATTR.search(piece, start, tag_end)
        if kind and kind.group(1) in (b"str", b"inlineStr") and index in has_value_element:
            continue  # a formula whose saved result is the empty string
        tally.formula_count += 1
        if len(tally.formulas) < MAX_POSITIONS:
            tally.formulas.append((int(rows[index]) - 1, int(cols[index]) - 1))


def _error_cells(
    piece: bytes, cells: IntArray, rows: IntArray, cols: IntArray, tally: _Tally
) -> None:
    hits = np.array([m.start() for m in _ERROR_T.finditer(piece)], dtype=np.int64)
    if not hits.size:
        return
    owners = _owner(cells, hits)
    for index in np.unique(owners[owners >= 0]).tolist():
        start = int(cells[index])
        if piece.find(b">", start) < int(hits[np.searchsorted(hits, start)]):
            continue  # the t="e" belongs to a later element, not this cell's tag
        tally.error_count += 1
        if len(tally.errors) < MAX_POSITIONS:
            tally.errors.append((int(rows[index]) - 1, int(cols[index]) - 1))


def _hidden_rows(piece: bytes, tally: _Tally) -> None:
    for match in _HIDDEN.finditer(piece):
        start = piece.rfind(b"<", 0, match.start())
        number = _ROW_NUMBER.match(piece, start)
        if number and len(tally.hidden) < MAX_POSITIONS:
            tally.hidden.append(int(number.group(1)))


# --- exact path ---------------------------------------------------------------------------

_REF = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")


@dataclass
class _Cursor:
    row: int = 0
    col: int = 0
    kind: str = "n"
    formula: bool = False
    value: bool = False
    value_text: bool = False
    in_value: bool = False


def _exact(stream: IO[bytes]) -> SheetScan:
    """Full parse with calamine's rules for rows and cells without references."""
    tally = _Tally()
    at = _Cursor()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "row":
            r = attrs.get("r", "")
            at.row = int(r) if r.isdigit() else at.row + 1
            at.col = 0
            if attrs.get("hidden") in ("1", "true") and len(tally.hidden) < MAX_POSITIONS:
                tally.hidden.append(at.row)
        elif local == "c":
            ref = _REF.fullmatch(attrs.get("r", ""))
            if ref:
                at.col = column_number(ref.group(1).encode())
                at.row = int(ref.group(2))
            else:
                at.col += 1
            at.kind, at.formula, at.value, at.value_text = attrs.get("t", "n"), False, False, False
            tally.cells += 1
            tally.max_row = max(tally.max_row, at.row)
            tally.max_col = max(tally.max_col, at.col)
        elif local == "f":
            at.formula = True
        elif local == "v":
            at.value = at.in_value = True
        elif local == "dimension" and tally.declared is None:
            tally.declared = attrs.get("ref", "")[:40]

    def text(data: str) -> None:
        if at.in_value and data.strip():
            at.value_text = True

    def end(name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "v":
            at.in_value = False
        elif local == "c":
            position = (at.row - 1, at.col - 1)
            if at.kind == "e":
                tally.error_count += 1
                if len(tally.errors) < MAX_POSITIONS:
                    tally.errors.append(position)
            elif at.formula and not (
                at.value_text or (at.value and at.kind in ("str", "inlineStr"))
            ):
                tally.formula_count += 1
                if len(tally.formulas) < MAX_POSITIONS:
                    tally.formulas.append(position)

    parser = xmlstream.expat_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    xmlstream.feed(parser, stream)
    return tally.result(exact=True)
