"""The one call into the native spreadsheet reader (python-calamine).

Kept apart and free of pandas so it can run cheaply in a child process
(`commissioning.loading.isolation`): it returns plain lists of text that pickle quickly.
Calamine's own exceptions become `UnreadableFileError` with a plain message here, so the
child never sends back anything that names cell contents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from commissioning.errors import UnreadableFileError
from commissioning.loading.celltext import cells_text

MSG_DAMAGED = (
    "This file is damaged or is not a valid {kind}, so it cannot be read. Ask the provider to "
    "open it, save it again as a new .xlsx workbook, and resend it."
)
MSG_ENCRYPTED = (
    "This file is password-protected. Ask the provider for an unprotected copy, sent securely."
)
MSG_NO_SHEETS = (
    "This workbook has no worksheets with data in it. Ask the provider to check they sent the "
    "right file."
)

MSG_READER_FAULT = (
    "The spreadsheet reader could not handle a value in this file (for example a date far "
    "outside the calendar), so it was not read. Ask the provider to check the dates and "
    "numbers, save it again as a new .xlsx workbook, and resend it."
)
#: what a native-reader failure must never swallow: the user's Ctrl+C, an exit, and
#: MemoryError (the isolating child reports that one with its own message)
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)

_KIND_NAMES = {
    "xlsx": "Excel workbook",
    "xlsm": "Excel workbook",
    "xls": "Excel (.xls) workbook",
    "ods": "OpenDocument spreadsheet",
}


@dataclass(frozen=True)
class NativeSheet:
    """One worksheet as calamine saw it; rows start at spreadsheet row 1, column A."""

    name: str
    visibility: str  # "visible", "hidden", "very hidden"
    rows: npt.NDArray[np.object_]  # 2-D, every cell a str
    merged: tuple[tuple[int, int, int, int], ...]


@dataclass(frozen=True)
class NativeBook:
    sheets: tuple[NativeSheet, ...]
    skipped: tuple[str, ...]  # chart, dialog and macro sheets: not data


def read_native(path: str, file_format: str) -> NativeBook:
    """Read every worksheet of ``path`` as text. Raises `UnreadableFileError` only."""
    import python_calamine as calamine

    kind = _KIND_NAMES.get(file_format, "spreadsheet")
    try:
        # From an open file, so calamine picks its reader by content, not by the name
        # (a .xls renamed .xlsx reads as what it is).
        with open(path, "rb") as handle, calamine.CalamineWorkbook.from_filelike(handle) as book:
            sheets: list[NativeSheet] = []
            skipped: list[str] = []
            for meta in book.sheets_metadata:
                if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                    skipped.append(meta.name)
                    continue
                sheet = book.get_sheet_by_name(meta.name)
                rows = cells_text(sheet.to_python(skip_empty_area=False))
                merged = tuple(
                    (r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
                )
                visibility = _visibility(calamine, meta.visible)
                sheets.append(NativeSheet(meta.name, visibility, rows, merged))
    except calamine.PasswordError:
        raise UnreadableFileError(MSG_ENCRYPTED) from None
    except (calamine.CalamineError, ValueError, OSError, UnicodeError, OverflowError):
        # Never chain calamine's own message: it may quote text from the file.
        raise UnreadableFileError(MSG_DAMAGED.format(kind=kind)) from None
    except UnreadableFileError:
        raise
    except BaseException as exc:
        # A Rust panic arrives as pyo3's PanicException, a BaseException that every
        # `except Exception` would miss (a date cell of -1e15 is enough): one line instead.
        if isinstance(exc, _PASS_THROUGH):
            raise
        raise UnreadableFileError(MSG_READER_FAULT) from None
    if not sheets:
        raise UnreadableFileError(MSG_NO_SHEETS)
    return NativeBook(tuple(sheets), tuple(skipped))


def _visibility(calamine: Any, visible: object) -> str:
    if visible == calamine.SheetVisibleEnum.Hidden:
        return "hidden"
    if visible == calamine.SheetVisibleEnum.VeryHidden:
        return "very hidden"
    return "visible"
