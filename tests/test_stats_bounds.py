"""Unknown-ethnicity bounds: a brute-force check over every assignment of the unknowns."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.stats.bounds import unknown_bounds


def test_bounds_formula() -> None:
    low, high = unknown_bounds(20, 100, 25, 100, 1000)
    assert float(low) == pytest.approx((20 / 125) / 0.1)
    assert float(high) == pytest.approx((45 / 125) / 0.1)


def test_bounds_nan_when_rri_undefined() -> None:
    low, high = unknown_bounds([3, 0], [10, 0], [2, 5], [0, 10], [100, 100])
    assert np.isnan(low).all() and np.isnan(high).all()


@given(st.lists(st.integers(0, 30), min_size=2, max_size=4), st.integers(0, 6))
def test_bounds_are_the_extremes_over_all_assignments(x: list[int], unknown: int) -> None:
    xs = np.array(x)
    if xs.sum() == 0:
        return
    comp = np.arange(1, len(x) + 1) * 100
    low, high = unknown_bounds(xs, xs.sum(), unknown, comp, comp.sum())
    pi = comp / comp.sum()
    total = xs.sum() + unknown
    rris = []
    for extra in np.ndindex(*([unknown + 1] * len(x))):
        if sum(extra) == unknown:
            rris.append(((xs + np.array(extra)) / total) / pi)
    every = np.array(rris)
    np.testing.assert_allclose(low, every.min(axis=0))
    np.testing.assert_allclose(high, every.max(axis=0))
    point = (xs / xs.sum()) / pi
    assert np.all(low <= point + 1e-12) and np.all(point <= high + 1e-12)
