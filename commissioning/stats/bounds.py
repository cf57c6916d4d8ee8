"""How far could unknown ethnicity move each RRI?

People whose ethnicity is not known (or not recognised) are left out of shares. If they
all belonged to other groups, group g's share would be x_g / (n + u); if they all belonged
to g, it would be (x_g + u) / (n + u). Dividing by the comparator share gives the lowest
and highest RRI the group could have: a report can then say whether a finding survives any
assignment of the unknowns.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Float = NDArray[np.float64]


def unknown_bounds(
    x: ArrayLike,
    n: ArrayLike,
    unknown: ArrayLike,
    comparator_count: ArrayLike,
    comparator_total: ArrayLike,
) -> tuple[Float, Float]:
    """(lowest, highest) RRI of each group; NaN where the RRI is undefined."""
    xs, ns, us, cg, ct = np.broadcast_arrays(
        *(
            np.asarray(v, dtype=np.float64)
            for v in (x, n, unknown, comparator_count, comparator_total)
        )
    )
    total = ns + us
    with np.errstate(invalid="ignore", divide="ignore"):
        pi = cg / ct
        low = xs / total / pi
        high = (xs + us) / total / pi
    bad = (ns == 0) | (cg == 0) | (ct == 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)
