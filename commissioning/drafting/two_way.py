"""Small-number suppression for two-way tables (ethnic group by sex or by age band).

A split analysis is published as a table with margins: the row totals are the main
analysis's counts and the column totals are each stratum's people. Hiding the small
cells is not enough, because a reader can subtract along rows and columns; this module
hides more cells until every hidden one still has at least two possible values
(`unsafe_entries`), using the same primary rule and reasons as `disclosure`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from commissioning.analysis.compare import Analysis
from commissioning.drafting.disclosure import (
    DEFAULT_THRESHOLD,
    SECONDARY,
    SMALL,
    Reason,
    SafeAnalysis,
    SafeCount,
    _count,
    _num,
    check_threshold,
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


def _can_move(value: int, reason: str, step: int, threshold: int) -> bool:
    """Could a hidden value move by ``step`` (+1 or -1) and still fit what a reader knows?"""
    moved = value + step
    if reason == SMALL:
        return 1 <= moved < threshold
    return moved >= threshold and value >= threshold


def unsafe_entries(
    values: np.ndarray, reasons: np.ndarray, threshold: int
) -> list[tuple[int, int]]:
    """Hidden entries of a table with margins that a reader could work out exactly.

    ``values`` and ``reasons`` are the (rows + 1) x (columns + 1) table: the last column
    holds the row totals and the last row the column totals. A hidden entry is safe when
    one person can move around a closed loop of hidden entries (up in one, down in the
    next, along rows and columns in turn) so that every total still adds up and every
    hidden entry stays in its known range: then the reader sees two possible values. The
    loop is found as a directed cycle; totals count with the opposite sign, so moving a
    cell up and its row total up keeps the row right. Sufficient, so it may hide more
    than strictly needed, never less.
    """
    n_rows, n_cols = values.shape
    sign = _signs(values.shape)
    # Edges: row node i -> column node j when entry (i, j) may rise (in signed terms),
    # column node j -> row node i when it may fall.
    up: dict[int, list[tuple[int, int]]] = {i: [] for i in range(n_rows)}
    down: dict[int, list[tuple[int, int]]] = {j: [] for j in range(n_cols)}
    hidden = [(int(i), int(j)) for i, j in zip(*np.nonzero(reasons != ""), strict=True)]
    for i, j in hidden:
        v, r, s = int(values[i, j]), str(reasons[i, j]), int(sign[i, j])
        if _can_move(v, r, s, threshold):
            up[i].append((i, j))
        if _can_move(v, r, -s, threshold):
            down[j].append((i, j))

    def reaches(start_col: int, goal_row: int, skip: tuple[int, int]) -> bool:
        """Is there an alternating path from column ``start_col`` back to ``goal_row``?"""
        seen_cols, seen_rows = {start_col}, set()
        frontier = [start_col]
        while frontier:
            col = frontier.pop()
            for i, j in down[col]:
                if (i, j) == skip or i in seen_rows:
                    continue
                if i == goal_row:
                    return True
                seen_rows.add(i)
                for _, nxt in up[i]:
                    if nxt not in seen_cols:
                        seen_cols.add(nxt)
                        frontier.append(nxt)
        return False

    def reaches_back(start_row: int, goal_col: int, skip: tuple[int, int]) -> bool:
        """The same with the entry falling: a path from row ``start_row`` to ``goal_col``."""
        seen_rows, seen_cols = {start_row}, set()
        frontier = [start_row]
        while frontier:
            row = frontier.pop()
            for i, j in up[row]:
                if (i, j) == skip or j in seen_cols:
                    continue
                if j == goal_col:
                    return True
                seen_cols.add(j)
                for nxt, _ in down[j]:
                    if nxt not in seen_rows:
                        seen_rows.add(nxt)
                        frontier.append(nxt)
        return False

    unsafe = []
    for i, j in hidden:
        rises = (i, j) in up[i] and reaches(j, i, (i, j))
        falls = (i, j) in down[j] and reaches_back(i, j, (i, j))
        if not (rises or falls):
            unsafe.append((i, j))
    return unsafe


def protect_two_way(
    cells: np.ndarray,
    row_totals: Sequence[int],
    row_reasons: Sequence[str],
    grand_total: int,
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Which cells and column totals of a two-way table to hide.

    ``row_totals`` and their ``row_reasons`` are already published (the main table), so
    they are fixed; ``grand_total`` is shown. Primary suppression hides counts 1 to
    ``threshold - 1`` (cells and column totals); then, until every hidden entry is safe
    (`unsafe_entries`), the smallest shown non-zero cell or column total in the row or
    column of an unsafe entry is hidden too. Returns (cell reasons, column-total
    reasons), or None when even hiding everything would not protect the table.
    """
    check_threshold(threshold)
    n_rows, n_cols = cells.shape
    col_totals = cells.sum(axis=0)
    values = np.zeros((n_rows + 1, n_cols + 1), dtype=np.int64)
    values[:n_rows, :n_cols] = cells
    values[:n_rows, n_cols] = np.asarray(row_totals, dtype=np.int64)
    values[n_rows, :n_cols] = col_totals
    values[n_rows, n_cols] = grand_total
    reasons = np.full(values.shape, "", dtype=object)
    small = (values > 0) & (values < threshold)
    reasons[:n_rows, :n_cols][small[:n_rows, :n_cols]] = SMALL
    reasons[n_rows, :n_cols][small[n_rows, :n_cols]] = SMALL
    reasons[:n_rows, n_cols] = np.asarray([str(r) for r in row_reasons], dtype=object)
    hideable = np.zeros(values.shape, dtype=bool)
    hideable[: n_rows + 1, :n_cols] = True  # cells and column totals; row totals are fixed
    while True:
        unsafe = unsafe_entries(values, reasons, threshold)
        if not unsafe:
            return reasons[:n_rows, :n_cols].copy(), reasons[n_rows, :n_cols].copy()
        loop = _cheapest_loop(values, reasons, hideable, unsafe[0], threshold)
        if loop:
            for entry in loop:
                reasons[entry] = SECONDARY
            continue
        pick = _next_to_hide(values, reasons, hideable, unsafe[0])
        if pick is None:
            return None
        reasons[pick] = SECONDARY


