"""Omnibus tests: scipy for the chi-square forms, exact enumeration for Monte Carlo."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import chi2, chi2_contingency, chisquare, multinomial, multivariate_hypergeom

from commissioning.stats.goodness import (
    METHOD_GOF,
    METHOD_HOMOGENEITY,
    goodness_of_fit,
    homogeneity,
)


def test_goodness_of_fit_matches_scipy_chisquare() -> None:
    obs = np.array([120, 80, 60, 30, 10])
    comp = np.array([5000, 3000, 2500, 1000, 500])
    res = goodness_of_fit([obs], [comp])
    ref = chisquare(obs, obs.sum() * comp / comp.sum())
    assert res.method == METHOD_GOF and res.df == 4
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)


def test_strata_add_statistics_and_degrees_of_freedom() -> None:
    a, pa = np.array([50, 30, 20]), np.array([0.5, 0.3, 0.2])
    b, pb = np.array([10, 40, 60, 20]), np.array([0.1, 0.3, 0.4, 0.2])
    res = goodness_of_fit([a, b], [pa, pb])
    sa = chisquare(a, a.sum() * pa).statistic
    sb = chisquare(b, b.sum() * pb).statistic
    assert res.statistic == pytest.approx(sa + sb)
    assert res.df == 5
    assert res.pvalue == pytest.approx(chi2.sf(sa + sb, 5))


def test_homogeneity_matches_scipy_chi2_contingency() -> None:
    top = np.array([40, 25, 30, 12])
    bottom = np.array([400, 300, 200, 150])
    res = homogeneity([top], [bottom])
    ref = chi2_contingency(np.vstack([top, bottom]), correction=False)
    assert res.method == METHOD_HOMOGENEITY
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.df == ref.dof
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)


def _exact_gof_p(obs: np.ndarray, p: np.ndarray) -> float:
    n, e = int(obs.sum()), obs.sum() * p
    stat = float(np.sum((obs - e) ** 2 / e))
    total = 0.0
    for first in itertools.product(range(n + 1), repeat=len(p) - 1):
        if sum(first) > n:
            continue
        cell = np.array([*first, n - sum(first)])
        if np.sum((cell - e) ** 2 / e) >= stat - 1e-9:
            total += multinomial.pmf(cell, n, p)
    return total


def test_monte_carlo_gof_agrees_with_exact_enumeration_and_is_reproducible() -> None:
    obs, p = np.array([1, 2, 5]), np.array([0.5, 0.3, 0.2])
    res = goodness_of_fit([obs], [p], seed=99, draws=40_000)
    exact = _exact_gof_p(obs, p)
    assert "Monte Carlo" in res.method and "seed 99" in res.method
    assert abs(res.pvalue - exact) < 4 * np.sqrt(exact * (1 - exact) / 40_000)
    again = goodness_of_fit([obs], [p], seed=99, draws=40_000)
    assert again.pvalue == res.pvalue


def test_monte_carlo_homogeneity_agrees_with_exact_conditional_enumeration() -> None:
    top, bottom = np.array([3, 0, 1]), np.array([5, 6, 4])
    cols = top + bottom
    e_top = cols * top.sum() / cols.sum()
    e_bot = cols * bottom.sum() / cols.sum()

    def stat(t: np.ndarray) -> float:
        b = cols - t
        return float(np.sum((t - e_top) ** 2 / e_top) + np.sum((b - e_bot) ** 2 / e_bot))

    observed, exact = stat(top), 0.0
    for cell in itertools.product(*(range(c + 1) for c in cols)):
        t = np.array(cell)
        if t.sum() == top.sum() and stat(t) >= observed - 1e-9:
            exact += multivariate_hypergeom.pmf(t, cols, top.sum())
    res = homogeneity([top], [bottom], seed=5, draws=40_000)
    assert abs(res.pvalue - exact) < 4 * np.sqrt(exact * (1 - exact) / 40_000)
    assert homogeneity([top], [bottom], seed=5, draws=40_000).pvalue == res.pvalue


def test_monte_carlo_p_is_never_zero() -> None:
    res = goodness_of_fit([np.array([0, 0, 30])], [np.array([0.45, 0.45, 0.1])], draws=2000)
    assert res.pvalue == pytest.approx(1 / 2001)


def test_nothing_to_test() -> None:
    assert goodness_of_fit([np.array([5])], [np.array([1.0])]).df == 0
    assert np.isnan(homogeneity([np.array([0, 0])], [np.array([3, 4])]).pvalue)


def test_people_in_a_zero_probability_cell_are_refused() -> None:
    with pytest.raises(ValueError):
        goodness_of_fit([np.array([1, 2])], [np.array([0.0, 1.0])])
