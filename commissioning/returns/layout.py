"""Records or counts: turn a sheet below its header into tidy raw rows.

Every layout becomes the same thing, a `Table`: one text column per dimension found
(ethnicity, sex, age, age_band, dob, period, stage) as written, a ``count`` and the
spreadsheet ``row`` it came from. A records sheet gives one row per person with count 1;
a counts sheet gives one row per label (or per cell of a cross-tab). Classification
happens afterwards, once per distinct label, the same way for both.

Totals and sub-totals in counts tables are found, left out and checked against the sum
of the rows they total; a mismatch is a warning, never silently "fixed".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import pandas as pd

from commissioning.model.quality import Issue, IssueCode
from commissioning.returns.header import (
    DIMENSION_ROLES,
    Header,
    Role,
    column_letter,
    header_at,
    normalise_header,
    roles_of,
)

Kind = Literal["records", "table", "cross-tab"]

#: Roles read as text into a `Table` (the rest: service, site, identifiers, are not).
TABLE_ROLES: Final = ("ethnicity", "sex", "age", "age_band", "dob", "period", "stage")
#: Most spreadsheet rows quoted in one message.
MAX_ROWS_QUOTED: Final = 10

#: The largest count one row may hold: more than any service reaches (England has about
#: 12 million children). A larger number is a typing or export mistake (a date, an ID, a
#: float such as 1e308) and stops the analysis: it is never dropped or wrapped round.
MAX_COUNT_PER_ROW: Final = 10_000_000

MSG_COUNT_IMPLAUSIBLE = (
    "Rows {rows} have a count above {limit:,}, more people than any service reaches (perhaps a "
    "date, an ID or a total typed into the count column), so the return cannot be analysed. Ask "
    "the provider to correct those cells."
)
MSG_TOTAL_MISMATCH = (
    "The total in row {row} ({stated}) does not equal the sum of the rows it totals "
    "({summed}). The total was left out and the rows were counted; ask the provider which "
    "figure is right."
)
MSG_ROW_TOTAL_MISMATCH = (
    "The row totals in column {column} do not equal the sum of the cells beside them in "
    "rows {rows}. The cells were counted; ask the provider to correct the totals."
)
MSG_TOTALS_LEFT_OUT = (
    "Total and sub-total rows ({rows}) were recognised and left out, so nobody is counted "
    "twice."
)
MSG_COUNT_NOT_NUMBER = (
    "Rows {rows} have a count that is not a whole number (for example a suppressed "
    "\"<5\" or a note), so they could not be counted. Ask the provider for exact whole "
    "numbers: the council applies its own small-number suppression before publishing."
)
MSG_NOTE_ROWS = "Rows {rows} hold notes rather than people and were left out."
MSG_EXTRA_ETHNICITY_TABLES = (
    "The sheet has more than one ethnicity table; only the first (header in row {row}) "
    "was read. Put each return on its own sheet, or choose the sheet with --sheet."
)


@dataclass(frozen=True)
class Table:
    """Tidy raw rows: one text column per dimension, ``count`` (int64) and ``row``
    (1-based spreadsheet row)."""

    kind: Kind
    data: pd.DataFrame
    header_row: int  # 0-based frame row of the header
    columns: dict[str, int]  # role -> 0-based column position
    column_dimension: str | None = None  # for a cross-tab: what the columns are (sex, age_band)
    value_columns: tuple[int, ...] = ()  # for a cross-tab: the columns of counts

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(c for c in TABLE_ROLES if c in self.data.columns)


@dataclass(frozen=True)
class SheetLayout:
    """What a sheet holds: the main table (the one with ethnicity, if any) and any
    separate tables of other dimensions, which cannot be crossed with ethnicity."""

    layout: Literal["records", "counts"]
    detail: str  # plain-English description for the check report
    main: Table
    marginals: tuple[Table, ...] = ()
    issues: tuple[Issue, ...] = field(default=())


def rows_text(rows: list[int] | np.ndarray) -> str:
    """"3, 7, 12" or "3, 7, ... (25 rows)" for a long list."""
    rows = [int(r) for r in rows]
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_QUOTED])
    if len(rows) > MAX_ROWS_QUOTED:
        shown += f" and {len(rows) - MAX_ROWS_QUOTED} more"
    return shown


def detect_layout(cells: pd.DataFrame, header: Header, sheet: str | None) -> SheetLayout:
    """Choose records, cross-tab or counts table(s) for a sheet whose header is known."""
    crosstab = _crosstab_columns(cells, header)
    if crosstab is not None:
        label_row, dimension, columns, total_col = crosstab
        return _read_crosstab(cells, header, label_row, dimension, columns, total_col, sheet)
    if header.has("count"):
        return _read_count_tables(cells, header, sheet)
    return _read_records(cells, header, sheet)


# -- records ----------------------------------------------------------------------------
def _read_records(cells: pd.DataFrame, header: Header, sheet: str | None) -> SheetLayout:
    body = cells.iloc[header.row + 1 :]
    wanted: dict[str, int] = {
        role: col for col, role in header.roles.items() if role in TABLE_ROLES
    }
    if wanted:
        used = body.iloc[:, list(wanted.values())]
        has_value = (used.to_numpy(dtype=object) != "").any(axis=1)
    else:
        has_value = np.zeros(len(body), dtype=bool)
    issues: list[Issue] = []
    notes = _note_rows(body) & has_value
    if notes.any():
        note_rows = body.index[notes].to_numpy() + 1
        issues.append(Issue("info", IssueCode.NOTE_ROWS,
                            MSG_NOTE_ROWS.format(rows=rows_text(note_rows)),
                            rows=tuple(int(r) for r in note_rows[:MAX_ROWS_QUOTED]), sheet=sheet))
    keep = has_value & ~notes
    kept = body.loc[keep]
    data = pd.DataFrame(
        {role: kept.iloc[:, col].to_numpy(dtype=object) for role, col in wanted.items()}
    )
    data["count"] = np.ones(len(kept), dtype="int64")
    data["row"] = kept.index.to_numpy(dtype="int64") + 1
    table = Table("records", data, header.row, dict(wanted))
    return SheetLayout("records", "one row per person", table, issues=tuple(issues))


def _note_rows(body: pd.DataFrame) -> np.ndarray:
    """Rows with a single filled cell holding a sentence (a footnote under the table)."""
    values = body.to_numpy(dtype=object)
    filled = values != ""
    single = filled.sum(axis=1) == 1
    out = np.zeros(len(body), dtype=bool)
    if not single.any():
        return out
    texts = values[single][filled[single]]
    codes, uniques = pd.factorize(texts)
    sentence = np.array([len(str(u).split()) > 6 for u in uniques], dtype=bool)
    out[np.flatnonzero(single)] = sentence[codes] if len(uniques) else False
    return out


# -- counts tables ----------------------------------------------------------------------
def _parse_counts(text: pd.Series) -> tuple[np.ndarray, ...]:
    """(value, blank, bad, huge): whole non-negative numbers; "1,234" and "12.0" accepted.

    ``huge`` marks whole numbers above `MAX_COUNT_PER_ROW` (or infinite): their value is
    0 and they are not ``bad``, so the caller reports them as implausible, never drops them
    silently, and no value can wrap round when converted to 64-bit integers.
    """
    cleaned = text.astype(str).str.replace(",", "", regex=False).str.strip()
    blank = (cleaned == "").to_numpy()
    numbers = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        whole = (numbers >= 0) & (np.floor(numbers) == numbers)
    huge = whole & ~(numbers <= MAX_COUNT_PER_ROW)
    ok = whole & ~huge
    bad = ~blank & ~ok & ~huge
    values = np.where(ok, numbers, 0).astype("int64")
    return values, blank, bad, huge


def _implausible(body: pd.DataFrame, huge: np.ndarray, sheet: str | None) -> list[Issue]:
    """The error that stops analysis when counts are beyond belief."""
    if not huge.any():
        return []
    rows = body.index[huge].to_numpy() + 1
    message = MSG_COUNT_IMPLAUSIBLE.format(rows=rows_text(rows), limit=MAX_COUNT_PER_ROW)
    quoted = tuple(int(r) for r in rows[:MAX_ROWS_QUOTED])
    return [Issue("error", IssueCode.COUNT_IMPLAUSIBLE, message, rows=quoted, sheet=sheet)]


def _total_kind(label: str) -> str | None:
    """"grand" for a total row, "sub" for a sub-total, None for an ordinary label."""
    words = normalise_header(label).split()
    if not words:
        return None
    if "subtotal" in words or ("sub" in words and "total" in words):
        return "sub"
    if "total" in words or "totals" in words or words in (["all"], ["sum"], ["overall"]):
        groupish = set(words) - {"total", "totals", "grand", "overall", "all", "sum", "of",
                                 "number", "no", "children", "people", "young", "the"}
        return "sub" if groupish else "grand"
    return None


def _table_segments(header_cells: list[Role | None]) -> list[tuple[int, int]]:
    """Split a header row into tables: each count column closes the columns to its left
    (since the previous count column) into one table, so side-by-side tables separate."""
    segments: list[tuple[int, int]] = []
    start = 0
    for col, role in enumerate(header_cells):
        if role == "count":
            segments.append((start, col))
            start = col + 1
    return segments


def _read_count_tables(cells: pd.DataFrame, header: Header, sheet: str | None) -> SheetLayout:
    roles = roles_of(cells.iloc[header.row :])
    is_header = roles.isin(["count"]).any(axis=1) & roles.isin(DIMENSION_ROLES).any(axis=1)
    header_rows = [int(i) for i in roles.index[is_header.to_numpy()]]
    role_array = roles.to_numpy(dtype=object)
    tables: list[Table] = []
    issues: list[Issue] = []
    for n, hrow in enumerate(header_rows):
        end = header_rows[n + 1] if n + 1 < len(header_rows) else len(cells)
        row_roles: list[Role | None] = list(role_array[hrow - header.row])
        for start, count_col in _table_segments(row_roles):
            segment = [None] * start + row_roles[start : count_col + 1]
            segment += [None] * (len(row_roles) - len(segment))
            seg_header = header_at(cells, hrow, segment)
            dims: dict[str, int] = {
                role: col for col, role in seg_header.roles.items() if role in TABLE_ROLES
            }
            if not dims:
                continue
            table, found = _one_count_table(cells, hrow, end, dims, count_col, sheet)
            tables.append(table)
            issues.extend(found)
    with_ethnicity = [t for t in tables if "ethnicity" in t.columns]
    main = with_ethnicity[0] if with_ethnicity else tables[0]
    if len(with_ethnicity) > 1:
        issues.append(Issue("warning", IssueCode.EXTRA_TABLES,
                            MSG_EXTRA_ETHNICITY_TABLES.format(row=main.header_row + 1),
                            sheet=sheet))
    # Tables of gender or age alone, beside the main table (never the main table itself,
    # which is the first table when no table has ethnicity).
    marginals = tuple(t for t in tables if t is not main and "ethnicity" not in t.columns)
    detail = "a table of counts"
    if marginals:
        detail = "separate tables of counts (ethnicity, gender, age)"
    return SheetLayout("counts", detail, main, marginals, tuple(issues))


def _one_count_table(
    cells: pd.DataFrame, hrow: int, end: int, dims: dict[str, int], count_col: int,
    sheet: str | None,
) -> tuple[Table, list[Issue]]:
    body = cells.iloc[hrow + 1 : end]
    labels = body.iloc[:, list(dims.values())]
    label_filled = (labels.to_numpy(dtype=object) != "").any(axis=1)
    values, blank, bad, huge = _parse_counts(body.iloc[:, count_col])
    first_dim = next(iter(dims.values()))
    kinds = _total_kinds(body.iloc[:, first_dim])
    is_total = kinds != None  # noqa: E711 - elementwise comparison
    issues: list[Issue] = _implausible(body, huge & ~is_total, sheet)
    unusable = blank | bad | huge
    issues.extend(_check_totals(body.index.to_numpy(), kinds, values, unusable, sheet))
    bad_rows = bad & ~is_total
    if bad_rows.any():
        rows = body.index[bad_rows].to_numpy() + 1
        issues.append(Issue("warning", IssueCode.COUNT_NOT_NUMBER,
                            MSG_COUNT_NOT_NUMBER.format(rows=rows_text(rows)),
                            rows=tuple(int(r) for r in rows[:MAX_ROWS_QUOTED]), sheet=sheet))
    keep = ~is_total & ~unusable
    # a count with no label is a person of unknown ethnicity, sex and age: kept
    keep &= label_filled | (values > 0)
    kept = body.loc[keep]
    data = pd.DataFrame(
        {role: kept.iloc[:, col].to_numpy(dtype=object) for role, col in dims.items()}
    )
    data["count"] = values[keep]
    data["row"] = kept.index.to_numpy(dtype="int64") + 1
    columns = {**dims, "count": count_col}
    return Table("table", data, hrow, columns), issues


def _check_totals(
    index: np.ndarray, kinds: np.ndarray, values: np.ndarray, unusable: np.ndarray,
    sheet: str | None,
) -> list[Issue]:
    """Each sub-total must equal the rows since the last total; a grand total, every
    ordinary row above it. Loops over total rows only."""
    ordinary = kinds == None  # noqa: E711 - elementwise comparison
    running = np.cumsum(np.where(ordinary, values, 0))
    issues: list[Issue] = []
    total_positions = np.flatnonzero(~ordinary)
    previous_sum = 0
    for i in total_positions:
        row = int(index[i]) + 1
        if not unusable[i]:
            expected = int(running[i]) - previous_sum if kinds[i] == "sub" else int(running[i])
            if int(values[i]) != expected:
                issues.append(Issue(
                    "warning", IssueCode.TOTALS_MISMATCH,
                    MSG_TOTAL_MISMATCH.format(row=row, stated=int(values[i]), summed=expected),
                    rows=(row,), sheet=sheet))
        previous_sum = int(running[i])
    if len(total_positions):
        total_rows = index[total_positions] + 1
        issues.insert(0, Issue("info", IssueCode.TOTALS_LEFT_OUT,
                               MSG_TOTALS_LEFT_OUT.format(rows=rows_text(total_rows)),
                               rows=tuple(int(r) for r in total_rows[:MAX_ROWS_QUOTED]),
                               sheet=sheet))
    return issues


def _total_kinds(labels: pd.Series) -> np.ndarray:
    """`_total_kind` of every label, computed once per distinct label."""
    codes, uniques = pd.factorize(labels.to_numpy(dtype=object))
    mapped = np.array([_total_kind(str(u)) for u in uniques] + [None], dtype=object)
    return mapped[codes]


# -- cross-tabs -------------------------------------------------------------------------
def _classified_distinct(labels: list[str], dimension: str) -> list[str | None]:
    """Each header label's canonical sex or age band, None when it is not one."""
    from commissioning.classify import classify_sex, normalise_age_band

    series = pd.Series(labels, dtype=object)
    if dimension == "sex":
        result = classify_sex(series)
        value_col = "sex"
    else:
        result = normalise_age_band(series)
        value_col = "age_band"
    classified = result["status"].to_numpy() == "classified"
    values = result[value_col].to_numpy(dtype=object)
    return [str(v) if ok else None for v, ok in zip(values, classified, strict=True)]


