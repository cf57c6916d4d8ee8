"""Re-write age-band labels in the canonical form ("11 to 15 years" -> "11-15").

Bands are normalised, never re-bucketed or guessed: "Under 5" is 0-4 and "18 and over"
is 18+, but "over 18" (is 18 in it?) and gibberish are unmapped.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from commissioning.classify.ethnicity import CLASSIFIED, STATUS_NOT_KNOWN, STATUS_UNMAPPED
from commissioning.classify.notknown import NOT_KNOWN_KEYS
from commissioning.classify.text import as_text, fold, label_key, map_distinct, take_columns
from commissioning.model.ages import AgeBand
from commissioning.model.categories import NOT_KNOWN, UNMAPPED

BAND_COLUMNS: Final = ("age_band", "status")

_WORDS = re.compile(
    r"(?<![a-z])(?:aged|ages|age|years?\s+olds?|yrs?\s+olds?|years?|yrs?|y/?o|olds?|"
    r"inclusive|incl)(?![a-z])"
)
_NOISE = re.compile(r"[^a-z0-9+<-]+")
_RANGE = re.compile(r"^(\d{1,3}) ?(?:-|to) ?(\d{1,3})$")
_OPEN = re.compile(
    r"^(\d{1,3}) ?(?:\+|plus|and over|and above|and older|or over|or above|or older)$"
)
_UNDER = re.compile(r"^(?:under|below|less than|younger than|<) ?(\d{1,3})$")
_AND_UNDER = re.compile(r"^(\d{1,3}) ?(?:and under|or under|and younger|or younger)$")
_SINGLE = re.compile(r"^(\d{1,3})$")
MAX_BAND_AGE: Final = 120


def parse_band(text: str) -> AgeBand | None:
    """The band a label names, or None when it does not clearly name one."""
    cleaned = _NOISE.sub(" ", _WORDS.sub(" ", fold(text))).strip()
    cleaned = re.sub(r" ?- ?", "-", cleaned).replace("-", " - ").strip()
    cleaned = re.sub(r"\s+", " ", cleaned).replace(" - ", "-")
    if match := _RANGE.match(cleaned):
        lo, hi = int(match[1]), int(match[2])
        return AgeBand(lo, hi) if lo <= hi <= MAX_BAND_AGE else None
    if match := _OPEN.match(cleaned):
        lo = int(match[1])
        return AgeBand(lo, None) if lo <= MAX_BAND_AGE else None
    if match := _UNDER.match(cleaned):
        hi = int(match[1]) - 1
        return AgeBand(0, hi) if 0 <= hi <= MAX_BAND_AGE else None
    if match := _AND_UNDER.match(cleaned):
        hi = int(match[1])
        return AgeBand(0, hi) if hi <= MAX_BAND_AGE else None
    if match := _SINGLE.match(cleaned):
        age = int(match[1])
        return AgeBand(age, age) if age <= MAX_BAND_AGE else None
    return None


def age_band_label(value: object) -> tuple[str, str]:
    """(age_band, status) for one band label. Called once per distinct label."""
    text = as_text(value)
    if text is None or label_key(text) in NOT_KNOWN_KEYS:
        return (NOT_KNOWN, STATUS_NOT_KNOWN)
    band = parse_band(text)
    if band is None:
        return (UNMAPPED, STATUS_UNMAPPED)
    return (band.label, CLASSIFIED)


def normalise_age_band(values: pd.Series) -> pd.DataFrame:
    """Columns ``age_band`` and ``status``; same index as ``values``."""
    codes, results = map_distinct(values, age_band_label)
    return take_columns(codes, results, BAND_COLUMNS, values.index)
