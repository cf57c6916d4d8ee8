"""Small-number protection for two-way tables (ethnic group by sex or by age band).

A split table's rows add up to the main table's counts (with the people whose sex or age
was not recorded), and its columns to each stratum's people, so a reader can subtract
along both. Rather than hide more cells until the sums no longer give a count away
(secondary suppression, whose choices themselves leak), a row with any small number in
it is hidden whole, totals over a hidden row are not shown, and the RRIs are worked out
on the rows shown. `make_safe_intersection` says exactly what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from commissioning.analysis.compare import Analysis
from commissioning.analysis.subset import reanalyse
from commissioning.drafting.disclosure import (
    SECONDARY,
    Reason,
    SafeAnalysis,
    SafeCount,
    _num,
    hidden_cells,
    is_small,
)
from commissioning.errors import AnalysisError

MSG_INTERSECTION_BY = (
    "An intersection must be an analysis split by exactly one of sex or age band (this one "
    "is split by {by}). Run the analysis with by='sex' or by='age_band'."
)
MSG_INTERSECTION_GROUPS = (
    "The intersection by {by} uses different ethnic groups from the main analysis. Run both "
    "analyses at the same level (major or detailed) and with the same comparator."
)


@dataclass(frozen=True)
class SafeCell:
    """One ethnic group within one stratum (a sex or an age band), already suppressed.

    ``rri`` and its interval are shown only when the count, the stratum's total and (for
    a comparator that is a list of people) the comparator count are all shown, because
    RRI x comparator share x stratum total gives the count back.
    """

    group: str
    stratum: str
    count: int | None
    reason: Reason
    rri: float | None
    rri_low: float | None
    rri_high: float | None
    band: str | None
    confidence: str | None
    withheld: bool  # the result is hidden to protect small numbers (not merely absent)

    @property
    def shown(self) -> bool:
        """True when the cell's result (RRI and what it means) can be published."""
        return self.band is not None


@dataclass(frozen=True)
class SafeIntersection:
    """What may be published from an analysis split by sex or by age band.

    ``published`` is False when no safe two-way table exists (everything would have to
    be hidden); the section then says so instead of showing the table.
    """

    by: str
    groups: tuple[str, ...]
    strata: tuple[str, ...]
    cells: tuple[SafeCell, ...]  # group by group, strata in order within each group
    totals: tuple[SafeCount, ...]  # people with a known ethnicity in each stratum
    threshold: int
    published: bool

    def cell(self, group: str, stratum: str) -> SafeCell:
        for item in self.cells:
            if item.group == group and item.stratum == stratum:
                return item
        raise KeyError((group, stratum))

    @property
    def any_hidden(self) -> bool:
        return any(c.reason for c in self.cells) or any(t.hidden for t in self.totals)


def make_safe_intersection(
    split: Analysis,
    main: Analysis,
    safe: SafeAnalysis,
) -> SafeIntersection:
    """What may be published from an analysis split by sex or age band.

    A group's row is shown only when its count in the main table is shown and every
    count in the row is 0 or at least the threshold, counting the people of that group
    whose sex (or age) was not recorded, since the main table's count minus the row's
    cells gives them. Any other row is hidden whole, its cells all "not shown", so no
    cell in it can be told from another. Stratum totals are shown only when no row is
    hidden, and RRIs are worked out on the rows shown (`reanalyse`). A stratum with
    nobody in a shown row is left out.
    """
    dims = split.by_dimensions
    if len(dims) != 1:
        raise AnalysisError(MSG_INTERSECTION_BY.format(by=",".join(split.by) or "nothing"))
    by = dims[0]
    groups = tuple(r.group for r in safe.rows)
    table = split.table.reset_index(drop=True)
    if set(table["group"].astype(str)) - set(groups) or split.level != main.level:
        raise AnalysisError(MSG_INTERSECTION_GROUPS.format(by=by))
    threshold = safe.threshold
    strata = tuple(dict.fromkeys(str(s) for s in table[by]))
    row_of = {g: i for i, g in enumerate(groups)}
    col_of = {s: j for j, s in enumerate(strata)}
    rows = table["group"].astype(str).map(row_of).to_numpy()
    cols = table[by].astype(str).map(col_of).to_numpy()
    cells = np.zeros((len(groups), len(strata)), dtype=np.int64)
    cells[rows, cols] = table["count"].to_numpy(np.int64)
    small, comp_small = hidden_cells(table, main.mode, threshold)
    bad = np.zeros(len(groups), dtype=bool)
    np.logical_or.at(bad, rows, small | comp_small)
    main_counts = main.table.set_index("group")["count"]
    not_recorded = np.array([int(main_counts[g]) for g in groups]) - cells.sum(axis=1)
    bad |= np.array([r.hidden or r.comparator_hidden for r in safe.rows])
    bad |= np.array([is_small(int(u), threshold) for u in not_recorded])
    # Only strata with someone in a shown row are shown: whether a column exists must not
    # tell a reader that a hidden row has somebody in it.
    present = cells[~bad].sum(axis=0) > 0
    strata = tuple(s for j, s in enumerate(strata) if present[j])
    cells = cells[:, present]
    col_of = {s: j for j, s in enumerate(strata)}
    keep = ~bad[rows] & present[cols]
    published = reanalyse(split, keep) if strata and not bad.all() else None
    stats = {}
    if published is not None:
        for rec in published.table.to_dict("records"):
            stats[(str(rec["group"]), str(rec[by]))] = rec
    out = [
        _cell(g, s, int(cells[row_of[g], col_of[s]]), bool(bad[row_of[g]]), stats.get((g, s)))
        for g in groups
        for s in strata
    ]
    col_totals = cells.sum(axis=0)
    totals = tuple(
        SafeCount(None, SECONDARY, 0, 0) if bad.any() else SafeCount.exact(int(t))
        for t in col_totals
    )
    return SafeIntersection(
        by=by,
        groups=groups,
        strata=strata,
        cells=tuple(out),
        totals=totals,
        threshold=threshold,
        published=published is not None,
    )


def _cell(
    group: str, stratum: str, count: int, hidden: bool, rec: Mapping[Any, Any] | None
) -> SafeCell:
    if hidden or rec is None:
        return SafeCell(group, stratum, None if hidden else count, SECONDARY if hidden else "",
                        None, None, None, None, None, withheld=hidden)
    band = str(rec.get("band") or "") or None
    return SafeCell(
        group=group,
        stratum=stratum,
        count=count,
        reason="",
        rri=_num(rec.get("rri")) if band else None,
        rri_low=_num(rec.get("rri_low")) if band else None,
        rri_high=_num(rec.get("rri_high")) if band else None,
        band=band,
        confidence=str(rec.get("confidence") or "") or None,
        withheld=False,
    )
