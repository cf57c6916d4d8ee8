"""Trends across monitoring periods for one service: RRI per period, a test for change
and the persistence rule.

Periods come from a ``period`` column in one return, or from several returns (one per
quarter, or earlier `Analysis` results passed as ``previous``). The statistics live in
`commissioning.stats.trend`; this module lines the numbers up. The sentences that word
them are drafted by `commissioning.drafting.trend_text`, never here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from commissioning.analysis.periods import order_periods, period_unit
from commissioning.analysis.settings import AnalysisSettings
from commissioning.errors import AnalysisError
from commissioning.model.categories import DETAILED_GROUPS, MAJOR_GROUPS, Level
from commissioning.model.counts import Counts
from commissioning.stats import trend as st

if TYPE_CHECKING:
    from commissioning.analysis.compare import Analysis
    from commissioning.returns.model import ProviderReturn

MSG_ONE_PERIOD: Final = (
    "Only one monitoring period was found, so there is no trend to report. "
    "Add earlier returns with --previous, or use a return with a period column."
)
MSG_NO_PERIOD_COLUMN: Final = (
    "The return has no period column, so its periods cannot be told apart. "
    "Add a period column, or give one file per period with --previous."
)
MSG_DUPLICATE_PERIOD: Final = (
    "Two of the returns are for the same period ({period}). "
    "Give each period once, or label the periods in a period column."
)
MSG_ANALYSIS_BY: Final = (
    "Trends are worked out for whole groups only, not split by sex or age. "
    "Run the earlier periods without --by."
)
MSG_LEVELS_DIFFER: Final = (
    "The periods were analysed at different levels (major and detailed groups). "
    "Use the same --level for every period."
)
#: Columns of `Trend.table` (one row per period and group). API.
PERIOD_COLUMNS: Final = (
    "period",
    "group",
    "count",
    "known_total",
    "share",
    "comparator_share",
    "expected",
    "rri",
    "judgeable",
    "over_represented",
)
#: Columns of `Trend.groups` (one row per group). API.
GROUP_COLUMNS: Final = (
    "group",
    "periods",
    "first_period",
    "last_period",
    "first_rri",
    "last_rri",
    "direction",
    "trend_statistic",
    "trend_p",
    "trend_p_adjusted",
    "homogeneity_statistic",
    "homogeneity_df",
    "homogeneity_p",
    "method",
    "significant",
    "current_run",
    "longest_run",
    "persistent",
    "suppressed",
)

_DEFAULTS: Final = AnalysisSettings()


@dataclass(frozen=True)
class TrendOptions:
    """Thresholds of the trend and persistence rules (defaults from `AnalysisSettings`)."""

    over: float = _DEFAULTS.over  # RRI at or above this is over-represented
    persistence: int = _DEFAULTS.persistence  # N consecutive periods for the flag
    alpha: float = _DEFAULTS.alpha
    min_expected: float = _DEFAULTS.min_expected  # fewer expected: "too few to judge"
    min_n: int = _DEFAULTS.min_n  # ... as is a period with fewer people of known ethnicity
    suppress_below: int = _DEFAULTS.threshold  # counts 1..suppress_below-1 never worded
    draws: int = _DEFAULTS.draws
    seed: int = _DEFAULTS.seed

    @classmethod
    def from_settings(cls, settings: AnalysisSettings) -> TrendOptions:
        """The trend rules that match an analysis made with ``settings``."""
        return cls(
            over=settings.over, persistence=settings.persistence, alpha=settings.alpha,
            min_expected=settings.min_expected, min_n=settings.min_n,
            suppress_below=settings.threshold, draws=settings.draws, seed=settings.seed,
        )


@dataclass(frozen=True)
class TrendSentence:
    """The numbers one trend sentence is built from (wording is in the template)."""

    group: str
    first_rri: float
    last_rri: float
    periods: int
    unit: str  # "quarter", "year", "month" or "period"
    direction: str  # "rose", "fell", "stayed", "changed"
    significant: bool
    p_value: float
    persistent: bool
    run: int
    suppressed: bool
    no_comparator: bool = False  # the comparator has nobody in this group: no RRI


@dataclass(frozen=True)
class Trend:
    """Every group's RRI per period, its test for change, and its persistence flag."""

    periods: tuple[str, ...]
    level: Level
    table: pd.DataFrame = field(repr=False)
    groups: pd.DataFrame = field(repr=False)
    options: TrendOptions = field(default_factory=TrendOptions)

    @property
    def unit(self) -> str:
        return period_unit(self.periods)

    def sentence_inputs(self, *, concerns_only: bool = True) -> list[TrendSentence]:
        """Numbers for each group's sentence; only significant or persistent groups
        unless ``concerns_only`` is false."""
        rows = self.groups
        if concerns_only:
            rows = rows.loc[rows["significant"] | rows["persistent"]]
        unit = self.unit
        return [_sentence_input(row, unit) for row in rows.to_dict("records")]

