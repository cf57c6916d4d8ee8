"""Change across monitoring periods: is a group's share of the service moving?

Pure numpy/scipy. For one group, period ``t`` has ``x[t]`` people of the group among
``n[t]`` people of known ethnicity; together they form a 2 x T table. Two tests:

* the chi-square test of homogeneity (did the share differ between periods at all?), and
* the Cochran-Armitage test for trend, in its permutation (linear-by-linear) form with
  period scores 0, 1, 2, ... (did the share move steadily up or down?).

The trend test is the one the report leads with: the question a contract manager asks
is "is it getting better or worse?", and against a steady change it is more powerful
than the homogeneity test, which spreads its power over every pattern (up-down-up
included). With two periods the two tests are the same test. When any expected count is
below 5 the large-sample p-value is unreliable, so both tests use a seeded Monte Carlo
p-value from tables with the same margins (the exact conditional distribution of the
group's total across periods is multivariate hypergeometric).

The persistence rule follows the IDEA significant-disproportionality regulations
(34 CFR 300.647): a group is flagged only when it is over-represented in each of the
latest N consecutive periods, so one unusual quarter does not raise a concern.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

# One Holm adjustment, and the omnibus test's small-count rule, simulation size, seed and
# wording (re-exported under their old names here).
from commissioning.stats.adjust import holm as holm
from commissioning.stats.distributions import chi2_sf, norm_sf
from commissioning.stats.goodness import DRAWS as DRAWS
from commissioning.stats.goodness import METHOD_HOMOGENEITY as METHOD_HOMOGENEITY
from commissioning.stats.goodness import METHOD_MONTE_CARLO as METHOD_MONTE_CARLO
from commissioning.stats.goodness import MIN_EXPECTED as MIN_EXPECTED
from commissioning.stats.goodness import SEED as SEED
from commissioning.stats.goodness import monte_carlo_p

METHOD_TREND: Final = "Cochran-Armitage test for trend"
METHOD_NO_VARIATION: Final = "{test}: no test possible (the group's share cannot vary)"

Direction = Literal["rising", "falling", "flat"]


@dataclass(frozen=True)
class ChangeTest:
    """One test for change across periods.

    ``statistic`` is the Pearson chi-square for homogeneity (``df`` = periods - 1) and the
    signed z-score for trend (``df`` = 1; positive means the share rose).
    """

    statistic: float
    df: int
    p_value: float
    method: str
    monte_carlo: bool = False


@dataclass(frozen=True)
class Persistence:
    """How long a group has been over-represented, counted back from the latest period."""

    current_run: int  # consecutive qualifying periods ending with the latest one
    longest_run: int
    required: int
    flagged: bool


def _as_counts(x: ArrayLike, n: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    xs = np.asarray(x, dtype=np.int64)
    ns = np.asarray(n, dtype=np.int64)
    if xs.ndim != 1 or xs.shape != ns.shape:
        raise ValueError("x and n must be one-dimensional and the same length")
    if (xs < 0).any() or (xs > ns).any():
        raise ValueError("each x must lie between 0 and its n")
    return xs, ns


def _informative(
    x: NDArray[np.int64], n: NDArray[np.int64], scores: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Drop periods with nobody in them: they say nothing about the share."""
    keep = n > 0
    return x[keep], n[keep], scores[keep]


def _no_variation(x: NDArray[np.int64], n: NDArray[np.int64]) -> bool:
    total, size = int(x.sum()), int(n.sum())
    return len(n) < 2 or total == 0 or total == size


def _expected(x: NDArray[np.int64], n: NDArray[np.int64]) -> NDArray[np.float64]:
    """Expected counts of both rows of the 2 x T table under "no change"."""
    p = x.sum() / n.sum()
    return np.concatenate([n * p, n * (1.0 - p)])


def _simulate(
    x: NDArray[np.int64], n: NDArray[np.int64], draws: int, seed: int
) -> NDArray[np.int64]:
    """Tables with the observed margins: the group's total spread over the periods."""
    rng = np.random.default_rng(seed)
    return rng.multivariate_hypergeometric(n, int(x.sum()), size=draws, method="marginals")


def _pearson(x: NDArray[np.int64], n: NDArray[np.int64]) -> NDArray[np.float64]:
    """Pearson chi-square of 2 x T tables (last axis = periods); margins held fixed."""
    p = x.sum(axis=-1, keepdims=True) / n.sum()
    expected = n * p
    return np.asarray(((x - expected) ** 2 / (expected * (1.0 - p))).sum(axis=-1))


def homogeneity_test(
    x: ArrayLike,
    n: ArrayLike,
    *,
    min_expected: float = MIN_EXPECTED,
    draws: int = DRAWS,
    seed: int = SEED,
    _simulated: NDArray[np.int64] | None = None,
) -> ChangeTest:
    """Chi-square test that the group's share is the same in every period."""
    xs, ns = _as_counts(x, n)
    xs, ns, _ = _informative(xs, ns, np.zeros(len(xs)))
    if _no_variation(xs, ns):
        return ChangeTest(0.0, max(len(ns) - 1, 0), 1.0, _no_variation_method(METHOD_HOMOGENEITY))
    df = len(ns) - 1
    statistic = float(_pearson(xs, ns))
    if _expected(xs, ns).min() >= min_expected:
        p_value = float(chi2_sf(statistic, df))
        return ChangeTest(statistic, df, p_value, METHOD_HOMOGENEITY)
    tables = _simulate(xs, ns, draws, seed) if _simulated is None else _simulated
    simulated = _pearson(tables, ns)
    return ChangeTest(
        statistic,
        df,
        monte_carlo_p(statistic, simulated),
        METHOD_MONTE_CARLO.format(test=METHOD_HOMOGENEITY, seed=seed, draws=draws),
        monte_carlo=True,
    )


