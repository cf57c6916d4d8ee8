"""The Relative Rate Index with its exact test, for each design of comparison."""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike

from commissioning.stats.exact import binomial_test, fisher_test
from commissioning.stats.ratios import relative_rate_index
from commissioning.stats.results import Mode, RRIResult

TEST_BINOMIAL: Final = "exact binomial test"
TEST_FISHER: Final = "Fisher's exact test"


def rri_test(
    x: ArrayLike,
    n: ArrayLike,
    comparator_count: ArrayLike,
    comparator_total: ArrayLike,
    mode: Mode = "fixed",
) -> RRIResult:
    """RRI_g = (x_g/n)/(N_g/N) and a two-sided exact p-value for "RRI_g = 1".

    * fixed: x_g ~ Bin(n, N_g/N) (comparator is the population; N much larger than n);
    * independent: Fisher's exact test on [[x_g, n - x_g], [N_g, N - N_g]];
    * nested: the service is part of the comparator; Fisher's exact test of the group's
      progression rate x_g/N_g against everyone else's: [[x_g, N_g - x_g],
      [n - x_g, (N - N_g) - (n - x_g)]]. Requires x_g <= N_g and n - x_g <= N - N_g.
    """
    xs, ns, cg, ct = (
        np.asarray(v, dtype=np.int64)
        for v in np.broadcast_arrays(
            np.asarray(x), np.asarray(n), np.asarray(comparator_count), np.asarray(comparator_total)
        )
    )
    if np.any(xs > ns) or np.any(cg > ct) or np.any(xs < 0) or np.any(cg < 0):
        raise ValueError("group counts must lie between 0 and their totals")
    rri = relative_rate_index(xs, ns, cg, ct)
    undefined = np.isnan(rri)
    if mode == "fixed":
        with np.errstate(invalid="ignore", divide="ignore"):
            pi = np.where(ct > 0, cg / np.where(ct > 0, ct, 1), np.nan)
        p = binomial_test(xs, ns, np.where(undefined, 0.5, pi))
        test = TEST_BINOMIAL
    elif mode == "independent":
        p = fisher_test(xs, ns - xs, cg, ct - cg)
        test = TEST_FISHER
    elif mode == "nested":
        if np.any(xs > cg) or np.any(ns - xs > ct - cg):
            raise ValueError("nested design needs every service count within the comparator's")
        p = fisher_test(xs, cg - xs, ns - xs, (ct - cg) - (ns - xs))
        test = TEST_FISHER
    else:
        raise ValueError(f"unknown mode {mode!r}")
    p = np.where(undefined, np.nan, p)
    return RRIResult(mode, xs, ns, cg, ct, rri, p, test)
