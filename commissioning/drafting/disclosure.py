"""Small-number suppression, applied before anything leaves the program.

Decision reports are published, so a count of 1 to 4 people (the threshold is
configurable) could identify a family. This module turns an `Analysis` into a
`SafeAnalysis`: every count, share, Relative Rate Index (RRI) and interval that could
reveal a small count is removed *before* any template, table or chart sees it, so the
renderers cannot leak what they were never given.

Rules (one function, `protect`, used for every additive set of cells):

* primary: a count from 1 to ``threshold - 1`` is hidden and shown as "fewer than 5";
* secondary: if a set of cells adds up to a total that is shown, every hidden cell must
  still have more than one possible value once the reader subtracts the shown cells from
  the total (`is_protected`); the smallest other cells are hidden until that holds, and
  if it never can, the total is hidden too;
* a hidden cell has no share, RRI, interval, p-value or band word (each would let a
  reader multiply back to the count);
* when the cells' total is itself hidden, every non-zero cell is hidden.

Zeros are shown: "nobody from this group" is a finding, not a disclosure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from commissioning.analysis.compare import Analysis
from commissioning.errors import AnalysisError
from commissioning.returns.identifiers import may_be_personal

DEFAULT_THRESHOLD: Final = 5
SMALL: Final = "small"
SECONDARY: Final = "secondary"

Reason = Literal["", "small", "secondary"]

MSG_BAD_THRESHOLD = (
    "The small-number threshold must be a whole number of at least 2 (it was {value}). "
    "Use the default of 5 unless your council's publication rules say otherwise."
)
MSG_BY_NOT_SUPPORTED = (
    "This analysis is split by {by}; draft the section from the analysis of ethnicity alone "
    "and pass the split analysis as an intersection."
)


def check_threshold(threshold: int) -> int:
    """Return ``threshold`` or raise `AnalysisError` naming the fix."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 2:
        raise AnalysisError(MSG_BAD_THRESHOLD.format(value=threshold))
    return threshold


def protect(
    values: Sequence[int], threshold: int = DEFAULT_THRESHOLD, *, total_hidden: bool = False
) -> tuple[Reason, ...]:
    """Which cells of one additive set to hide, and why ("" means show).

    ``values`` add up to a total that is published unless ``total_hidden``. When even
    hiding every cell cannot protect them (for example five cells of 1 adding up to a
    shown 5), the result fails `is_protected`, and the caller must hide the total too.
    """
    check_threshold(threshold)
    reasons: list[Reason] = [SMALL if 0 < v < threshold else "" for v in values]
    if total_hidden:
        pairs = zip(reasons, values, strict=True)
        return tuple(r or (SECONDARY if v > 0 else "") for r, v in pairs)
    while any(reasons) and not is_protected(values, reasons, threshold):
        visible = [i for i, r in enumerate(reasons) if not r and values[i] > 0]
        if not visible:
            break
        pick = min(visible, key=lambda i: (values[i], i))
        reasons[pick] = SECONDARY
    return tuple(reasons)


def is_protected(values: Sequence[int], reasons: Sequence[str], threshold: int) -> bool:
    """True when every hidden cell could take another value, with the total still right.

    A reader knows a "fewer than" cell is 1 to ``threshold - 1`` and any other hidden cell
    is 0 or at least ``threshold``. A cell is safe when one person could move between it
    and another hidden cell without breaking either rule (a sufficient test, so we may
    hide more than strictly needed, never less).
    """
    hidden = [i for i, r in enumerate(reasons) if r]
    if not hidden:
        return True

    def up(i: int) -> bool:
        v = values[i]
        return v + 1 < threshold if reasons[i] == SMALL else v >= threshold

    def down(i: int) -> bool:
        v = values[i]
        return v - 1 >= 1 if reasons[i] == SMALL else v - 1 >= threshold

    for i in hidden:
        if not any(
            (up(i) and down(j)) or (down(i) and up(j)) for j in hidden if j != i
        ):
            return False
    return True


