"""Small-number protection, applied before anything leaves the program.

Decision reports are published, so a count of 1 to 4 people (the threshold is
configurable) could identify a family. This module turns an `Analysis` into a
`SafeAnalysis` holding only what may be published, before any template, table or chart
sees it, so the renderers cannot leak what they were never given.

The method (docs/methodology.md, "Small numbers") has two rules and no others:

* a count from 1 to ``threshold - 1`` is hidden and shown as "fewer than 5"; zeros and
  larger counts are shown. Whether a cell is hidden depends on that cell alone, so the
  pattern of what is hidden says no more than "this one is small";
* every published figure is worked out from the published counts alone
  (`commissioning.analysis.subset.reanalyse`): shares, rates, intervals and tests are of
  the groups shown, and a total over a hidden count is published as the range the
  shown counts allow ("38 to 44"), never exactly. Every wording choice reads those
  published figures.

So a hidden count can take every value from 1 to ``threshold - 1`` without changing one
byte of the section: there is no secondary suppression to reverse, no total to subtract
from and no rate to multiply back. tests/test_disclosure_attack.py tries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from commissioning.analysis.compare import Analysis
from commissioning.analysis.overall import Omnibus
from commissioning.analysis.subset import reanalyse
from commissioning.errors import AnalysisError

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


def is_small(value: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    return 0 < value < threshold


@dataclass(frozen=True)
class SafeRow:
    """One group's published results. A field is ``None`` when it is hidden (or was not
    computed). ``reason`` is "small" when the count is 1 to ``threshold - 1``.

    Shares, RRIs, intervals and p-values are of the groups shown (`reanalyse`), so none
    of them depends on a hidden count.
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

    def template_values(self) -> dict[str, Any]:
        """The row as the templates see it (already protected; the template words it)."""
        return {
            "group": self.group, "count": self.count, "reason": self.reason,
            "shown": self.shown, "share": self.share, "comp_share": self.comparator_share,
            "expected": self.expected, "rri": self.rri, "low": self.rri_low,
            "high": self.rri_high, "p": self.p_value, "band": self.band or "",
            "confidence": self.confidence or "", "bound_low": self.rri_bound_low,
            "bound_high": self.rri_bound_high,
        }


@dataclass(frozen=True)
class SafeCount:
    """A count as published: ``value`` when it may be shown exactly, else None, with the
    range ``low`` to ``high`` that the published counts allow (what any reader can
    work out, and no more)."""

    value: int | None
    reason: Reason = ""
    low: int = 0
    high: int = 0

    @property
    def hidden(self) -> bool:
        return self.value is None

    @classmethod
    def exact(cls, value: int) -> SafeCount:
        return cls(int(value), "", int(value), int(value))

    @classmethod
    def cell(cls, value: int, threshold: int) -> SafeCount:
        """One count: hidden as "fewer than" when it is small, else shown."""
        if is_small(int(value), threshold):
            return cls(None, SMALL, 1, threshold - 1)
        return cls.exact(value)

    @classmethod
    def sum_of(cls, parts: Sequence[SafeCount], threshold: int) -> SafeCount:
        """A total of ``parts``: exact only when every part is; else a range."""
        if all(not p.hidden for p in parts):
            return cls.exact(sum(int(p.value or 0) for p in parts))
        low = sum(p.low for p in parts)
        high = sum(p.high for p in parts)
        return cls(None, SMALL if high < threshold else SECONDARY, low, high)


@dataclass(frozen=True)
class SafeAnalysis:
    """What may be published from one `Analysis`: every figure in it is worked out from
    the counts it shows (see the module docstring)."""

    rows: tuple[SafeRow, ...]
    threshold: int
    n_total: SafeCount
    n_known: SafeCount
    n_unknown: SafeCount  # not known + unmapped together
    n_not_known: SafeCount
    n_unmapped: SafeCount
    n_shown: int  # people in the groups shown: the base of every published share
    unknown_share: float | None  # exact, or None when either count is a range
    unknown_share_low: float
    unknown_share_high: float
    any_hidden: bool
    omnibus: Omnibus | None  # the test of all groups at once, on the groups shown
    published: Analysis | None = field(default=None, repr=False)

    @property
    def omnibus_shown(self) -> bool:
        return self.omnibus is not None

    @property
    def unrecognised(self) -> bool:
        """Some labels in the return matched no group (the check report lists them)."""
        return self.n_unmapped.hidden or bool(self.n_unmapped.value)

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


