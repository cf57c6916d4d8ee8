"""Wilson score interval: published values, statsmodels, and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from commissioning.stats.proportions import wilson_interval, z_value

# Newcombe RG (1998). Two-sided confidence intervals for the single proportion: comparison
# of seven methods. Statistics in Medicine 17:857-872, Table I, method 3 (score, no
# continuity correction), 95 % limits to 4 decimal places.
NEWCOMBE_1998 = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("x", "n", "low", "high"), NEWCOMBE_1998)
def test_newcombe_1998_worked_examples(x: int, n: int, low: float, high: float) -> None:
    got_low, got_high = wilson_interval(x, n)
    assert round(float(got_low), 4) == low
    assert round(float(got_high), 4) == high


CASES = [
    (0, 1),
    (1, 1),
    (0, 5),
    (5, 5),
    (3, 7),
    (1, 2),
    (50, 100),
    (0, 10_000_000),
    (1, 10_000_000),
    (9_999_999, 10_000_000),
    (123_456, 1_000_000),
    (2, 1000),
]


@pytest.mark.parametrize("level", [0.8, 0.9, 0.95, 0.99])
def test_matches_statsmodels_wilson(level: float) -> None:
    x = np.array([c[0] for c in CASES])
    n = np.array([c[1] for c in CASES])
    low, high = wilson_interval(x, n, level)
    ref_low, ref_high = proportion_confint(x, n, alpha=1 - level, method="wilson")
    np.testing.assert_allclose(low, ref_low, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(high, ref_high, rtol=1e-10, atol=1e-15)


def test_limits_exact_at_the_edges_and_nan_for_empty() -> None:
    low, high = wilson_interval([0, 4, 0], [4, 4, 0])
    assert low[0] == 0.0 and high[1] == 1.0
    assert np.isnan(low[2]) and np.isnan(high[2])


def test_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


def test_z_value() -> None:
    assert z_value(0.95) == pytest.approx(1.959963984540054, rel=1e-12)
    with pytest.raises(ValueError):
        z_value(1.0)


@given(
    st.integers(1, 10**9).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.floats(0.5, 0.999),
)
def test_interval_contains_estimate_and_stays_in_unit_range(
    xn: tuple[int, int], level: float
) -> None:
    x, n = xn
    low, high = wilson_interval(x, n, level)
    assert 0.0 <= low <= x / n <= high <= 1.0
