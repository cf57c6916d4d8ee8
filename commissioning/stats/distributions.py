"""The few distribution functions the tests need, without importing ``scipy.stats``.

Importing ``scipy.stats`` takes about 0.5 s more than ``scipy.special`` (it loads every
distribution, test and their documentation), which was a fifth of `commissioning draft`.
These functions call the same ``scipy.special`` ufuncs that ``scipy.stats`` calls for
``binom``, ``hypergeom``, ``chi2`` and ``norm``, with the same handling of values outside
the support, so the numbers are identical (tests/test_stats_distributions.py compares
them with ``scipy.stats`` exactly). Where this scipy lacks one of those ufuncs (they
are private names), ``scipy.stats`` itself is used.

Arguments are as in ``scipy.stats``: ``binom_*(k, n, p)``, ``hypergeom_*(k, M, n, N)``
(``N`` drawn from ``M`` of which ``n`` are marked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

Float = NDArray[np.float64]

_NAMES = ("_binom_pmf", "_binom_cdf", "_binom_sf", "_hypergeom_cdf", "_hypergeom_sf")
_ufuncs: Any = getattr(special, "_ufuncs", None)
_FAST = _ufuncs is not None and all(hasattr(_ufuncs, name) for name in _NAMES)


def _integral(value: Float) -> NDArray[np.bool_]:
    return np.asarray(value == np.floor(value))


def _discrete(
    kind: str,
    ufunc: Callable[..., Float],
    k: ArrayLike,
    args: tuple[Float, ...],
    valid: NDArray[np.bool_],
    support: tuple[Float, Float],
) -> Float:
    """scipy's ``rv_discrete`` pmf / cdf / sf wrapper around one ufunc, for ``kind``."""
    kk = np.asarray(k, dtype=np.float64)
    low, high = support
    if kind == "pmf":
        inside = (kk >= low) & (kk <= high) & _integral(kk)
    else:
        inside = (kk >= low) & (kk < high) & np.isfinite(kk)
    shape = np.broadcast(kk, *args, valid).shape
    out = np.zeros(shape)
    if kind == "cdf":
        out[np.broadcast_to((kk >= high) & valid, shape)] = 1.0
    elif kind == "sf":
        out[np.broadcast_to(((kk < low) | np.isneginf(kk)) & valid, shape)] = 1.0
    out[np.broadcast_to(~valid | np.isnan(kk), shape)] = np.nan
    good = np.broadcast_to(valid & inside, shape)
    if good.any():
        values = [np.broadcast_to(a, shape)[good] for a in (kk, *args)]
        out[good] = np.clip(ufunc(*values), 0.0, 1.0)
    return out if out.ndim else out[()]


def _floored(ufunc: Callable[..., Float]) -> Callable[..., Float]:
    return lambda k, *args: ufunc(np.floor(k), *args)


def _binom(kind: str, k: ArrayLike, n: ArrayLike, p: ArrayLike) -> Float:
    nn = np.asarray(n, dtype=np.float64)
    pp = np.asarray(p, dtype=np.float64)
    valid = (nn >= 0) & _integral(nn) & (pp >= 0) & (pp <= 1)
    ufunc = getattr(_ufuncs, f"_binom_{kind}")
    if kind != "pmf":  # scipy's binom floors k itself before its cdf and sf
        ufunc = _floored(ufunc)
    return _discrete(kind, ufunc, k, (nn, pp), valid, (np.zeros_like(nn), nn))


def _hypergeom(
    kind: str, k: ArrayLike, total: ArrayLike, marked: ArrayLike, drawn: ArrayLike
) -> Float:
    mm, nn, dd = (np.asarray(v, dtype=np.float64) for v in (total, marked, drawn))
    valid = (mm > 0) & (nn >= 0) & (dd >= 0) & (nn <= mm) & (dd <= mm)
    valid &= _integral(mm) & _integral(nn) & _integral(dd)
    support = (np.maximum(dd - (mm - nn), 0), np.minimum(nn, dd))
    # scipy.stats passes (k, n, N, M) to the ufuncs
    ufunc = getattr(_ufuncs, f"_hypergeom_{kind}")
    return _discrete(kind, ufunc, k, (nn, dd, mm), valid, support)


def binom_pmf(k: ArrayLike, n: ArrayLike, p: ArrayLike) -> Float:
    return _binom("pmf", k, n, p) if _FAST else _stats().binom.pmf(k, n, p)


def binom_cdf(k: ArrayLike, n: ArrayLike, p: ArrayLike) -> Float:
    return _binom("cdf", k, n, p) if _FAST else _stats().binom.cdf(k, n, p)


def binom_sf(k: ArrayLike, n: ArrayLike, p: ArrayLike) -> Float:
    return _binom("sf", k, n, p) if _FAST else _stats().binom.sf(k, n, p)


def hypergeom_cdf(k: ArrayLike, total: ArrayLike, marked: ArrayLike, drawn: ArrayLike) -> Float:
    if not _FAST:
        return _stats().hypergeom.cdf(k, total, marked, drawn)
    return _hypergeom("cdf", k, total, marked, drawn)


def hypergeom_sf(k: ArrayLike, total: ArrayLike, marked: ArrayLike, drawn: ArrayLike) -> Float:
    if not _FAST:
        return _stats().hypergeom.sf(k, total, marked, drawn)
    return _hypergeom("sf", k, total, marked, drawn)


def chi2_sf(x: ArrayLike, df: ArrayLike) -> Float:
    """Upper tail of the chi-squared distribution (``scipy.stats.chi2.sf``)."""
    xx = np.asarray(x, dtype=np.float64)
    ff = np.asarray(df, dtype=np.float64)
    shape = np.broadcast(xx, ff).shape
    valid = np.broadcast_to(ff > 0, shape)
    xb = np.broadcast_to(xx, shape)
    out = np.zeros(shape)
    out[valid & (xb <= 0)] = 1.0
    out[~valid | np.isnan(xb)] = np.nan
    good = valid & (xb > 0) & (xb < np.inf)
    out[good] = special.chdtrc(np.broadcast_to(ff, shape)[good], xb[good])
    return out if out.ndim else out[()]


def norm_sf(x: ArrayLike) -> Float:
    """Upper tail of the standard normal distribution (``scipy.stats.norm.sf``)."""
    result: Float = special.ndtr(-np.asarray(x, dtype=np.float64))
    return result


def _stats() -> Any:
    import scipy.stats

    return scipy.stats