def _crosstab_columns(
    cells: pd.DataFrame, header: Header
) -> tuple[int, str, dict[int, str], int | None] | None:
    """(label row, column dimension, {column: label}, row-total column) when the sheet
    is ethnicity rows by sex (or age band) columns; None otherwise."""
    eth = header.column("ethnicity")
    if eth is None:
        return None
    for label_row in (header.row, header.row + 1):
        if label_row >= len(cells):
            break
        row = cells.iloc[label_row].tolist()
        under = str(row[eth]).strip()
        if label_row != header.row and under and under != header.labels.get(eth):
            break  # the row under the header is data, not a second header line
        candidates = {
            col: str(text).strip() for col, text in enumerate(row)
            if col > eth and str(text).strip()
        }
        if len(candidates) < 2:
            continue
        if label_row != header.row:
            above = {str(cells.iat[header.row, c]).strip() for c in candidates} - {""}
            if len(above) > 1:
                break  # distinct headings above (Gender, Age): records, not a cross-tab
        for dimension in ("sex", "age_band"):
            found = dict(zip(candidates, _classified_distinct(list(candidates.values()),
                                                              dimension), strict=True))
            if len({v for v in found.values() if v is not None}) < 2:
                continue
            total_col = next((c for c, t in candidates.items() if _total_kind(t) == "grand"),
                             None)
            columns = {c: candidates[c] for c in candidates
                       if c != total_col and normalise_header(candidates[c]) not in ("", "%")
                       and "%" not in candidates[c] and "percent" not in candidates[c].lower()}
            return label_row, dimension, columns, total_col
    return None


