"""Builders for provider-return fixtures, made by code (no binary files in the repo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from commissioning.loading.rawtypes import RawSheet, RawWorkbook


def raw_sheet(
    rows: Sequence[Sequence[object]],
    name: str = "Sheet1",
    *,
    merged: tuple[tuple[int, int, int, int], ...] = (),
    visibility: str = "visible",
    hidden_rows: tuple[int, ...] = (),
) -> RawSheet:
    """A sheet from rows of values; every cell becomes text, short rows are padded."""
    width = max((len(r) for r in rows), default=0)
    text = [["" if v is None else str(v) for v in r] + [""] * (width - len(r)) for r in rows]
    cells = pd.DataFrame(text, dtype=object)
    return RawSheet(name, cells, visibility=visibility,  # type: ignore[arg-type]
                    hidden_rows=hidden_rows, merged=merged)


def raw_book(*sheets: RawSheet, path: str = "return.xlsx") -> RawWorkbook:
    return RawWorkbook(path=path, sha256="0" * 64, file_format="xlsx", encoding=None,
                       sheets=tuple(sheets))


def write_xlsx(
    path: Path,
    sheets: dict[str, Sequence[Sequence[object]]],
    *,
    hidden_sheets: Sequence[str] = (),
    hidden_rows: dict[str, Sequence[int]] | None = None,
    merged: dict[str, Sequence[str]] | None = None,
) -> Path:
    """An xlsx file with the given sheets (rows of values)."""
    book = Workbook()
    first = True
    for name, rows in sheets.items():
        if first:
            sheet = book.active
            assert sheet is not None
            sheet.title = name
            first = False
        else:
            sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if name in hidden_sheets:
            sheet.sheet_state = "hidden"
        for r in (hidden_rows or {}).get(name, ()):
            sheet.row_dimensions[r].hidden = True
        for ref in (merged or {}).get(name, ()):
            sheet.merge_cells(ref)
    book.save(path)
    return path


RECORDS_ROWS: list[list[object]] = [
    ["Summer scheme monitoring return"],
    [],
    ["Ethnic Group", "Gender", "Age"],
    ["White British", "Female", 7],
    ["Black African", "Male", 12],
    ["Bangladeshi", "F", 9],
    ["Prefer not to say", "M", 15],
    ["Martian", "Female", 6],
]

EXAMPLE_DOB = dt.date(2015, 3, 4)