def _signs(shape: tuple[int, ...]) -> np.ndarray:
    sign = np.ones(shape, dtype=int)
    sign[-1, :] = -1
    sign[:, -1] = -1
    sign[-1, -1] = 1
    return sign


def _cheapest_loop(
    values: np.ndarray,
    reasons: np.ndarray,
    hideable: np.ndarray,
    entry: tuple[int, int],
    threshold: int,
) -> list[tuple[int, int]]:
    """The shown entries to hide so that ``entry`` sits on a closed loop of hidden entries
    around which one person can move (the loop `unsafe_entries` looks for), hiding the
    fewest people and cells before totals. A cheapest-path search (Dijkstra) over
    rows and columns; empty when no loop exists."""
    import heapq

    n_rows, n_cols = values.shape
    sign = _signs(values.shape)
    penalty = int(values.sum()) + 1  # hide a column total only when no cell will do
    # out[node] = [(next node, cost, entry)]; nodes are ("r", i) and ("c", j).
    out: dict[tuple[str, int], list[tuple[tuple[str, int], int, tuple[int, int]]]] = {}
    for i in range(n_rows):
        for j in range(n_cols):
            v, r = int(values[i, j]), str(reasons[i, j])
            if r:
                cost, kind = 0, r
            elif hideable[i, j] and v > 0:
                cost, kind = v + (penalty if i == n_rows - 1 else 0), SECONDARY
            else:
                continue
            if _can_move(v, kind, int(sign[i, j]), threshold):
                out.setdefault(("r", i), []).append((("c", j), cost, (i, j)))
            if _can_move(v, kind, -int(sign[i, j]), threshold):
                out.setdefault(("c", j), []).append((("r", i), cost, (i, j)))

    def cheapest(start: tuple[str, int], goal: tuple[str, int]) -> tuple[int, list] | None:
        best = {start: 0}
        back: dict[tuple[str, int], tuple[tuple[str, int], tuple[int, int]]] = {}
        heap = [(0, start)]
        while heap:
            cost, node = heapq.heappop(heap)
            if node == goal:
                path, at = [], goal
                while at != start:
                    at, used = back[at]
                    path.append(used)
                return cost, path
            if cost > best.get(node, cost):
                continue
            for nxt, step, used in out.get(node, []):
                if used == entry:
                    continue
                if cost + step < best.get(nxt, cost + step + 1):
                    best[nxt] = cost + step
                    back[nxt] = (node, used)
                    heapq.heappush(heap, (cost + step, nxt))
        return None

    i, j = entry
    options = []
    if _can_move(int(values[i, j]), str(reasons[i, j]), int(sign[i, j]), threshold):
        options.append(cheapest(("c", j), ("r", i)))
    if _can_move(int(values[i, j]), str(reasons[i, j]), -int(sign[i, j]), threshold):
        options.append(cheapest(("r", i), ("c", j)))
    found = [o for o in options if o is not None]
    if not found:
        return []
    _, path = min(found, key=lambda o: o[0])
    return [e for e in path if not reasons[e]]