def _read_crosstab(
    cells: pd.DataFrame, header: Header, label_row: int, dimension: str,
    columns: dict[int, str], total_col: int | None, sheet: str | None,
) -> SheetLayout:
    eth = header.column("ethnicity")
    assert eth is not None
    body = cells.iloc[label_row + 1 :]
    eth_labels = body.iloc[:, eth]
    kinds = _total_kinds(eth_labels)
    is_total = kinds != None  # noqa: E711 - elementwise comparison
    issues: list[Issue] = []
    parts: list[pd.DataFrame] = []
    bad_any = np.zeros(len(body), dtype=bool)
    filled_any = np.zeros(len(body), dtype=bool)
    cell_sum = np.zeros(len(body), dtype="int64")
    huge_any = np.zeros(len(body), dtype=bool)
    for col, label in columns.items():
        values, blank, bad, huge = _parse_counts(body.iloc[:, col])
        unusable = blank | bad | huge
        issues.extend(
            i for i in _check_totals(body.index.to_numpy(), kinds, values, unusable, sheet)
            if i.code == IssueCode.TOTALS_MISMATCH
        )
        bad_any |= bad & ~is_total
        huge_any |= huge & ~is_total
        filled_any |= ~blank
        cell_sum += values
        keep = ~is_total & ~unusable
        parts.append(pd.DataFrame({
            "ethnicity": eth_labels.to_numpy(dtype=object)[keep],
            dimension: np.full(int(keep.sum()), label, dtype=object),
            "count": values[keep],
            "row": body.index.to_numpy(dtype="int64")[keep] + 1,
        }))
    if is_total.any():
        total_rows = body.index[is_total].to_numpy() + 1
        issues.insert(0, Issue("info", IssueCode.TOTALS_LEFT_OUT,
                               MSG_TOTALS_LEFT_OUT.format(rows=rows_text(total_rows)),
                               rows=tuple(int(r) for r in total_rows[:MAX_ROWS_QUOTED]),
                               sheet=sheet))
    if total_col is not None:
        stated, blank, bad, huge = _parse_counts(body.iloc[:, total_col])
        wrong = ~blank & ~bad & ~huge & (stated != cell_sum)
        if wrong.any():
            rows = body.index[wrong].to_numpy() + 1
            issues.append(Issue("warning", IssueCode.TOTALS_MISMATCH, MSG_ROW_TOTAL_MISMATCH.format(
                column=column_letter(total_col), rows=rows_text(rows)),
                rows=tuple(int(r) for r in rows[:MAX_ROWS_QUOTED]), sheet=sheet))
    issues.extend(_implausible(body, huge_any, sheet))
    if bad_any.any():
        rows = body.index[bad_any].to_numpy() + 1
        issues.append(Issue("warning", IssueCode.COUNT_NOT_NUMBER,
                            MSG_COUNT_NOT_NUMBER.format(rows=rows_text(rows)),
                            rows=tuple(int(r) for r in rows[:MAX_ROWS_QUOTED]), sheet=sheet))
    data = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")
    data = data.loc[data["count"] > 0].reset_index(drop=True)
    names = "gender" if dimension == "sex" else "age band"
    table = Table("cross-tab", data, header.row, {"ethnicity": eth}, column_dimension=dimension,
                  value_columns=tuple(columns))
    return SheetLayout("counts", f"a cross-tab of ethnicity by {names}", table,
                       issues=tuple(issues))
