"""Classify a tidy raw table (see `layout.Table`) into canonical counts.

Each dimension is classified by `commissioning.classify`, which maps every distinct
label once. Every row keeps its count whatever happens: an unrecognised label becomes
``UNMAPPED`` and a missing one ``NOT_KNOWN``, so people read = classified + not known +
unmapped in every dimension. Unmapped labels are listed with their spreadsheet rows;
a date of birth is never listed (it is personal data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd

from commissioning.model.categories import NOT_KNOWN, SEXES, UNMAPPED
from commissioning.model.quality import UNMAPPED_COLUMNS, Issue, IssueCode
from commissioning.model.sanitise import neutralise_formula, strip_control_characters

#: Most row numbers kept for one unmapped label.
MAX_ROWS_KEPT: Final = 10
#: Share of people with no ethnicity recorded above which a warning is given.
NOT_KNOWN_WARNING_SHARE: Final = 0.10
#: Stands in for an unreadable date of birth in the unmapped list (never the date).
DOB_NOT_UNDERSTOOD: Final = "(date of birth not understood)"
STATUSES: Final = ("classified", "not known", "unmapped")
FIELD_NAMES: Final = {"ethnicity": "Ethnic group", "sex": "Gender", "age_band": "Age"}

MSG_UNMAPPED = (
    "{field} not recognised for {people} {people_word} ({labels} different "
    "{label_word}, first in row {row}). They are counted separately, not guessed. Ask "
    "the provider to use the categories in the template."
)
MSG_MOSTLY_UNMAPPED = (
    "More people have an ethnic group we do not recognise ({unmapped}) than one we do "
    "({classified}), so the return cannot be analysed. Ask the provider to use the ONS "
    "2021 categories in the template."
)
MSG_NOT_KNOWN_HIGH = (
    "{pct}% of people have no ethnic group recorded (not known, refused or blank). Above "
    "10% the comparison may be misleading; ask the provider how they collect ethnicity."
)


def clean_text(text: str) -> str:
    """Provider text made safe to show: control and invisible characters removed,
    spacing collapsed, and a leading formula character neutralised."""
    stripped = strip_control_characters(str(text))  # tabs and line breaks become spaces
    return neutralise_formula(" ".join(stripped.split()))


@dataclass(frozen=True)
class Classified:
    """Canonical rows (``major``, ``detailed``, dimensions, ``count``), the unmapped
    labels, and people by status for each dimension."""

    frame: pd.DataFrame
    unmapped: pd.DataFrame
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)

    def issues(self, sheet: str | None) -> list[Issue]:
        found: list[Issue] = []
        for dimension in ("ethnicity", "sex", "age_band"):
            rows = self.unmapped.loc[self.unmapped["dimension"] == dimension]
            if rows.empty:
                continue
            people = int(rows["count"].sum())
            first = tuple(sorted({r for t in rows["rows"] for r in t}))[:MAX_ROWS_KEPT]
            message = MSG_UNMAPPED.format(
                people=people, people_word="person" if people == 1 else "people",
                field=FIELD_NAMES[dimension],
                labels=len(rows), label_word="label" if len(rows) == 1 else "labels",
                row=first[0] if first else "?",
            )
            code = IssueCode(f"unmapped-{dimension.replace('_', '-')}")
            found.append(Issue("warning", code, message, rows=first, sheet=sheet))
        eth = self.statuses.get("ethnicity")
        if eth:
            total = sum(eth.values())
            if eth["unmapped"] > eth["classified"]:
                found.append(Issue("error", IssueCode.MOSTLY_UNMAPPED, MSG_MOSTLY_UNMAPPED.format(
                    unmapped=eth["unmapped"], classified=eth["classified"]), sheet=sheet))
            if total and eth["not known"] / total > NOT_KNOWN_WARNING_SHARE:
                pct = f"{100 * eth['not known'] / total:.0f}"
                found.append(Issue("warning", IssueCode.ETHNICITY_NOT_KNOWN,
                                   MSG_NOT_KNOWN_HIGH.format(pct=pct), sheet=sheet))
        return found


def _statuses(status: np.ndarray, counts: np.ndarray) -> dict[str, int]:
    return {s: int(counts[status == s].sum()) for s in STATUSES}


def _unmapped(dimension: str, labels: np.ndarray, status: np.ndarray, counts: np.ndarray,
              rows: np.ndarray) -> pd.DataFrame:
    mask = status == "unmapped"
    if not mask.any():
        return pd.DataFrame(columns=list(UNMAPPED_COLUMNS))
    part = pd.DataFrame({"label": labels[mask], "count": counts[mask], "row": rows[mask]})
    grouped = part.groupby("label", sort=False)
    firsts = {label: tuple(int(x) for x in r.head(MAX_ROWS_KEPT)) for label, r in grouped["row"]}
    out = grouped["count"].sum().astype("int64").reset_index()
    out["rows"] = [firsts[label] for label in out["label"]]  # one per distinct label
    out.insert(0, "dimension", dimension)
    out = out.sort_values("count", ascending=False, kind="stable")
    return out[list(UNMAPPED_COLUMNS)].reset_index(drop=True)


def _age_bands(data: pd.DataFrame, as_of: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(band, status, label for the unmapped list) from date of birth, then age, then
    age band: the first source that classifies a row wins."""
    from commissioning.classify import (
        ages_from_dates_of_birth,
        classify_age,
        normalise_age_band,
    )
    from commissioning.model.ages import DEFAULT_AGE_BANDS

    n = len(data)
    band = np.full(n, NOT_KNOWN, dtype=object)
    status = np.full(n, "not known", dtype=object)
    label = np.full(n, "", dtype=object)
    sources: list[tuple[pd.DataFrame, np.ndarray]] = []
    if "dob" in data.columns:
        ages = ages_from_dates_of_birth(data["dob"], as_of=as_of)
        result = classify_age(ages, bands=DEFAULT_AGE_BANDS)
        written = data["dob"].astype(str).str.strip().to_numpy() != ""
        unreadable = written & ages.isna().to_numpy()
        dob_status = np.where(unreadable, "unmapped", result["status"].to_numpy(dtype=object))
        sources.append((result.assign(status=dob_status),
                        np.full(n, DOB_NOT_UNDERSTOOD, dtype=object)))
    if "age" in data.columns:
        sources.append((classify_age(data["age"], bands=DEFAULT_AGE_BANDS),
                        data["age"].to_numpy(dtype=object)))
    if "age_band" in data.columns:
        sources.append((normalise_age_band(data["age_band"]),
                        data["age_band"].to_numpy(dtype=object)))
    settled = np.zeros(n, dtype=bool)
    for result, raw in sources:
        s = result["status"].to_numpy(dtype=object)
        b = result["age_band"].to_numpy(dtype=object)
        take = ~settled & (s == "classified")
        band[take], status[take] = b[take], "classified"
        settled |= take
        flag = ~settled & (s == "unmapped") & (status != "unmapped")
        band[flag], status[flag], label[flag] = UNMAPPED, "unmapped", raw[flag]
    return band, status, label


