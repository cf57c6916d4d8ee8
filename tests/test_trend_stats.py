"""Change-across-periods statistics, checked against scipy, statsmodels and exact
enumeration of the conditional distribution."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests

from commissioning.stats.trend import (
    METHOD_HOMOGENEITY,
    METHOD_TREND,
    change_tests,
    direction,
    holm,
    homogeneity_test,
    persistence,
    trend_test,
)

LARGE_TABLES = [
    ([30, 45, 60, 80], [400, 410, 395, 420]),
    ([120, 118, 125], [1000, 980, 1010]),
    ([50, 20], [200, 210]),
    ([9, 14, 22, 31, 40, 12], [100, 100, 100, 100, 100, 50]),
]


@pytest.mark.parametrize(("x", "n"), LARGE_TABLES)
def test_homogeneity_matches_scipy_chi2_contingency(x: list[int], n: list[int]) -> None:
    table = np.array([x, np.subtract(n, x)])
    chi2, p, dof, _ = chi2_contingency(table, correction=False)
    result = homogeneity_test(x, n)
    assert result.method == METHOD_HOMOGENEITY
    assert result.statistic == pytest.approx(chi2, rel=1e-12)
    assert result.df == dof
    assert result.p_value == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize(("x", "n"), LARGE_TABLES)
def test_trend_matches_statsmodels_cochran_armitage(x: list[int], n: list[int]) -> None:
    # rows = periods, columns = (in group, not in group); scores 0,1,2.. and (1, 0)
    table = Table(np.column_stack([x, np.subtract(n, x)]), shift_zeros=False)
    reference = table.test_ordinal_association(col_scores=np.array([1.0, 0.0]))
    result = trend_test(x, n)
    assert result.method == METHOD_TREND
    assert result.statistic == pytest.approx(reference.zscore, rel=1e-12)
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-9)


def test_trend_with_uneven_scores_matches_statsmodels() -> None:
    x, n, scores = [10, 25, 40], [200, 220, 210], [0.0, 1.0, 4.0]
    table = Table(np.column_stack([x, np.subtract(n, x)]), shift_zeros=False)
    reference = table.test_ordinal_association(
        row_scores=np.array(scores), col_scores=np.array([1.0, 0.0])
    )
    assert trend_test(x, n, scores).p_value == pytest.approx(reference.pvalue, rel=1e-9)


def test_two_periods_trend_and_homogeneity_agree() -> None:
    # For a 2 x 2 table the linear-by-linear M^2 = (N-1)/N times Pearson's X^2.
    x, n = [50, 80], [300, 310]
    big_n = sum(n)
    z = trend_test(x, n).statistic
    chi2 = homogeneity_test(x, n).statistic
    assert z**2 == pytest.approx(chi2 * (big_n - 1) / big_n, rel=1e-12)


def _exact_p(x: list[int], n: list[int], statistic) -> float:
    """Enumerate every table with the observed margins (multivariate hypergeometric)."""
    k, big_n = sum(x), sum(n)
    observed = statistic(np.array(x))
    total = 0.0
    for cand in itertools.product(*(range(m + 1) for m in n)):
        if sum(cand) != k:
            continue
        prob = math.prod(math.comb(m, c) for m, c in zip(n, cand, strict=True)) / math.comb(
            big_n, k
        )
        if statistic(np.array(cand)) >= observed - 1e-9:
            total += prob
    return total


def test_small_counts_use_monte_carlo_close_to_exact_homogeneity() -> None:
    x, n = [0, 2, 5, 1], [8, 9, 10, 7]
    result = homogeneity_test(x, n, draws=100_000)
    assert result.monte_carlo and "Monte Carlo" in result.method

    def pearson(cand: np.ndarray) -> float:
        chi2, *_ = chi2_contingency(np.array([cand, np.subtract(n, cand)]), correction=False)
        return float(chi2)

    exact = _exact_p(x, n, pearson)
    assert result.p_value == pytest.approx(exact, abs=0.01)


def test_small_counts_use_monte_carlo_close_to_exact_trend() -> None:
    x, n = [0, 1, 3, 4], [8, 9, 10, 7]
    result = trend_test(x, n, draws=100_000)
    assert result.monte_carlo

    def abs_z(cand: np.ndarray) -> float:
        if cand.sum() == 0:
            return 0.0
        table = Table(np.column_stack([cand, np.subtract(n, cand)]), shift_zeros=False)
        return abs(float(table.test_ordinal_association(col_scores=np.array([1.0, 0.0])).zscore))

    exact = _exact_p(x, n, abs_z)
    assert result.p_value == pytest.approx(exact, abs=0.01)
    assert result.statistic > 0


@pytest.mark.parametrize(
    ("x", "n"), [([0, 1, 3, 4], [8, 9, 10, 7]), ([30, 45, 60, 80], [400, 410, 395, 420])]
)
def test_change_tests_equal_the_two_tests_run_alone(x: list[int], n: list[int]) -> None:
    assert change_tests(x, n) == (trend_test(x, n), homogeneity_test(x, n))


def test_monte_carlo_is_reproducible() -> None:
    assert trend_test([0, 1, 4], [9, 9, 9]) == trend_test([0, 1, 4], [9, 9, 9])


def test_no_variation_gives_p_of_one() -> None:
    for x, n in (([0, 0, 0], [10, 12, 9]), ([10, 12, 9], [10, 12, 9]), ([3], [10])):
        assert homogeneity_test(x, n).p_value == 1.0
        assert trend_test(x, n).p_value == 1.0
        assert "no test possible" in trend_test(x, n).method


def test_empty_periods_are_ignored() -> None:
    with_empty = trend_test([30, 0, 45, 60], [400, 0, 410, 395], [0, 1, 2, 3])
    without = trend_test([30, 45, 60], [400, 410, 395], [0, 2, 3])
    assert with_empty == without


def test_bad_counts_are_rejected() -> None:
    with pytest.raises(ValueError):
        trend_test([5, 11], [10, 10])
    with pytest.raises(ValueError):
        homogeneity_test([1, 2], [10])


def test_direction_follows_the_sign_and_alpha() -> None:
    rising = trend_test([30, 45, 60, 80], [400, 410, 395, 420])
    falling = trend_test([80, 60, 45, 30], [420, 395, 410, 400])
    assert direction(rising) == "rising"
    assert direction(falling) == "falling"
    weak = trend_test([30, 31], [400, 400])
    assert direction(weak, alpha=0.05) == "flat"


def test_holm_matches_statsmodels() -> None:
    p = [0.01, 0.04, 0.03, 0.2, 0.001, 0.04]
    expected = multipletests(p, method="holm")[1]
    np.testing.assert_allclose(holm(p), expected, rtol=1e-12)
    assert len(holm([])) == 0


@pytest.mark.parametrize(
    ("flags", "current", "longest", "flagged"),
    [
        ([True, True, True], 3, 3, True),
        ([True, True, True, False], 0, 3, False),
        ([False, True, True, True, True], 4, 4, True),
        ([True, False, True, True], 2, 2, False),
        ([], 0, 0, False),
    ],
)
def test_persistence_counts_back_from_the_latest_period(
    flags: list[bool], current: int, longest: int, flagged: bool
) -> None:
    result = persistence(flags, required=3)
    assert (result.current_run, result.longest_run, result.flagged) == (current, longest, flagged)


def test_persistence_requirement_is_configurable() -> None:
    assert persistence([True, True], required=2).flagged
    assert not persistence([True, True], required=3).flagged
    with pytest.raises(ValueError):
        persistence([True], required=0)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    periods = draw(st.integers(2, 6))
    n = draw(st.lists(st.integers(1, 60), min_size=periods, max_size=periods))
    x = [draw(st.integers(0, m)) for m in n]
    return x, n


@settings(max_examples=40, deadline=None)
@given(tables())
def test_p_values_are_probabilities_and_reversal_flips_the_trend(
    table: tuple[list[int], list[int]],
) -> None:
    x, n = table
    forward = trend_test(x, n, draws=2_000)
    backward = trend_test(x[::-1], n[::-1], draws=2_000)
    homogeneity = homogeneity_test(x, n, draws=2_000)
    assert 0.0 < forward.p_value <= 1.0
    assert 0.0 < homogeneity.p_value <= 1.0
    assert homogeneity.statistic >= 0.0
    assert forward.statistic == pytest.approx(-backward.statistic, abs=1e-9)
