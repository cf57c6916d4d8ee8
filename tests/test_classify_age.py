"""Ages, dates of birth and age-band labels.

Dates are checked against independent implementations: dateutil's relativedelta for age
in completed years, openpyxl's from_excel for Excel serial numbers, pandas.cut for banding.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

import commissioning.classify.age as age_module
import commissioning.classify.bands as bands_module
from commissioning.classify import (
    AGE_BAND_DROPDOWN,
    MSG_BAND_NOT_CANONICAL,
    MSG_BANDS_OVERLAP,
    MSG_NO_BANDS,
    AgeBandError,
    ages_from_dates_of_birth,
    classify_age,
    excel_serial_to_date,
    normalise_age_band,
)
from commissioning.errors import CommissioningError
from commissioning.model.ages import DEFAULT_AGE_BANDS, AgeBand
from commissioning.model.categories import NOT_KNOWN, UNMAPPED

AS_OF = dt.date(2026, 3, 31)

# --- DEFAULT_AGE_BANDS ------------------------------------------------------------------

#: Census 2011 DC2101EW age bands (Nomis column headers), first ages.
DC2101EW_BAND_STARTS = [
    0,
    5,
    8,
    10,
    15,
    16,
    18,
    20,
    25,
    30,
    35,
    40,
    45,
    50,
    55,
    60,
    65,
    70,
    75,
    80,
    85,
]


def test_default_bands_line_up_with_census_2011_boundaries() -> None:
    labels = [b.label for b in DEFAULT_AGE_BANDS]
    assert labels == ["0-4", "5-9", "10-14", "15-17", "18-24", "25+"]
    for band in DEFAULT_AGE_BANDS:
        assert band.lo in DC2101EW_BAND_STARTS
        if band.hi is not None:
            assert band.hi + 1 in DC2101EW_BAND_STARTS


# --- numeric ages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("7", "5-9"),
        ("7.0", "5-9"),
        (7, "5-9"),
        (7.0, "5-9"),
        (7.9, "5-9"),
        ("7 years", "5-9"),
        ("16 yrs", "15-17"),
        ("16yrs", "15-17"),
        ("Aged 4", "0-4"),
        ("4 years old", "0-4"),
        ("0", "0-4"),
        ("18 months", "0-4"),
        ("17", "15-17"),
        ("18", "18-24"),
        ("24", "18-24"),
        ("25", "25+"),
        ("99", "25+"),
        (np.int64(10), "10-14"),
    ],
    ids=repr,
)
def test_ages_go_into_default_bands(value: object, band: str) -> None:
    row = classify_age(pd.Series([value], dtype=object)).iloc[0]
    assert (row["age_band"], row["status"]) == (band, "classified")


@pytest.mark.parametrize("value", ["Not known", "", None, np.nan, "Prefer not to say"], ids=repr)
def test_age_not_known(value: object) -> None:
    row = classify_age(pd.Series([value], dtype=object)).iloc[0]
    assert (row["age_band"], row["status"]) == (NOT_KNOWN, "not known")


@pytest.mark.parametrize("value", ["-3", -1, "seven", "7-9", "200", 121, "12/03/2015"], ids=repr)
def test_age_unreadable_is_unmapped(value: object) -> None:
    row = classify_age(pd.Series([value], dtype=object)).iloc[0]
    assert (row["age_band"], row["status"]) == (UNMAPPED, "unmapped")


def test_age_outside_custom_bands_is_unmapped() -> None:
    result = classify_age(pd.Series([3, 12, 19]), bands=["0-4", "5-17"])
    assert result["age_band"].tolist() == ["0-4", "5-17", UNMAPPED]
    assert result["status"].tolist() == ["classified", "classified", "unmapped"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=50))
def test_banding_matches_pandas_cut(ages: list[int]) -> None:
    ours = classify_age(pd.Series(ages))["age_band"].tolist()
    edges = [-0.5, 4.5, 9.5, 14.5, 17.5, 24.5, np.inf]
    labels = ["0-4", "5-9", "10-14", "15-17", "18-24", "25+"]
    theirs = pd.cut(pd.Series(ages), bins=edges, labels=labels).astype(str).tolist()
    assert ours == theirs


def test_bad_bands_raise_commissioning_error_with_the_fix() -> None:
    with pytest.raises(AgeBandError) as caught:
        classify_age(pd.Series([1]), bands=["0-10", "5-17"])
    assert str(caught.value) == MSG_BANDS_OVERLAP.format(first="0-10", second="5-17")
    assert isinstance(caught.value, CommissioningError)
    with pytest.raises(AgeBandError) as caught:
        classify_age(pd.Series([1]), bands=["5-9", "0-4"])
    assert str(caught.value) == MSG_BANDS_OVERLAP.format(first="5-9", second="0-4")
    with pytest.raises(AgeBandError) as caught:
        classify_age(pd.Series([1]), bands=["under five"])
    assert str(caught.value) == MSG_BAND_NOT_CANONICAL
    with pytest.raises(AgeBandError) as caught:
        classify_age(pd.Series([1]), bands=[])
    assert str(caught.value) == MSG_NO_BANDS


def test_each_distinct_age_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = age_module.parse_age

    def counting(value: object) -> float | None:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(age_module, "parse_age", counting)
    values = pd.Series(np.tile(np.array(["3", "7", "12", "16", "30"], dtype=object), 20_000))
    result = classify_age(values)
    assert len(calls) == 5
    assert result["age_band"].value_counts().to_dict() == dict.fromkeys(
        ["0-4", "5-9", "10-14", "15-17", "25+"], 20_000
    )


# --- dates of birth ---------------------------------------------------------------------


def test_date_formats() -> None:
    values = pd.Series(
        [
            "01/03/2015",
            "1/3/2015",
            "1/3/15",
            "2015-03-01",
            "2015-03-01 00:00:00",
            "1 March 2015",
            "01-Mar-2015",
            42064,
            42064.0,
            "42064",
            dt.date(2015, 3, 1),
            dt.datetime(2015, 3, 1),
            pd.Timestamp("2015-03-01"),
        ],
        dtype=object,
    )
    expected = relativedelta(AS_OF, dt.date(2015, 3, 1)).years
    assert ages_from_dates_of_birth(values, as_of=AS_OF).tolist() == [float(expected)] * len(values)


def test_datetime_column() -> None:
    values = pd.to_datetime(pd.Series(["2015-03-01", None, "2020-04-01"]))
    ages = ages_from_dates_of_birth(values, as_of=AS_OF)
    assert ages.iloc[0] == 11.0 and np.isnan(ages.iloc[1]) and ages.iloc[2] == 5.0


@pytest.mark.parametrize(
    "value",
    [
        "2026-04-01",  # after as_of
        "1905-01-01",  # more than 120 years before
        "31/02/2015",  # no such day
        "13/13/2015",
        "2015",  # a year alone is not a date
        "soon",
        "",
        None,
        np.nan,
        60,  # Excel's 29 February 1900, which never happened
        True,
    ],
    ids=repr,
)
def test_unusable_dates_are_nan(value: object) -> None:
    assert np.isnan(ages_from_dates_of_birth(pd.Series([value], dtype=object), as_of=AS_OF)[0])


def test_120_years_boundary() -> None:
    as_of = dt.date(2026, 3, 31)
    values = pd.Series(["1906-03-31", "1906-03-30"])
    ages = ages_from_dates_of_birth(values, as_of=as_of)
    assert ages.iloc[0] == 120.0 and np.isnan(ages.iloc[1])


def test_birthday_boundaries_and_leap_day() -> None:
    values = pd.Series(["2016-03-31", "2016-04-01", "29/02/2016"])
    ages = ages_from_dates_of_birth(values, as_of=dt.date(2026, 3, 31)).tolist()
    assert ages == [10.0, 9.0, 10.0]
    # in a year without 29 February, a leap-day child is a year older on 1 March
    leap = pd.Series(["29/02/2016"])
    assert ages_from_dates_of_birth(leap, as_of=dt.date(2026, 2, 28)).tolist() == [9.0]
    assert ages_from_dates_of_birth(leap, as_of=dt.date(2026, 3, 1)).tolist() == [10.0]


def test_two_digit_years_are_never_in_the_future() -> None:
    values = pd.Series(["1/1/26", "1/12/26", "1/1/27", "5/6/99", "29/2/00"])
    ages = ages_from_dates_of_birth(values, as_of=dt.date(2026, 3, 31)).tolist()
    assert ages == [0.0, 99.0, 99.0, 26.0, 26.0]


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1907, 1, 1), max_value=AS_OF))
def test_age_matches_relativedelta(born: dt.date) -> None:
    assume((born.month, born.day) != (2, 29))
    expected = float(relativedelta(AS_OF, born).years)
    forms = [
        born.strftime("%d/%m/%Y"),
        born.isoformat(),
        f"{born.isoformat()} 00:00:00",
        f"{born.day}/{born.month}/{born.year}",
    ]
    ages = ages_from_dates_of_birth(pd.Series(forms), as_of=AS_OF)
    assert ages.tolist() == [expected] * len(forms)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=61, max_value=60_000))
def test_excel_serials_match_openpyxl(serial: int) -> None:
    assert excel_serial_to_date(serial) == from_excel(serial).date()


def test_excel_serials_before_the_leap_bug() -> None:
    assert excel_serial_to_date(1) == dt.date(1900, 1, 1)
    assert excel_serial_to_date(59) == dt.date(1900, 2, 28)
    assert excel_serial_to_date(60) is None
    assert excel_serial_to_date(61) == dt.date(1900, 3, 1)
    assert excel_serial_to_date(0) is None


def test_each_distinct_date_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = age_module.parse_date_of_birth

    def counting(value: object, *, as_of: dt.date) -> dt.date | None:
        calls.append(value)
        return real(value, as_of=as_of)

    monkeypatch.setattr(age_module, "parse_date_of_birth", counting)
    values = pd.Series(["01/03/2015", "02/03/2015", None] * 10_000, index=range(30_000)[::-1])
    ages = ages_from_dates_of_birth(values, as_of=AS_OF)
    assert len(calls) == 3
    assert ages.index.equals(values.index)
    assert ages.dtype == np.float64


# --- age-band labels --------------------------------------------------------------------

BAND_LABELS = {
    "11-15": "11-15",
    "11 - 15": "11-15",
    "11 to 15": "11-15",
    "11–15": "11-15",
    "5 – 10": "5-10",
    "16-18": "16-18",
    "18+": "18+",
    "18 +": "18+",
    "18 and over": "18+",
    "18 or over": "18+",
    "18 plus": "18+",
    "85 and over": "85+",
    "Under 5": "0-4",
    "under 1": "0-0",
    "0-4 years": "0-4",
    "0-4yrs": "0-4",
    "Age 0 to 4": "0-4",
    "Age: 0 to 4": "0-4",
    "Aged 11-15": "11-15",
    "11-15 year olds": "11-15",
    "(5-9)": "5-9",
    "05-09": "5-9",
    "15": "15-15",
    "16 and under": "0-16",
    "25+": "25+",
}


@pytest.mark.parametrize(("label", "band"), sorted(BAND_LABELS.items()))
def test_band_labels_are_normalised(label: str, band: str) -> None:
    row = normalise_age_band(pd.Series([label])).iloc[0]
    assert (row["age_band"], row["status"]) == (band, "classified")
    assert AgeBand.parse(band).label == band


@pytest.mark.parametrize(
    "label", ["over 18", "abc", "15-11", "Total", "All ages", "5-", "-5", "Key Stage 2", "0-4-9"]
)
def test_band_labels_not_guessed(label: str) -> None:
    row = normalise_age_band(pd.Series([label])).iloc[0]
    assert (row["age_band"], row["status"]) == (UNMAPPED, "unmapped")


@pytest.mark.parametrize("label", ["Not known", "", None, "Unknown", "Prefer not to say"])
def test_band_labels_not_known(label: object) -> None:
    row = normalise_age_band(pd.Series([label], dtype=object)).iloc[0]
    assert (row["age_band"], row["status"]) == (NOT_KNOWN, "not known")


def test_age_band_dropdown_classifies() -> None:
    result = normalise_age_band(pd.Series(AGE_BAND_DROPDOWN))
    assert result["age_band"].tolist() == [*(b.label for b in DEFAULT_AGE_BANDS), NOT_KNOWN]
    assert result["status"].tolist() == ["classified"] * 6 + ["not known"]


def test_each_distinct_band_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = bands_module.age_band_label

    def counting(value: object) -> tuple[str, str]:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(bands_module, "age_band_label", counting)
    result = normalise_age_band(pd.Series(["0-4", "5 to 9", "x"] * 5000))
    assert len(calls) == 3 and len(result) == 15_000


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 100), st.integers(0, 20), st.sampled_from(["-", " - ", " to ", "–"]))
def test_any_written_range_round_trips(lo: int, width: int, dash: str) -> None:
    hi = lo + width
    row = normalise_age_band(pd.Series([f"{lo}{dash}{hi}"])).iloc[0]
    assert row["age_band"] == AgeBand(lo, hi).label