def _sentence_input(row: dict[Any, Any], unit: str) -> TrendSentence:
    first, last = float(row["first_rri"]), float(row["last_rri"])
    return TrendSentence(
        group=str(row["group"]),
        first_rri=first,
        last_rri=last,
        periods=int(row["periods"]),
        unit=unit,
        direction=_verb(first, last, str(row["direction"])),
        significant=bool(row["significant"]),
        p_value=float(row["trend_p_adjusted"]),
        persistent=bool(row["persistent"]),
        run=int(row["current_run"]),
        suppressed=bool(row["suppressed"]),
        no_comparator=not (np.isfinite(first) and np.isfinite(last)),
    )


# -- building -------------------------------------------------------------------------
def trend_from_frame(
    frame: pd.DataFrame,
    *,
    level: Level = "major",
    periods: Sequence[str] | None = None,
    options: TrendOptions | None = None,
) -> Trend:
    """Build a `Trend` from a tidy frame ``period, group, count, known_total,
    comparator_share`` (one row per period and group, every group in every period)."""
    opts = options or TrendOptions()
    order = list(periods) if periods is not None else order_periods(frame["period"].unique())
    if len(order) < 2:
        raise AnalysisError(MSG_ONE_PERIOD)
    names = list(MAJOR_GROUPS if level == "major" else DETAILED_GROUPS)
    full = pd.MultiIndex.from_product([order, names], names=["period", "group"])
    base = frame.set_index(["period", "group"]).reindex(full)
    base["count"] = base["count"].fillna(0).astype("int64")
    totals = frame.groupby("period", sort=False)["known_total"].first().reindex(order).fillna(0)
    base["known_total"] = np.repeat(totals.to_numpy(dtype="int64"), len(names))
    base["comparator_share"] = base["comparator_share"].astype("float64")
    table = base.reset_index()
    table = _per_period_columns(table, opts)
    groups = _group_rows(table, order, names, opts)
    return Trend(periods=tuple(order), level=level, table=table, groups=groups, options=opts)


def _per_period_columns(table: pd.DataFrame, opts: TrendOptions) -> pd.DataFrame:
    total = table["known_total"].to_numpy(dtype="float64")
    count = table["count"].to_numpy(dtype="float64")
    comp = table["comparator_share"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, count / total, np.nan)
        rri = np.where(comp > 0, share / comp, np.nan)
    expected = total * comp
    judgeable = (expected >= opts.min_expected) & (total >= opts.min_n)
    table["share"] = share
    table["expected"] = expected
    table["rri"] = rri
    table["judgeable"] = judgeable
    # A hair of tolerance so 0.15 / 0.10 (1.4999999999999998 in binary) counts as 1.5.
    table["over_represented"] = judgeable & (np.nan_to_num(rri, nan=0.0) >= opts.over - 1e-9)
    return table[list(PERIOD_COLUMNS)]