def is_small(value: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    return 0 < value < threshold


@dataclass(frozen=True)
class SafeRow:
    """One group's results with everything that could reveal a small count removed.

    A field is ``None`` when it is hidden (or was not computed). ``reason`` says why the
    count is hidden: "small" (fewer than the threshold) or "secondary" (hidden so the
    small one cannot be worked out by subtraction).
    """

    group: str
    count: int | None
    reason: Reason
    share: float | None
    comparator_share: float | None
    comparator_hidden: bool
    expected: float | None
    rri: float | None
    rri_low: float | None
    rri_high: float | None
    p_value: float | None
    band: str | None
    confidence: str | None
    rri_bound_low: float | None
    rri_bound_high: float | None

    @property
    def hidden(self) -> bool:
        return bool(self.reason)

    @property
    def shown(self) -> bool:
        """True when the group's results can be published in full."""
        return not self.reason and not self.comparator_hidden


@dataclass(frozen=True)
class SafeCount:
    """A count that may be hidden: ``value`` is None when it must not be published."""

    value: int | None
    reason: Reason = ""

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class SafeLabel:
    """An unrecognised label from a provider, and how many people it covered."""

    label: str  # provider text as written (escape when rendering); "" when withheld
    withheld: bool  # the label itself looked like it could be personal data
    count: SafeCount


@dataclass(frozen=True)
class SafeAnalysis:
    """What may be published from one `Analysis` (all suppression already applied)."""

    rows: tuple[SafeRow, ...]
    threshold: int
    n_total: SafeCount
    n_known: SafeCount
    n_unknown: SafeCount  # not known + unmapped together
    n_not_known: SafeCount
    n_unmapped: SafeCount
    unknown_share: float | None
    any_hidden: bool
    omnibus_shown: bool  # the omnibus statistic may be quoted (no hidden cell)
    labels: tuple[SafeLabel, ...] = ()

    def row(self, group: str) -> SafeRow:
        for row in self.rows:
            if row.group == group:
                return row
        raise KeyError(group)


def _num(value: object) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _count(value: int, reason: Reason) -> SafeCount:
    return SafeCount(None if reason else int(value), reason)


def make_safe(
    analysis: Analysis,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    unmapped: pd.DataFrame | None = None,
) -> SafeAnalysis:
    """Apply small-number suppression to an ethnicity-only analysis."""
    check_threshold(threshold)
    if analysis.by:
        raise AnalysisError(MSG_BY_NOT_SUPPORTED.format(by=",".join(analysis.by)))
    table = analysis.table.reset_index(drop=True)
    counts = [int(c) for c in table["count"].to_numpy()]
    n_known = int(analysis.n_known)
    known_reason: Reason = SMALL if is_small(n_known, threshold) else ""
    reasons = protect(counts, threshold, total_hidden=bool(known_reason))
    if not known_reason and not is_protected(counts, reasons, threshold):
        known_reason = SECONDARY
        reasons = protect(counts, threshold, total_hidden=True)

    # Comparator cells are published statistics when the comparator is a census-sized
    # population ("fixed"); a user's own list of people is protected like the service.
    comp_counts = [round(_num(c) or 0) for c in table["comparator_count"].to_numpy()]
    if analysis.mode == "fixed":
        comp_reasons: tuple[Reason, ...] = tuple("" for _ in comp_counts)
    else:
        comp_reasons = protect(comp_counts, threshold)
        if not is_protected(comp_counts, comp_reasons, threshold):
            comp_reasons = protect(comp_counts, threshold, total_hidden=True)

    n_unknown = int(analysis.n_not_known) + int(analysis.n_unmapped)
    unknown_reason: Reason = SMALL if is_small(n_unknown, threshold) else ""
    parts = [int(analysis.n_not_known), int(analysis.n_unmapped)]
    nk_reason, um_reason = protect(parts, threshold, total_hidden=bool(unknown_reason))
    if not unknown_reason and not is_protected(parts, (nk_reason, um_reason), threshold):
        unknown_reason = SECONDARY
        nk_reason, um_reason = protect(parts, threshold, total_hidden=True)
    # The total is everyone; showing it beside a known total would reveal a small unknown.
    total_reason: Reason = SECONDARY if unknown_reason or known_reason else ""
    if is_small(int(analysis.n_total), threshold):
        total_reason = SMALL
    bounds_ok = not unknown_reason

    rows: list[SafeRow] = []
    for i, rec in enumerate(table.to_dict("records")):
        hide = bool(reasons[i])
        comp_hide = bool(comp_reasons[i])
        gone = hide or comp_hide
        rows.append(
            SafeRow(
                group=str(rec["group"]),
                count=None if hide else counts[i],
                reason=reasons[i],
                share=None if hide else _num(rec.get("share")),
                comparator_share=None if comp_hide else _num(rec.get("comparator_share")),
                comparator_hidden=comp_hide,
                expected=None if gone else _num(rec.get("expected")),
                rri=None if gone else _num(rec.get("rri")),
                rri_low=None if gone else _num(rec.get("rri_low")),
                rri_high=None if gone else _num(rec.get("rri_high")),
                p_value=None if gone else _num(rec.get("p_value")),
                band=None if gone else (str(rec.get("band") or "") or None),
                confidence=None if gone else (str(rec.get("confidence") or "") or None),
                rri_bound_low=None if gone or not bounds_ok else _num(rec.get("rri_bound_low")),
                rri_bound_high=None if gone or not bounds_ok else _num(rec.get("rri_bound_high")),
            )
        )

    n_unmapped_safe = _count(int(analysis.n_unmapped), um_reason)
    labels = _safe_labels(unmapped, threshold, parent_hidden=n_unmapped_safe.hidden)
    any_hidden = any(reasons) or any(comp_reasons)
    unknown_share = None if unknown_reason or total_reason else analysis.unknown_share
    return SafeAnalysis(
        rows=tuple(rows),
        threshold=threshold,
        n_total=_count(int(analysis.n_total), total_reason),
        n_known=_count(n_known, known_reason),
        n_unknown=_count(n_unknown, unknown_reason),
        n_not_known=_count(int(analysis.n_not_known), nk_reason),
        n_unmapped=n_unmapped_safe,
        unknown_share=unknown_share,
        any_hidden=any_hidden,
        omnibus_shown=not any_hidden and not known_reason,
        labels=labels,
    )


def _safe_labels(
    unmapped: pd.DataFrame | None, threshold: int, *, parent_hidden: bool
) -> tuple[SafeLabel, ...]:
    if unmapped is None or unmapped.empty:
        return ()
    frame = unmapped
    if "dimension" in frame.columns:
        frame = frame.loc[frame["dimension"].astype(str) == "ethnicity"]
    if frame.empty:
        return ()
    values = [int(c) for c in frame["count"].to_numpy()]
    reasons = protect(values, threshold, total_hidden=parent_hidden)
    if not is_protected(values, reasons, threshold):
        reasons = protect(values, threshold, total_hidden=True)
    out = []
    for label, value, reason in zip(frame["label"].astype(str), values, reasons, strict=True):
        withheld = may_be_personal(label)  # the check report's rule too
        text = "" if withheld else " ".join(label.split())
        out.append(SafeLabel(text, withheld, _count(value, reason)))
    return tuple(out)


# -- two-way tables (ethnic group by sex or by age band) --------------------------------
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