def classify_table(data: pd.DataFrame, as_of: dt.date) -> Classified:
    """Canonical counts of a tidy raw table from `layout`."""
    from commissioning.classify import classify_ethnicity, classify_sex

    counts = data["count"].to_numpy(dtype="int64")
    rows = data["row"].to_numpy(dtype="int64")
    n = len(data)
    out: dict[str, np.ndarray] = {}
    statuses: dict[str, dict[str, int]] = {}
    unmapped: list[pd.DataFrame] = []
    if "ethnicity" in data.columns:
        result = classify_ethnicity(data["ethnicity"])
        status = result["status"].to_numpy(dtype=object)
        out["major"] = result["major"].to_numpy(dtype=object)
        out["detailed"] = result["detailed"].to_numpy(dtype=object)
        raw = data["ethnicity"].to_numpy(dtype=object)
        unmapped.append(_unmapped("ethnicity", raw, status, counts, rows))
        statuses["ethnicity"] = _statuses(status, counts)
    else:
        out["major"] = out["detailed"] = np.full(n, NOT_KNOWN, dtype=object)
    if "sex" in data.columns:
        result = classify_sex(data["sex"])
        status = result["status"].to_numpy(dtype=object)
        out["sex"] = result["sex"].to_numpy(dtype=object)
        raw = data["sex"].to_numpy(dtype=object)
        unmapped.append(_unmapped("sex", raw, status, counts, rows))
        statuses["sex"] = _statuses(status, counts)
    if {"dob", "age", "age_band"} & set(data.columns):
        band, status, label = _age_bands(data, as_of)
        out["age_band"] = band
        unmapped.append(_unmapped("age_band", label, status, counts, rows))
        statuses["age_band"] = _statuses(status, counts)
    for dimension in ("period", "stage"):
        if dimension in data.columns:
            out[dimension] = _text_values(data[dimension])
    frame = pd.DataFrame(out)
    frame["count"] = counts
    frame = frame.loc[frame["count"] > 0].reset_index(drop=True)
    found = [u for u in unmapped if len(u)]
    table = (pd.concat(found, ignore_index=True) if found
             else pd.DataFrame({c: pd.Series([], dtype="object") for c in UNMAPPED_COLUMNS}))
    return Classified(frame, table, statuses)


def _text_values(values: pd.Series) -> np.ndarray:
    """Period or stage as written (cleaned); blank is not known. Once per distinct value."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    mapped = [clean_text(str(u)) or NOT_KNOWN for u in uniques]
    return np.asarray([*mapped, NOT_KNOWN], dtype=object)[codes]


def tally(frame: pd.DataFrame, dimension: str) -> pd.Series:
    """People by one canonical dimension (for a separate table that has no ethnicity)."""
    series = frame.groupby(dimension, sort=False)["count"].sum().astype("int64")
    order = [v for v in series.index if v not in (NOT_KNOWN, UNMAPPED)]
    if dimension == "sex":
        order = [*SEXES, *(v for v in order if v not in SEXES)]
    else:
        from commissioning.model.ages import band_sort_key

        order = sorted(order, key=lambda v: band_sort_key(str(v)))
    order += [v for v in (NOT_KNOWN, UNMAPPED) if v in series.index]
    return series.reindex(order, fill_value=0).rename_axis(dimension).rename("count")
