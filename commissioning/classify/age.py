"""Ages, dates of birth and age-band labels, turned into canonical `AgeBand` labels.

Ages and dates of birth are put into bands; band labels a provider already used are only
re-written in the canonical form ("11 to 15" -> "11-15"), never re-bucketed: a band
that does not line up with the comparator is for the analysis to handle, not to guess.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from commissioning.classify.ethnicity import CLASSIFIED, STATUS_NOT_KNOWN, STATUS_UNMAPPED
from commissioning.classify.notknown import NOT_KNOWN_KEYS
from commissioning.classify.text import as_text, fold, label_key, map_distinct, take_columns
from commissioning.errors import CommissioningError
from commissioning.model.ages import DEFAULT_AGE_BANDS, AgeBand, check_bands
from commissioning.model.categories import NOT_KNOWN, UNMAPPED

AGE_COLUMNS: Final = ("age_band", "status")
#: Oldest age accepted; an age or date of birth beyond it is a mistake, not a person.
MAX_AGE: Final = 120

MSG_BANDS_OVERLAP: Final = (
    "The age bands {first} and {second} overlap or are out of order. "
    "List the bands from youngest to oldest, with each age in one band only."
)
MSG_BAND_NOT_CANONICAL: Final = (
    "An age band is not written as a band. Write each band as two ages with a dash "
    "(for example 5-9) or as an age and a plus sign for the oldest band (for example 25+)."
)
MSG_NO_BANDS: Final = "No age bands were given. Give at least one band, for example 0-17."

AGE_BAND_DROPDOWN: Final[tuple[str, ...]] = (
    *(band.label for band in DEFAULT_AGE_BANDS),
    "Not known",
)


class AgeBandError(CommissioningError):
    """The age bands asked for cannot be used (overlapping, out of order, not bands)."""


# --- numeric ages -------------------------------------------------------------------

_YEARS = r"(?:y|yr|yrs|year|years)"
_MONTHS = r"(?:m|mo|mos|mth|mths|month|months)"
_AGE_TEXT = re.compile(rf"^(?:aged?\s*)?(\d{{1,3}}(?:\.\d+)?)\s*(?:{_YEARS})?(?:\s*old)?$")
_MONTHS_TEXT = re.compile(rf"^(?:aged?\s*)?(\d{{1,4}})\s*{_MONTHS}(?:\s*old)?$")


def parse_age(value: object) -> float | None:
    """Whole years of age, NaN when not known, None when not an age. Once per label."""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    ):
        return _whole_years(float(value))
    text = as_text(value)
    if text is None or label_key(text) in NOT_KNOWN_KEYS:
        return math.nan
    folded = fold(text)
    if match := _AGE_TEXT.match(folded):
        return _whole_years(float(match.group(1)))
    if match := _MONTHS_TEXT.match(folded):
        return _whole_years(int(match.group(1)) // 12)
    return None


def _whole_years(number: float) -> float | None:
    if math.isnan(number):
        return math.nan
    return float(math.floor(number)) if 0 <= number < MAX_AGE + 1 else None


def _band_table(bands: Sequence[AgeBand | str]) -> tuple[AgeBand, ...]:
    if not bands:
        raise AgeBandError(MSG_NO_BANDS)
    try:
        parsed = tuple(b if isinstance(b, AgeBand) else AgeBand.parse(b) for b in bands)
    except ValueError:
        raise AgeBandError(MSG_BAND_NOT_CANONICAL) from None
    for first, second in itertools.pairwise(parsed):
        try:
            check_bands((first, second))
        except ValueError:
            raise AgeBandError(MSG_BANDS_OVERLAP.format(first=first, second=second)) from None
    return parsed


def classify_age(
    values: pd.Series, *, bands: Sequence[AgeBand | str] = DEFAULT_AGE_BANDS
) -> pd.DataFrame:
    """Columns ``age_band`` and ``status`` for ages such as 7, "7.0", "7 years", "16 yrs".

    An age outside every band asked for is "unmapped", like an age that cannot be read.
    """
    table = _band_table(bands)
    codes, ages = map_distinct(values, parse_age)
    results = [_band_of(age, table) for age in ages]
    return take_columns(codes, results, AGE_COLUMNS, values.index)


def _band_of(age: float | None, bands: tuple[AgeBand, ...]) -> tuple[str, str]:
    if age is None:
        return (UNMAPPED, STATUS_UNMAPPED)
    if math.isnan(age):
        return (NOT_KNOWN, STATUS_NOT_KNOWN)
    whole = AgeBand(int(age), int(age))
    for band in bands:
        if band.contains(whole):
            return (band.label, CLASSIFIED)
    return (UNMAPPED, STATUS_UNMAPPED)


# --- dates of birth -----------------------------------------------------------------

_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?z?$"
)
_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_NAMED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ /-]+([a-z]{3,9})\.?[ /,-]+(\d{4}|\d{2})$")
_SERIAL_TEXT = re.compile(r"^(\d{5})(?:\.\d+)?$")
#: Month names and short forms -> month number (dates of birth, and period labels).
MONTH_NUMBERS: Final[dict[str, int]] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
#: Excel's 1900 date system counts 1 = 1900-01-01 and wrongly includes 29 February 1900
#: (serial 60); from serial 61 on, day 0 is 1899-12-30.
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL: Final = 2_958_465  # 9999-12-31


def excel_serial_to_date(serial: float) -> dt.date | None:
    """The date of an Excel serial number (1900 date system); None if not a valid day."""
    day = math.floor(serial)
    if day < 1 or day > _EXCEL_MAX_SERIAL or day == 60:
        return None
    if day < 60:
        return dt.date(1899, 12, 31) + dt.timedelta(days=day)
    return _EXCEL_EPOCH + dt.timedelta(days=day)


def parse_date_of_birth(value: object, *, as_of: dt.date) -> dt.date | None:
    """Read one date cell: UK d/m/y, ISO y-m-d (with a midnight time), Excel serial."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | np.datetime64):
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    ):
        return None if math.isnan(float(value)) else excel_serial_to_date(float(value))
    text = as_text(value)
    if text is None:
        return None
    folded = fold(text)
    if match := _ISO.match(folded):
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _UK.match(folded):
        return _dated(match[3], int(match[2]), int(match[1]), as_of)
    if match := _NAMED.match(folded):
        month = MONTH_NUMBERS.get(match[2])
        return None if month is None else _dated(match[3], month, int(match[1]), as_of)
    if match := _SERIAL_TEXT.match(folded):
        return excel_serial_to_date(float(folded))
    return None


