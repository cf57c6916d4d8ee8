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
from commissioning.loading import xmlstream
from commissioning.loading.limits import Limits
from commissioning.model.sanitise import display_name

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


def _table(members: bytes) -> npt.NDArray[np.bool_]:
    table = np.zeros(256, dtype=bool)
    table[list(members)] = True
    return table


_NAME_END = _table(b"\t\n\r />")
_CFV = _table(b"cfv")
_UPPER = _table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGIT = _table(b"0123456789")
_CELL_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"')
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
    sheet = display_name(sheet)
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
    _check_declared(sheet, found.declared, limits)
    return found


def _check_declared(sheet: str, declared: str | None, limits: Limits) -> None:
    """A ``<dimension>`` beyond the row or column limit: no program writes one, and some
    readers reserve memory for the declared area."""
    corner = _REF.fullmatch((declared or "").rsplit(":", 1)[-1])
    if corner is None:
        return
    rows, cols = int(corner.group(2)), column_number(corner.group(1).encode())
    if rows > limits.max_rows or cols > limits.max_columns:
        check_extent(sheet, rows, cols, limits)  # the declared area itself may be empty


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
    opens = data[:size] == 60  # "<"
    colons = np.flatnonzero(data[:size] == 58)  # ":" then c, f or v then a name end
    if colons.size and np.any(_CFV[data[colons + 1]] & _NAME_END[data[colons + 2]]):
        raise _Irregular  # a namespace-prefixed cell, formula or value element
    cells = _elements(data, opens, 99)  # <c
    if not cells.size:
        if b"hidden" in piece:
            _hidden_rows(piece, tally)
        return
    canonical = (data[cells + 2] == 32) & (data[cells + 3] == 114)
    canonical &= (data[cells + 4] == 61) & (data[cells + 5] == 34)  # <c r="
    if not canonical.all():
        raise _Irregular
    max_row, max_col = _max_ref(data[cells[:, None] + 6 + _WINDOW])
    tally.cells += int(cells.size)
    tally.max_row = max(tally.max_row, max_row)
    tally.max_col = max(tally.max_col, max_col)
    formulas = _elements(data, opens, 102)  # <f
    if formulas.size:
        values = _elements(data, opens, 118)  # <v
        _formulas_without_values(piece, data, cells, formulas, values, tally)
    if b't="e"' in piece or (b"'" in piece and b"t='e'" in piece):  # "'" is rare: memchr
        _error_cells(piece, cells, tally)
    if b"hidden" in piece:
        _hidden_rows(piece, tally)


def _elements(data: npt.NDArray[np.uint8], opens: npt.NDArray[np.bool_], name: int) -> IntArray:
    """Offsets of every element start ``<x`` (``x`` = ``name``, then a name end): the few
    "<" followed by that byte are found in one pass, and only they are looked at further
    (finding every "<" first cost twice as much: a sheet has four to six per cell)."""
    size = opens.size
    starts = np.flatnonzero(opens & (data[1 : size + 1] == name))
    return starts[_NAME_END[data[starts + 2]]]


def _max_ref(window: npt.NDArray[np.uint8]) -> tuple[int, int]:
    """Largest 1-based row and column among references ``A1"`` starting each window row."""
    letters = _UPPER[window]
    n_letters = letters.argmin(axis=1)  # leading letters (a window of all letters is 0)
    digits = _DIGIT[window]
    rows_at = np.arange(window.shape[0])
    end = n_letters.copy()
    while True:  # extend over the digits (at most 8 steps for valid references)
        more = digits[rows_at, np.minimum(end, 11)] & (end < 12)
        if not more.any():
            break
        end += more
    n_digits = end - n_letters
    closing = window[rows_at, np.minimum(end, 11)] == 34
    ok = (n_letters >= 1) & (n_letters <= 4) & (n_digits >= 1) & (n_digits <= 8) & closing
    if not ok.all():
        raise _Irregular  # "$A$1", entities, very long references: let expat decide
    return _largest(window, n_letters, end, digits=True), _largest(
        window, np.zeros_like(n_letters), n_letters, digits=False
    )


def _largest(window: npt.NDArray[np.uint8], begin: IntArray, end: IntArray, *, digits: bool) -> int:
    """The largest number written in window[begin:end] (decimal digits or column letters):
    only the references of the greatest length can hold it, so only those are decoded."""
    length = end - begin
    longest = int(length.max())
    chosen = np.flatnonzero(length == longest)
    offsets = begin[chosen][:, None] + np.arange(longest)
    symbols = window[chosen[:, None], offsets].astype(np.int64) - (48 if digits else 64)
    base = 10 if digits else 26
    return int((symbols @ (base ** np.arange(longest - 1, -1, -1, dtype=np.int64))).max())


def _owner(cells: IntArray, positions: IntArray) -> IntArray:
    return np.searchsorted(cells, positions, side="right") - 1


def _position(piece: bytes, start: int) -> tuple[int, int]:
    """0-based (row, col) of the canonical cell element starting at ``start``."""
    ref = _CELL_REF.match(piece, start)
    if ref is None:  # pragma: no cover - the fast path checked every cell's form
        raise _Irregular
    return int(ref.group(2)) - 1, column_number(ref.group(1)) - 1


def _formulas_without_values(
    piece: bytes,
    data: npt.NDArray[np.uint8],
    cells: IntArray,
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
        kind = _T_ATTR.search(piece, start, piece.find(b">", start))
        if kind and kind.group(1) in (b"str", b"inlineStr") and index in has_value_element:
            continue  # a formula whose saved result is the empty string
        tally.formula_count += 1
        if len(tally.formulas) < MAX_POSITIONS:
            tally.formulas.append(_position(piece, start))


def _error_cells(piece: bytes, cells: IntArray, tally: _Tally) -> None:
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
            tally.errors.append(_position(piece, start))


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