def hidden_cells(table: pd.DataFrame, mode: str, threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """(service count small, comparator count small) for each row of an analysis table.

    A comparator is published data when it is a census-sized population ("fixed"); a
    user's own list of people ("independent", "nested") is protected like the service.
    """
    counts = table["count"].to_numpy(np.int64)
    small = (counts > 0) & (counts < threshold)
    comp = np.round(table["comparator_count"].to_numpy(np.float64)).astype(np.int64)
    comp_small = (comp > 0) & (comp < threshold) if mode != "fixed" else np.zeros_like(small)
    return small, comp_small


def make_safe(
    analysis: Analysis,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    unmapped: object = None,
) -> SafeAnalysis:
    """What may be published from an ethnicity-only analysis.

    ``unmapped`` is accepted for compatibility and ignored: labels a provider typed never
    reach a published section (the check report lists them for the provider).
    """
    del unmapped
    check_threshold(threshold)
    if analysis.by:
        raise AnalysisError(MSG_BY_NOT_SUPPORTED.format(by=",".join(analysis.by)))
    table = analysis.table.reset_index(drop=True)
    small, comp_small = hidden_cells(table, analysis.mode, threshold)
    counts = table["count"].to_numpy(np.int64)
    n_known = SafeCount.sum_of([SafeCount.cell(int(c), threshold) for c in counts], threshold)
    not_known = SafeCount.cell(int(analysis.n_not_known), threshold)
    unmapped_count = SafeCount.cell(int(analysis.n_unmapped), threshold)
    n_unknown = SafeCount.sum_of([not_known, unmapped_count], threshold)
    n_total = SafeCount.sum_of([n_known, n_unknown], threshold)
    keep = ~small & ~comp_small
    published = reanalyse(analysis, keep, unknown=n_unknown.value or 0)
    stats = (
        published.table.set_index("group").to_dict("index") if published is not None else {}
    )
    bounds_ok = not n_unknown.hidden
    rows = []
    for i, group in enumerate(table["group"].astype(str)):
        rec = stats.get(group) if keep[i] else None
        rows.append(_row(group, int(counts[i]), bool(small[i]), bool(comp_small[i]), rec,
                         bounds_ok))
    share, low, high = _unknown_share(n_unknown, n_total)
    return SafeAnalysis(
        rows=tuple(rows),
        threshold=threshold,
        n_total=n_total,
        n_known=n_known,
        n_unknown=n_unknown,
        n_not_known=not_known,
        n_unmapped=unmapped_count,
        n_shown=int(counts[~small].sum()),
        unknown_share=share,
        unknown_share_low=low,
        unknown_share_high=high,
        any_hidden=bool(small.any() or comp_small.any()),
        omnibus=published.omnibus if published is not None else None,
        published=published,
    )


def _row(
    group: str,
    count: int,
    small: bool,
    comp_small: bool,
    rec: Mapping[Any, Any] | None,
    bounds_ok: bool,
) -> SafeRow:
    def get(key: str) -> float | None:
        return None if rec is None else _num(rec.get(key))

    def word(key: str) -> str | None:
        return None if rec is None else (str(rec.get(key) or "") or None)

    return SafeRow(
        group=group,
        count=None if small else count,
        reason=SMALL if small else "",
        share=get("share"),
        comparator_share=get("comparator_share"),
        comparator_hidden=comp_small,
        expected=get("expected"),
        rri=get("rri"),
        rri_low=get("rri_low"),
        rri_high=get("rri_high"),
        p_value=get("p_value"),
        band=word("band"),
        confidence=word("confidence"),
        rri_bound_low=get("rri_bound_low") if bounds_ok else None,
        rri_bound_high=get("rri_bound_high") if bounds_ok else None,
    )


def _unknown_share(unknown: SafeCount, total: SafeCount) -> tuple[float | None, float, float]:
    """The share with no usable ethnicity: exact when both counts are, and the range the
    published counts allow (unknown / (known + unknown) rises with unknown)."""
    if not unknown.hidden and not total.hidden:
        share = (unknown.value or 0) / total.value if total.value else 0.0
        return share, share, share
    known_low, known_high = total.low - unknown.low, total.high - unknown.high

    def ratio(u: int, k: int) -> float:
        return u / (u + k) if u + k > 0 else 0.0

    return None, ratio(unknown.low, known_high), ratio(unknown.high, known_low)
