"""Relative Rate Index and ratio intervals, vectorised.

RRI_g = (x_g / n) / (N_g / N): a group's share of the service over its share of the
comparator. Edge cases are returned as NaN, never as a made-up number:

* 0 / 0 — no one with a known ethnicity in the service (n = 0): the share is undefined;
* x / 0 — the group is absent from the comparator (N_g = 0): there is nothing to compare
  with, so the ratio is undefined (the analysis notes "no comparator population").

The Katz et al. (1978) log interval for a ratio of two independent proportions is used
for the independent and nested designs; its variance 1/x1 - 1/n1 + 1/x2 - 1/n2 is
undefined only when x1 or x2 is 0. Then 0.5 is added to both counts and both totals
(the "log-adjusted" interval of Pettigrew, Gart & Thomas 1986) for the finite limit, and the
limit on the side of the zero is the edge of the possible range (0, or infinity), since
the data cannot rule it out. The interval therefore always contains the estimate.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from commissioning.stats.proportions import wilson_interval, z_value

Float = NDArray[np.float64]

#: Added to counts and totals when a count in the Katz variance is 0.
ZERO_CORRECTION = 0.5


def _f(v: ArrayLike) -> Float:
    return np.asarray(v, dtype=np.float64)


def relative_rate_index(
    x: ArrayLike, n: ArrayLike, comparator_count: ArrayLike, comparator_total: ArrayLike
) -> Float:
    """(x / n) / (N_g / N); NaN when n = 0 or N_g = 0 (see the module notes)."""
    xs, ns, cg, ct = np.broadcast_arrays(_f(x), _f(n), _f(comparator_count), _f(comparator_total))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (xs / ns) / (cg / ct)
    return np.where((ns == 0) | (cg == 0) | (ct == 0), np.nan, out)


def wilson_rri_interval(
    x: ArrayLike,
    n: ArrayLike,
    comparator_count: ArrayLike,
    comparator_total: ArrayLike,
    confidence_level: float = 0.95,
) -> tuple[Float, Float]:
    """Comparator treated as fixed: the Wilson interval of x/n divided by N_g/N."""
    low, high = wilson_interval(x, n, confidence_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        pi = _f(comparator_count) / _f(comparator_total)
        pi = np.where(pi > 0, pi, np.nan)
        return low / pi, high / pi


def katz_interval(
    x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike, confidence_level: float = 0.95
) -> tuple[Float, Float]:
    """Katz log interval for (x1/n1) / (x2/n2) from two independent binomial samples.

    NaN when either total is 0 or both counts are 0 (0/0); see the module notes for the
    0.5 correction when one count is 0.
    """
    a, m1, b, m2 = np.broadcast_arrays(_f(x1), _f(n1), _f(x2), _f(n2))
    zero = (a == 0) | (b == 0)
    c = np.where(zero, ZERO_CORRECTION, 0.0)
    a_, m1_, b_, m2_ = a + c, m1 + c, b + c, m2 + c
    z = z_value(confidence_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (a_ / m1_) / (b_ / m2_)
        half = z * np.sqrt(1 / a_ - 1 / m1_ + 1 / b_ - 1 / m2_)
        low = ratio * np.exp(-half)
        high = ratio * np.exp(half)
    low = np.where(a == 0, 0.0, low)
    high = np.where((b == 0) & (a > 0), np.inf, high)
    undefined = (m1 == 0) | (m2 == 0) | ((a == 0) & (b == 0))
    return np.where(undefined, np.nan, low), np.where(undefined, np.nan, high)


def group_vs_rest_to_rri(
    rate_ratio: ArrayLike, comparator_count: ArrayLike, comparator_total: ArrayLike
) -> Float:
    """Map a progression rate ratio (group vs all other groups) onto the RRI scale.

    With w = N_g / N, the overall rate is w·r_g + (1 - w)·r_rest, so
    RRI = r_g / overall = 1 / (w + (1 - w) / RR): strictly increasing in RR, which carries
    an interval for RR over to the RRI with the same confidence (w is fixed by design).
    RR = 0 gives 0 and RR = infinity gives 1 / w.
    """
    rr = _f(rate_ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = _f(comparator_count) / _f(comparator_total)
        inv = np.where(np.isposinf(rr), 0.0, 1.0 / rr)
        out = 1.0 / (w + (1.0 - w) * inv)
    return np.where(rr == 0, 0.0, out)


def nested_rri_interval(
    x: ArrayLike,
    n: ArrayLike,
    comparator_count: ArrayLike,
    comparator_total: ArrayLike,
    confidence_level: float = 0.95,
) -> tuple[Float, Float]:
    """Service is a subset of the comparator: Katz interval of the group's progression
    rate x/N_g against everyone else's (n - x)/(N - N_g), carried to the RRI scale.

    A group that is the whole comparator (N_g = N) has RRI exactly 1: interval [1, 1].
    """
    xs, ns, cg, ct = np.broadcast_arrays(_f(x), _f(n), _f(comparator_count), _f(comparator_total))
    low_rr, high_rr = katz_interval(xs, cg, ns - xs, ct - cg, confidence_level)
    low = group_vs_rest_to_rri(low_rr, cg, ct)
    high = group_vs_rest_to_rri(high_rr, cg, ct)
    whole = (cg == ct) & (ct > 0) & (ns > 0)
    low, high = np.where(whole, 1.0, low), np.where(whole, 1.0, high)
    bad = (ns == 0) | (cg == 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def reference_rate_ratio(
    x: ArrayLike, comparator_count: ArrayLike, x_ref: ArrayLike, comparator_ref: ArrayLike
) -> Float:
    """OJJDP-style rate ratio: (x_g / N_g) / (x_ref / N_ref).

    NaN when undefined: a comparator count is 0, or no one from the reference group is in
    the service (x_ref = 0; the ratio would be infinite or 0/0).
    """
    # The same ratio of two rates as the RRI, with the roles of the arguments swapped:
    # (x_g / N_g) / (x_ref / N_ref), undefined when N_g, x_ref or N_ref is 0.
    return relative_rate_index(x, comparator_count, x_ref, comparator_ref)


def reference_rate_ratio_interval(
    x: ArrayLike,
    comparator_count: ArrayLike,
    x_ref: ArrayLike,
    comparator_ref: ArrayLike,
    mode: str,
    confidence_level: float = 0.95,
) -> tuple[Float, Float]:
    """Interval for the rate ratio against a reference group, by design.

    * fixed: comparator counts are constants; given x_g + x_ref = m, x_g ~ Bin(m, θ) with
      RR = θ/(1-θ) · N_ref/N_g. The Wilson interval for θ is carried over (monotone).
    * independent: the ratio equals the odds ratio of [[x_g, x_ref], [N_g, N_ref]];
      Woolf's log interval, variance 1/x_g + 1/x_ref + 1/N_g + 1/N_ref. With a zero count,
      0.5 is added to all four cells, for the centre and the variance alike.
    * nested: x_g of N_g and x_ref of N_ref are independent binomials; Katz interval.
    """
    a, cg, b, cr = np.broadcast_arrays(_f(x), _f(comparator_count), _f(x_ref), _f(comparator_ref))
    scale = np.where(cg > 0, cr / np.where(cg > 0, cg, 1.0), np.nan)
    if mode == "fixed":
        lo_t, hi_t = wilson_interval(a, a + b, confidence_level)
        with np.errstate(divide="ignore", invalid="ignore"):
            low = np.where(lo_t >= 1, np.inf, lo_t / (1 - lo_t)) * scale
            high = np.where(hi_t >= 1, np.inf, hi_t / (1 - hi_t)) * scale
    elif mode == "independent":
        zero = (a == 0) | (b == 0)
        c = np.where(zero, ZERO_CORRECTION, 0.0)
        z = z_value(confidence_level)
        with np.errstate(divide="ignore", invalid="ignore"):
            # The same 0.5 on all four cells for the centre as for the variance
            # (Haldane-Anscombe), so the interval is that of one corrected table.
            est = ((a + c) / (b + c)) * ((cr + c) / (cg + c))
            half = z * np.sqrt(1 / (a + c) + 1 / (b + c) + 1 / (cg + c) + 1 / (cr + c))
            low = np.where(a == 0, 0.0, est * np.exp(-half))
            high = np.where((b == 0) & (a > 0), np.inf, est * np.exp(half))
    elif mode == "nested":
        low, high = katz_interval(a, cg, b, cr, confidence_level)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    bad = (cg == 0) | (cr == 0) | (b == 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)
