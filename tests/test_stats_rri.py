"""The RRI result value: tests per design, intervals at any level, invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, fisher_exact
from statsmodels.stats.proportion import confint_proportions_2indep

from commissioning.stats.rri import TEST_BINOMIAL, TEST_FISHER, rri_test

X = np.array([50, 10, 0, 40])
N_G = np.array([5000, 3000, 1500, 500])


def test_fixed_mode_uses_the_exact_binomial_test() -> None:
    res = rri_test(X, X.sum(), N_G, N_G.sum(), "fixed")
    assert res.test == TEST_BINOMIAL
    want = [
        binomtest(int(x), int(X.sum()), g / N_G.sum()).pvalue for x, g in zip(X, N_G, strict=True)
    ]
    np.testing.assert_allclose(res.pvalue, want, rtol=1e-10)
    np.testing.assert_allclose(res.statistic, (X / X.sum()) / (N_G / N_G.sum()))


def test_independent_mode_uses_fisher_and_katz() -> None:
    n, total = int(X.sum()), int(N_G.sum())
    res = rri_test(X, n, N_G, total, "independent")
    assert res.test == TEST_FISHER
    want = [fisher_exact([[x, n - x], [g, total - g]]).pvalue for x, g in zip(X, N_G, strict=True)]
    np.testing.assert_allclose(res.pvalue, want, rtol=1e-9)
    ci = res.confidence_interval(0.9)
    ref = confint_proportions_2indep(10, n, 3000, total, compare="ratio", method="log", alpha=0.1)
    assert (ci.low[1], ci.high[1]) == pytest.approx(ref, rel=1e-10)
    assert ci.confidence_level == 0.9


def test_nested_mode_uses_fisher_on_progression() -> None:
    x, cg = np.array([30, 5, 1]), np.array([100, 80, 20])
    n, total = int(x.sum()), int(cg.sum())
    res = rri_test(x, n, cg, total, "nested")
    want = [
        fisher_exact([[a, g - a], [n - a, (total - g) - (n - a)]]).pvalue
        for a, g in zip(x, cg, strict=True)
    ]
    np.testing.assert_allclose(res.pvalue, want, rtol=1e-9)
    with pytest.raises(ValueError):
        rri_test([30, 5], 35, [20, 80], 100, "nested")


def test_edge_cases_are_nan_not_numbers() -> None:
    res = rri_test([0, 4, 0], [0, 10, 10], [10, 0, 0], [100, 100, 100], "fixed")
    assert np.isnan(res.statistic).all() and np.isnan(res.pvalue).all()
    ci = res.confidence_interval()
    assert np.isnan(ci.low).all() and np.isnan(ci.high).all()


def test_wider_level_gives_wider_interval() -> None:
    res = rri_test(X, X.sum(), N_G, N_G.sum())
    narrow, wide = res.confidence_interval(0.8), res.confidence_interval(0.99)
    assert np.all(wide.low <= narrow.low) and np.all(wide.high >= narrow.high)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        rri_test(1, 2, 3, 4, "sideways")  # type: ignore[arg-type]


populations = st.lists(st.integers(0, 400), min_size=1, max_size=8).filter(lambda v: sum(v) > 0)


@settings(max_examples=150)
@given(populations, st.sampled_from(["fixed", "independent", "nested"]))
def test_whole_population_against_itself_is_one(counts: list[int], mode: str) -> None:
    c = np.array(counts)
    res = rri_test(c, c.sum(), c, c.sum(), mode)  # type: ignore[arg-type]
    present = c > 0
    np.testing.assert_allclose(res.statistic[present], 1.0, rtol=1e-12)
    assert np.all(res.pvalue[present] > 0.999)
    ci = res.confidence_interval()
    assert np.all(ci.low[present] <= 1.0 + 1e-12) and np.all(ci.high[present] >= 1.0 - 1e-12)


@settings(max_examples=200)
@given(
    populations,
    st.lists(st.integers(0, 10**6), min_size=8, max_size=8),
    st.sampled_from(["fixed", "independent", "nested"]),
    st.floats(0.5, 0.999),
)
def test_interval_contains_estimate_and_p_in_unit_range(
    service: list[int], comp: list[int], mode: str, level: float
) -> None:
    x = np.array(service)
    cg = np.array(comp[: len(service)])
    if mode == "nested":
        cg = cg + x
    res = rri_test(x, x.sum(), cg, max(int(cg.sum()), 1), mode)  # type: ignore[arg-type]
    ci = res.confidence_interval(level)
    ok = ~np.isnan(res.statistic)
    assert np.all((res.pvalue[ok] >= 0) & (res.pvalue[ok] <= 1))
    assert np.all(ci.low[ok] <= res.statistic[ok] * (1 + 1e-12))
    assert np.all(res.statistic[ok] <= ci.high[ok] * (1 + 1e-12))
