"""Comparing a service with its population by sex or by age band, in their own right.

Ethnicity is not the only protected characteristic a council must consider: the ONS
mid-year estimates give every area's people by sex and single year of age, so a service
can be compared on those too, with the same Relative Rate Index, tests, bands and
adjustment as `analyse`. The result is an ordinary `Analysis` whose ``group`` is the sex
("Female", "Male") or the age band ("5-9"), so tables, JSON and `make_safe` take it as
they are.

People who describe their gender in another way (non-binary, "Other") cannot be compared
with the ONS estimates, which count females and males only. They are never dropped: they
are counted with the people whose sex is not known (``n_not_known``) and a warning says so.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import pandas as pd

from commissioning.analysis.agealign import align_age_bands
from commissioning.analysis.comparator_rules import is_user_file, suggested_mode
from commissioning.analysis.compare import _DEFAULT_INFO, Analysis, per_group_statistics
from commissioning.analysis.overall import WARN_NO_COMPARATOR
from commissioning.analysis.overall import omnibus as overall_test
from commissioning.analysis.settings import MODES, AnalysisSettings, Mode
from commissioning.comparators.info import Population, PopulationInfo
from commissioning.errors import AnalysisError
from commissioning.model.ages import AgeBand, band_sort_key
from commissioning.model.categories import COMPARABLE_SEXES, NOT_CLASSIFIED, UNMAPPED
from commissioning.model.counts import Counts

Characteristic = Literal["sex", "age_band"]
CHARACTERISTICS: Final[tuple[Characteristic, ...]] = ("sex", "age_band")
#: How each characteristic is named in a sentence.
WORDS: Final[dict[str, str]] = {"sex": "sex", "age_band": "age", "ethnicity": "ethnicity"}

MSG_BAD_CHARACTERISTIC: Final = (
    "The characteristic to compare must be sex or age_band; it was given as {value}."
)
MSG_RETURN_LACKS: Final = (
    "The return has no {what} column, so it cannot be compared by {what}. Ask the provider "
    "to record each person's {what}, or compare another characteristic."
)
MSG_COMPARATOR_LACKS: Final = (
    "The comparator has no {what} breakdown, so it cannot be compared by {what}. Use "
    "mye2022 (sex by single year of age) as the comparator."
)
MSG_NO_KNOWN_CHARACTERISTIC: Final = (
    "No one in the return has a known {what}, so there is nothing to compare. Ask the "
    "provider to record each person's {what}, then run the analysis again."
)
MSG_EMPTY_COMPARATOR_CHARACTERISTIC: Final = (
    "The comparator has no people of known {what}. Check the comparator file or choose "
    "another comparator."
)
MSG_AGES_NOT_COVERED: Final = (
    "The comparator has no one in the service's age band {band}, so the ages cannot be "
    "lined up. Give the comparator ages that cover the service (for example --ages "
    "{range}), or use mye2022, which has every single year of age."
)
MSG_AGES_CANNOT_LINE_UP: Final = (
    "The comparator's age bands cannot be added up into the service's age bands ({bands}): "
    "one of them cuts across a service band. Use mye2022, which has every single year of "
    "age, as the comparator."
)
MSG_CHARACTERISTIC_NESTED_EXCEEDS: Final = (
    "In nested mode the service must be part of the comparator, but the service has more "
    "people in {group} than the comparator. Use --mode fixed or --mode independent."
)
WARN_OTHER_GENDER: Final = (
    "{count} people describe their gender in another way (for example non-binary). The ONS "
    "estimates count only females and males, so these people cannot be compared with them; "
    "they are counted with the people whose sex is not known."
)
WARN_CHARACTERISTIC_UNKNOWN: Final = (
    "{share:.0%} of the people in the return have no known {what} (more than {limit:.0%}). "
    "Shares leave them out; see the lowest and highest possible RRI for each group."
)
WARN_CHARACTERISTIC_SMALL_N: Final = (
    "Only {n} people in the return have a known {what} (fewer than {min_n}), too few to "
    "judge any group."
)


def analyse_characteristic(
    service: Counts,
    comparator: Population | Counts,
    characteristic: Characteristic,
    settings: AnalysisSettings | None = None,
) -> Analysis:
    """Compare the service with the comparator by sex or by age band (see module doc).

    The table has the columns of `commissioning.analysis.compare.TABLE_COLUMNS`, one row
    per sex or per age band of the service. Raises `AnalysisError` (one plain line) when
    the two cannot be compared that way.

    >>> def people(**by_sex):
    ...     return Counts.from_records({"major": "Not known", "detailed": "Not known",
    ...                                 "sex": s, "count": n} for s, n in by_sex.items())
    >>> result = analyse_characteristic(people(Female=60, Male=40), people(Female=500,
    ...                                 Male=500), "sex")
    >>> round(float(result.table.set_index("group").loc["Female", "rri"]), 2)
    1.2
    """
    if characteristic not in CHARACTERISTICS:
        raise AnalysisError(MSG_BAD_CHARACTERISTIC.format(value=characteristic))
    s = settings or AnalysisSettings()
    if isinstance(comparator, Population):
        comp_counts, info = comparator.counts, comparator.info
    else:
        comp_counts, info = comparator, _DEFAULT_INFO
    what = WORDS[characteristic]
    if not service.has(characteristic):
        raise AnalysisError(MSG_RETURN_LACKS.format(what=what))
    if not comp_counts.has(characteristic):
        raise AnalysisError(MSG_COMPARATOR_LACKS.format(what=what))
    served = service.tally(characteristic)
    compared = _comparator_tally(service, comp_counts, characteristic)
    groups = _groups(served, characteristic)
    counts = served.reindex(groups, fill_value=0).astype("int64")
    n_known = int(counts.sum())
    n_unmapped = int(served.get(UNMAPPED, 0))
    n_not_known = service.total - n_known - n_unmapped  # not known + other genders
    if n_known == 0:
        raise AnalysisError(MSG_NO_KNOWN_CHARACTERISTIC.format(what=what))
    comp = compared.reindex(groups, fill_value=0).astype("int64")
    if int(comp.sum()) == 0:
        raise AnalysisError(MSG_EMPTY_COMPARATOR_CHARACTERISTIC.format(what=what))
    mode = _mode(s, info)
    s = s.replace(mode=mode)
    table = pd.DataFrame({
        "group": list(groups),
        "count": counts.to_numpy(np.int64),
        "comparator_count": comp.to_numpy(np.int64),
    })
    table["n"] = n_known
    table["comparator_total"] = int(comp.sum())
    table["unknown"] = n_not_known + n_unmapped
    if mode == "nested":
        over = table.loc[table["count"] > table["comparator_count"], "group"]
        if len(over):
            raise AnalysisError(MSG_CHARACTERISTIC_NESTED_EXCEEDS.format(group=over.iloc[0]))
    out, test = per_group_statistics(table, (), s, mode)
    omnibus = overall_test(table, (), mode, s.seed, s.draws, s.min_expected)
    return Analysis(
        table=out,
        settings=s,
        by=(),
        comparator=info,
        n_total=service.total,
        n_known=n_known,
        n_not_known=n_not_known,
        n_unmapped=n_unmapped,
        omnibus=omnibus,
        test=test,
        warnings=_warnings(served, table, characteristic, s, service.total),
        characteristic=characteristic,
    )


def _groups(served: pd.Series, characteristic: str) -> tuple[str, ...]:
    """The groups compared: both sexes, or the service's known age bands in age order."""
    if characteristic == "sex":
        return COMPARABLE_SEXES
    known = [str(b) for b in served.index if b not in NOT_CLASSIFIED]
    return tuple(sorted(known, key=band_sort_key))


