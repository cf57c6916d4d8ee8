"""Sex and age band compared in their own right: `analyse_characteristic`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commissioning.analysis.characteristic import (
    MSG_AGES_CANNOT_LINE_UP,
    MSG_AGES_NOT_COVERED,
    MSG_BAD_CHARACTERISTIC,
    MSG_COMPARATOR_LACKS,
    MSG_NO_KNOWN_CHARACTERISTIC,
    MSG_RETURN_LACKS,
    WARN_OTHER_GENDER,
    analyse_characteristic,
)
from commissioning.analysis.compare import TABLE_COLUMNS, analyse
from commissioning.comparators import population
from commissioning.drafting.disclosure import make_safe
from commissioning.errors import AnalysisError
from commissioning.model.categories import NOT_KNOWN
from commissioning.model.counts import Counts


def _people(rows: list[tuple[str, str, int]]) -> Counts:
    """A return with no ethnicity at all: (sex, age band, count)."""
    return Counts.from_records(
        {"major": NOT_KNOWN, "detailed": NOT_KNOWN, "sex": s, "age_band": b, "count": n}
        for s, b, n in rows
    )


SERVICE = _people([
    ("Female", "0-4", 30), ("Male", "5-9", 40), ("Other", "10-14", 3),
    (NOT_KNOWN, "15-17", 2), ("Male", "10-14", 3), ("Female", "15-17", 25),
])


@pytest.fixture(scope="module")
def westminster():  # type: ignore[no-untyped-def]
    return population("Westminster", source="mye2022", ages="0-17")


def test_sex_table_has_the_analyse_columns_and_counts_everyone(westminster) -> None:
    result = analyse_characteristic(SERVICE, westminster, "sex")
    assert tuple(result.table.columns) == TABLE_COLUMNS
    assert result.table["group"].tolist() == ["Female", "Male"]
    assert result.table["count"].tolist() == [55, 43]
    assert result.characteristic == "sex" and result.by == ()
    # The 3 non-binary people and the 2 of no known sex are counted, not dropped.
    assert (result.n_total, result.n_known, result.n_not_known, result.n_unmapped) == (
        103, 98, 5, 0)
    assert WARN_OTHER_GENDER.format(count=3) in result.warnings
    comp = westminster.counts.tally("sex")
    expected = (55 / 98) / (comp["Female"] / (comp["Female"] + comp["Male"]))
    assert float(result.table["rri"].iloc[0]) == pytest.approx(expected, abs=1e-12)


def test_age_bands_add_up_the_single_years(westminster) -> None:
    result = analyse_characteristic(SERVICE, westminster, "age_band")
    assert result.table["group"].tolist() == ["0-4", "5-9", "10-14", "15-17"]
    frame = westminster.counts.frame
    ages = frame["age_band"].str.split("-").str[0].astype(int)
    five_to_nine = int(frame.loc[ages.between(5, 9), "count"].sum())
    assert int(result.table.loc[1, "comparator_count"]) == five_to_nine
    assert result.n_known == 103 and result.warnings == ()
    assert result.omnibus is not None and result.omnibus.df == 3


def test_the_same_numbers_as_ethnic_groups_give_the_same_statistics(westminster) -> None:
    by_sex = analyse_characteristic(SERVICE, westminster, "sex")
    comp = westminster.counts.tally("sex")
    as_groups = Counts.from_records([
        {"major": "Asian", "detailed": NOT_KNOWN, "count": 55},
        {"major": "Black", "detailed": NOT_KNOWN, "count": 43},
    ])
    comparator = Counts.from_records([
        {"major": "Asian", "detailed": NOT_KNOWN, "count": int(comp["Female"])},
        {"major": "Black", "detailed": NOT_KNOWN, "count": int(comp["Male"])},
    ])
    plain = analyse(as_groups, comparator).table.set_index("group").loc[["Asian", "Black"]]
    for column in ("rri", "rri_low", "rri_high", "p_value", "p_adjusted", "expected"):
        assert np.allclose(by_sex.table[column].to_numpy(float),
                           plain[column].to_numpy(float), rtol=1e-12), column
    assert by_sex.table["band"].tolist() == plain["band"].tolist()


def test_make_safe_works_unchanged_on_a_characteristic_analysis(westminster) -> None:
    service = _people([("Female", "0-4", 30), ("Male", "5-9", 40), ("Male", "10-14", 3),
                       ("Female", "15-17", 27)])
    safe = make_safe(analyse_characteristic(service, westminster, "age_band"))
    assert [r.group for r in safe.rows] == ["0-4", "5-9", "10-14", "15-17"]
    hidden = safe.row("10-14")
    assert hidden.count is None and hidden.reason == "small" and hidden.rri is None
    assert safe.n_total.hidden and (safe.n_total.low, safe.n_total.high) == (98, 101)
    assert safe.published is not None and safe.published.characteristic == "age_band"
    shown = safe.row("5-9")
    assert shown.count == 40 and shown.rri is not None
    # Shares of the published rows leave the hidden band out (30 + 40 + 27 people).
    assert shown.share == pytest.approx(40 / 97)


@pytest.mark.parametrize(
    ("service", "source", "ages", "characteristic", "message"),
    [
        (_people([("Female", "0-4", 9)]).collapse(("age_band",)), "mye2022", "0-17", "sex",
         MSG_RETURN_LACKS.format(what="sex")),
        (SERVICE, "mye2024", "0-17", "sex", MSG_COMPARATOR_LACKS.format(what="sex")),
        (_people([(NOT_KNOWN, "0-4", 9)]), "mye2022", "0-17", "sex",
         MSG_NO_KNOWN_CHARACTERISTIC.format(what="sex")),
        (_people([("Male", "0-4", 9), ("Male", "18-24", 9)]), "mye2022", "0-17", "age_band",
         MSG_AGES_NOT_COVERED.format(band="18-24", range="0-24")),
        (SERVICE, "census2021-age", "0-19", "age_band",
         MSG_AGES_CANNOT_LINE_UP.format(bands="0-4, 5-9, 10-14, 15-17")),
    ],
)
def test_refusals_are_one_plain_line(service, source, ages, characteristic, message) -> None:
    pop = population("Kent", source=source, ages=ages)
    with pytest.raises(AnalysisError) as caught:
        analyse_characteristic(service, pop, characteristic)
    assert caught.value.message == message
    assert "\n" not in message


def test_an_unknown_characteristic_is_refused(westminster) -> None:
    with pytest.raises(AnalysisError) as caught:
        analyse_characteristic(SERVICE, westminster, "religion")  # type: ignore[arg-type]
    assert caught.value.message == MSG_BAD_CHARACTERISTIC.format(value="religion")


def test_a_return_with_ethnicity_is_compared_by_sex_over_everyone(westminster) -> None:
    mixed = Counts(pd.DataFrame({
        "major": ["White", "Black", NOT_KNOWN], "detailed": [NOT_KNOWN] * 3,
        "sex": ["Female", "Female", "Male"], "age_band": ["0-4"] * 3, "count": [10, 5, 7],
    }))
    result = analyse_characteristic(mixed, westminster, "sex")
    assert result.table["count"].tolist() == [15, 7]
