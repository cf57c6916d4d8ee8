"""Reading the embedded data files once, and classifying their category labels once.

Each file is a wide gzip CSV (one row per place and year, one column per source label),
so loading one authority is one small `read_csv` plus a row lookup. Column labels are
mapped to the canonical classification with `commissioning.classify.classify_ethnicity`,
the classifier the returns use, once per file (about twenty distinct labels).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from commissioning.classify import classify_ethnicity
from commissioning.comparators.sources import SOURCES
from commissioning.model.ages import AgeBand
from commissioning.model.categories import NOT_KNOWN

KEY_COLUMNS = ("key", "level", "code", "old_la_code", "name", "year")
DATA_PACKAGE = "commissioning.data"

#: Children looked after columns -> the label the classifier reads (major groups only)
CLA_LABELS = {
    "CLA_White": "White",
    "CLA_Mixed": "Mixed",
    "CLA_Asian": "Asian",
    "CLA_Black": "Black",
    "CLA_EOTH": "Other",
    "CLA_Oth": "Not known",
}
CLA_TOTAL = "CLA_Mar2017"
SUPPRESSED = "x"

#: Census 2011 and mid-year estimate sex labels -> canonical sex ("Persons": no sex)
C11_SEX = {"Males": "Male", "Females": "Female"}
PERSONS = "Persons"
_ONS_AGE = re.compile(
    r"^(?:Aged )?(?:(\d+)(?: to (\d+))?(?: years?)?(?P<tail> and under| and over|\+)?)$"
)


@dataclass(frozen=True)
class SourceTable:
    """One loaded source: place/year rows, the count matrix and what each column means."""

    source: str
    rows: pd.DataFrame  # KEY_COLUMNS, one row per place and year
    values: np.ndarray  # rows x columns, int64 (CLA: -1 where suppressed)
    labels: tuple[str, ...]  # the source's own column labels
    major: np.ndarray  # canonical major group per column
    detailed: np.ndarray  # canonical detailed group per column
    sex: np.ndarray | None  # Census 2011 and the mid-2021/2022 estimates
    age: tuple[AgeBand, ...] | None  # Census 2011 and the sex/age sources
    totals: np.ndarray | None = None  # children looked after: the unsuppressed total

    def row_positions(self, key: str, level: str, year: str) -> np.ndarray:
        rows = self.rows
        mask = (rows["key"] == key) & (rows["level"] == level) & (rows["year"] == year)
        return np.flatnonzero(mask.to_numpy())


def open_data(name: str) -> Any:
    """A binary file object for a packaged data file (works from a wheel or a zip)."""
    return resources.files(DATA_PACKAGE).joinpath(name).open("rb")


@cache
def manifest() -> dict[str, Any]:
    with open_data("manifest.json") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@cache
def load(source: str) -> SourceTable:
    """Load and classify one source (cached for the life of the process)."""
    spec = SOURCES[source]
    with open_data(spec.file) as handle:
        frame = pd.read_csv(
            handle,
            compression="gzip",
            dtype=str if source == "cla" else dict.fromkeys(KEY_COLUMNS, str),
            keep_default_na=False,
            engine="c",
        )
    rows = frame[list(KEY_COLUMNS)].reset_index(drop=True)
    value_frame = frame.drop(columns=list(KEY_COLUMNS))
    labels = tuple(str(c) for c in value_frame.columns)
    sex: np.ndarray | None = None
    ages: tuple[AgeBand, ...] | None = None
    totals: np.ndarray | None = None
    if source == "cla":
        totals = value_frame[CLA_TOTAL].to_numpy(dtype=str).astype(np.int64)
        value_frame = value_frame.drop(columns=[CLA_TOTAL])
        labels = tuple(str(c) for c in value_frame.columns)
        text = value_frame.to_numpy(dtype=str)
        values = np.where(text == SUPPRESSED, "-1", text).astype(np.int64)
        eth_labels = [CLA_LABELS[c] for c in labels]
    else:
        values = value_frame.to_numpy(dtype=np.int64)
        eth_labels = list(labels)
    if source == "census2011":
        parts = [label.split("; ") for label in labels]
        sex = np.array([C11_SEX[p[0]] for p in parts], dtype=object)
        ages = tuple(census2011_band(p[1]) for p in parts)
        eth_labels = [p[2] for p in parts]
    if not spec.has_ethnicity:  # sex and age only: ethnicity is not known, never guessed
        sex, ages = _sex_and_age(labels)
        unknown = np.full(len(labels), NOT_KNOWN, dtype=object)
        major, detailed = unknown, unknown.copy()
    else:
        classified = classify_ethnicity(pd.Series(eth_labels, dtype=object))
        major = classified["major"].to_numpy(dtype=object)
        detailed = classified["detailed"].to_numpy(dtype=object)
    return SourceTable(
        source=source,
        rows=rows,
        values=values,
        labels=labels,
        major=major,
        detailed=detailed,
        sex=sex,
        age=ages,
        totals=totals,
    )


def _sex_and_age(labels: tuple[str, ...]) -> tuple[np.ndarray | None, tuple[AgeBand, ...]]:
    """"Females; 0" -> (Female, 0-0); "Persons; Aged 5 to 9 years" -> (no sex, 5-9)."""
    parts = [label.split("; ") for label in labels]
    persons = {p[0] for p in parts} == {PERSONS}
    sex = None if persons else np.array([C11_SEX[p[0]] for p in parts], dtype=object)
    return sex, tuple(ons_age_band(p[1]) for p in parts)


def ons_age_band(text: str) -> AgeBand:
    """ONS age labels: "0", "90+", "Aged 4 years and under", "Aged 5 to 9 years",
    "Aged 85 years and over"."""
    match = _ONS_AGE.match(text.strip())
    if match is None:
        raise ValueError(f"not an ONS age label: {text!r}")
    lo, hi, tail = int(match.group(1)), match.group(2), match.group("tail")
    if tail == " and under":
        return AgeBand(0, lo)
    if tail in (" and over", "+"):
        return AgeBand(lo, None)
    return AgeBand(lo, int(hi) if hi is not None else lo)


def census2011_band(text: str) -> AgeBand:
    """"Age 0 to 4" -> 0-4, "Age 15" -> 15-15, "Age 85 and over" -> 85+."""
    words = text.removeprefix("Age ").split()
    if words[-2:] == ["and", "over"]:
        return AgeBand(int(words[0]), None)
    if len(words) == 1:
        return AgeBand(int(words[0]), int(words[0]))
    return AgeBand(int(words[0]), int(words[-1]))


@cache
def child_population_table() -> pd.DataFrame:
    """ONS mid-year estimates of children 0-17: KEY_COLUMNS plus ``count``."""
    with open_data(SOURCES["child-population"].file) as handle:
        frame = pd.read_csv(
            handle,
            compression="gzip",
            dtype=dict.fromkeys(KEY_COLUMNS, str) | {"count": "int64"},
            keep_default_na=False,
        )
    return frame


@cache
def authority_index() -> pd.DataFrame:
    """One row per place: key, level, name, codes, old_la_codes, spellings, years per source."""
    with open_data("authorities.csv.gz") as handle:
        frame = pd.read_csv(handle, compression="gzip", dtype=str, keep_default_na=False)
    return frame
