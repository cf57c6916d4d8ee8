"""A comparator the user supplies: a CSV or spreadsheet with ``ethnicity`` and ``count``.

Optional columns ``sex``, ``age_band`` and ``period`` add dimensions; ``area`` (one place
name, printed in the section) and ``mode`` (fixed, independent or nested: how to compare)
describe the file. Labels go through
the classifiers the returns use, so a comparator file is read exactly like a return; any
label we cannot recognise stops the load with a list of them, because a comparator with
a hole in it would make every rate wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from commissioning.classify import (
    STATUS_UNMAPPED,
    classify_ethnicity,
    classify_sex,
    is_total_label,
    normalise_age_band,
)
from commissioning.comparators.authorities import find_authority
from commissioning.comparators.info import Population, PopulationInfo
from commissioning.errors import CommissioningError, ComparatorError
from commissioning.loading.loader import load_workbook
from commissioning.model.ages import AgeBand
from commissioning.model.categories import NOT_CLASSIFIED
from commissioning.model.counts import Counts
from commissioning.returns.personal import name_may_be_personal

MSG_NO_COLUMNS: Final = (
    "The comparator file {file} has no columns called 'ethnicity' and 'count'. Put those "
    "two headings in its first row (optional: 'sex', 'age_band', 'period', 'area', "
    "'mode') and try again."
)
MSG_NO_ROWS: Final = (
    "The comparator file {file} has headings but no counts under them. Add one row per "
    "ethnic group and try again."
)
MSG_BAD_COUNTS: Final = (
    "The comparator file {file} has counts that are not whole numbers of 0 or more in rows "
    "{rows}. Correct them and try again."
)
MSG_UNMAPPED: Final = (
    "The comparator file {file} has {dimension} labels we do not recognise: {labels}. Use "
    "the Census 2021 wording (see docs/population.md) and try again."
)
MSG_SEVERAL_VALUES: Final = (
    "The comparator file {file} has more than one value in its '{column}' column. Give "
    "one {column} for the whole file (one file per {column}) and try again."
)
MSG_BAD_MODE: Final = (
    "The comparator file {file} has {value} in its 'mode' column. Use fixed (a census), "
    "independent (another sample) or nested (the service is part of it), or leave the "
    "column out."
)
MSG_VALUE_NOT_SHOWN: Final = "a value we do not show"
MSG_AREA_PERSONAL: Final = (
    "The area in the comparator file {file} looks like personal data (a postcode, date, "
    "number or name). Put the name of the council or area in the 'area' column and try "
    "again."
)
#: The place name when neither the file's area column nor --authority gives one.
AREA_NOT_GIVEN: Final = "the area the file covers"
MSG_LIST_MORE: Final = "{first} and {more} more"
MSG_ROW_LABEL: Final = "the label in row {row}"
CAVEAT_USER_FILE: Final = (
    "This comparator was supplied by the user: check its source, year and area before "
    "relying on it."
)
ATTRIBUTION_USER_FILE: Final = "Source: comparator file {file}, supplied by the user."
CITATION_USER_FILE: Final = "Comparator file {file} supplied by the user (SHA-256 {sha256})."

MAX_LISTED: Final = 10
_HEADER_ROWS_SCANNED: Final = 20
_MAX_LABEL: Final = 40
_MAX_AREA: Final = 80
_HEADINGS: Final[dict[str, tuple[str, ...]]] = {
    "ethnicity": ("ethnicity", "ethnic group", "ethnic_group", "ethnic origin", "group"),
    "count": ("count", "number", "n", "population", "headcount", "people", "total"),
    "sex": ("sex", "gender", "sex or gender"),
    "age_band": ("age_band", "age band", "age", "age group", "ages"),
    "period": ("period", "year", "time period"),
    "area": ("area", "place", "geography", "area name"),
    "mode": ("mode", "comparison mode", "analysis mode"),
}
FILE_MODES: Final = ("fixed", "independent", "nested")
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.0+)?$")


def _heading_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())


def load_comparator_file(
    path: str | os.PathLike[str], *, authority: str | None = None
) -> Population:
    """Read a user comparator file into a `Population`.

    Its place is the file's ``area`` column, else ``authority``, else `AREA_NOT_GIVEN`.
    ``kind`` is the file's ``mode`` column (recorded as ``extra["mode"]``) or, without
    one, "independent"; `commissioning.analysis.compare.choose_mode` then decides by
    size when it knows the service."""
    book = load_workbook(path)
    name = Path(path).name
    cells, header_row, columns = _find_table(book.sheets, name)
    body = cells.iloc[header_row + 1 :]
    body = body.loc[body.apply(lambda r: any(str(v).strip() for v in r), axis=1)]
    ethnicity = body[columns["ethnicity"]].astype(str)
    body = body.loc[~is_total_label(ethnicity)]
    if body.empty:
        raise ComparatorError(MSG_NO_ROWS.format(file=name))
    rows = (body.index.to_numpy() + 1).tolist()  # spreadsheet row numbers
    counts = _counts(body[columns["count"]], rows, name)
    frame = classify_ethnicity(body[columns["ethnicity"]])
    _refuse_unmapped(body[columns["ethnicity"]], frame["status"], rows, "ethnicity", name)
    out = pd.DataFrame(
        {"major": frame["major"].to_numpy(), "detailed": frame["detailed"].to_numpy()}
    )
    ages = "all ages"
    if "sex" in columns:
        sexes = classify_sex(body[columns["sex"]])
        _refuse_unmapped(body[columns["sex"]], sexes["status"], rows, "sex", name)
        out["sex"] = sexes["sex"].to_numpy()
    if "age_band" in columns:
        bands = normalise_age_band(body[columns["age_band"]])
        _refuse_unmapped(body[columns["age_band"]], bands["status"], rows, "age band", name)
        out["age_band"] = bands["age_band"].to_numpy()
        ages = _span([str(b) for b in out["age_band"].unique()])
    if "period" in columns:
        out["period"] = body[columns["period"]].astype(str).str.strip().to_numpy()
    out["count"] = counts
    area = _area(body, columns, name, authority)
    mode = _mode(body, columns, name)
    periods = sorted(set(out["period"])) if "period" in out else []
    info = PopulationInfo(
        source="file",
        title=f"Comparator file {name}",
        publisher="supplied by the user",
        table_id=name,
        year=", ".join(periods) if periods else "not stated",
        geography=area,
        geography_codes=(),
        ages=ages,
        caveats=(CAVEAT_USER_FILE,),
        attribution=ATTRIBUTION_USER_FILE.format(file=name),
        citation=CITATION_USER_FILE.format(file=name, sha256=book.sha256),
        kind=mode or "independent",
        extra={"sha256": book.sha256, "file": name, **({"mode": mode} if mode else {})},
        characteristics=("ethnicity", *(d for d in ("sex", "age_band") if d in out)),
    )
    return Population(counts=Counts(out, label=f"Comparator file {name}"), info=info)


def _single(body: pd.DataFrame, columns: dict[str, int], column: str, name: str) -> str:
    """The one value of an optional descriptive column ("" when absent or empty)."""
    if column not in columns:
        return ""
    values = dict.fromkeys(
        " ".join(str(v).split()) for v in body[columns[column]] if str(v).strip()
    )
    if len(values) > 1:
        raise ComparatorError(MSG_SEVERAL_VALUES.format(file=name, column=column))
    return next(iter(values), "")


def _area(body: pd.DataFrame, columns: dict[str, int], name: str, authority: str | None,
          ) -> str:
    """The place the file counts: its area column, else the authority's name."""
    area = _single(body, columns, "area", name)
    if area and (name_may_be_personal(area) or len(area) > _MAX_AREA):
        raise ComparatorError(MSG_AREA_PERSONAL.format(file=name))
    if area:
        return area
    if authority and authority.strip():
        try:
            return find_authority(authority).name
        except CommissioningError:
            return " ".join(authority.split())
    return AREA_NOT_GIVEN


