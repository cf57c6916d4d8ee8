"""`read_return`: a provider's file in, a classified `ProviderReturn` out.

Steps: load every cell as text (`loader`), choose the sheet, find the header, detect the
layout (records or counts), drop direct identifiers once ages are worked out, classify
each dimension once per distinct label, and collect every problem into `DataQuality`.
Every person read ends up in the counts: labels we cannot classify stay as "Not known"
or "Unmapped".
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Final

import pandas as pd

from commissioning.classify.age import MONTH_NUMBERS
from commissioning.errors import InvalidReturnError
from commissioning.loading.limits import Limits
from commissioning.loading.rawtypes import RawSheet, RawWorkbook
from commissioning.model.counts import Counts
from commissioning.model.quality import DataQuality, Issue
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
MSG_DUPLICATE_COLUMNS = (
    "Column {columns} repeats a heading already used (for example a second Ethnicity "
    "column); only the first was read. Ask the provider to keep one column per question."
)
MSG_NO_ETHNICITY = (
    "The return has no ethnicity column, so it cannot be compared with the population. "
    "Ask the provider to record ethnic group for everyone, using the template's list."
)
MSG_NO_PEOPLE = (
    "The return has headings but no people or counts under them. Ask the provider to "
    "fill in the return and send it again."
)
MSG_NO_SEX = (
    "The return has no gender column. The action plan asks providers to record gender "
    "for everyone; ask the provider to add it."
)
MSG_NO_AGE = (
    "The return has no age, age band or date of birth column. The action plan asks "
    "providers to record age; ask the provider to add an age band."
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
MSG_AGES_AS_OF = (
    "Ages were worked out from dates of birth at {date} (today). Use --as-of to give the "
    "last day of the monitoring period."
)
MSG_AGES_AS_OF_PERIOD = (
    "Ages were worked out from dates of birth at {date}, the end of the period given in "
    "the return. Use --as-of to choose another date."
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
        identifiers = find_identifiers(body, found.header, main.columns.get("dob"))
        personal = personal_data_issue(identifiers, name)
        if personal is not None:
            issues.append(personal)
    as_of_used = as_of
    if as_of_used is None and "dob" in main.columns:
        from_period = period_end(data["period"]) if "period" in data.columns else None
        as_of_used = from_period or dt.date.today()
        template = MSG_AGES_AS_OF_PERIOD if from_period else MSG_AGES_AS_OF
        issues.append(Issue("info", "ages-as-of",
                            template.format(date=as_of_used.strftime("%d/%m/%Y")), sheet=name))
    classified = classify_table(data, as_of_used or dt.date.today())
    del data  # the raw text (dates of birth included) goes no further
    issues.extend(classified.issues(name))

    marginals: dict[str, pd.Series] = {}
    unmapped = [classified.unmapped]
    for table in layout.marginals:
        extra = classify_table(table.data, as_of_used or dt.date.today())
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
    )


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


def completeness_issues(
    counts: Counts, columns: dict[str, int], marginals: dict[str, pd.Series], sheet: str
) -> list[Issue]:
    """The issues about missing fields (no ethnicity column, no people, no gender, no
    age), for every reader of returns: the workbook reader here and the CSV streamer."""
    issues: list[Issue] = []
    if "ethnicity" not in columns:
        issues.append(Issue("error", "no-ethnicity-column", MSG_NO_ETHNICITY, sheet=sheet))
    if counts.total == 0 and not marginals:
        issues.append(Issue("error", "no-people", MSG_NO_PEOPLE, sheet=sheet))
    if not counts.has("sex") and "sex" not in marginals:
        issues.append(Issue("warning", "no-sex-column", MSG_NO_SEX, sheet=sheet))
    if not counts.has("age_band") and "age_band" not in marginals:
        issues.append(Issue("warning", "no-age-column", MSG_NO_AGE, sheet=sheet))
    return issues


_MONTH_YEAR = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s-]*(\d{4})\b"
)
_UK_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def period_end(values: pd.Series) -> dt.date | None:
    """The latest date a period column names ("Apr-Jun 2024" -> 30/06/2024, or a
    written date), once per distinct value; None when no value names a month or date.
    "2024 Q2" is not read: quarters differ between calendar and financial years."""
    found: list[dt.date] = []
    for text in pd.unique(values.to_numpy(dtype=object)):
        lowered = str(text).lower()
        for month, year in _MONTH_YEAR.findall(lowered):
            number = MONTH_NUMBERS[month]
            last = calendar.monthrange(int(year), number)[1]
            found.append(dt.date(int(year), number, last))
        for day, month, year in _UK_DATE.findall(lowered):
            with contextlib.suppress(ValueError):
                found.append(dt.date(int(year), int(month), int(day)))
        for year, month, day in _ISO_DATE.findall(lowered):
            with contextlib.suppress(ValueError):
                found.append(dt.date(int(year), int(month), int(day)))
    return max(found) if found else None


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
