"""Turning numbers into words: the representation band and how sure we are.

Bands follow the Bi-Borough anti-racist action plan's RRI thresholds (1.5 and 0.5, both
configurable). The confidence word stops a small sample being read as a finding: a
threshold crossed without statistical significance is only "indicative", and too little
data is said plainly.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from commissioning.model.bands import Band, Confidence

# Plain strings in the arrays (so a table cell is a str, as it always was); the enums
# define the vocabulary and compare equal to these.
OVER: Final = Band.OVER.value
UNDER: Final = Band.UNDER.value
NOT_REPRESENTED: Final = Band.NOT_REPRESENTED.value
PROPORTIONATE: Final = Band.PROPORTIONATE.value
HIGHER: Final = Band.HIGHER.value
LOWER: Final = Band.LOWER.value
#: Threshold comparisons allow for floating-point error: 6 / 20 against 0.2 is
#: 1.4999999999999998 in binary and must count as 1.5.
TOLERANCE: Final = 1e-9
SIGNIFICANT: Final = Confidence.SIGNIFICANT.value
INDICATIVE: Final = Confidence.INDICATIVE.value
TOO_FEW: Final = Confidence.TOO_FEW.value
BLANK: Final = Band.NONE.value


def bands(
    rri: ArrayLike,
    count: ArrayLike,
    expected: ArrayLike,
    *,
    over: float = 1.5,
    under: float = 0.5,
    min_expected: float = 5.0,
) -> NDArray[np.object_]:
    """One band per group; "" where the RRI is undefined (no comparator).

    over-represented: RRI >= over; under-represented: 0 < RRI <= under; not represented:
    no one in the service although at least ``min_expected`` were expected; otherwise
    proportionate (including 0 people when fewer than ``min_expected`` were expected: a
    zero there is unremarkable).
    """
    r = np.asarray(rri, dtype=np.float64)
    x = np.asarray(count, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    out = np.full(r.shape, PROPORTIONATE, dtype=object)
    out[r >= over - TOLERANCE] = OVER
    out[(r > 0) & (r <= under + TOLERANCE)] = UNDER
    out[(x == 0) & (e >= min_expected)] = NOT_REPRESENTED
    out[np.isnan(r)] = BLANK
    return out


def grade(
    band: ArrayLike,
    rri: ArrayLike,
    p_adjusted: ArrayLike,
    n: ArrayLike,
    *,
    alpha: float = 0.05,
    min_n: int = 20,
) -> NDArray[np.object_]:
    """Name the clear differences inside the thresholds: a proportionate band whose
    adjusted p-value is below ``alpha`` becomes "higher than expected" (RRI above 1) or
    "lower than expected", unless the service is below ``min_n`` (too few to judge) or
    the RRI is 0 (no one, where too few were expected for that to mean anything). Over,
    under and not represented are unchanged."""
    b = np.array(band, dtype=object)
    r = np.asarray(rri, dtype=np.float64)
    p = np.asarray(p_adjusted, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        clear = (b == PROPORTIONATE) & (p < alpha) & np.isfinite(r) & (r > 0) & (m >= min_n)
    b[clear & (r > 1)] = HIGHER
    b[clear & (r < 1)] = LOWER
    return b


def confidence(
    band: ArrayLike,
    p_adjusted: ArrayLike,
    expected: ArrayLike,
    n: ArrayLike,
    *,
    alpha: float = 0.05,
    min_n: int = 20,
    min_expected: float = 5.0,
) -> NDArray[np.object_]:
    """One confidence word per group, the first rule that applies:

    1. too few to judge — the service total n is below ``min_n`` (a policy floor);
    2. significant — adjusted p < alpha and the band is not proportionate (exact tests
       stay valid for small expected counts, so a significant result stands);
    3. too few to judge — expected count below ``min_expected``;
    4. indicative — a threshold is crossed but not significantly;
    5. "" — proportionate, nothing to flag (also for groups with no comparator).
    """
    b = np.asarray(band, dtype=object)
    p = np.asarray(p_adjusted, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    flagged = (b != PROPORTIONATE) & (b != BLANK)
    defined = b != BLANK
    with np.errstate(invalid="ignore"):
        significant = flagged & (p < alpha)
    out = np.full(b.shape, BLANK, dtype=object)
    out[flagged] = INDICATIVE
    out[defined & (e < min_expected)] = TOO_FEW
    out[significant] = SIGNIFICANT
    out[defined & (m < min_n)] = TOO_FEW
    return out
