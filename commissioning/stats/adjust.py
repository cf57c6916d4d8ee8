"""Adjusting p-values for testing several groups at once.

Testing 5 (or 19, or 228) groups at the 5 % level would flag some group by chance most of
the time. Holm (1979) controls the chance of any false flag (family-wise error) and is
uniformly more powerful than Bonferroni, so it is the default; Benjamini & Hochberg (1995)
controls the expected share of false flags instead, for users who prefer more power across
many intersections. NaN p-values (groups with nothing to compare) are not part of the
family and stay NaN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Adjustment = Literal["holm", "fdr_bh", "none"]


def _adjusted(
    p_values: ArrayLike, step: Callable[[NDArray[np.float64], int], NDArray[np.float64]]
) -> NDArray[np.float64]:
    """Apply ``step`` (sorted p-values, family size -> adjusted, same order) to the
    non-NaN p-values and put the results back in the order given."""
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m:
        order = np.argsort(p[ok], kind="stable")
        out[ok[order]] = step(p[ok][order], m)
    return out


def _holm_step(ordered: NDArray[np.float64], m: int) -> NDArray[np.float64]:
    scaled = ordered * (m - np.arange(m))
    return np.minimum(np.maximum.accumulate(scaled), 1.0)


def _bh_step(ordered: NDArray[np.float64], m: int) -> NDArray[np.float64]:
    scaled = ordered * m / np.arange(1, m + 1)
    return np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)


def holm(p_values: ArrayLike) -> NDArray[np.float64]:
    """Holm step-down: p_(i) · (m - i + 1), made monotone, capped at 1."""
    return _adjusted(p_values, _holm_step)


def benjamini_hochberg(p_values: ArrayLike) -> NDArray[np.float64]:
    """Benjamini-Hochberg step-up: p_(i) · m / i, made monotone from the top, capped at 1."""
    return _adjusted(p_values, _bh_step)


def adjust(p_values: ArrayLike, method: Adjustment = "holm") -> NDArray[np.float64]:
    """Adjusted p-values by ``method`` ("holm", "fdr_bh" or "none")."""
    if method == "holm":
        return holm(p_values)
    if method == "fdr_bh":
        return benjamini_hochberg(p_values)
    if method == "none":
        return np.asarray(p_values, dtype=np.float64).copy()
    raise ValueError(f"unknown adjustment {method!r}")
