"""Comparing a service with its comparator population: the `Analysis` result and `analyse`.

The table's column names are API (documented in docs/cli.md): renderers, the CLI and
users' own scripts depend on them. The method is stated in docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd

from commissioning.analysis.comparator_rules import check_groups, choose_mode, suggested_mode
from commissioning.analysis.overall import (  # noqa: F401  (the warnings are API)
    WARN_DIMENSION_NOT_KNOWN,
    WARN_NO_COMPARATOR,
    WARN_SMALL_N,
    WARN_UNKNOWN,
    Omnibus,
)
from commissioning.analysis.overall import omnibus as overall_test
from commissioning.analysis.overall import warnings as return_warnings
from commissioning.analysis.settings import (
    MODES,
    MSG_BAD_ALPHA,
    MSG_BAD_MINIMUMS,
    MSG_BAD_OPTION,
    MSG_BAD_THRESHOLDS,
    MSG_BAD_UNKNOWN_WARNING,
    Adjustment,
    AnalysisSettings,
    ByDimension,
    Level,
    Mode,
    by_tuple,
)
from commissioning.comparators.info import Population, PopulationInfo
from commissioning.errors import AnalysisError
from commissioning.model.bands import Band, Confidence
from commissioning.model.categories import (
    DETAILED_GROUPS,
    MAJOR_GROUPS,
    NOT_CLASSIFIED,
    NOT_KNOWN,
    UNMAPPED,
)
from commissioning.model.counts import Counts
from commissioning.stats import bands as bandmod
from commissioning.stats.adjust import adjust as adjust_p
from commissioning.stats.bounds import unknown_bounds
from commissioning.stats.ratios import reference_rate_ratio, reference_rate_ratio_interval
from commissioning.stats.rri import rri_test

__all__ = [
    "MODES",
    "MSG_BAD_ALPHA",
    "MSG_BAD_MINIMUMS",
    "MSG_BAD_OPTION",
    "MSG_BAD_THRESHOLDS",
    "MSG_BAD_UNKNOWN_WARNING",
    "Adjustment",
    "Analysis",
    "AnalysisSettings",
    "ByDimension",
    "Level",
    "Mode",
    "Omnibus",
    "analyse",
    "suggested_mode",
]

BANDS: Final = tuple(b for b in Band if b)  # the bands a group with an RRI can have
CONFIDENCE: Final = tuple(Confidence)
NO_COMPARATOR: Final = "no comparator population"
NO_KNOWN_SERVICE: Final = "no one with a known ethnicity in this group"


#: Columns of `Analysis.table`, in order. ``sex`` / ``age_band`` are inserted after
#: ``group`` when the analysis is ``by`` that dimension.
TABLE_COLUMNS: Final = (
    "group",
    "count",
    "share",
    "comparator_count",
    "comparator_share",
    "expected",
    "rri",
    "rri_low",
    "rri_high",
    "p_value",
    "p_adjusted",
    "band",
    "confidence",
    "rri_bound_low",
    "rri_bound_high",
    "note",
)
#: Added at the end when a reference group is given: a different measure from the RRI.
RATE_RATIO_COLUMNS: Final = ("rate_ratio", "rate_ratio_low", "rate_ratio_high")

MSG_MISSING_DIMENSION: Final = (
    "The {side} has no {dimension} breakdown, so it cannot be compared by {dimension}. "
    "Choose a comparator with that breakdown (Census 2011, or your own file with a "
    "{dimension} column), or leave out --by."
)
MSG_NO_KNOWN: Final = (
    "No one in the return has a known ethnicity, so there is nothing to compare. Ask the "
    "provider to record ethnicity, then run the analysis again."
)
MSG_NO_KNOWN_UNRECOGNISED: Final = (
    "No one in the return has an ethnic group we recognise ({n_unmapped:,} people have labels "
    "we do not), so there is nothing to compare. Run 'commissioning check' on the return to "
    "see those labels, and ask the provider to use the Census 2021 groups."
)
MSG_EMPTY_COMPARATOR: Final = (
    "The comparator has no people of known ethnicity. Check the comparator file or choose "
    "another comparator."
)
MSG_UNKNOWN_REFERENCE: Final = (
    "The reference group {group} is not a {level} ethnic group. Use one of: {choices}."
)
MSG_NESTED_EXCEEDS: Final = (
    "In nested mode the service must be part of the comparator, but the service has more "
    "{group} people than the comparator. Use --mode fixed or --mode independent, or check "
    "that the comparator is the earlier stage of the same service."
)
_DEFAULT_INFO = PopulationInfo(
    source="counts",
    title="comparator counts supplied by the caller",
    publisher="",
    table_id="",
    year="",
    geography="",
    geography_codes=(),
    ages="all ages",
)


@dataclass(frozen=True)
class Analysis:
    """Per-group results of one comparison, plus everything needed to explain it."""

    table: pd.DataFrame = field(repr=False)
    #: The settings it was made with; ``settings.mode`` is the mode actually used.
    settings: AnalysisSettings
    by: tuple[ByDimension, ...]  # () or ("sex",), ("age_band",), ("sex", "age_band")
    comparator: PopulationInfo
    n_total: int  # everyone in the service counts, whatever their ethnicity
    n_known: int  # with a known (classified) ethnicity: the base of shares
    n_not_known: int
    n_unmapped: int
    omnibus: Omnibus | None
    #: The per-group test used: "exact binomial", "Fisher exact" ...
    test: str = ""
    warnings: tuple[str, ...] = ()
    #: What ``group`` holds: "ethnicity" (from `analyse`), or "sex" / "age_band" (from
    #: `commissioning.analysis.characteristic.analyse_characteristic`).
    characteristic: str = "ethnicity"

    @property
    def level(self) -> Level:
        return self.settings.level

    @property
    def mode(self) -> Mode:
        return self.settings.mode or "fixed"

    @property
    def reference(self) -> str | None:
        """The group used for the optional rate ratio."""
        return self.settings.reference

    @property
    def unknown_share(self) -> float:
        unknown = self.n_not_known + self.n_unmapped
        return unknown / self.n_total if self.n_total else 0.0

    @property
    def by_dimensions(self) -> tuple[str, ...]:
        """The ``by`` columns of the table, in order (the same as ``by``)."""
        return self.by


def _known_dims(frame: pd.DataFrame, dims: tuple[str, ...]) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for dim in dims:
        mask &= ~frame[dim].isin(NOT_CLASSIFIED)
    return mask


def _unknown_by_stratum(service: Counts, col: str, dims: tuple[str, ...]) -> pd.DataFrame:
    frame = service.frame
    rows = frame.loc[frame[col].isin(NOT_CLASSIFIED) & _known_dims(frame, dims)]
    if not dims:
        return pd.DataFrame({"unknown": [int(rows["count"].sum())]})
    return rows.groupby(list(dims), sort=False)["count"].sum().rename("unknown").reset_index()


def _join(table: pd.DataFrame, other: pd.DataFrame, dims: tuple[str, ...]) -> pd.DataFrame:
    if dims:
        return table.merge(other, on=list(dims), how="left")
    return table.assign(**{c: other[c].iloc[0] for c in other.columns})


def analyse(
    service: Counts,
    comparator: Population | Counts,
    *,
    settings: AnalysisSettings | None = None,
    by: ByDimension | Sequence[ByDimension] | None = None,
    level: Level | None = None,
    mode: Mode | None = None,
    reference: str | None = None,
    alpha: float | None = None,
    adjust: Adjustment | None = None,
    over: float | None = None,
    under: float | None = None,
    min_n: int | None = None,
    min_expected: float | None = None,
    unknown_warning: float | None = None,
    seed: int | None = None,
    draws: int | None = None,
    confidence_level: float | None = None,
) -> Analysis:
    """Compare who the service reached with the comparator population, group by group.

    ``settings`` (default `AnalysisSettings()`) holds every option; a keyword given here
    overrides it. ``mode=None`` (the default) takes the comparison the comparator calls
    for (`suggested_mode`): a census is fixed, another sample independent.

    The result's ``table`` has one row per group (and per ``by`` stratum) with the columns
    ``group, count, share, comparator_count, comparator_share, expected, rri, rri_low,
    rri_high, p_value, p_adjusted, band, confidence, rri_bound_low, rri_bound_high, note``
    (plus ``rate_ratio, rate_ratio_low, rate_ratio_high`` with a ``reference`` group).

    Raises `AnalysisError` (one plain line naming the fix) when they cannot be compared.

    >>> from commissioning.model.counts import Counts
    >>> def people(**groups):
    ...     return Counts.from_records(
    ...         {"major": g, "detailed": "Not known", "count": n} for g, n in groups.items())
    >>> result = analyse(people(White=30, Black=20), people(White=800, Black=200))
    >>> row = result.table.set_index("group").loc["Black"]
    >>> round(float(row["rri"]), 2), row["band"], result.mode
    (2.0, 'over-represented', 'fixed')
    """
    chosen = (settings or AnalysisSettings()).replace(
        level=level, mode=mode, reference=reference, alpha=alpha, adjust=adjust, over=over,
        under=under, min_n=min_n, min_expected=min_expected,
        unknown_warning=unknown_warning, seed=seed, draws=draws,
        confidence_level=confidence_level,
    )
    dims = by_tuple(by)  # type: ignore[arg-type]
    if isinstance(comparator, Population):
        comp_counts, info = comparator.counts, comparator.info
    else:
        comp_counts, info = comparator, _DEFAULT_INFO
    s = chosen
    level, mode, reference = s.level, s.mode or "fixed", s.reference
    _check_inputs(service, comp_counts, level, reference, dims)
    if "age_band" in dims:
        from commissioning.analysis.agealign import align_age_bands

        comp_counts = align_age_bands(service, comp_counts)

    col = service.ethnicity_column(level)
    svc_frame = service.frame
    n_total = service.total
    n_not_known = int(svc_frame.loc[svc_frame[col] == NOT_KNOWN, "count"].sum())
    n_unmapped = int(svc_frame.loc[svc_frame[col] == UNMAPPED, "count"].sum())
    n_known = service.known_total(level)
    if n_known == 0 and n_unmapped > 0:
        raise AnalysisError(MSG_NO_KNOWN_UNRECOGNISED.format(n_unmapped=n_unmapped))
    if n_known == 0:
        raise AnalysisError(MSG_NO_KNOWN)
    if comp_counts.known_total(level) == 0:
        raise AnalysisError(MSG_EMPTY_COMPARATOR)
    info = check_groups(service, comp_counts, info, s)
    mode, info = choose_mode(service, comp_counts, info, s)
    s = s.replace(mode=mode)

    table = _aligned_table(service, comp_counts, level, dims, col)
    out, test = per_group_statistics(table, dims, s, mode)
    x = out["count"].to_numpy(np.int64)
    cg = out["comparator_count"].to_numpy(np.int64)
    if reference is not None:
        out = add_rate_ratio(out, dims, reference, mode, s.confidence_level)

    omnibus = overall_test(table, dims, mode, s.seed, s.draws, s.min_expected)
    warnings = return_warnings(
        service,
        col,
        dims,
        n_total,
        n_known,
        n_not_known + n_unmapped,
        x,
        cg,
        s.min_n,
        s.unknown_warning,
    )
    return Analysis(
        table=out,
        settings=s,
        by=dims,
        comparator=info,
        n_total=n_total,
        n_known=n_known,
        n_not_known=n_not_known,
        n_unmapped=n_unmapped,
        omnibus=omnibus,
        test=test,
        warnings=warnings,
    )


def _check_inputs(service: Counts, comp_counts: Counts, level: Level, reference: str | None,
                  dims: tuple[ByDimension, ...]) -> None:
    """One plain line when the reference group or a ``by`` dimension does not fit."""
    names = MAJOR_GROUPS if level == "major" else DETAILED_GROUPS
    if reference is not None and reference not in names:
        raise AnalysisError(
            MSG_UNKNOWN_REFERENCE.format(group=reference, level=level, choices=", ".join(names))
        )
    for side, counts in (("return", service), ("comparator", comp_counts)):
        for dim in dims:
            if not counts.has(dim):
                raise AnalysisError(MSG_MISSING_DIMENSION.format(side=side, dimension=dim))


def _aligned_table(
    service: Counts, comp_counts: Counts, level: Level, dims: tuple[ByDimension, ...], col: str
) -> pd.DataFrame:
    """Service and comparator counts side by side, per group (and stratum), with each
    stratum's totals and its people of no known ethnicity."""
    table = service.groups(level, dims)
    comp = comp_counts.groups(level, dims).rename(columns={"count": "comparator_count"})
    table = table.merge(comp, on=[*dims, "group"], how="left")
    table["comparator_count"] = table["comparator_count"].fillna(0).astype("int64")
    if dims:
        grouped = table.groupby(list(dims), sort=False)
        table["n"] = grouped["count"].transform("sum")
        table["comparator_total"] = grouped["comparator_count"].transform("sum")
    else:
        table["n"] = table["count"].sum()
        table["comparator_total"] = table["comparator_count"].sum()
    unknown = _unknown_by_stratum(service, col, dims)
    table = _join(table, unknown, dims)
    table["unknown"] = table["unknown"].fillna(0).astype("int64")
    if dims:  # strata with no one at all in the return (e.g. sex "Other") are not shown
        table = table.loc[(table["n"] + table["unknown"]) > 0].reset_index(drop=True)
    return table