def _trend_z(
    x: NDArray[np.int64], n: NDArray[np.int64], scores: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Linear-by-linear z of 2 x T tables: sum(score * x) against its permutation
    mean and variance (Agresti, Categorical Data Analysis, 3rd ed., section 3.4.6)."""
    big_n = n.sum()
    k = x.sum(axis=-1)
    mean_s = (scores * n).sum() / big_n
    ss = (n * (scores - mean_s) ** 2).sum()
    var = k * (big_n - k) / (big_n * (big_n - 1.0)) * ss
    observed = (x * scores).sum(axis=-1)
    return np.asarray((observed - k * mean_s) / np.sqrt(var))


def trend_test(
    x: ArrayLike,
    n: ArrayLike,
    scores: ArrayLike | None = None,
    *,
    min_expected: float = MIN_EXPECTED,
    draws: int = DRAWS,
    seed: int = SEED,
    _simulated: NDArray[np.int64] | None = None,
) -> ChangeTest:
    """Cochran-Armitage test for a steady rise or fall in the group's share.

    ``scores`` default to 0, 1, 2, ... (equally spaced periods). Two-sided.
    """
    xs, ns = _as_counts(x, n)
    sc = np.arange(len(xs), dtype=np.float64) if scores is None else np.asarray(scores, float)
    if sc.shape != xs.shape:
        raise ValueError("scores must have one value per period")
    xs, ns, sc = _informative(xs, ns, sc)
    if _no_variation(xs, ns) or np.ptp(sc) == 0:
        return ChangeTest(0.0, 1, 1.0, _no_variation_method(METHOD_TREND))
    z = float(_trend_z(xs, ns, sc))
    if _expected(xs, ns).min() >= min_expected:
        return ChangeTest(z, 1, float(2.0 * norm_sf(abs(z))), METHOD_TREND)
    tables = _simulate(xs, ns, draws, seed) if _simulated is None else _simulated
    simulated = np.abs(_trend_z(tables, ns, sc))
    return ChangeTest(
        z,
        1,
        monte_carlo_p(abs(z), simulated),
        METHOD_MONTE_CARLO.format(test=METHOD_TREND, seed=seed, draws=draws),
        monte_carlo=True,
    )


def change_tests(
    x: ArrayLike,
    n: ArrayLike,
    scores: ArrayLike | None = None,
    *,
    min_expected: float = MIN_EXPECTED,
    draws: int = DRAWS,
    seed: int = SEED,
) -> tuple[ChangeTest, ChangeTest]:
    """(trend, homogeneity) for one group, sharing one set of simulated tables when the
    counts are small: the same results as `trend_test` and `homogeneity_test`."""
    xs, ns = _as_counts(x, n)
    sc = np.arange(len(xs), dtype=np.float64) if scores is None else np.asarray(scores, float)
    kept_x, kept_n, _ = _informative(xs, ns, sc)
    small = not _no_variation(kept_x, kept_n) and _expected(kept_x, kept_n).min() < min_expected
    if not small:
        return (
            trend_test(xs, ns, sc, min_expected=min_expected, draws=draws, seed=seed),
            homogeneity_test(xs, ns, min_expected=min_expected, draws=draws, seed=seed),
        )
    simulated = _simulate(kept_x, kept_n, draws, seed)
    return (
        trend_test(xs, ns, sc, min_expected=min_expected, draws=draws, seed=seed,
                   _simulated=simulated),
        homogeneity_test(xs, ns, min_expected=min_expected, draws=draws, seed=seed,
                         _simulated=simulated),
    )  # fmt: skip


def _no_variation_method(test: str) -> str:
    return METHOD_NO_VARIATION.format(test=test)


def direction(test: ChangeTest, *, alpha: float | None = None) -> Direction:
    """Which way the trend z-score points (``flat`` when it is 0, or when ``alpha`` is
    given and the test is not significant at that level)."""
    if test.statistic == 0 or (alpha is not None and test.p_value >= alpha):
        return "flat"
    return "rising" if test.statistic > 0 else "falling"


def persistence(qualifying: Sequence[bool], required: int = 3) -> Persistence:
    """Count consecutive qualifying periods (e.g. over-represented and enough people to
    judge). ``flagged`` when the latest ``required`` periods all qualify."""
    if required < 1:
        raise ValueError("required must be at least 1")
    flags = np.asarray(qualifying, dtype=bool)
    longest = current = 0
    for value in flags:  # one entry per period, not per person
        current = current + 1 if value else 0
        longest = max(longest, current)
    return Persistence(
        current_run=current, longest_run=longest, required=required, flagged=current >= required
    )