def _dated(year_text: str, month: int, day: int, as_of: dt.date) -> dt.date | None:
    """A two-digit year is taken in the latest century that puts the date on or before
    ``as_of`` (these are dates of birth): with as_of in 2026, 1/1/26 is 2026, 1/12/26 is 1926.
    """
    if len(year_text) == 4:
        return _make_date(int(year_text), month, day)
    year = as_of.year // 100 * 100 + int(year_text)
    born = _make_date(year, month, day)
    if born is not None and born > as_of:
        born = _make_date(year - 100, month, day)
    return born


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def age_on(born: dt.date, as_of: dt.date) -> int:
    """Completed years (age last birthday); 29 February birthdays fall on 1 March."""
    return as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))


def ages_from_dates_of_birth(values: pd.Series, *, as_of: dt.date) -> pd.Series:
    """Age in completed years on ``as_of`` (float), NaN where the date is unreadable,
    after ``as_of``, or more than 120 years before it. Each distinct date is read once."""

    oldest = (as_of.year - MAX_AGE, as_of.month, as_of.day)

    def age(value: object) -> float:
        born = parse_date_of_birth(value, as_of=as_of)
        if born is None or born > as_of or (born.year, born.month, born.day) < oldest:
            return math.nan
        return float(age_on(born, as_of))

    codes, ages = map_distinct(values, age)
    out = np.asarray(ages, dtype=float).take(codes) if ages else np.zeros(0)
    return pd.Series(out, index=values.index, name="age", dtype=float)