def _group_rows(
    table: pd.DataFrame, order: list[str], names: list[str], opts: TrendOptions
) -> pd.DataFrame:
    width = len(order)
    # table is period-major: reshape to (periods, groups) once, then read columns.
    x = table["count"].to_numpy(dtype="int64").reshape(width, len(names)).T
    n = table["known_total"].to_numpy(dtype="int64").reshape(width, len(names)).T
    rri = table["rri"].to_numpy(dtype="float64").reshape(width, len(names)).T
    over = table["over_represented"].to_numpy(dtype=bool).reshape(width, len(names)).T
    k = opts.suppress_below
    rest = n - x
    small = ((x > 0) & (x < k)) | ((rest > 0) & (rest < k))
    # A period with any small count is never quoted for any group: another group's
    # RRI and the total would give the small count away by subtraction.
    small_period = small.any(axis=0)
    rows = []
    for g, name in enumerate(names):  # one pass per group (at most 19), never per person
        trend, homog = st.change_tests(
            x[g], n[g], min_expected=opts.min_expected, draws=opts.draws, seed=opts.seed
        )
        run = st.persistence(over[g].tolist(), opts.persistence)
        present = np.flatnonzero(n[g] > 0)
        first = int(present[0]) if len(present) else 0
        last = int(present[-1]) if len(present) else width - 1
        rows.append(
            {
                "group": name,
                "periods": len(present),
                "first_period": order[first],
                "last_period": order[last],
                "first_rri": rri[g, first],
                "last_rri": rri[g, last],
                "direction": st.direction(trend),
                "trend_statistic": trend.statistic,
                "trend_p": trend.p_value,
                "homogeneity_statistic": homog.statistic,
                "homogeneity_df": homog.df,
                "homogeneity_p": homog.p_value,
                "method": trend.method,
                "current_run": run.current_run,
                "longest_run": run.longest_run,
                "persistent": run.flagged,
                "suppressed": bool(small[g].any() or small_period[first] or small_period[last]),
            }
        )
    groups = pd.DataFrame(rows)
    groups["trend_p_adjusted"] = st.holm(groups["trend_p"].tolist())
    groups["significant"] = groups["trend_p_adjusted"] < opts.alpha
    groups.loc[~groups["significant"], "direction"] = "flat"
    return groups[list(GROUP_COLUMNS)]


def trend_from_counts(
    service: Counts,
    comparator: Counts,
    *,
    level: Level = "major",
    options: TrendOptions | None = None,
) -> Trend:
    """Trend of a service whose counts carry a ``period`` column. The comparator may
    have its own periods (matched by label) or one set of figures for all of them."""
    if not service.has("period"):
        raise AnalysisError(MSG_NO_PERIOD_COLUMN)
    frame = service.groups(level, by=["period"])
    known = frame.groupby("period", sort=False)["count"].transform("sum")
    frame["known_total"] = known
    if comparator.has("period"):
        comp = comparator.groups(level, by=["period"])
        comp["comparator_share"] = comp["count"] / comp.groupby("period")["count"].transform("sum")
        frame = frame.merge(comp[["period", "group", "comparator_share"]], how="left")
    else:
        comp = comparator.groups(level)
        shares = comp.set_index("group")["count"] / max(int(comp["count"].sum()), 1)
        frame["comparator_share"] = frame["group"].map(shares)
    return trend_from_frame(frame, level=level, options=options)


def trend_from_analyses(
    analyses: Sequence[Analysis],
    periods: Sequence[str],
    *,
    options: TrendOptions | None = None,
) -> Trend:
    """Trend from one `Analysis` per period (earliest first), e.g. ``previous`` plus the
    current one. Uses only the documented table columns."""
    if len(analyses) != len(periods):
        raise ValueError("give one period label per analysis")
    _check_unique(periods)
    levels = {a.level for a in analyses}
    if len(levels) > 1:
        raise AnalysisError(MSG_LEVELS_DIFFER)
    if any(a.by for a in analyses):
        raise AnalysisError(MSG_ANALYSIS_BY)
    parts = []
    for label, analysis in zip(periods, analyses, strict=True):
        part = analysis.table[["group", "count", "comparator_share"]].copy()
        part["period"] = label
        part["known_total"] = analysis.n_known
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    level: Level = analyses[0].level
    return trend_from_frame(frame, level=level, periods=list(periods), options=options)


