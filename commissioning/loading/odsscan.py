"""Pre-scan an OpenDocument spreadsheet's content.xml before calamine expands it.

ODS compresses runs of identical cells as ``number-rows-repeated`` and
``number-columns-repeated``. LibreOffice pads every sheet to its last row and column with
empty repeats, which are harmless; a filled cell repeated a million times in a row
repeated a million times is a "repeat bomb" that would expand to 10^12 cells. We walk the
XML with expat (DTDs refused), bound each repeat on cells that hold something and the
total they expand to, and note hidden rows and error cells on the way.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from commissioning.errors import UnreadableFileError
from commissioning.loading import xmlstream
from commissioning.loading.limits import Limits
from commissioning.loading.sheetscan import MAX_POSITIONS, SheetScan, check_extent
from commissioning.model.sanitise import display_name

MSG_ODS_REPEAT = (
    "Sheet '{sheet}' repeats a filled row or cell {count} times, more than the limit of {limit}, "
    "so it was not opened. Ask the provider to delete everything outside the monitoring table "
    "and resend it."
)

ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODS_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


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
        raise UnreadableFileError(xmlstream.MSG_XML_DAMAGED) from None
    if value < 1:
        raise UnreadableFileError(xmlstream.MSG_XML_DAMAGED)
    if value > limit:
        raise UnreadableFileError(
            MSG_ODS_REPEAT.format(
                sheet=display_name(state.sheet), count=f"{value:,}", limit=f"{limit:,}"
            )
        )
    return value


def scan_ods(archive: zipfile.ZipFile, limits: Limits) -> dict[str, SheetScan]:
    """Walk content.xml; refuse repeat bombs; return each sheet's extent and odd cells."""
    if "content.xml" not in archive.NameToInfo:
        raise UnreadableFileError(xmlstream.MSG_XML_DAMAGED)
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
                            sheet=display_name(state.sheet), count=f"{count:,}", limit=f"{limit:,}"
                        )
                    )
                state.row_has_value = True
                state.row_max_col = state.col + state.cell_repeat
                state.expanded += state.cell_repeat * state.row_repeat
                if state.expanded > limits.ods_max_expanded_cells:
                    raise UnreadableFileError(
                        MSG_ODS_REPEAT.format(
                            sheet=display_name(state.sheet),
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
                check_extent(state.sheet, state.row + 1, state.col, limits)
        elif name == row_tag:
            if state.row_has_value:
                state.max_row = state.row + state.row_repeat
                state.max_col = max(state.max_col, state.row_max_col)
                check_extent(state.sheet, state.max_row, state.max_col, limits)
            state.row += state.row_repeat
        elif name == table:
            state.sheets[state.sheet] = SheetScan(
                max_row=state.max_row,
                max_col=state.max_col,
                hidden_rows=tuple(state.hidden),
                error_cells=tuple(state.errors),
                error_count=state.error_count,
            )

    parser = xmlstream.expat_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with archive.open("content.xml") as stream:
        xmlstream.feed(parser, stream)
    return state.sheets
