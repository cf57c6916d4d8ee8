"""Confidence intervals for one proportion, vectorised.

The Wilson (1927) score interval is used because, unlike the textbook Wald interval, it
keeps close to its nominal coverage for small counts and for proportions near 0 or 1
(Newcombe 1998; Brown, Cai & DasGupta 2001), and it never leaves [0, 1]. Service
returns are often small, and shares of small groups are often near 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri


def z_value(confidence_level: float) -> float:
    """The two-sided standard normal quantile for a confidence level (0.95 -> 1.96)."""
    if not 0.0 < confidence_level < 1.0:
        raise ValueError("confidence_level must be between 0 and 1")
    return float(ndtri(0.5 + confidence_level / 2.0))


def wilson_interval(
    count: ArrayLike, n: ArrayLike, confidence_level: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval for ``count / n``; NaN where ``n`` is 0.

    centre = (x + z²/2) / (n + z²); half-width = z / (n + z²) · sqrt(x(n - x)/n + z²/4).
    The limits are exactly 0 when x = 0 and exactly 1 when x = n.
    """
    x = np.asarray(count, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    x, m = np.broadcast_arrays(x, m)
    if np.any(x < 0) or np.any(x > m):
        raise ValueError("counts must lie between 0 and n")
    z = z_value(confidence_level)
    z2 = z * z
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (x + z2 / 2.0) / (m + z2)
        half = z / (m + z2) * np.sqrt(x * (m - x) / m + z2 / 4.0)
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    low = np.where(x == 0, 0.0, low)
    high = np.where(x == m, 1.0, high)
    empty = m == 0
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
