"""`read_return`: a provider's file in, a classified `ProviderReturn` out.

Steps: load every cell as text (`loader`), choose the sheet, find the header, detect the
layout (records or counts), drop direct identifiers once ages are worked out, classify
each dimension once per distinct label, and collect every problem into `DataQuality`.
Every person read ends up in the counts: labels we cannot classify stay as "Not known"
or "Unmapped".
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Final

import pandas as pd

from commissioning.errors import InvalidReturnError
from commissioning.loading.limits import Limits
from commissioning.loading.rawtypes import RawSheet, RawWorkbook
from commissioning.model.counts import Counts
from commissioning.model.quality import DataQuality, Issue
from commissioning.returns.assemble import (
    MSG_DUPLICATE_COLUMNS,
    classify_main,
    completeness_issues,
)
from commissioning.returns.classifying import classify_table, clean_text, tally
from commissioning.returns.header import (
    HEADER_SCAN_ROWS,
    Header,
    column_letter,
    fill_merged,
    find_header,
)
from commissioning.returns.identifiers import find_identifiers, personal_data_issue
from commissioning.returns.layout import SheetLayout, detect_layout
from commissioning.returns.model import ProviderReturn
from commissioning.returns.unit import counting_unit

MSG_NO_SUCH_SHEET = (
    "There is no sheet called \"{sheet}\" in this file. The sheets are: {sheets}. "
    "Give one of these names with --sheet."
)
MSG_NO_COLUMNS = (
    "No sheet in this file has columns we recognise (such as Ethnicity, Gender, Age or "
    "Number). Check it is a monitoring return, or ask the provider to use the standard "
    "template (run 'commissioning template')."
)
MSG_SHEET_NO_COLUMNS = (
    "Sheet \"{sheet}\" has no columns we recognise (such as Ethnicity, Gender, Age or "
    "Number). Choose another sheet with --sheet; the sheets are: {sheets}."
)
MSG_AMBIGUOUS_SHEET = (
    "More than one sheet has data: {sheets}. Choose the one to read with --sheet, for "
    "example --sheet \"{first}\"."
)
MSG_SEPARATE_TABLES = (
    "Gender and age were given in separate tables, so they cannot be crossed with "
    "ethnicity. Ask the provider for one row per person, or a table by ethnic group, "
    "gender and age band together."
)
MSG_TABLES_DISAGREE = (
    "The {dimension} table adds up to {other} people but the ethnicity table to {total}. "
    "Ask the provider which is right."
)
DIMENSION_NAMES: Final = {"sex": "gender", "age_band": "age band"}


@dataclass(frozen=True)
class _SheetFound:
    sheet: RawSheet
    header: Header
    layout: SheetLayout
    people: int


def read_return(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    as_of: dt.date | None = None,
    limits: Limits | None = None,
) -> ProviderReturn:
    """Read and classify a provider's monitoring return (xlsx, xlsm, xls, ods or csv).

    Raises `UnreadableFileError` when the file cannot be opened and `InvalidReturnError`
    when no sheet holds a recognisable table, or ``sheet`` is missing or ambiguous.
    """
    from commissioning.loading.loader import load_workbook
    from commissioning.returns.stream import read_if_large

    # Large records CSVs are read in chunks (flat memory); everything else as below.
    if sheet is None and (big := read_if_large(path, as_of=as_of, limits=limits)) is not None:
        return big
    return read_workbook(load_workbook(path, limits=limits), sheet=sheet, as_of=as_of)


def read_workbook(
    book: RawWorkbook, *, sheet: str | None = None, as_of: dt.date | None = None
) -> ProviderReturn:
    """`read_return` for a workbook already loaded (tests build these directly)."""
    found = _choose_sheet(book, sheet)
    name = found.sheet.name
    layout = found.layout
    issues: list[Issue] = [
        n for n in book.notes if n.sheet in (None, name) or n.code == "hidden-sheet"
    ]
    issues.extend(layout.issues)
    duplicates = _real_duplicates(found)
    if duplicates:
        columns = ", ".join(column_letter(c) for c in duplicates)
        issues.append(Issue("warning", "duplicate-column",
                            MSG_DUPLICATE_COLUMNS.format(columns=columns), sheet=name))

    main = layout.main
    data = main.data
    if layout.layout == "records":
        body = found.sheet.cells.iloc[found.header.row + 1 :]
        headings = found.sheet.cells.iloc[found.header.row].tolist()
        identifiers = find_identifiers(body, found.header, main.columns.get("dob"), headings)
        personal = personal_data_issue(identifiers, name)
        if personal is not None:
            issues.append(personal)
    classified, as_of_used = classify_main(
        data, has_dob="dob" in main.columns, as_of=as_of, sheet=name, issues=issues
    )
    del data  # the raw text (dates of birth included) goes no further

    marginals: dict[str, pd.Series] = {}
    unmapped = [classified.unmapped]
    for table in layout.marginals:
        extra = classify_table(table.data, as_of_used)
        unmapped.append(extra.unmapped)
        issues.extend(extra.issues(name))
        for dimension in ("sex", "age_band"):
            if dimension in extra.frame.columns and dimension not in marginals:
                marginals[dimension] = tally(extra.frame, dimension)
    counts = Counts(classified.frame)
    issues.extend(completeness_issues(counts, main.columns, marginals, name))
    if marginals:
        issues.append(Issue("info", "separate-tables", MSG_SEPARATE_TABLES, sheet=name))
        for dimension, series in marginals.items():
            if int(series.sum()) != counts.total and counts.total:
                issues.append(Issue("warning", "tables-disagree", MSG_TABLES_DISAGREE.format(
                    dimension=DIMENSION_NAMES[dimension], other=int(series.sum()),
                    total=counts.total), sheet=name))
    quality = DataQuality(
        issues=tuple(issues),
        unmapped=pd.concat([u for u in unmapped if len(u)] or [unmapped[0]], ignore_index=True),
    )
    return ProviderReturn(
        path=book.path,
        sha256=book.sha256,
        file_format=book.file_format,
        encoding=book.encoding,
        sheet=name if book.file_format != "csv" else None,
        layout=layout.layout,
        counts=counts,
        quality=quality,
        layout_detail=layout.detail,
        columns=_column_letters(layout),
        marginals=marginals,
        unit=_unit(found),
    )


def _unit(found: _SheetFound) -> str:
    """What the return counts: the count column's heading, or people (one row each)."""
    col = found.header.column("count")
    return counting_unit(found.header.labels.get(col) if col is not None else None)