def _mode(body: pd.DataFrame, columns: dict[str, int], name: str) -> str:
    """The file's mode column, checked ("" when it has none)."""
    mode = _single(body, columns, "mode", name)
    if mode and mode.lower() not in FILE_MODES:
        safe = not name_may_be_personal(mode) and len(mode) <= _MAX_LABEL and "@" not in mode
        shown = '"' + mode.replace('"', "'") + '"' if safe else MSG_VALUE_NOT_SHOWN
        raise ComparatorError(MSG_BAD_MODE.format(file=name, value=shown))
    return mode.lower()


def _find_table(sheets: Sequence[object], name: str) -> tuple[pd.DataFrame, int, dict[str, int]]:
    """The first sheet and row whose headings include ethnicity and count."""
    for sheet in sheets:
        cells: pd.DataFrame = sheet.cells  # type: ignore[attr-defined]
        for i in range(min(_HEADER_ROWS_SCANNED, len(cells))):
            keys = [_heading_key(v) for v in cells.iloc[i]]
            found: dict[str, int] = {}
            for column, aliases in _HEADINGS.items():
                for position, key in enumerate(keys):
                    if key in aliases and column not in found and position not in found.values():
                        found[column] = int(cells.columns[position])
            if "ethnicity" in found and "count" in found:
                return cells, i, found
    raise ComparatorError(MSG_NO_COLUMNS.format(file=name))


