"""Frozen result values of the statistics engine.

Modelled on ``scipy.stats.relative_risk``: a result holds the estimate and the p-value,
and computes its confidence interval on request at any confidence level. Arrays hold one
element per group; NaN marks a value that is undefined (see `commissioning.stats.ratios`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from commissioning.stats.ratios import katz_interval, nested_rri_interval, wilson_rri_interval

Mode = Literal["fixed", "independent", "nested"]
Float = NDArray[np.float64]
Int = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Interval:
    """Lower and upper limits, elementwise, at one confidence level."""

    low: Float
    high: Float
    confidence_level: float


@dataclass(frozen=True, eq=False)
class RRIResult:
    """Relative Rate Index of each group, with its exact two-sided p-value.

    ``count``/``n`` are the service's group and known totals; ``comparator_count`` /
    ``comparator_total`` the comparator's. ``statistic`` is NaN for 0/0 (n = 0) and x/0
    (comparator count 0); ``pvalue`` is NaN there too.
    """

    mode: Mode
    count: Int
    n: Int
    comparator_count: Int
    comparator_total: Int
    statistic: Float
    pvalue: Float
    test: str  # "exact binomial test" / "Fisher's exact test"

    def confidence_interval(self, confidence_level: float = 0.95) -> Interval:
        """Wilson-based interval (fixed) or Katz log interval (independent, nested)."""
        args = (self.count, self.n, self.comparator_count, self.comparator_total)
        if self.mode == "fixed":
            low, high = wilson_rri_interval(*args, confidence_level=confidence_level)
        elif self.mode == "independent":
            low, high = katz_interval(
                self.count,
                self.n,
                self.comparator_count,
                self.comparator_total,
                confidence_level,
            )
            undefined = np.isnan(self.statistic)
            low, high = np.where(undefined, np.nan, low), np.where(undefined, np.nan, high)
        else:
            low, high = nested_rri_interval(*args, confidence_level=confidence_level)
        return Interval(np.asarray(low, float), np.asarray(high, float), confidence_level)


@dataclass(frozen=True)
class OmnibusResult:
    """One test across all groups: does the service mix differ from the comparator's?"""

    statistic: float
    df: int
    pvalue: float
    method: str
