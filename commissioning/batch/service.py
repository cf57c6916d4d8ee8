"""One service's returns for `commissioning batch`, run in a worker process: each return
checked and compared through `commissioning.pipeline`, each drafted with the earlier
periods, and one summary row for the portfolio. Never raises: a bad return is a row in
"Failed returns".

A return with sex and age but no ethnicity is compared by those alone and drafted as a
section about sex and age; it is left out of the ethnicity trend (and of the earlier
periods the other sections describe), and its portfolio row says so."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from commissioning.analysis.settings import AnalysisSettings
from commissioning.analysis.trends import period_label
from commissioning.batch.discover import (  # noqa: F401  (the batch's names, in one place)
    CHECK_JSON,
    CHECK_TEXT,
    MSG_NO_RETURNS,
    MSG_NOT_A_FOLDER,
    RETURN_SUFFIXES,
    BatchUsageError,
    discover,
    safe_folder_name,
    service_name,
)
from commissioning.batch.portfolio import (
    NOTE_NO_ETHNICITY,
    NOTE_TOO_SMALL,
    NOTE_UNRELIABLE,
    Failure,
    ServiceSummary,
)
from commissioning.errors import CommissioningError
from commissioning.model.bands import Band, Confidence, Status
from commissioning.model.categories import Level
from commissioning.model.sanitise import strip_control_characters
from commissioning.outputs import write_atomic
from commissioning.pipeline import RunSettings

if TYPE_CHECKING:
    from commissioning.analysis.compare import Analysis
    from commissioning.analysis.trends import Trend
    from commissioning.comparators.info import Population
    from commissioning.returns.model import ProviderReturn

MSG_UNEXPECTED: Final = (
    "This return could not be processed because of an unexpected problem. Run "
    "'commissioning --debug check' on it for the technical detail."
)
SECTION_DOCX: Final = "{stem}.section.docx"
NO_TREND: Final = "one period only"
#: The trend cell when the latest return has no ethnicity: the trend over the returns
#: that have it, and the last period it covers; or this when none can be worked out.
TREND_TO_PERIOD: Final = "{trend} (to {period}; the latest return has no ethnicity)"
NO_TREND_NO_ETHNICITY: Final = "none: the latest return has no ethnicity"
MSG_CANNOT_ANALYSE: Final = "The check found problems that stop the analysis: {problems}"
MSG_NOTHING_TO_COMPARE: Final = (
    "This return has no ethnicity column and no known sex or age, so there is nothing to "
    "compare with the population. Ask the provider to record each person's ethnic group, "
    "sex and age."
)
CONCERN_BANDS: Final = (Band.OVER, Band.UNDER, Band.NOT_REPRESENTED)


@dataclass(frozen=True)
class BatchSettings:
    """What every service is compared with, and how. Picklable (sent to workers)."""

    authority: str
    comparator: str | None = None  # embedded source key, or a comparator file path
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    draft: bool = True
    #: Also compare by these in their own right ("sex", "age_band"): each drafted
    #: section gets a "Sex and age" part, as with `draft --characteristic`. None: every
    #: one the return records (as `draft` does by default); () for none.
    characteristics: tuple[str, ...] | None = None

    @property
    def level(self) -> Level:
        return self.analysis.level

    def run_settings(self, service: str = "", period: str | None = None) -> RunSettings:
        """The pipeline settings for one return: the same as `draft` would use."""
        return RunSettings(
            authority=self.authority, comparator=self.comparator, analysis=self.analysis,
            service=service, period=period, characteristics=self.characteristics,
        )


@dataclass(frozen=True)
class ServiceJob:
    service: str
    files: tuple[str, ...]  # earliest period first
    out_dir: str
    settings: BatchSettings


@dataclass(frozen=True)
class ServiceOutcome:
    summary: ServiceSummary
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Compared:
    """One return that was checked and compared: by ethnicity (``analysis``) and/or, in
    their own right, by sex and age band (``characteristics``)."""

    label: str
    path: Path
    provider_return: ProviderReturn
    analysis: Analysis | None  # None: the return has no ethnicity
    characteristics: tuple[Analysis, ...] = ()

    @property
    def compared_by(self) -> tuple[str, ...]:
        """What it was compared by: "ethnicity", "sex", "age_band"."""
        found = ("ethnicity",) if self.analysis is not None else ()
        return found + tuple(str(a.characteristic) for a in self.characteristics)


# -- one service (runs in a worker) -----------------------------------------------------
@lru_cache(maxsize=4)
def comparator_for(authority: str, comparator: str | None) -> Population:
    """The comparator, loaded once per process: the authority's default, an embedded
    source by name, or the user's own comparator file."""
    from commissioning.comparators import load_comparator

    return load_comparator(authority, comparator)


