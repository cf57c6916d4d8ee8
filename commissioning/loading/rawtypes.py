"""Raw spreadsheet content, before any interpretation: every cell as text.

`commissioning.loading.loader.load_workbook` produces a `RawWorkbook` from any supported
file (xlsx, xlsm, xls, ods, csv) after the safety checks; the rest of the reader (header
detection, layouts, classification) works only on these values, so guarding file access
stays in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from commissioning.model.quality import Issue

if TYPE_CHECKING:  # the reader's safety checks start before pandas is imported
    import pandas as pd

FileFormat = Literal["xlsx", "xlsm", "xls", "ods", "csv"]
Visibility = Literal["visible", "hidden", "very hidden"]


@dataclass(frozen=True)
class RawSheet:
    """One sheet. ``cells`` has object dtype, every value a ``str`` ("" when empty), and
    positional integer columns; frame row ``i`` is spreadsheet row ``i + 1``."""

    name: str
    cells: pd.DataFrame = field(repr=False)
    visibility: Visibility = "visible"
    hidden_rows: tuple[int, ...] = ()  # 1-based spreadsheet row numbers
    #: merged ranges as (first_row, first_col, last_row, last_col), 0-based, inclusive
    merged: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class RawWorkbook:
    """Every sheet of a file, plus what was noticed while opening it."""

    path: str
    sha256: str
    file_format: FileFormat
    encoding: str | None  # text files only
    sheets: tuple[RawSheet, ...]
    notes: tuple[Issue, ...] = ()  # macros, external links, error cells, encoding used ...

    def sheet(self, name: str) -> RawSheet:
        for candidate in self.sheets:
            if candidate.name == name:
                return candidate
        raise KeyError(name)
