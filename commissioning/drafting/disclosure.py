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