def per_group_statistics(
    table: pd.DataFrame, dims: tuple[ByDimension, ...], s: AnalysisSettings, mode: Mode
) -> tuple[pd.DataFrame, str]:
    """The statistics for every row of the aligned table, vectorised: the result columns
    (`TABLE_COLUMNS`) and the name of the per-group test."""
    x = table["count"].to_numpy(np.int64)
    n = table["n"].to_numpy(np.int64)
    cg = table["comparator_count"].to_numpy(np.int64)
    ct = table["comparator_total"].to_numpy(np.int64)
    x_test, n_test = x, n
    if mode == "nested":
        # A stratum the comparator has no one in (a sex "Other" that it does not count)
        # cannot be tested in any mode; the rest of the service must lie within it.
        empty = ct == 0
        over_cap = np.flatnonzero((x > cg) & ~empty)
        if over_cap.size:
            raise AnalysisError(MSG_NESTED_EXCEEDS.format(group=table["group"].iloc[over_cap[0]]))
        x_test, n_test = np.where(empty, 0, x), np.where(empty, 0, n)
    result = rri_test(x_test, n_test, cg, ct, mode)
    interval = result.confidence_interval(s.confidence_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, x / np.where(n > 0, n, 1), np.nan)
        comp_share = np.where(ct > 0, cg / np.where(ct > 0, ct, 1), np.nan)
    expected = n * comp_share
    # One family per table: every group (and stratum) tested together, except strata too
    # small to judge (fewer than min_n people), which would only use up the adjustment.
    family = np.where(n >= s.min_n, result.pvalue, np.nan)
    p_adjusted = adjust_p(family, s.adjust)
    band = bandmod.bands(
        result.statistic, x, expected, over=s.over, under=s.under, min_expected=s.min_expected
    )
    band = bandmod.grade(band, result.statistic, p_adjusted, n, alpha=s.alpha, min_n=s.min_n)
    words = bandmod.confidence(
        band, p_adjusted, expected, n, alpha=s.alpha, min_n=s.min_n,
        min_expected=s.min_expected,
    )
    low_b, high_b = unknown_bounds(x, n, table["unknown"].to_numpy(), cg, ct)
    note = np.where(n == 0, NO_KNOWN_SERVICE, np.where(cg == 0, NO_COMPARATOR, ""))
    out = pd.DataFrame(
        {
            "group": table["group"].to_numpy(object),
            **{str(d): table[d].to_numpy(object) for d in dims},
            "count": x,
            "share": share,
            "comparator_count": cg,
            "comparator_share": comp_share,
            "expected": expected,
            "rri": result.statistic,
            "rri_low": interval.low,
            "rri_high": interval.high,
            "p_value": result.pvalue,
            "p_adjusted": p_adjusted,
            "band": band,
            "confidence": words,
            "rri_bound_low": low_b,
            "rri_bound_high": high_b,
            "note": note,
        }
    )
    return out, result.test


def add_rate_ratio(
    out: pd.DataFrame, dims: tuple[str, ...], reference: str, mode: str, confidence_level: float
) -> pd.DataFrame:
    ref = out.loc[out["group"] == reference, [*dims, "count", "comparator_count"]].rename(
        columns={"count": "ref_count", "comparator_count": "ref_comparator"}
    )
    joined = _join(out, ref, dims)
    a = joined["count"].to_numpy(np.float64)
    cg = joined["comparator_count"].to_numpy(np.float64)
    b = joined["ref_count"].fillna(0).to_numpy(np.float64)
    cr = joined["ref_comparator"].fillna(0).to_numpy(np.float64)
    low, high = reference_rate_ratio_interval(a, cg, b, cr, mode, confidence_level)
    ratio = reference_rate_ratio(a, cg, b, cr)
    # The reference group against itself is 1 by definition: no interval around it.
    own = joined["group"].to_numpy(object) == reference
    ratio = np.where(own & np.isfinite(ratio), 1.0, ratio)
    low, high = np.where(own, np.nan, low), np.where(own, np.nan, high)
    return out.assign(rate_ratio=ratio, rate_ratio_low=low, rate_ratio_high=high)
