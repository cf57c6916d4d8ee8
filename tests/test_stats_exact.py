"""Vectorised exact tests against scipy's own binomtest and fisher_exact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, fisher_exact

from commissioning.stats.exact import binomial_test, fisher_test

BINOMIAL_CASES = [
    (0, 1, 0.5),
    (1, 1, 0.5),
    (1, 1, 0.3),
    (0, 1, 0.999),
    (5, 10, 0.5),  # ties at the mean
    (3, 10, 0.3),
    (0, 20, 0.05),
    (20, 20, 0.05),
    (7, 20, 0.05),
    (0, 500, 0.001),
    (2, 500, 0.001),
    (400, 1000, 0.35),
    (123, 1_000_000, 0.0001),
    (500_000, 1_000_000, 0.5),
    (501_500, 1_000_000, 0.5),
    (10, 40, 1.0),
    (40, 40, 1.0),
    (1, 40, 1e-9),
    (17, 60, 0.25),
    (33, 60, 0.75),
]


def test_binomial_matches_scipy_binomtest_on_edge_cases() -> None:
    k, n, p = (np.array(v) for v in zip(*BINOMIAL_CASES, strict=True))
    got = binomial_test(k, n, p)
    want = [binomtest(int(a), int(b), float(c)).pvalue for a, b, c in BINOMIAL_CASES]
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=0)


def test_binomial_matches_scipy_on_random_cases() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(1, 2000, size=400)
    k = rng.integers(0, n + 1)
    p = rng.random(400)
    got = binomial_test(k, n, p)
    want = [binomtest(int(a), int(b), float(c)).pvalue for a, b, c in zip(k, n, p, strict=True)]
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=0)


def test_binomial_undefined_without_people() -> None:
    assert np.isnan(binomial_test(0, 0, 0.3))


@settings(max_examples=200)
@given(
    st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.one_of(st.just(0.0), st.just(1.0), st.floats(1e-300, 1.0)),  # not subnormal
)
def test_binomial_property_matches_scipy(kn: tuple[int, int], p: float) -> None:
    k, n = kn
    got = float(binomial_test(k, n, p))
    assert 0.0 <= got <= 1.0
    assert got == pytest.approx(binomtest(k, n, p).pvalue, rel=1e-9, abs=0)


def test_fisher_lady_tasting_tea() -> None:
    # Fisher (1935), The Design of Experiments: 3 of 4 cups right; two-sided p = 34/70.
    assert float(fisher_test(3, 1, 1, 3)) == pytest.approx(34 / 70, rel=1e-12)


FISHER_CASES = [
    (0, 5, 0, 7),
    (0, 0, 3, 4),
    (3, 0, 4, 0),
    (1, 0, 0, 1),
    (0, 10, 10, 0),
    (10, 0, 0, 10),
    (2, 8, 2, 8),
    (0, 100, 5, 95),
    (5, 95, 0, 100),
    (1, 1, 1, 1),
    (7, 3, 2, 8),
    (150, 2000, 12_000, 180_000),
    (0, 300, 4000, 200_000),
    (300, 0, 4000, 196_000),
    (12, 2, 1, 50),
    (4, 4, 4, 4),
]


def test_fisher_matches_scipy_on_edge_cases() -> None:
    a, b, c, d = (np.array(v) for v in zip(*FISHER_CASES, strict=True))
    got = fisher_test(a, b, c, d)
    want = [fisher_exact([[w, x], [y, z]]).pvalue for w, x, y, z in FISHER_CASES]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=0)


def test_fisher_matches_scipy_on_random_tables() -> None:
    rng = np.random.default_rng(11)
    tables = np.concatenate(
        [rng.integers(0, 30, size=(300, 4)), rng.integers(0, 5000, size=(100, 4))]
    )
    got = fisher_test(*tables.T)
    want = [fisher_exact(t.reshape(2, 2)).pvalue for t in tables]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=0)


def test_fisher_shape_is_kept() -> None:
    got = fisher_test(np.array([[1, 2], [3, 4]]), 5, 6, 7)
    assert got.shape == (2, 2)


def test_negative_cells_are_refused() -> None:
    with pytest.raises(ValueError):
        fisher_test(-1, 2, 3, 4)
    with pytest.raises(ValueError):
        binomial_test(5, 4, 0.5)
