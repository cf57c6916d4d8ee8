"""Trends for one service: per-period RRI, tests, persistence rule and sentences."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests

from commissioning.analysis.compare import Analysis
from commissioning.analysis.settings import AnalysisSettings, ByDimension
from commissioning.analysis.trends import (
    GROUP_COLUMNS,
    MSG_ANALYSIS_BY,
    MSG_DUPLICATE_PERIOD,
    MSG_NO_PERIOD_COLUMN,
    MSG_ONE_PERIOD,
    PERIOD_COLUMNS,
    TrendOptions,
    history,
    order_periods,
    period_unit,
    trend_from_analyses,
    trend_from_counts,
    trend_from_frame,
    trend_from_returns,
)
from commissioning.comparators.info import PopulationInfo
from commissioning.drafting.trend_text import render_trend, sentences, summary
from commissioning.drafting.wording import MSG_TEMPLATE_MISSING
from commissioning.errors import AnalysisError, TemplateProblemError
from commissioning.model.counts import Counts
from commissioning.model.quality import DataQuality
from commissioning.render.trend_tables import trend_as_dict, trend_text
from commissioning.returns.model import ProviderReturn

QUARTERS = ["2024-25 Q1", "2024-25 Q2", "2024-25 Q3", "2024-25 Q4"]
SERVICE = {
    "Asian": [40, 42, 41, 40],
    "Black": [30, 40, 50, 60],
    "Mixed": [20, 20, 20, 20],
    "White": [100, 90, 80, 70],
    "Other": [10, 8, 9, 10],
}
COMPARATOR = {"Asian": 2000, "Black": 1000, "Mixed": 1000, "White": 5500, "Other": 500}


def _frame(service: dict[str, list[int]] = SERVICE) -> pd.DataFrame:
    total_comp = sum(COMPARATOR.values())
    rows = []
    for i, period in enumerate(QUARTERS):
        known = sum(v[i] for v in service.values())
        for group, counts in service.items():
            rows.append(
                {
                    "period": period,
                    "group": group,
                    "count": counts[i],
                    "known_total": known,
                    "comparator_share": COMPARATOR[group] / total_comp,
                }
            )
    return pd.DataFrame(rows)


def _service_counts(service: dict[str, list[int]] = SERVICE) -> Counts:
    rows = [
        {"major": g, "detailed": "Not known", "period": p, "count": c[i]}
        for g, c in service.items()
        for i, p in enumerate(QUARTERS)
    ]
    rows.append({"major": "Not known", "detailed": "Not known", "period": QUARTERS[0], "count": 7})
    return Counts.from_records(rows)


def _comparator_counts() -> Counts:
    return Counts.from_records(
        {"major": g, "detailed": "Not known", "count": c} for g, c in COMPARATOR.items()
    )


def test_per_period_rri_is_share_over_comparator_share() -> None:
    trend = trend_from_frame(_frame())
    assert list(trend.table.columns) == list(PERIOD_COLUMNS)
    assert list(trend.groups.columns) == list(GROUP_COLUMNS)
    black_q4 = trend.table.query("group == 'Black' and period == '2024-25 Q4'").iloc[0]
    assert black_q4["known_total"] == 200
    assert black_q4["rri"] == pytest.approx((60 / 200) / 0.1)
    assert black_q4["expected"] == pytest.approx(200 * 0.1)


def test_group_tests_match_statsmodels_and_holm() -> None:
    trend = trend_from_frame(_frame())
    raw = []
    for group, counts in SERVICE.items():
        known = [sum(v[i] for v in SERVICE.values()) for i in range(4)]
        table = Table(np.column_stack([counts, np.subtract(known, counts)]), shift_zeros=False)
        reference = table.test_ordinal_association(col_scores=np.array([1.0, 0.0]))
        row = trend.groups.set_index("group").loc[group]
        assert row["trend_statistic"] == pytest.approx(reference.zscore, rel=1e-10)
        raw.append(reference.pvalue)
    np.testing.assert_allclose(
        trend.groups["trend_p_adjusted"], multipletests(raw, method="holm")[1], rtol=1e-9
    )


def test_sentences_word_the_significant_and_persistent_groups() -> None:
    trend = trend_from_frame(_frame())
    assert sentences(trend) == [
        "Black: the RRI rose from 1.5 to 3.0 over four quarters; the change is statistically "
        "significant. The group has been over-represented in each of the last four quarters, "
        "so this is a persistent concern.",
        "White: the RRI fell from 0.9 to 0.6 over four quarters; the change is statistically "
        "significant.",
    ]
    assert summary(trend) == "Black rising; White falling; Black persistently over-represented"


def test_all_groups_sentence_for_a_steady_group() -> None:
    trend = trend_from_frame(_frame())
    every = sentences(trend, concerns_only=False)
    assert "Mixed: the RRI stayed at about 1.0 over four quarters." in every


def test_no_concern_sentence_and_summary() -> None:
    steady = {g: [c[0]] * 4 for g, c in SERVICE.items()}
    trend = trend_from_frame(_frame(steady), options=TrendOptions(over=5.0))
    assert sentences(trend) == [
        "No group's share of the service changed significantly over the four quarters, and no "
        "group was over-represented in each of the latest three quarters."
    ]
    assert summary(trend) == "no significant change"


def test_persistence_needs_n_consecutive_judgeable_periods() -> None:
    service = {**SERVICE, "Other": [30, 8, 30, 30]}
    trend = trend_from_frame(_frame(service))
    other = trend.groups.set_index("group").loc["Other"]
    assert (other["current_run"], other["longest_run"], bool(other["persistent"])) == (2, 2, False)
    trend2 = trend_from_frame(_frame(service), options=TrendOptions(persistence=2))
    assert bool(trend2.groups.set_index("group").loc["Other", "persistent"])


def test_too_few_people_do_not_count_towards_persistence() -> None:
    # Every period has only 19 people of known ethnicity: below the minimum of 20.
    tiny = {
        "Asian": [2] * 4,
        "Black": [10] * 4,
        "Mixed": [2] * 4,
        "White": [5] * 4,
        "Other": [0] * 4,
    }
    trend = trend_from_frame(_frame(tiny), options=TrendOptions(min_expected=0))
    assert not trend.table["judgeable"].any()
    assert not trend.groups["persistent"].any()


def test_small_counts_are_never_worded() -> None:
    service = {**SERVICE, "Other": [1, 3, 9, 12]}
    trend = trend_from_frame(_frame(service), options=TrendOptions(alpha=1.0))
    other = next(s for s in sentences(trend) if s.startswith("Other"))
    assert other == (
        "Other: the numbers in some quarters are too small to describe a trend without "
        "risking identifying people."
    )
    assert not any(ch.isdigit() for ch in other)
    # Q1 has a small count, so no group's Q1 RRI is quoted (it would give it away).
    black = next(s for s in sentences(trend) if s.startswith("Black"))
    assert black.startswith("Black: the numbers in some quarters are too small")


def test_a_small_count_in_a_middle_period_hides_only_its_own_group() -> None:
    service = {**SERVICE, "Other": [10, 3, 9, 12]}
    trend = trend_from_frame(_frame(service))
    rows = trend.groups.set_index("group")
    assert bool(rows.loc["Other", "suppressed"])
    assert not rows.loc[["Asian", "Black", "Mixed", "White"], "suppressed"].any()
    assert sentences(trend)[0].startswith("Black: the RRI rose from 1.5 to 3.0")


def test_from_counts_with_a_period_column_ignores_unknown_ethnicity() -> None:
    by_counts = trend_from_counts(_service_counts(), _comparator_counts())
    by_frame = trend_from_frame(_frame())
    pd.testing.assert_frame_equal(by_counts.table, by_frame.table, check_dtype=False)
    assert by_counts.periods == tuple(QUARTERS)


def test_comparator_with_its_own_periods_is_matched_by_label() -> None:
    rows = [
        {"major": g, "detailed": "Not known", "period": p, "count": c * (2 if g == "Black" else 1)}
        for g, c in COMPARATOR.items()
        for p in QUARTERS
    ]
    trend = trend_from_counts(_service_counts(), Counts.from_records(rows))
    black = trend.table.query("group == 'Black'")["comparator_share"]
    assert black.to_numpy() == pytest.approx([2000 / 11000] * 4)


def test_one_period_and_no_period_column_are_plain_errors() -> None:
    one = _frame().query("period == '2024-25 Q1'")
    with pytest.raises(AnalysisError) as exc:
        trend_from_frame(one)
    assert exc.value.message == MSG_ONE_PERIOD
    with pytest.raises(AnalysisError) as exc:
        trend_from_counts(_service_counts().collapse(), _comparator_counts())
    assert exc.value.message == MSG_NO_PERIOD_COLUMN


def _analysis(period_counts: dict[str, int], by: tuple[ByDimension, ...] = ()) -> Analysis:
    total_comp = sum(COMPARATOR.values())
    table = pd.DataFrame(
        {
            "group": list(period_counts),
            "count": list(period_counts.values()),
            "comparator_share": [COMPARATOR[g] / total_comp for g in period_counts],
        }
    )
    known = sum(period_counts.values())
    info = PopulationInfo("census2021", "Census 2021", "ONS", "TS021", "2021", "X", (), "all ages")
    return Analysis(
        table=table, settings=AnalysisSettings(mode="fixed"), by=by, comparator=info,
        n_total=known + 3, n_known=known, n_not_known=3, n_unmapped=0, omnibus=None,
    )


def test_from_analyses_equals_from_frame() -> None:
    analyses = [_analysis({g: c[i] for g, c in SERVICE.items()}) for i in range(4)]
    trend = trend_from_analyses(analyses, QUARTERS)
    pd.testing.assert_frame_equal(trend.groups, trend_from_frame(_frame()).groups)


def test_from_analyses_rejects_split_analyses_and_repeated_periods() -> None:
    analyses = [_analysis({g: c[i] for g, c in SERVICE.items()}) for i in range(2)]
    with pytest.raises(AnalysisError) as exc:
        trend_from_analyses(analyses, ["2024 Q1", "2024 Q1"])
    assert exc.value.message == MSG_DUPLICATE_PERIOD.format(period="2024 Q1")
    split = [_analysis({"Asian": 3}, by=("sex",)), analyses[0]]
    with pytest.raises(AnalysisError) as exc:
        trend_from_analyses(split, ["2024 Q1", "2024 Q2"])
    assert exc.value.message == MSG_ANALYSIS_BY


def _return(path: str, counts: Counts) -> ProviderReturn:
    return ProviderReturn(path, "0" * 64, "csv", "utf-8", None, "counts", counts, DataQuality())


def test_from_returns_one_file_per_quarter_in_date_order() -> None:
    service = _service_counts()
    returns = [
        _return(f"returns/{p}.csv", service.where(period=p).collapse()) for p in reversed(QUARTERS)
    ]
    labels = [f"Q{4 - i} 2024" for i in range(4)]
    trend = trend_from_returns(returns, _comparator_counts(), periods=labels)
    assert trend.periods == tuple(labels)  # explicit labels keep the given order
    by_name = trend_from_returns(returns, _comparator_counts())
    assert by_name.periods == tuple(QUARTERS)  # file names without extension, by date
    expected = trend_from_frame(_frame()).groups.drop(columns=["first_period", "last_period"])
    got = by_name.groups.drop(columns=["first_period", "last_period"])
    pd.testing.assert_frame_equal(got, expected)


def test_period_order_and_units() -> None:
    assert order_periods(["Q3 2024", "Q1 2024", "2024 Q2", "Q1 2025"]) == [
        "Q1 2024",
        "2024 Q2",
        "Q3 2024",
        "Q1 2025",
    ]
    assert order_periods(["March 2024", "Jan 2024", "2024-02"]) == [
        "Jan 2024",
        "2024-02",
        "March 2024",
    ]
    assert order_periods(["spring", "autumn"]) == ["spring", "autumn"]
    assert period_unit(QUARTERS) == "quarter"
    assert period_unit(["Jan 2024", "Feb 2024"]) == "month"
    assert period_unit(["2022-23", "2023-24"]) == "year"
    assert period_unit(["spring", "summer"]) == "period"


def test_missing_template_is_a_plain_error() -> None:
    with pytest.raises(TemplateProblemError) as exc:
        render_trend("trend_missing.md.j2")
    assert exc.value.message == MSG_TEMPLATE_MISSING.format(name="trend_missing.md.j2")


def _csv(path: Path, people: dict[str, int], period: str | None = None) -> Path:
    lines = ["Ethnicity,Gender,Age" + (",Period" if period else "")]
    for group, count in people.items():
        lines += [f"{group},Female,9" + (f",{period}" if period else "")] * count
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_history_from_previous_files_and_from_a_period_column(tmp_path: Path) -> None:
    from commissioning.analysis.compare import analyse
    from commissioning.comparators import population
    from commissioning.returns.read import read_return

    comp = population("Westminster")

    def analyse_one(ret: ProviderReturn) -> Analysis:
        return analyse(ret.counts, comp)

    people = [{g: c[i] for g, c in SERVICE.items()} for i in range(4)]
    files = [_csv(tmp_path / f"{q}.csv", p) for q, p in zip(QUARTERS, people, strict=True)]
    current = read_return(files[-1])
    found = history(current, analyse_one(current), files[:-1], analyse_one, comp.counts)
    assert [label for label, _ in found.previous] == QUARTERS[:3]
    assert found.trend is not None and found.trend.periods == tuple(QUARTERS)
    by_hand = trend_from_counts(_service_counts(), comp.counts)
    pd.testing.assert_frame_equal(found.trend.groups, by_hand.groups)

    lines = []
    for quarter, p in zip(QUARTERS, people, strict=True):
        lines += _csv(tmp_path / "x.csv", p, quarter).read_text().splitlines()[1:]
    combined = tmp_path / "all.csv"
    combined.write_text("Ethnicity,Gender,Age,Period\n" + "\n".join(lines) + "\n")
    whole = read_return(combined)
    alone = history(whole, analyse_one(whole), [], analyse_one, comp.counts)
    assert alone.previous == () and alone.trend is not None
    pd.testing.assert_frame_equal(alone.trend.groups, by_hand.groups)
    single = history(current, analyse_one(current), [], analyse_one, comp.counts)
    assert single.trend is None


def test_trend_as_json_and_text() -> None:
    trend = trend_from_frame(_frame())
    data = json.loads(json.dumps(trend_as_dict(trend)))
    assert data["periods"] == QUARTERS and data["unit"] == "quarter"
    assert list(data["table"][0]) == list(PERIOD_COLUMNS)
    assert list(data["groups"][0]) == list(GROUP_COLUMNS)
    assert data["sentences"] == sentences(trend)
    text = trend_text(trend)
    black = next(line for line in text.splitlines() if line.startswith("Black"))
    assert black.split() == ["Black", "1.5", "2.0", "2.5", "3.0"]
    assert text.rstrip().endswith(sentences(trend)[-1])


def test_a_group_missing_from_the_comparator_gets_no_rri() -> None:
    frame = _frame({**SERVICE, "Other": [5, 15, 30, 45]})
    frame.loc[frame["group"] == "Other", "comparator_share"] = 0.0
    trend = trend_from_frame(frame)
    other = next(s for s in sentences(trend) if s.startswith("Other"))
    assert other == (
        "Other: the comparator population has no one in this group, so no RRI can be "
        "given; the group's share of the service changed over four quarters, and the "
        "change is statistically significant."
    )
    assert "nan" not in " ".join(sentences(trend))