def _next_to_hide(
    values: np.ndarray, reasons: np.ndarray, hideable: np.ndarray, entry: tuple[int, int]
) -> tuple[int, int] | None:
    """The next entry to hide: the smallest shown non-zero cell in the row or column of
    ``entry``, else any such cell, else a column total (hiding a total takes every RRI in
    its column with it, so cells go first)."""
    open_ = hideable & (reasons == "") & (values > 0)
    inner = np.zeros(values.shape, dtype=bool)
    inner[:-1, :-1] = True
    near = np.zeros(values.shape, dtype=bool)
    near[entry[0], :] = True
    near[:, entry[1]] = True
    for mask in (open_ & inner & near, open_ & inner, open_ & near, open_):
        if mask.any():
            candidates = np.argwhere(mask)
            i, j = min(
                ((int(a), int(b)) for a, b in candidates),
                key=lambda ij: (int(values[ij]), ij),
            )
            return i, j
    return None


def make_safe_intersection(
    split: Analysis,
    main: Analysis,
    safe: SafeAnalysis,
) -> SafeIntersection:
    """Suppress an analysis split by sex or age band, consistently with the main table.

    The main table (``safe``) already publishes each group's count and the total with a
    known ethnicity; they are the row totals and grand total of the two-way table (a
    reader may assume nobody's sex or age is missing), so they are held fixed and the
    two-way table is protected around them.
    """
    dims = split.by_dimensions
    if len(dims) != 1:
        raise AnalysisError(MSG_INTERSECTION_BY.format(by=",".join(split.by) or "nothing"))
    by = dims[0]
    groups = tuple(r.group for r in safe.rows)
    table = split.table
    if set(table["group"].astype(str)) - set(groups) or split.level != main.level:
        raise AnalysisError(MSG_INTERSECTION_GROUPS.format(by=by))
    strata = tuple(dict.fromkeys(str(s) for s in table[by]))
    row_of = {g: i for i, g in enumerate(groups)}
    col_of = {s: j for j, s in enumerate(strata)}
    rows = table["group"].astype(str).map(row_of).to_numpy()
    cols = table[by].astype(str).map(col_of).to_numpy()
    cells = np.zeros((len(groups), len(strata)), dtype=np.int64)
    comp = np.zeros_like(cells)
    cells[rows, cols] = table["count"].to_numpy(np.int64)
    comp[rows, cols] = np.round(table["comparator_count"].to_numpy(np.float64)).astype(np.int64)
    threshold = safe.threshold
    main_counts = main.table.set_index("group")["count"]
    row_totals = [int(main_counts[g]) for g in groups]
    protected = None
    if not safe.n_known.hidden:
        protected = protect_two_way(
            cells, row_totals, [r.reason for r in safe.rows], int(main.n_known), threshold
        )
    comp_hidden = np.zeros(cells.shape, dtype=bool)
    if protected is not None and main.mode != "fixed":
        # A comparator that is a list of people is protected like the service.
        comp_main = main.table.set_index("group")["comparator_count"]
        comp_rows = [round(float(comp_main[g])) for g in groups]
        comp_reasons = [
            (SMALL if is_small(v, threshold) else SECONDARY) if r.comparator_hidden else ""
            for v, r in zip(comp_rows, safe.rows, strict=True)
        ]
        comp_protected = protect_two_way(
            comp, comp_rows, comp_reasons, int(sum(comp_rows)), threshold
        )
        if comp_protected is None:
            comp_hidden[:] = True
        else:
            comp_hidden = (comp_protected[0] != "") | (comp_protected[1] != "")[None, :]
    if protected is None:
        cell_reasons = np.where(cells > 0, SECONDARY, "").astype(object)
        total_reasons = np.where(cells.sum(axis=0) > 0, SECONDARY, "").astype(object)
    else:
        cell_reasons, total_reasons = protected
    records = {
        (str(rec["group"]), str(rec[by])): rec for rec in table.to_dict("records")
    }
    out: list[SafeCell] = []
    for g in groups:
        for s in strata:
            i, j = row_of[g], col_of[s]
            reason: Reason = cell_reasons[i, j]
            rec = records.get((g, s), {})
            gone = bool(reason) or bool(total_reasons[j]) or bool(comp_hidden[i, j])
            band = None if gone else (str(rec.get("band") or "") or None)
            out.append(
                SafeCell(
                    group=g,
                    stratum=s,
                    count=None if reason else int(cells[i, j]),
                    reason=reason,
                    rri=None if gone or band is None else _num(rec.get("rri")),
                    rri_low=None if gone or band is None else _num(rec.get("rri_low")),
                    rri_high=None if gone or band is None else _num(rec.get("rri_high")),
                    band=band,
                    confidence=None if gone else (str(rec.get("confidence") or "") or None),
                    withheld=gone,
                )
            )
    col_totals = cells.sum(axis=0)
    totals = tuple(
        _count(int(col_totals[j]), total_reasons[j]) for j in range(len(strata))
    )
    return SafeIntersection(
        by=by,
        groups=groups,
        strata=strata,
        cells=tuple(out),
        totals=totals,
        threshold=threshold,
        published=protected is not None,
    )
