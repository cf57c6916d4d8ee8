"""The parts of a comparison that look at the whole return at once: the overall test of
"does the service's mix match the comparator's" and the warnings about the return itself
(too many unknowns, too few people, people outside any comparator group)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from commissioning.model.categories import NOT_CLASSIFIED
from commissioning.model.counts import Counts
from commissioning.stats.goodness import goodness_of_fit, homogeneity

WARN_UNKNOWN: Final = (
    "{share:.0%} of the people in the return have no known ethnicity (more than "
    "{limit:.0%}). Shares leave them out; see the lowest and highest possible RRI for "
    "each group."
)
WARN_SMALL_N: Final = (
    "Only {n} people in the return have a known ethnicity (fewer than {min_n}), too few "
    "to judge any group."
)
WARN_DIMENSION_NOT_KNOWN: Final = (
    "{count} people with a known ethnicity but no known {dimension} are left out of the "
    "comparison by {dimension}."
)
WARN_NO_COMPARATOR: Final = (
    "{count} people are in groups the comparator has no one in; they are shown with the "
    "note 'no comparator population' and are not tested."
)


@dataclass(frozen=True)
class Omnibus:
    """Test of "the service mix matches the comparator mix" across all groups at once."""

    statistic: float
    df: int
    p_value: float
    method: str  # "chi-square goodness of fit" / "... Monte Carlo p-value (seed 2024, ...)"


def omnibus(
    table: pd.DataFrame,
    dims: tuple[str, ...],
    mode: str,
    seed: int,
    draws: int,
    min_expected: float,
) -> Omnibus | None:
    """Across groups with a comparator population (groups without one cannot be tested)."""
    usable = table.loc[table["comparator_count"] > 0]
    strata = [usable] if not dims else [g for _, g in usable.groupby(list(dims), sort=False)]
    xs = [s["count"].to_numpy(np.int64) for s in strata]
    cs = [s["comparator_count"].to_numpy(np.int64) for s in strata]
    if mode == "fixed":
        res = goodness_of_fit(xs, cs, seed=seed, draws=draws, min_expected=min_expected)
    elif mode == "independent":
        res = homogeneity(xs, cs, seed=seed, draws=draws, min_expected=min_expected)
    else:
        res = homogeneity(
            xs,
            [c - x for x, c in zip(xs, cs, strict=True)],
            seed=seed,
            draws=draws,
            min_expected=min_expected,
        )
    if res.df == 0:
        return None
    return Omnibus(res.statistic, res.df, res.pvalue, res.method)


def warnings(
    service: Counts,
    col: str,
    dims: tuple[str, ...],
    n_total: int,
    n_known: int,
    n_unknown: int,
    x: np.ndarray,
    cg: np.ndarray,
    min_n: int,
    unknown_warning: float,
) -> tuple[str, ...]:
    found: list[str] = []
    share = n_unknown / n_total if n_total else 0.0
    if share > unknown_warning:
        found.append(WARN_UNKNOWN.format(share=share, limit=unknown_warning))
    if n_known < min_n:
        found.append(WARN_SMALL_N.format(n=n_known, min_n=min_n))
    frame = service.frame
    known = frame.loc[~frame[col].isin(NOT_CLASSIFIED)]
    for dim in dims:
        missing = int(known.loc[known[dim].isin(NOT_CLASSIFIED), "count"].sum())
        if missing:
            found.append(WARN_DIMENSION_NOT_KNOWN.format(count=missing, dimension=dim))
    stranded = int(x[cg == 0].sum())
    if stranded:
        found.append(WARN_NO_COMPARATOR.format(count=stranded))
    return tuple(found)