def _comparator_tally(service: Counts, comp: Counts, characteristic: str) -> pd.Series:
    """The comparator's people by sex, or added up into the service's age bands (refused
    when a band cannot be lined up)."""
    if characteristic == "sex":
        return comp.tally("sex")
    try:
        aligned = align_age_bands(service.collapse(("age_band",)),
                                  comp.collapse(("age_band",)))
    except AnalysisError as exc:
        bands = ", ".join(_groups(service.tally("age_band"), "age_band"))
        raise AnalysisError(MSG_AGES_CANNOT_LINE_UP.format(bands=bands)) from exc
    tally = aligned.tally("age_band")
    for band in service.tally("age_band").index:
        if band not in NOT_CLASSIFIED and int(tally.get(band, 0)) == 0:
            raise AnalysisError(MSG_AGES_NOT_COVERED.format(
                band=band, range=_service_range(service)))
    return tally


def _service_range(service: Counts) -> str:
    bands = [AgeBand.parse(str(b)) for b in service.tally("age_band").index
             if b not in NOT_CLASSIFIED]
    his = [b.hi for b in bands]
    hi = None if None in his else max(h for h in his if h is not None)
    return AgeBand(min(b.lo for b in bands), hi).label


def _mode(settings: AnalysisSettings, info: PopulationInfo) -> Mode:
    """The mode asked for, else a user file's mode column, else what the source suggests."""
    if settings.mode is not None:
        return settings.mode
    chosen = info.extra.get("mode") if is_user_file(info) else None
    for mode in MODES:
        if chosen == mode:
            return mode
    return suggested_mode(info)


def _warnings(served: pd.Series, table: pd.DataFrame, characteristic: str,
              s: AnalysisSettings, n_total: int) -> tuple[str, ...]:
    what = WORDS[characteristic]
    found: list[str] = []
    if characteristic == "sex":
        other = int(served[[g for g in served.index
                            if g not in COMPARABLE_SEXES and g not in NOT_CLASSIFIED]].sum())
        if other:
            found.append(WARN_OTHER_GENDER.format(count=other))
    unknown = int(table["unknown"].iloc[0])
    share = unknown / n_total if n_total else 0.0
    if share > s.unknown_warning:
        found.append(WARN_CHARACTERISTIC_UNKNOWN.format(
            share=share, what=what, limit=s.unknown_warning))
    n_known = int(table["n"].iloc[0])
    if n_known < s.min_n:
        found.append(WARN_CHARACTERISTIC_SMALL_N.format(n=n_known, what=what, min_n=s.min_n))
    stranded = int(table.loc[table["comparator_count"] == 0, "count"].sum())
    if stranded:
        found.append(WARN_NO_COMPARATOR.format(count=stranded))
    return tuple(found)


__all__ = ["CHARACTERISTICS", "Characteristic", "analyse_characteristic"]