def _counts(values: pd.Series, rows: list[int], name: str) -> np.ndarray:
    text = values.astype(str).str.strip()
    good = text.str.match(_COUNT).to_numpy()
    if not good.all():
        bad = [r for r, ok in zip(rows, good, strict=True) if not ok]
        raise ComparatorError(MSG_BAD_COUNTS.format(file=name, rows=_listed(map(str, bad))))
    cleaned = text.str.replace(",", "", regex=False).str.replace(r"\.0+$", "", regex=True)
    return cleaned.astype("int64").to_numpy()


def _refuse_unmapped(
    values: pd.Series, status: pd.Series, rows: list[int], dimension: str, name: str
) -> None:
    bad = (status == STATUS_UNMAPPED).to_numpy()
    if not bad.any():
        return
    shown: dict[str, None] = {}
    for value, row in zip(values.to_numpy()[bad], np.asarray(rows)[bad], strict=True):
        shown.setdefault(_safe_label(str(value), int(row)), None)
    raise ComparatorError(
        MSG_UNMAPPED.format(file=name, dimension=dimension, labels=_listed(list(shown)))
    )


def _safe_label(text: str, row: int) -> str:
    """The label in quotes, unless it could be personal data (digits, '@', very long)."""
    text = " ".join(text.split())
    if any(ch.isdigit() for ch in text) or "@" in text or len(text) > _MAX_LABEL:
        return MSG_ROW_LABEL.format(row=row)
    return '"' + text.replace('"', "'") + '"'


def _listed(values: Iterable[str]) -> str:
    items = list(values)
    if len(items) <= MAX_LISTED:
        return ", ".join(items)
    return MSG_LIST_MORE.format(first=", ".join(items[:MAX_LISTED]), more=len(items) - MAX_LISTED)


def _span(bands: Sequence[str]) -> str:
    """The age range covered by the bands ("0-17"), or "all ages" when open-ended from 0."""
    parsed = [AgeBand.parse(b) for b in bands if b not in NOT_CLASSIFIED]
    if not parsed:
        return "all ages"
    lo = min(b.lo for b in parsed)
    his = [b.hi for b in parsed]
    hi = None if any(h is None for h in his) else max(h for h in his if h is not None)
    span = AgeBand(lo, hi)
    return "all ages" if span == AgeBand(0, None) else span.label
