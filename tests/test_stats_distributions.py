"""`commissioning.stats.distributions` gives exactly the numbers of ``scipy.stats``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from commissioning.stats import distributions as dist

RNG = np.random.default_rng(17)
N = RNG.integers(0, 60, 400)
K = RNG.integers(-3, 64, 400)
P = np.concatenate([RNG.random(390), [0.0, 1.0, 0.5, 1e-12, 1 - 1e-12, -0.1, 1.1, 0.3, 0.7, 0.9]])
EDGES_K = np.array([-np.inf, -1, 0, 0.5, 3, 59, 60, 61, np.inf, np.nan])


@pytest.mark.parametrize("name", ["pmf", "cdf", "sf"])
def test_binom_matches_scipy(name: str) -> None:
    ours = getattr(dist, f"binom_{name}")
    theirs = getattr(stats.binom, name)
    np.testing.assert_array_equal(ours(K, N, P), theirs(K, N, P))
    np.testing.assert_array_equal(ours(EDGES_K, 60, 0.3), theirs(EDGES_K, 60, 0.3))
    np.testing.assert_array_equal(ours(2, -1, 0.3), theirs(2, -1, 0.3))
    assert ours(3, 10, 0.2) == theirs(3, 10, 0.2)


@pytest.mark.parametrize("name", ["cdf", "sf"])
def test_hypergeom_matches_scipy(name: str) -> None:
    total = RNG.integers(0, 200, 400)
    marked = (total * RNG.random(400)).astype(int)
    drawn = (total * RNG.random(400)).astype(int)
    k = RNG.integers(-2, 120, 400)
    ours = getattr(dist, f"hypergeom_{name}")
    theirs = getattr(stats.hypergeom, name)
    np.testing.assert_array_equal(ours(k, total, marked, drawn), theirs(k, total, marked, drawn))
    np.testing.assert_array_equal(ours(EDGES_K, 100, 40, 30), theirs(EDGES_K, 100, 40, 30))
    np.testing.assert_array_equal(ours(3, 10, 20, 5), theirs(3, 10, 20, 5))  # invalid: nan


def test_chi2_and_norm_match_scipy() -> None:
    x = np.concatenate([RNG.random(300) * 40, [0.0, -1.0, np.inf, np.nan, 1e-300, 1e5]])
    df = RNG.integers(0, 30, x.size)
    np.testing.assert_array_equal(dist.chi2_sf(x, df), stats.chi2.sf(x, df))
    assert dist.chi2_sf(3.2, 4) == stats.chi2.sf(3.2, 4)
    z = np.concatenate([RNG.normal(0, 4, 300), [0.0, np.inf, -np.inf, 40.0]])
    np.testing.assert_array_equal(dist.norm_sf(z), stats.norm.sf(z))


def test_the_statistics_do_not_import_scipy_stats() -> None:
    code = (
        "import sys, commissioning.stats.rri, commissioning.stats.goodness, "
        "commissioning.stats.trend; print('scipy.stats' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
