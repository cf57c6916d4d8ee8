"""The example returns in provider_returns/ read as their layouts intend."""

from __future__ import annotations

from pathlib import Path

import pytest

from commissioning.checking.report import build_check
from commissioning.model.categories import NOT_KNOWN
from commissioning.returns import read_return

EXAMPLES = Path(__file__).resolve().parent.parent / "provider_returns"


def _codes(name: str) -> set[str]:
    return {i.code for i in read_return(EXAMPLES / name).quality.issues}


def test_westminster_holiday_activities_records_with_dates_of_birth() -> None:
    ret = read_return(EXAMPLES / "westminster_holiday_activities_2024q2.xlsx")
    assert (ret.layout, ret.sheet, ret.total) == ("records", "Q2 attendees", 412)
    assert {"personal-data", "ages-as-of", "unmapped-ethnicity"} <= {
        i.code for i in ret.quality.issues
    }
    assert ret.quality.unmapped["label"].tolist() == ["Latin American"]
    assert set(ret.counts.dimensions) == {"sex", "age_band", "period", "stage"}
    assert NOT_KNOWN not in ret.counts.tally("age_band")  # every date of birth was read
    assert build_check(ret).exit_code == 0


def test_kensington_chelsea_youth_counts_csv_is_clean() -> None:
    ret = read_return(EXAMPLES / "kensington_chelsea_youth_2024q2.csv")
    assert (ret.layout, ret.file_format) == ("counts", "csv")
    assert ret.quality.issues == ()
    assert set(ret.counts.dimensions) == {"sex", "age_band"}


def test_bibrough_cross_tab_with_sub_totals() -> None:
    ret = read_return(EXAMPLES / "bibrough_mental_health_2024q2.xlsx")
    assert ret.layout_detail == "a cross-tab of ethnicity by gender"
    codes = {i.code for i in ret.quality.issues}
    assert "totals-left-out" in codes and "totals-mismatch" not in codes
    assert "no-age-column" in codes


def test_small_return_has_twelve_people() -> None:
    assert read_return(EXAMPLES / "westminster_parenting_group_2024q2.xlsx").total == 12


def test_family_support_separate_tables() -> None:
    ret = read_return(EXAMPLES / "westminster_family_support_2024q2.xlsx")
    assert set(ret.marginals) == {"sex", "age_band"}
    assert int(ret.marginals["sex"].sum()) == ret.total
    assert "tables-disagree" not in _codes("westminster_family_support_2024q2.xlsx")


def test_early_help_has_forty_percent_not_known() -> None:
    ret = read_return(EXAMPLES / "kensington_chelsea_early_help_2024q2.csv")
    report = build_check(ret).as_dict()
    assert report["completeness"]["ethnicity"]["not_known_pct"] == pytest.approx(40.0)
    assert ret.quality.has_code("ethnicity-not-known")
    assert ret.quality.has_code("text-encoding")
