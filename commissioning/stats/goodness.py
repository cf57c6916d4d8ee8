"""Omnibus tests: does the service's ethnic mix differ from the comparator's at all?

* comparator fixed: Pearson chi-square goodness of fit of the service counts to the
  comparator shares;
* comparator a sample (independent, nested): Pearson chi-square test of homogeneity of the
  2 x G table (service row and comparator row, or progressed / not progressed).

With strata (by sex or age band) the statistics and degrees of freedom of the strata are
added. The chi-square distribution is unreliable when any expected count is below 5 (Cochran
1954), so then the p-value is found by Monte Carlo simulation under the null hypothesis:
multinomial draws (fixed) or tables with the observed margins (multivariate hypergeometric),
with a fixed seed so the same data always give the same p-value; p = (1 + #{T* >= T}) /
(draws + 1) (Davison & Hinkley 1997), so it is never exactly 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from commissioning.stats.distributions import chi2_sf
from commissioning.stats.results import OmnibusResult

SEED: Final = 2024
DRAWS: Final = 20_000
MIN_EXPECTED: Final = 5.0
_CHUNK: Final = 5_000
_TOL: Final = 1e-9
#: numpy's "count" sampler is faster for small totals; "marginals" needs less memory.
_COUNT_METHOD_LIMIT: Final = 1_000_000

METHOD_GOF: Final = "chi-square goodness of fit"
METHOD_HOMOGENEITY: Final = "chi-square test of homogeneity"
METHOD_MONTE_CARLO: Final = "{test}, Monte Carlo p-value (seed {seed}, {draws:,} draws)"

Float = NDArray[np.float64]


def _pearson(observed: Float, expected: Float) -> Float:
    """Sum over the last axis of (O - E)² / E, skipping cells with E = 0."""
    safe = np.where(expected > 0, expected, 1.0)
    return np.asarray(
        np.sum(np.where(expected > 0, (observed - expected) ** 2 / safe, 0.0), axis=-1),
        dtype=np.float64,
    )


def monte_carlo_p(observed_stat: float, simulated: Float) -> float:
    """(1 + #{T* >= T}) / (draws + 1); ties within rounding error count as "at least as
    extreme", and the +1 keeps p above 0 (Davison & Hinkley 1997)."""
    exceed = int(np.count_nonzero(simulated >= observed_stat * (1 - _TOL) - _TOL))
    return (1 + exceed) / (simulated.size + 1)


def _simulate(draws: int, chunk: Callable[[int], Float]) -> Float:
    """``draws`` simulated statistics, made ``_CHUNK`` at a time to bound memory;
    ``chunk(size)`` returns the statistics of ``size`` simulated tables."""
    simulated = np.zeros(draws)
    for start in range(0, draws, _CHUNK):
        size = min(_CHUNK, draws - start)
        simulated[start : start + size] = chunk(size)
    return simulated


def goodness_of_fit(
    observed: Sequence[ArrayLike],
    probabilities: Sequence[ArrayLike],
    *,
    seed: int = SEED,
    draws: int = DRAWS,
    min_expected: float = MIN_EXPECTED,
) -> OmnibusResult:
    """Chi-square goodness of fit, one (counts, probabilities) pair per stratum.

    Cells with probability 0 must have count 0 (there is nothing to compare them with);
    the caller leaves them out.
    """
    obs = [np.asarray(o, dtype=np.float64) for o in observed]
    probs = [np.asarray(p, dtype=np.float64) for p in probabilities]
    for o, p in zip(obs, probs, strict=True):
        if np.any((p == 0) & (o > 0)):
            raise ValueError("a cell with probability 0 has people in it")
    strata = [
        (o, p / p.sum())
        for o, p in zip(obs, probs, strict=True)
        if o.sum() > 0 and np.count_nonzero(p) > 1
    ]
    if not strata:
        return OmnibusResult(0.0, 0, float("nan"), METHOD_GOF)
    expected = [o.sum() * p for o, p in strata]
    stat = float(sum(_pearson(o, e) for (o, _), e in zip(strata, expected, strict=True)))
    df = int(sum(np.count_nonzero(p) - 1 for _, p in strata))
    if min(float(e[e > 0].min()) for e in expected) >= min_expected:
        return OmnibusResult(stat, df, float(chi2_sf(stat, df)), METHOD_GOF)
    rng = np.random.default_rng(seed)

    def chunk(size: int) -> Float:
        total = np.zeros(size)
        for (o, p), e in zip(strata, expected, strict=True):
            sample = rng.multinomial(int(o.sum()), p, size=size).astype(np.float64)
            total += _pearson(sample, e)
        return total

    method = METHOD_MONTE_CARLO.format(test=METHOD_GOF, seed=seed, draws=draws)
    return OmnibusResult(stat, df, monte_carlo_p(stat, _simulate(draws, chunk)), method)


def _two_row_expected(top: Float, bottom: Float) -> Float:
    cols = top + bottom
    return np.vstack([cols * top.sum() / cols.sum(), cols * bottom.sum() / cols.sum()])


def homogeneity(
    top: Sequence[ArrayLike],
    bottom: Sequence[ArrayLike],
    *,
    seed: int = SEED,
    draws: int = DRAWS,
    min_expected: float = MIN_EXPECTED,
) -> OmnibusResult:
    """Chi-square test of homogeneity of 2 x G tables, one (top row, bottom row) per stratum.

    Columns that are empty in both rows are left out.
    """
    strata = []
    for t_raw, b_raw in zip(top, bottom, strict=True):
        t = np.asarray(t_raw, dtype=np.float64)
        b = np.asarray(b_raw, dtype=np.float64)
        keep = (t + b) > 0
        t, b = t[keep], b[keep]
        if t.size > 1 and t.sum() > 0 and b.sum() > 0:
            strata.append((t, b))
    if not strata:
        return OmnibusResult(0.0, 0, float("nan"), METHOD_HOMOGENEITY)
    expected = [_two_row_expected(t, b) for t, b in strata]
    stat = float(
        sum(
            _pearson(np.vstack([t, b]), e).sum() for (t, b), e in zip(strata, expected, strict=True)
        )
    )
    df = int(sum(t.size - 1 for t, _ in strata))
    if min(float(e.min()) for e in expected) >= min_expected:
        return OmnibusResult(stat, df, float(chi2_sf(stat, df)), METHOD_HOMOGENEITY)
    rng = np.random.default_rng(seed)

    def chunk(size: int) -> Float:
        total = np.zeros(size)
        for (t, b), e in zip(strata, expected, strict=True):
            cols = (t + b).astype(np.int64)
            if cols.sum() <= _COUNT_METHOD_LIMIT:
                sim_top = rng.multivariate_hypergeometric(
                    cols, int(t.sum()), size=size, method="count"
                )
            else:
                sim_top = rng.multivariate_hypergeometric(cols, int(t.sum()), size=size)
            sim = np.stack([sim_top, cols - sim_top], axis=1).astype(np.float64)
            total += _pearson(sim, e[None, :, :]).sum(axis=-1)
        return total

    method = METHOD_MONTE_CARLO.format(test=METHOD_HOMOGENEITY, seed=seed, draws=draws)
    return OmnibusResult(stat, df, monte_carlo_p(stat, _simulate(draws, chunk)), method)