def trend_from_returns(
    returns: Sequence[ProviderReturn],
    comparator: Counts,
    *,
    periods: Sequence[str] | None = None,
    level: Level = "major",
    options: TrendOptions | None = None,
) -> Trend:
    """Trend from several returns of one service (one per period), or from one return
    with a period column. ``periods`` label the returns; by default each return's own
    single period value, else its file name."""
    if len(returns) == 1:
        return trend_from_counts(returns[0].counts, comparator, level=level, options=options)
    labels = list(periods) if periods is not None else [period_label(r) for r in returns]
    _check_unique(labels)
    combined: Counts | None = None
    for label, ret in zip(labels, returns, strict=True):
        frame = ret.counts.collapse().frame
        frame["period"] = label
        part = Counts(frame)
        combined = part if combined is None else combined + part
    assert combined is not None
    order = labels if periods is not None else order_periods(labels)
    return _reorder(
        trend_from_counts(combined, comparator, level=level, options=options), order, options
    )


def _reorder(trend: Trend, order: list[str], options: TrendOptions | None) -> Trend:
    if list(trend.periods) == order:
        return trend
    frame = trend.table[["period", "group", "count", "known_total", "comparator_share"]]
    return trend_from_frame(frame, level=trend.level, periods=order, options=options)


def period_label(ret: ProviderReturn) -> str:
    """A return's period: its one ``period`` value, else its file name without extension."""
    if ret.counts.has("period"):
        values = [v for v in ret.counts.frame["period"].unique() if isinstance(v, str)]
        if len(values) == 1:
            return values[0]
    name = ret.path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _check_unique(labels: Sequence[str]) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise AnalysisError(MSG_DUPLICATE_PERIOD.format(period=label))
        seen.add(label)


@dataclass(frozen=True)
class History:
    """Earlier periods for the command line: their analyses (labelled, earliest first,
    for ``draft(previous=...)``) and the trend including the current period."""

    previous: tuple[tuple[str, Analysis], ...]
    trend: Trend | None


def history(
    current: ProviderReturn,
    analysis: Analysis,
    previous_files: Sequence[str | os.PathLike[str] | ProviderReturn],
    analyse_one: Callable[[ProviderReturn], Analysis],
    comparator: Counts,
    *,
    current_label: str | None = None,
    options: TrendOptions | None = None,
) -> History:
    """What ``--previous FILE...`` (or a period column) adds to `analyse` and `draft`.

    Each earlier file is read and analysed with ``analyse_one`` (the same comparator and
    options as the current one); files are taken in the order given, earliest first.
    Without earlier files, a return whose period column has two or more periods gives
    the trend on its own. No earlier periods and no period column: no trend.
    """
    from commissioning.returns.model import ProviderReturn
    from commissioning.returns.read import read_return

    if not previous_files:
        periods = current.counts.frame["period"].nunique() if current.counts.has("period") else 0
        if periods >= 2 and analysis.by_dimensions == ():
            level = analysis.level
            return History(
                (), trend_from_counts(current.counts, comparator, level=level, options=options)
            )
        return History((), None)
    earlier = [p if isinstance(p, ProviderReturn) else read_return(p) for p in previous_files]
    labels = [period_label(r) for r in earlier] + [current_label or period_label(current)]
    _check_unique(labels)
    analyses = [analyse_one(r) for r in earlier]
    labelled = tuple(zip(labels[:-1], analyses, strict=True))
    trend = trend_from_analyses([*analyses, analysis], labels, options=options)
    return History(labelled, trend)


def _verb(first: float, last: float, direction: str) -> str:
    if not (np.isfinite(first) and np.isfinite(last)):
        return "changed"
    a, b = round(first, 1), round(last, 1)
    if a == b:
        return "stayed"
    if b > a and direction in ("rising", "flat"):
        return "rose"
    if b < a and direction in ("falling", "flat"):
        return "fell"
    return "changed"
