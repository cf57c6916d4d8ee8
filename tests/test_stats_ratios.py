"""RRI and ratio intervals against statsmodels, with every edge case spelt out."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from commissioning.stats.ratios import (
    group_vs_rest_to_rri,
    katz_interval,
    nested_rri_interval,
    reference_rate_ratio,
    reference_rate_ratio_interval,
    relative_rate_index,
    wilson_rri_interval,
)


def test_rri_is_share_over_comparator_share() -> None:
    assert float(relative_rate_index(30, 100, 1000, 10_000)) == pytest.approx(3.0)
    assert float(relative_rate_index(0, 100, 1000, 10_000)) == 0.0


def test_rri_zero_over_zero_and_x_over_zero_are_nan() -> None:
    # 0/0: no one with a known ethnicity in the service.
    assert np.isnan(relative_rate_index(0, 0, 10, 100))
    # x/0: the group is absent from the comparator; 0 people there too is still undefined.
    assert np.isnan(relative_rate_index(3, 10, 0, 100))
    assert np.isnan(relative_rate_index(0, 10, 0, 100))


def test_wilson_rri_interval_is_wilson_over_comparator_share() -> None:
    x, n, cg, ct = np.array([0, 3, 40, 100]), 100, np.array([5, 10, 300, 9000]), 10_000
    low, high = wilson_rri_interval(x, n, cg, ct)
    ref_low, ref_high = proportion_confint(x, n, method="wilson")
    np.testing.assert_allclose(low, ref_low / (cg / ct), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(high, ref_high / (cg / ct), rtol=1e-10)


def test_wilson_rri_interval_nan_without_comparator() -> None:
    low, high = wilson_rri_interval(3, 10, 0, 100)
    assert np.isnan(low) and np.isnan(high)


KATZ_CASES = [
    (1, 1, 1, 1),
    (3, 10, 5, 12),
    (40, 100, 300, 1000),
    (1, 2, 7, 9),
    (999, 1000, 5, 10),
    (12, 5_000_000, 30, 9_000_000),
    (10, 10, 3, 20),
]


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_katz_matches_statsmodels_log_method(level: float) -> None:
    for x1, n1, x2, n2 in KATZ_CASES:
        low, high = katz_interval(x1, n1, x2, n2, level)
        ref = confint_proportions_2indep(
            x1, n1, x2, n2, compare="ratio", method="log", alpha=1 - level
        )
        assert (float(low), float(high)) == pytest.approx(ref, rel=1e-10)


def test_katz_zero_count_uses_half_correction_for_the_finite_limit() -> None:
    low, high = katz_interval(0, 50, 8, 40)
    ref = confint_proportions_2indep(0, 50, 8, 40, compare="ratio", method="log-adjusted")
    assert float(low) == 0.0
    assert float(high) == pytest.approx(ref[1], rel=1e-10)
    low, high = katz_interval(8, 40, 0, 50)
    ref = confint_proportions_2indep(8, 40, 0, 50, compare="ratio", method="log-adjusted")
    assert float(low) == pytest.approx(ref[0], rel=1e-10)
    assert float(high) == np.inf


def test_katz_undefined_cases() -> None:
    assert all(np.isnan(v) for v in katz_interval(0, 10, 0, 10))
    assert all(np.isnan(v) for v in katz_interval(0, 0, 3, 10))
    assert all(np.isnan(v) for v in katz_interval(3, 10, 0, 0))


def test_group_vs_rest_mapping_endpoints_and_identity() -> None:
    w_count, total = 200, 1000  # w = 0.2
    assert float(group_vs_rest_to_rri(0.0, w_count, total)) == 0.0
    assert float(group_vs_rest_to_rri(np.inf, w_count, total)) == pytest.approx(5.0)
    assert float(group_vs_rest_to_rri(1.0, w_count, total)) == pytest.approx(1.0)
    # group rate 0.5, others 0.25 -> overall 0.3 -> RRI 0.5/0.3
    assert float(group_vs_rest_to_rri(2.0, w_count, total)) == pytest.approx(0.5 / 0.3)


def test_nested_interval_is_katz_of_group_vs_rest_carried_to_rri() -> None:
    x, n, cg, ct = 30, 80, 100, 500
    low, high = nested_rri_interval(x, n, cg, ct)
    ref = confint_proportions_2indep(x, cg, n - x, ct - cg, compare="ratio", method="log")
    w = cg / ct
    assert float(low) == pytest.approx(1 / (w + (1 - w) / ref[0]), rel=1e-10)
    assert float(high) == pytest.approx(1 / (w + (1 - w) / ref[1]), rel=1e-10)
    assert float(low) < float(relative_rate_index(x, n, cg, ct)) < float(high)


def test_nested_whole_comparator_group_is_exactly_one() -> None:
    low, high = nested_rri_interval(7, 7, 50, 50)
    assert (float(low), float(high)) == (1.0, 1.0)


def test_nested_all_service_in_one_group_reaches_upper_edge() -> None:
    low, high = nested_rri_interval(20, 20, 100, 400)
    assert float(high) == pytest.approx(4.0)  # 1 / w: nobody else progressed
    assert float(low) < 4.0


def test_reference_rate_ratio_value_and_undefined_cases() -> None:
    assert float(reference_rate_ratio(30, 1000, 10, 2000)) == pytest.approx(6.0)
    assert np.isnan(reference_rate_ratio(30, 1000, 0, 2000))
    assert np.isnan(reference_rate_ratio(30, 0, 10, 2000))


def test_reference_interval_fixed_is_conditional_wilson() -> None:
    a, cg, b, cr = 30, 1000, 10, 2000
    low, high = reference_rate_ratio_interval(a, cg, b, cr, "fixed")
    t_low, t_high = proportion_confint(a, a + b, method="wilson")
    assert float(low) == pytest.approx(t_low / (1 - t_low) * cr / cg, rel=1e-10)
    assert float(high) == pytest.approx(t_high / (1 - t_high) * cr / cg, rel=1e-10)


def test_reference_interval_independent_is_woolf_odds_ratio() -> None:
    a, cg, b, cr = 30, 1000, 10, 2000
    low, high = reference_rate_ratio_interval(a, cg, b, cr, "independent")
    ref = Table2x2(np.array([[a, b], [cg, cr]])).oddsratio_confint(method="normal")
    assert (float(low), float(high)) == pytest.approx(ref, rel=1e-10)


def test_reference_interval_nested_is_katz() -> None:
    a, cg, b, cr = 30, 100, 10, 200
    low, high = reference_rate_ratio_interval(a, cg, b, cr, "nested")
    ref = confint_proportions_2indep(a, cg, b, cr, compare="ratio", method="log")
    assert (float(low), float(high)) == pytest.approx(ref, rel=1e-10)


def test_reference_interval_unknown_mode() -> None:
    with pytest.raises(ValueError):
        reference_rate_ratio_interval(1, 2, 3, 4, "sideways")


@given(
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(1, 10**6),
    st.integers(1, 10**6),
    st.sampled_from(["fixed", "independent", "nested"]),
)
def test_reference_interval_contains_estimate(a: int, b: int, cg: int, cr: int, mode: str) -> None:
    if mode == "nested":
        a, b = min(a, cg), min(b, cr)
    est = float(reference_rate_ratio(a, cg, b, cr))
    low, high = (float(v) for v in reference_rate_ratio_interval(a, cg, b, cr, mode))
    if np.isnan(est):
        assert np.isnan(low) and np.isnan(high)
    else:
        assert low <= est * (1 + 1e-12) and est <= high * (1 + 1e-12)


@given(
    st.integers(0, 10_000).flatmap(lambda n1: st.tuples(st.integers(0, n1), st.just(n1))),
    st.integers(1, 10_000).flatmap(lambda n2: st.tuples(st.integers(1, n2), st.just(n2))),
)
def test_katz_contains_estimate(s1: tuple[int, int], s2: tuple[int, int]) -> None:
    (x1, n1), (x2, n2) = s1, s2
    low, high = (float(v) for v in katz_interval(x1, n1, x2, n2))
    if n1 == 0:
        assert np.isnan(low)
        return
    est = (x1 / n1) / (x2 / n2)
    assert low <= est * (1 + 1e-12) and est <= high * (1 + 1e-12)


def test_reference_interval_independent_with_a_zero_is_one_corrected_table() -> None:
    """Haldane-Anscombe: 0.5 on all four cells, for the centre and the variance alike
    (Woolf's interval of one corrected table, computed here by statsmodels); the limit on
    the side of the zero is its edge."""
    a, b, cg, cr = 6.0, 0.0, 400.0, 900.0  # no one from the reference group: undefined
    low, high = reference_rate_ratio_interval(a, cg, b, cr, "independent")
    assert np.isnan(low) and np.isnan(high)
    a, b = 0.0, 7.0
    low, high = reference_rate_ratio_interval(a, cg, b, cr, "independent")
    table = Table2x2(np.array([[a, b], [cg, cr]]) + 0.5)
    _, expected_high = table.oddsratio_confint()
    assert low == 0.0 and high == pytest.approx(expected_high, rel=1e-12)


def test_the_reference_group_has_a_ratio_of_one_and_no_interval() -> None:
    from commissioning.analysis.compare import analyse
    from commissioning.model.counts import Counts

    def counts(groups: dict[str, int]) -> Counts:
        return Counts.from_records(
            {"major": g, "detailed": "Not known", "count": n} for g, n in groups.items())

    result = analyse(counts({"Asian": 20, "Black": 40, "White": 60}),
                     counts({"Asian": 500, "Black": 400, "White": 2000}),
                     reference="White", mode="independent")
    white = result.table.set_index("group").loc["White"]
    assert white["rate_ratio"] == 1.0
    assert np.isnan(white["rate_ratio_low"]) and np.isnan(white["rate_ratio_high"])
    black = result.table.set_index("group").loc["Black"]
    assert black["rate_ratio_low"] < black["rate_ratio"] < black["rate_ratio_high"]
