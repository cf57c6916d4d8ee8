"""One chain from a provider's return to the drafted section, used by every front end.

read → check → comparator → analyse (+ splits by sex or age band, + earlier periods) →
draft. The command line (`check`, `analyse`, `draft`), the web page and `batch` all call
`run` and only format what it returns, so the same files and settings give the same
tests, findings and words everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from commissioning.analysis.settings import AnalysisSettings, ByDimension, by_tuple
from commissioning.errors import CommissioningError

if TYPE_CHECKING:
    from commissioning.analysis.compare import Analysis
    from commissioning.analysis.trends import Trend
    from commissioning.checking.report import CheckReport
    from commissioning.comparators.info import Population
    from commissioning.drafting.draft import Section
    from commissioning.model.counts import Counts
    from commissioning.returns.model import ProviderReturn

MSG_CANNOT_ANALYSE: Final = (
    "This return cannot be analysed yet: {problems} Run 'commissioning check' on it to see "
    "the full list of what to ask the provider to fix."
)

MSG_NO_ETHNICITY_TO_ANALYSE: Final = (
    "This return has no ethnicity column, so it cannot be compared by ethnicity. Compare "
    "it by sex or age with 'commissioning analyse --characteristic sex' (or age_band), and "
    "ask the provider to record ethnic group for everyone."
)
MSG_NO_ETHNICITY_OPTIONS: Final = (
    "This return has no ethnicity column, so --by and --previous, which compare ethnic "
    "groups, cannot be used with it. Leave them out to draft the section about sex and "
    "age, and ask the provider to record ethnic group for everyone."
)
#: A note for the author when a comparison the section would make by default cannot be
#: made (the comparator's ages do not line up, say): the section leaves that part out.
NOTE_NOT_COMPARED: Final = (
    "The section does not compare the service by {what}: {reason}"
)
#: The comparator for sex and age when the one chosen has no such breakdown.
CHARACTERISTIC_SOURCE: Final = "mye2022"


def _characteristic_tuple(names: Sequence[str]) -> tuple[str, ...]:
    from commissioning.analysis.characteristic import CHARACTERISTICS, MSG_BAD_CHARACTERISTIC
    from commissioning.errors import AnalysisError

    for name in names:
        if name not in CHARACTERISTICS:
            raise AnalysisError(MSG_BAD_CHARACTERISTIC.format(value=name))
    return tuple(dict.fromkeys(names))


class CannotAnalyseError(CommissioningError):
    """The return was read and checked, but its check found errors that stop analysis."""


@dataclass(frozen=True, kw_only=True)
class RunSettings:
    """Everything a run needs besides the files: the comparator, the analysis settings and
    the words the section names the service with. Picklable (sent to `batch` workers)."""

    authority: str | None = None
    #: An embedded source name ("census2021", "school-census", ...) or a comparator file.
    comparator: str | None = None
    ages: str | None = None
    year: str | None = None
    sheet: str | None = None
    as_of: dt.date | None = None
    #: Extra comparisons within each sex and/or age band (each its own `Analysis`).
    by: tuple[ByDimension, ...] = ()
    #: False: one split per dimension (the drafted section's parts); True: one split
    #: within every combination of them (``analyse --by sex --by age_band``).
    split_together: bool = False
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    service: str = ""
    provider: str | None = None
    period: str | None = None
    template: str | None = None
    actions: str | None = None
    #: "reach" or "intervention"; None: matched from the service's name.
    service_kind: str | None = None
    #: Also compare by these in their own right: "sex", "age_band" (each an `Analysis`
    #: against the mid-year estimates unless the comparator has that breakdown). None:
    #: every one the return records, and a drafted section says what to ask for the
    #: others; () for none.
    characteristics: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "by", by_tuple(self.by))
        if self.characteristics is not None:
            object.__setattr__(self, "characteristics",
                               _characteristic_tuple(self.characteristics))


@dataclass(frozen=True)
class RunResult:
    """What one run found. ``analysis`` and ``section`` are None when the check says the
    return cannot be analysed (``check.blocking`` says why) or drafting was not asked for."""

    provider_return: ProviderReturn
    check: CheckReport
    population: Population | None = None
    analysis: Analysis | None = None
    #: The same comparison within each sex / age band, in the order of ``settings.by``.
    splits: tuple[Analysis, ...] = ()
    #: Earlier periods, labelled and earliest first, as `draft(previous=...)` takes them.
    previous: tuple[tuple[str, Analysis], ...] = ()
    trend: Trend | None = None
    section: Section | None = None
    #: The comparisons by sex / age band in their own right, in the settings' order.
    characteristics: tuple[Analysis, ...] = ()

    def require_analysis(self) -> Analysis:
        """The analysis, or one plain line saying why there is none."""
        if self.analysis is None:
            if self.check.can_analyse:
                raise CannotAnalyseError(MSG_NO_ETHNICITY_TO_ANALYSE)
            problems = " ".join(i.message for i in self.check.blocking)
            raise CannotAnalyseError(MSG_CANNOT_ANALYSE.format(problems=problems))
        return self.analysis

    def require_check(self) -> None:
        """Nothing, or one plain line when the check found errors that stop analysis."""
        if not self.check.can_analyse:
            problems = " ".join(i.message for i in self.check.blocking)
            raise CannotAnalyseError(MSG_CANNOT_ANALYSE.format(problems=problems))

    def require_section(self) -> Section:
        """The drafted section (about sex and age when the return has no ethnicity)."""
        if self.section is not None:
            return self.section
        self.require_analysis()
        if self.section is None:  # pragma: no cover - run(draft=False) was asked for
            raise CannotAnalyseError(MSG_CANNOT_ANALYSE.format(problems=""))
        return self.section


def read(source: str | os.PathLike[str] | ProviderReturn, settings: RunSettings,
         ) -> ProviderReturn:
    """A return from a path (read with the settings' sheet and date) or as given."""
    from commissioning.returns.model import ProviderReturn
    from commissioning.returns.read import read_return

    if isinstance(source, ProviderReturn):
        return source
    return read_return(Path(source), sheet=settings.sheet, as_of=settings.as_of)


def comparator(settings: RunSettings) -> Population:
    """The comparator the settings name (an embedded source for the authority, or a file)."""
    from commissioning.comparators import load_comparator

    return load_comparator(
        settings.authority, settings.comparator, ages=settings.ages, year=settings.year
    )


def run(
    source: str | os.PathLike[str] | ProviderReturn,
    settings: RunSettings = RunSettings(),
    *,
    previous: Sequence[str | os.PathLike[str] | ProviderReturn] = (),
    draft: bool = True,
    population: Population | None = None,
) -> RunResult:
    """Read, check, compare and (with ``draft``) draft one return.

    ``previous`` are earlier returns of the same service, earliest first; each is compared
    with the same comparator and settings. ``population`` reuses a comparator already
    loaded (``batch`` loads it once per worker).

    >>> import commissioning, pathlib
    >>> repo = pathlib.Path(commissioning.__file__).parents[1]
    >>> found = run(repo / "provider_returns" / "kensington_chelsea_youth_2024q2.csv",
    ...             RunSettings(authority="Kensington and Chelsea", service="Youth"))
    >>> found.analysis.mode, found.section.title
    ('fixed', 'Disproportionality Implications')
    """
    from commissioning.checking.report import build_check

    ret = read(source, settings)
    report = build_check(ret)
    if not report.can_analyse:
        return RunResult(provider_return=ret, check=report)
    # Those the return records; the part then says what to ask for the others. When it
    # records none of them, comparing says so in one line.
    has_ethnicity = "ethnicity" in report.characteristics
    automatic = settings.characteristics is None or (
        not has_ethnicity and not settings.characteristics)
    recorded: tuple[str, ...] = tuple(
        c for c in ("sex", "age_band") if c in report.characteristics)
    if automatic:  # every one the return records (for a section; `analyse` needs none)
        asked = recorded if draft or not has_ethnicity else ()
    else:
        asked = cast(tuple[str, ...], settings.characteristics)
    wanted = [c for c in asked if ret.counts.has(c) or c in ret.marginals] or list(asked)
    characteristics: tuple[Analysis, ...] = ()
    skipped: list[str] = []
    pop = None
    if has_ethnicity:  # loaded once: the comparisons by sex and age use it when they can
        pop = population if population is not None else comparator(settings)
    # A comparator named (or given) is used for sex and age when it has them; otherwise
    # the mid-year estimates, loaded once for both.
    chosen = population if population is not None or settings.comparator is None else pop
    estimates: dict[str | None, Population] = {}
    for name in wanted:
        try:
            characteristics += (
                characteristic_analysis(ret, settings, name, chosen, estimates),)
        except CommissioningError as exc:
            if not automatic or not has_ethnicity:
                raise  # asked for by name, or all there is to compare: say why
            what = "age" if name == "age_band" else name
            skipped.append(NOTE_NOT_COMPARED.format(what=what, reason=exc))
    if not has_ethnicity:
        if draft and (settings.by or previous):
            raise CannotAnalyseError(MSG_NO_ETHNICITY_OPTIONS)
        found = RunResult(provider_return=ret, check=report, characteristics=characteristics)
        if not draft or not characteristics:
            return found
        return dataclasses.replace(found, section=draft_without_ethnicity(found, settings))
    assert pop is not None
    analysis = _analyse(ret, pop, settings, ())
    ways = [settings.by] if settings.split_together and settings.by else [
        (dim,) for dim in settings.by
    ]
    splits = tuple(_analyse(ret, pop, settings, dims) for dims in ways)
    # Earlier periods are compared the same way as this one, whatever their size.
    same_mode = dataclasses.replace(settings, analysis=settings.analysis.replace(
        mode=analysis.mode))
    earlier, trend = _history(ret, analysis, pop, same_mode, previous)
    result = RunResult(
        provider_return=ret, check=report, population=pop, analysis=analysis,
        splits=splits, previous=earlier, trend=trend, characteristics=characteristics,
    )
    if not draft:
        return result
    section = draft_section(result, settings, ask_for_missing=automatic)
    if skipped:  # for the officer: why the section has no part for it
        section = dataclasses.replace(section, author_notes=(*section.author_notes, *skipped))
    return dataclasses.replace(result, section=section)


def run_characteristic(source: str | os.PathLike[str] | ProviderReturn, settings: RunSettings,
                       characteristic: str) -> RunResult:
    """Read, check and compare one return by sex or age band alone (``analyse
    --characteristic``): no ethnicity is needed, and none is compared."""
    from commissioning.checking.report import build_check

    _characteristic_tuple((characteristic,))
    ret = read(source, settings)
    report = build_check(ret)
    if not report.can_analyse:
        return RunResult(provider_return=ret, check=report)
    found = characteristic_analysis(ret, settings, characteristic)
    return RunResult(provider_return=ret, check=report, characteristics=(found,))


def draft_section(result: RunResult, settings: RunSettings, *,
                  ask_for_missing: bool = False) -> Section:
    """The drafted section for a run that has an analysis. ``ask_for_missing``: the
    section says what to ask the provider for when the return has no gender or age."""
    from commissioning.drafting.draft import draft

    analysis = result.require_analysis()
    section = draft(
        analysis,
        authority=settings.authority or "",
        service=settings.service,
        provider=settings.provider,
        period=settings.period,
        previous=result.previous or None,
        source_return=result.provider_return,
        template=settings.template,
        actions=settings.actions,
        threshold=settings.analysis.threshold,
        intersections=result.splits,
        trend=result.trend,
        service_kind=settings.service_kind,
        characteristics=result.characteristics,
        ask_for_missing=ask_for_missing,
    )
    return section


def draft_without_ethnicity(result: RunResult, settings: RunSettings) -> Section:
    """The section for a return with sex and age but no ethnicity."""
    from commissioning.drafting.sex_age_section import draft_without_ethnicity as draft

    return draft(
        result.characteristics,
        authority=settings.authority or "",
        service=settings.service,
        provider=settings.provider,
        period=settings.period,
        source_return=result.provider_return,
        template=settings.template,
        threshold=settings.analysis.threshold,
        service_kind=settings.service_kind,
    )


def characteristic_comparator(ret: ProviderReturn, settings: RunSettings, characteristic: str,
                              population: Population | None = None,
                              loaded: dict[str | None, Population] | None = None) -> Population:
    """The comparator for sex or age: the one chosen (or given) when it has that breakdown,
    else the mid-year estimates for the authority, for the ages the service covers
    (kept in ``loaded``, by ages, so one run loads them once)."""
    from commissioning.comparators import load_comparator, match_ages

    chosen = population
    if chosen is None and settings.comparator is not None:
        chosen = comparator(settings)
    if chosen is not None and characteristic in chosen.info.characteristics:
        return chosen
    ages = settings.ages
    if ages is None and ret.counts.has("age_band"):
        ages = match_ages(ret.counts.tally("age_band").index, CHARACTERISTIC_SOURCE).label
    if loaded is not None and ages in loaded:
        return loaded[ages]
    found = load_comparator(settings.authority, CHARACTERISTIC_SOURCE, ages=ages)
    if loaded is not None:
        loaded[ages] = found
    return found


def characteristic_counts(ret: ProviderReturn, characteristic: str) -> Counts:
    """The return's people by sex or age: its main table, or the separate totals table
    when the main one has no such column."""
    from commissioning.model.categories import NOT_KNOWN
    from commissioning.model.counts import Counts

    if ret.counts.has(characteristic) or characteristic not in ret.marginals:
        return ret.counts
    totals = ret.marginals[characteristic]
    return Counts.from_records(
        {"major": NOT_KNOWN, "detailed": NOT_KNOWN, characteristic: str(k), "count": int(v)}
        for k, v in totals.items()
    )


def characteristic_analysis(ret: ProviderReturn, settings: RunSettings, characteristic: str,
                            population: Population | None = None,
                            loaded: dict[str | None, Population] | None = None) -> Analysis:
    """The return compared by sex or by age band in its own right."""
    from commissioning.analysis.characteristic import analyse_characteristic

    pop = characteristic_comparator(ret, settings, characteristic, population, loaded)
    return analyse_characteristic(characteristic_counts(ret, characteristic), pop,
                                  characteristic, settings.analysis)  # type: ignore[arg-type]


def _analyse(ret: ProviderReturn, pop: Population, settings: RunSettings,
             by: tuple[ByDimension, ...]) -> Analysis:
    from commissioning.analysis.compare import analyse

    return analyse(ret.counts, pop, settings=settings.analysis, by=by or None)


def _history(
    ret: ProviderReturn,
    analysis: Analysis,
    pop: Population,
    settings: RunSettings,
    previous: Sequence[str | os.PathLike[str] | ProviderReturn],
) -> tuple[tuple[tuple[str, Analysis], ...], Trend | None]:
    from commissioning.analysis.trends import TrendOptions, history

    earlier = [read(item, settings) for item in previous]
    past = history(
        ret,
        analysis,
        earlier,
        lambda old: _analyse(old, pop, settings, ()),
        pop.counts,
        current_label=settings.period,
        options=TrendOptions.from_settings(settings.analysis),
    )
    return past.previous, past.trend


def check(
    source: str | os.PathLike[str] | ProviderReturn,
    *,
    sheet: str | None = None,
    as_of: dt.date | None = None,
) -> CheckReport:
    """The check report on a return: every problem found, with stable reason codes, and
    whether it can be analysed (what `commissioning check` prints).

    >>> import commissioning, pathlib
    >>> repo = pathlib.Path(commissioning.__file__).parents[1]
    >>> report = check(repo / "provider_returns" / "kensington_chelsea_youth_2024q2.csv")
    >>> report.can_analyse, report.exit_code
    (True, 0)
    """
    from commissioning.checking.report import build_check

    return build_check(read(source, RunSettings(sheet=sheet, as_of=as_of)))