def _concerns(analysis: Analysis) -> int:
    table = analysis.table
    hit = table["band"].isin(CONCERN_BANDS) & (table["confidence"] == Confidence.SIGNIFICANT)
    return int(hit.sum())


def _highest(analysis: Analysis) -> tuple[float | None, str]:
    table = analysis.table
    judged = table.loc[(table["confidence"] != Confidence.TOO_FEW) & table["rri"].notna()]
    if judged.empty:
        return None, ""
    best = int(judged["rri"].to_numpy(dtype="float64").argmax())
    return float(judged["rri"].iloc[best]), str(judged["group"].iloc[best])


def problem_text(exc: BaseException) -> str:
    if isinstance(exc, CommissioningError):
        return " ".join(exc.message.split())
    return MSG_UNEXPECTED


def _failure(service: str, path: Path, exc: BaseException) -> Failure:
    """A failure for the reports. An unexpected error keeps only its type name (for
    support), never its message, which could quote a cell of the return."""
    detail = "" if isinstance(exc, CommissioningError) else type(exc).__name__
    return Failure(service, path.name, problem_text(exc), detail)


def run_service(job: ServiceJob) -> ServiceOutcome:
    """Check, analyse and draft every return of one service; never raises."""
    out = Path(job.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    settings = job.settings
    failures: list[Failure] = []
    outputs: list[str] = []
    done: list[Compared] = []
    stems = output_stems([Path(f) for f in job.files])
    for name in job.files:  # one return at a time: files, not people
        path = Path(name)
        try:
            compared, written = _check_and_analyse(path, stems[path], out, settings)
        except Exception as exc:  # one bad return must not stop the batch
            failures.append(_failure(job.service, path, exc))
            continue
        outputs.extend(written)
        done.append(compared)
    done = _unique_labels(done)
    if settings.draft:
        for i, item in enumerate(done):
            try:
                # Earlier periods are compared by ethnicity: those without it are left
                # out, and a section without ethnicity has none.
                earlier = [d.provider_return for d in done[:i] if d.analysis is not None]
                if item.analysis is None:
                    earlier = []
                target = out / SECTION_DOCX.format(stem=stems[item.path])
                outputs.append(_draft(job.service, item.label, item.provider_return, earlier,
                                      target, settings))
            except Exception as exc:
                failures.append(_failure(job.service, item.path, exc))
    trend = _trend(done, settings)
    summary = _summary(job, done, failures, trend)
    return ServiceOutcome(summary, tuple(outputs))


def _unique_labels(done: list[Compared]) -> list[Compared]:
    """Two files for the same period: fall back to file names so both are kept."""
    labels = [d.label for d in done]
    if len(set(labels)) == len(labels):
        return done
    return [dataclasses.replace(d, label=d.path.stem) for d in done]


def output_stems(files: Sequence[Path]) -> dict[Path, str]:
    """Output names for a service's returns: the file's stem, or its whole name when two
    files share a stem ("Q1.csv" and "Q1.xlsx"), so no output replaces another."""
    seen: dict[str, int] = {}
    for f in files:
        seen[f.stem.casefold()] = seen.get(f.stem.casefold(), 0) + 1
    names = {f: f.stem if seen[f.stem.casefold()] == 1 else f.name for f in files}
    return {f: strip_control_characters(name, keep_layout=False) for f, name in names.items()}


def _check_and_analyse(
    path: Path, stem: str, out: Path, settings: BatchSettings
) -> tuple[Compared, list[str]]:
    from commissioning.checking.report import render_text
    from commissioning.pipeline import run

    population = comparator_for(settings.authority, settings.comparator)
    found = run(path, settings.run_settings(), draft=False, population=population)
    report = found.check
    as_json = json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
    json_path = write_atomic(out / CHECK_JSON.format(stem=stem), as_json)
    text_path = write_atomic(out / CHECK_TEXT.format(stem=stem), render_text(report))
    written = [str(json_path), str(text_path)]
    if not report.can_analyse:
        problems = " ".join(i.message for i in report.blocking)
        raise _CannotAnalyse(MSG_CANNOT_ANALYSE.format(problems=problems))
    if found.analysis is None and not found.characteristics:  # pragma: no cover - the
        raise _CannotAnalyse(MSG_NOTHING_TO_COMPARE)  # check blocks such a return first
    ret = found.provider_return
    compared = Compared(period_label(ret), path, ret, found.analysis, found.characteristics)
    return compared, written


class _CannotAnalyse(CommissioningError):
    """The return was read and checked, but its check found errors."""


def _draft(
    service: str,
    period: str,
    source: ProviderReturn,
    earlier: Sequence[ProviderReturn],
    target: Path,
    settings: BatchSettings,
) -> str:
    """The section `draft --previous` would write for this return and the earlier ones."""
    from commissioning.pipeline import run
    from commissioning.render.docx import write_docx

    population = comparator_for(settings.authority, settings.comparator)
    found = run(source, settings.run_settings(service, period), previous=earlier,
                population=population)
    write_docx(found.require_section(), target)
    return str(target)


def _trend(done: Sequence[Compared], settings: BatchSettings) -> Trend | None:
    """The ethnicity trend over the returns that record ethnicity (others are skipped)."""
    from commissioning.analysis.trends import TrendOptions, trend_from_analyses, trend_from_counts

    options = TrendOptions.from_settings(settings.analysis)
    known = [(d.label, d.analysis, d.provider_return) for d in done if d.analysis is not None]
    try:
        if len(known) >= 2:
            return trend_from_analyses([k[1] for k in known], [k[0] for k in known],
                                       options=options)
        if len(known) == 1 and known[0][2].counts.has("period"):
            population = comparator_for(settings.authority, settings.comparator)
            counts = known[0][2].counts
            if len(counts.frame["period"].unique()) >= 2:
                return trend_from_counts(
                    counts,
                    population.counts,
                    level=settings.level,
                    options=options,
                )
    except Exception:  # the trend is an extra: a problem with it never stops a batch
        return None
    return None


def _summary(
    job: ServiceJob,
    done: Sequence[Compared],
    failures: list[Failure],
    trend: Trend | None,
) -> ServiceSummary:
    from commissioning.drafting.trend_text import summary as trend_summary

    failed_files = {f.file for f in failures}
    if not done:
        return ServiceSummary(
            job.service, len(job.files), len(failed_files), failures=tuple(failures)
        )
    latest = done[-1]
    trend_text = trend_summary(trend) if trend is not None else NO_TREND
    base = ServiceSummary(
        service=job.service,
        returns=len(job.files),
        failed=len(failed_files),
        latest_period=latest.label,
        people=latest.provider_return.counts.total,
        trend=trend_text,
        persistent=tuple(trend.groups.loc[trend.groups["persistent"], "group"])
        if trend is not None
        else (),
        failures=tuple(failures),
        compared_by=latest.compared_by,
    )
    analysis = latest.analysis
    if analysis is None:  # no ethnicity: no one's is known, and no concern is counted
        last_known = next((d.label for d in reversed(done) if d.analysis is not None), None)
        return dataclasses.replace(
            base,
            completeness=0.0,
            trend=TREND_TO_PERIOD.format(trend=trend_text, period=last_known)
            if trend is not None and last_known is not None
            else NO_TREND_NO_ETHNICITY,
            note=NOTE_NO_ETHNICITY.format(compared=_compared_words(latest.compared_by)),
        )
    rri, group = _highest(analysis)
    note = _reliability_note(analysis)
    return dataclasses.replace(
        base,
        completeness=(analysis.n_known / analysis.n_total) if analysis.n_total else None,
        concerns=None if note else _concerns(analysis),
        highest_rri=rri,
        highest_group=group,
        note=note,
    )


def _compared_words(compared_by: Sequence[str]) -> str:
    """"sex and age", "sex" or "age"."""
    words = [{"sex": "sex", "age_band": "age"}[c] for c in compared_by if c != "ethnicity"]
    return " and ".join(words)


def _reliability_note(analysis: Analysis) -> str:
    """Said when the drafted section would say the figures cannot be relied on (the
    same rule as `commissioning.drafting.findings`), so the portfolio does not count concerns."""
    from commissioning.drafting.disclosure import make_safe
    from commissioning.drafting.findings import find

    status = find(analysis, make_safe(analysis)).status
    if status == "unreliable":
        return NOTE_UNRELIABLE
    if status == Status.TOO_SMALL:
        return NOTE_TOO_SMALL
    return ""
