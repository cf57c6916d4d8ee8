"""Comparing a service with its comparator population: the `Analysis` result and `analyse`.

The table's column names are API (documented in docs/cli.md): renderers, the CLI and
users' own scripts depend on them. The method is stated in docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import pandas as pd

from commissioning.comparators.info import Population, PopulationInfo
from commissioning.errors import AnalysisError
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
from commissioning.stats.goodness import DRAWS, SEED, goodness_of_fit, homogeneity
from commissioning.stats.ratios import reference_rate_ratio, reference_rate_ratio_interval
from commissioning.stats.rri import rri_test

Mode = Literal["fixed", "independent", "nested"]
Adjustment = Literal["holm", "fdr_bh", "none"]
Level = Literal["major", "detailed"]
ByDimension = Literal["sex", "age_band"]
MODES: Final[tuple[Mode, ...]] = ("fixed", "independent", "nested")

BANDS: Final = ("over-represented", "under-represented", "not represented", "proportionate")
CONFIDENCE: Final = ("significant", "indicative", "too few to judge", "")
NO_COMPARATOR: Final = "no comparator population"
NO_KNOWN_SERVICE: Final = "no one with a known ethnicity in this group"


def suggested_mode(info: PopulationInfo) -> Mode:
    """The comparison a comparator calls for: its ``kind`` when that names a mode, else
    "fixed" (a census-sized population). The one rule analyse, draft, batch and the web
    page share, so the same return and comparator give the same test everywhere."""
    for mode in MODES:
        if info.kind == mode:
            return mode
    return "fixed"

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

MSG_BAD_OPTION: Final = "{name} must be one of {choices}; it was given as {value}."
MSG_BAD_THRESHOLDS: Final = (
    "The thresholds must satisfy 0 < under < 1 < over (the plan uses under 0.5, over 1.5)."
)
MSG_BAD_ALPHA: Final = "alpha must be between 0 and 1 (the usual choice is 0.05)."
MSG_BAD_MINIMUMS: Final = "min_n, min_expected and draws must not be negative."
MSG_BAD_UNKNOWN_WARNING: Final = "unknown_warning must be between 0 and 1 (default 0.10)."
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
class Omnibus:
    """Test of "the service mix matches the comparator mix" across all groups at once."""

    statistic: float
    df: int
    p_value: float
    method: str  # "chi-square goodness of fit" / "... Monte Carlo p-value (seed 2024, ...)"


@dataclass(frozen=True)
class Analysis:
    """Per-group results of one comparison, plus everything needed to explain it."""

    table: pd.DataFrame = field(repr=False)
    level: Literal["major", "detailed"]
    by: str | None  # "sex", "age_band", or "sex,age_band" for both
    mode: Mode
    comparator: PopulationInfo
    n_total: int  # everyone in the service counts, whatever their ethnicity
    n_known: int  # with a known (classified) ethnicity: the base of shares
    n_not_known: int
    n_unmapped: int
    omnibus: Omnibus | None
    parameters: dict[str, object] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    reference: str | None = None  # group used for the optional rate ratio

    @property
    def unknown_share(self) -> float:
        unknown = self.n_not_known + self.n_unmapped
        return unknown / self.n_total if self.n_total else 0.0

    @property
    def by_dimensions(self) -> tuple[str, ...]:
        """The ``by`` columns of the table, in order (empty when not by anything)."""
        return tuple(self.by.split(",")) if self.by else ()


def _check_choice(name: str, value: object, choices: Sequence[object]) -> None:
    if value not in choices:
        raise AnalysisError(
            MSG_BAD_OPTION.format(
                name=name, choices=", ".join(str(c) for c in choices), value=value
            )
        )


def _by_tuple(by: ByDimension | Sequence[ByDimension] | None) -> tuple[str, ...]:
    dims = () if by is None else (by,) if isinstance(by, str) else tuple(by)
    for dim in dims:
        _check_choice("by", dim, ("sex", "age_band"))
    return tuple(d for d in ("sex", "age_band") if d in dims)


def _validate(
    level: str,
    mode: str,
    adjust: str,
    alpha: float,
    over: float,
    under: float,
    min_n: int,
    min_expected: float,
    unknown_warning: float,
    draws: int,
) -> None:
    _check_choice("level", level, ("major", "detailed"))
    _check_choice("mode", mode, ("fixed", "independent", "nested"))
    _check_choice("adjust", adjust, ("holm", "fdr_bh", "none"))
    if not 0 < alpha < 1:
        raise AnalysisError(MSG_BAD_ALPHA)
    if not 0 < under < 1 < over:
        raise AnalysisError(MSG_BAD_THRESHOLDS)
    if min_n < 0 or min_expected < 0 or draws < 0:
        raise AnalysisError(MSG_BAD_MINIMUMS)
    if not 0 <= unknown_warning <= 1:
        raise AnalysisError(MSG_BAD_UNKNOWN_WARNING)


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
    level: Level = "major",
    by: ByDimension | Sequence[ByDimension] | None = None,
    mode: Mode = "fixed",
    reference: str | None = None,
    alpha: float = 0.05,
    adjust: Adjustment = "holm",
    over: float = 1.5,
    under: float = 0.5,
    min_n: int = 20,
    min_expected: float = 5.0,
    unknown_warning: float = 0.10,
    seed: int = SEED,
    draws: int = DRAWS,
    confidence_level: float = 0.95,
) -> Analysis:
    """Compare who the service reached with the comparator population, group by group.

    Raises `AnalysisError` (one plain line naming the fix) when they cannot be compared.
    """
    _validate(level, mode, adjust, alpha, over, under, min_n, min_expected, unknown_warning, draws)
    dims = _by_tuple(by)
    if isinstance(comparator, Population):
        comp_counts, info = comparator.counts, comparator.info
    else:
        comp_counts, info = comparator, _DEFAULT_INFO
    names = MAJOR_GROUPS if level == "major" else DETAILED_GROUPS
    if reference is not None and reference not in names:
        raise AnalysisError(
            MSG_UNKNOWN_REFERENCE.format(group=reference, level=level, choices=", ".join(names))
        )
    for side, counts in (("return", service), ("comparator", comp_counts)):
        for dim in dims:
            if not counts.has(dim):
                raise AnalysisError(MSG_MISSING_DIMENSION.format(side=side, dimension=dim))
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

    x = table["count"].to_numpy(np.int64)
    n = table["n"].to_numpy(np.int64)
    cg = table["comparator_count"].to_numpy(np.int64)
    ct = table["comparator_total"].to_numpy(np.int64)
    if mode == "nested":
        over_cap = np.flatnonzero(x > cg)
        if over_cap.size:
            raise AnalysisError(MSG_NESTED_EXCEEDS.format(group=table["group"].iloc[over_cap[0]]))

    result = rri_test(x, n, cg, ct, mode)
    interval = result.confidence_interval(confidence_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, x / np.where(n > 0, n, 1), np.nan)
        comp_share = np.where(ct > 0, cg / np.where(ct > 0, ct, 1), np.nan)
    expected = n * comp_share
    p_adjusted = adjust_p(result.pvalue, adjust)
    band = bandmod.bands(
        result.statistic, x, expected, over=over, under=under, min_expected=min_expected
    )
    words = bandmod.confidence(
        band, p_adjusted, expected, n, alpha=alpha, min_n=min_n, min_expected=min_expected
    )
    low_b, high_b = unknown_bounds(x, n, table["unknown"].to_numpy(), cg, ct)
    note = np.where(n == 0, NO_KNOWN_SERVICE, np.where(cg == 0, NO_COMPARATOR, ""))

    out = pd.DataFrame(
        {
            "group": table["group"].to_numpy(object),
            **{d: table[d].to_numpy(object) for d in dims},
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
    if reference is not None:
        out = _add_rate_ratio(out, dims, reference, mode, confidence_level)

    omnibus = _omnibus(table, dims, mode, seed, draws, min_expected)
    warnings = _warnings(
        service,
        col,
        dims,
        n_total,
        n_known,
        n_not_known + n_unmapped,
        x,
        cg,
        min_n,
        unknown_warning,
    )
    parameters: dict[str, object] = {
        "level": level,
        "by": list(dims),
        "mode": mode,
        "reference": reference,
        "alpha": alpha,
        "adjust": adjust,
        "over": over,
        "under": under,
        "min_n": min_n,
        "min_expected": min_expected,
        "unknown_warning": unknown_warning,
        "seed": seed,
        "draws": draws,
        "confidence_level": confidence_level,
        "test": result.test,
    }
    return Analysis(
        table=out,
        level=level,
        by=",".join(dims) or None,
        mode=mode,
        comparator=info,
        n_total=n_total,
        n_known=n_known,
        n_not_known=n_not_known,
        n_unmapped=n_unmapped,
        omnibus=omnibus,
        parameters=parameters,
        warnings=warnings,
        reference=reference,
    )


def _add_rate_ratio(
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
    return out.assign(
        rate_ratio=reference_rate_ratio(a, cg, b, cr), rate_ratio_low=low, rate_ratio_high=high
    )


def _omnibus(
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


def _warnings(
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