def _real_duplicates(found: _SheetFound) -> list[int]:
    """Repeated headings, except those a merged header cell spreads over its columns
    (a cross-tab's "Gender" above Female, Male...)."""
    if found.layout.main.kind == "cross-tab":
        return []
    row = found.header.row
    merged = [m for m in found.sheet.merged if m[0] <= row <= m[2]]
    return [c for c in found.header.duplicates
            if not any(m[1] < c <= m[3] for m in merged)]


def _column_letters(layout: SheetLayout) -> dict[str, str]:
    main = layout.main
    letters = {role: column_letter(col) for role, col in main.columns.items()}
    if main.column_dimension and main.value_columns:
        first, last = min(main.value_columns), max(main.value_columns)
        letters[main.column_dimension] = f"{column_letter(first)}-{column_letter(last)}"
    return letters


# -- choosing the sheet -----------------------------------------------------------------
def _examine(sheet: RawSheet) -> _SheetFound | None:
    if sheet.cells.empty:
        return None
    cells = fill_merged(sheet, HEADER_SCAN_ROWS + 2)
    header = find_header(cells)
    if header is None:
        return None
    layout = detect_layout(cells, header, sheet.name)
    people = int(layout.main.data["count"].sum()) + sum(
        int(t.data["count"].sum()) for t in layout.marginals
    )
    return _SheetFound(sheet, header, layout, people)


def _names(book: RawWorkbook) -> str:
    return ", ".join(f"\"{clean_text(s.name)}\"" for s in book.sheets)


def _choose_sheet(book: RawWorkbook, wanted: str | None) -> _SheetFound:
    if wanted is not None:
        try:
            chosen = book.sheet(wanted)
        except KeyError:
            raise InvalidReturnError(
                MSG_NO_SUCH_SHEET.format(sheet=clean_text(wanted), sheets=_names(book))
            ) from None
        found = _examine(chosen)
        if found is None:
            raise InvalidReturnError(
                MSG_SHEET_NO_COLUMNS.format(sheet=clean_text(wanted), sheets=_names(book))
            )
        return found
    examined = [f for f in (_examine(s) for s in book.sheets) if f is not None]
    if not examined:
        raise InvalidReturnError(MSG_NO_COLUMNS)
    with_data = [f for f in examined if f.people > 0]
    visible = [f for f in with_data if f.sheet.visibility == "visible"]
    pool = visible or with_data
    if len(pool) == 1:
        return pool[0]
    if len(pool) > 1:
        names = ", ".join(f"\"{clean_text(f.sheet.name)}\"" for f in pool)
        raise InvalidReturnError(
            MSG_AMBIGUOUS_SHEET.format(sheets=names, first=clean_text(pool[0].sheet.name))
        )
    shown = [f for f in examined if f.sheet.visibility == "visible"] or examined
    return shown[0]
