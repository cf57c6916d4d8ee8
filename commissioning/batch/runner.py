"""Every commissioned service at once: check, analyse and draft each return in a folder,
then one portfolio workbook for the commissioning board.

A folder holds one subfolder per service (its files are that service's periods), or
files whose names say the service and the period ("Kooth 2024-25 Q1.xlsx"). Each
service is one unit of work, so its periods stay together for the trend; services run
in parallel worker processes. A return that cannot be read is reported and skipped; the
batch always finishes, and every output is written atomically, so a failure never
leaves a half-written file or loses another service's results.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
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
    NOTE_TOO_SMALL,
    NOTE_UNRELIABLE,
    Failure,
    ServiceSummary,
    default_about,
    write_portfolio,
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

PORTFOLIO_NAME: Final = "portfolio.xlsx"
SUMMARY_NAME: Final = "batch-summary.json"
SECTION_DOCX: Final = "{stem}.section.docx"

MSG_OUT_INSIDE: Final = (
    "The output folder {out} is inside the returns folder, so outputs would be read as "
    "returns next time. Choose an output folder outside it with --out."
)
MSG_WORKERS: Final = "--workers must be at least 1 (it was {workers})."
MSG_UNEXPECTED: Final = (
    "This return could not be processed because of an unexpected problem. Run "
    "'commissioning --debug check' on it for the technical detail."
)
MSG_WORKER_LOST: Final = (
    "The worker processing this service stopped unexpectedly (for example it ran out "
    "of memory). Run this service again on its own with --workers 1."
)
#: The portfolio's trend cell for a service with one period so far.
NO_TREND: Final = "one period only"
MSG_CANNOT_ANALYSE: Final = "The check found problems that stop the analysis: {problems}"

#: Bands that count as a concern when the test is significant.
CONCERN_BANDS: Final = (Band.OVER, Band.UNDER, Band.NOT_REPRESENTED)


@dataclass(frozen=True)
class BatchSettings:
    """What every service is compared with, and how. Picklable (sent to workers)."""

    authority: str
    comparator: str | None = None  # embedded source key, or a comparator file path
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    draft: bool = True

    @property
    def level(self) -> Level:
        return self.analysis.level

    def run_settings(self, service: str = "", period: str | None = None) -> RunSettings:
        """The pipeline settings for one return: the same as `draft` would use."""
        return RunSettings(
            authority=self.authority, comparator=self.comparator, analysis=self.analysis,
            service=service, period=period,
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
class BatchResult:
    summaries: tuple[ServiceSummary, ...]
    outputs: tuple[str, ...]
    portfolio: Path
    summary_file: Path
    returns: int
    failed: int = field(default=0)

    @property
    def ok(self) -> bool:
        return self.failed == 0


# -- one service (runs in a worker) -----------------------------------------------------
@lru_cache(maxsize=4)
def _comparator(authority: str, comparator: str | None) -> Population:
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


def _problem(exc: BaseException) -> str:
    if isinstance(exc, CommissioningError):
        return " ".join(exc.message.split())
    return MSG_UNEXPECTED


def _failure(service: str, path: Path, exc: BaseException) -> Failure:
    """A failure for the reports. An unexpected error keeps only its type name (for
    support), never its message, which could quote a cell of the return."""
    detail = "" if isinstance(exc, CommissioningError) else type(exc).__name__
    return Failure(service, path.name, _problem(exc), detail)


def run_service(job: ServiceJob) -> ServiceOutcome:
    """Check, analyse and draft every return of one service; never raises."""
    out = Path(job.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    settings = job.settings
    failures: list[Failure] = []
    outputs: list[str] = []
    done: list[tuple[str, Path, ProviderReturn, Analysis]] = []
    stems = output_stems([Path(f) for f in job.files])
    for name in job.files:  # one return at a time: files, not people
        path = Path(name)
        try:
            ret, analysis, written = _check_and_analyse(path, stems[path], out, settings)
        except Exception as exc:  # one bad return must not stop the batch
            failures.append(_failure(job.service, path, exc))
            continue
        outputs.extend(written)
        done.append((period_label(ret), path, ret, analysis))
    _unique_labels(done)
    if settings.draft:
        for i, (label, path, ret, _analysis) in enumerate(done):
            try:
                earlier = [d[2] for d in done[:i]]
                target = out / SECTION_DOCX.format(stem=stems[path])
                outputs.append(_draft(job.service, label, ret, earlier, target, settings))
            except Exception as exc:
                failures.append(_failure(job.service, path, exc))
    trend = _trend(done, settings)
    summary = _summary(job, done, failures, trend)
    return ServiceOutcome(summary, tuple(outputs))


def _unique_labels(done: list[tuple[str, Path, ProviderReturn, Analysis]]) -> None:
    """Two files for the same period: fall back to file names so both are kept."""
    labels = [d[0] for d in done]
    if len(set(labels)) != len(labels):
        for i, (_label, path, ret, analysis) in enumerate(done):
            done[i] = (path.stem, path, ret, analysis)


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
) -> tuple[ProviderReturn, Analysis, list[str]]:
    from commissioning.checking.report import render_text
    from commissioning.pipeline import run

    population = _comparator(settings.authority, settings.comparator)
    found = run(path, settings.run_settings(), draft=False, population=population)
    report = found.check
    as_json = json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
    json_path = write_atomic(out / CHECK_JSON.format(stem=stem), as_json)
    text_path = write_atomic(out / CHECK_TEXT.format(stem=stem), render_text(report))
    written = [str(json_path), str(text_path)]
    if found.analysis is None:
        problems = " ".join(i.message for i in report.blocking)
        raise _CannotAnalyse(MSG_CANNOT_ANALYSE.format(problems=problems))
    return found.provider_return, found.analysis, written


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

    population = _comparator(settings.authority, settings.comparator)
    found = run(source, settings.run_settings(service, period), previous=earlier,
                population=population)
    write_docx(found.require_section(), target)
    return str(target)


def _trend(
    done: list[tuple[str, Path, ProviderReturn, Analysis]], settings: BatchSettings
) -> Trend | None:
    from commissioning.analysis.trends import TrendOptions, trend_from_analyses, trend_from_counts

    options = TrendOptions.from_settings(settings.analysis)
    try:
        if len(done) >= 2:
            return trend_from_analyses([d[3] for d in done], [d[0] for d in done], options=options)
        if len(done) == 1 and done[0][2].counts.has("period"):
            population = _comparator(settings.authority, settings.comparator)
            counts = done[0][2].counts
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
    done: list[tuple[str, Path, ProviderReturn, Analysis]],
    failures: list[Failure],
    trend: Trend | None,
) -> ServiceSummary:
    from commissioning.drafting.trend_text import summary as trend_summary

    failed_files = {f.file for f in failures}
    if not done:
        return ServiceSummary(
            job.service, len(job.files), len(failed_files), failures=tuple(failures)
        )
    label, _path, ret, analysis = done[-1]
    rri, group = _highest(analysis)
    total = ret.counts.total
    note = _reliability_note(analysis)
    return ServiceSummary(
        service=job.service,
        returns=len(job.files),
        failed=len(failed_files),
        latest_period=label,
        people=total,
        completeness=(analysis.n_known / analysis.n_total) if analysis.n_total else None,
        concerns=None if note else _concerns(analysis),
        highest_rri=rri,
        highest_group=group,
        trend=trend_summary(trend) if trend is not None else NO_TREND,
        persistent=tuple(trend.groups.loc[trend.groups["persistent"], "group"])
        if trend is not None
        else (),
        failures=tuple(failures),
        note=note,
    )


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


# -- the whole folder -------------------------------------------------------------------
Progress = Callable[[str, int], None]  # (service just finished, returns it had)


def _failed_outcome(job: ServiceJob, problem: str) -> ServiceOutcome:
    failures = tuple(Failure(job.service, Path(f).name, problem) for f in job.files)
    summary = ServiceSummary(job.service, len(job.files), len(job.files), failures=failures)
    return ServiceOutcome(summary)


def _run_pool(
    jobs: Sequence[ServiceJob], workers: int
) -> Iterator[tuple[ServiceJob, ServiceOutcome | None]]:
    """Run jobs in worker processes; yield (job, None) for jobs whose worker died."""
    with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures: dict[Future[ServiceOutcome], ServiceJob] = {
            pool.submit(run_service, job): job for job in jobs
        }
        try:
            for future in as_completed(futures):
                job = futures[future]
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    yield job, None
                except Exception as exc:  # run_service never raises; pickling might
                    yield job, _failed_outcome(job, _problem(exc))
        except BaseException:  # Ctrl+C, SIGTERM: the workers stop now, not after their job
            for process in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    process.kill()
            raise


def die_with_parent(parent: int) -> None:
    """In a batch worker: exit as soon as the batch process is gone (even after kill -9),
    so no worker goes on writing drafts for a run that was stopped."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.name == "posix":
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _warm_up() -> None:
    """Import the pipeline once here, so worker processes forked from this one start
    with it loaded instead of each importing it again."""
    import importlib

    for module in (
        "commissioning.returns.read",
        "commissioning.checking.report",
        "commissioning.analysis.compare",
        "commissioning.drafting.draft",
        "commissioning.render.docx",
    ):
        importlib.import_module(module)


def run_jobs(
    jobs: Sequence[ServiceJob], workers: int, progress: Progress | None = None
) -> list[ServiceOutcome]:
    """Every job's outcome, whatever happens to any one of them."""
    outcomes: list[ServiceOutcome] = []

    def finished(job: ServiceJob, outcome: ServiceOutcome) -> None:
        outcomes.append(outcome)
        if progress is not None:
            progress(job.service, len(job.files))

    if workers == 1:
        for job in jobs:
            finished(job, run_service(job))
        return outcomes
    _warm_up()
    lost: list[ServiceJob] = []
    for job, outcome in _run_pool(jobs, workers):
        if outcome is None:
            lost.append(job)
        else:
            finished(job, outcome)
    # A dead worker breaks the whole pool: retry its services one at a time, each in a
    # fresh process, so one crash cannot take other services' results with it.
    for job in lost:
        retried = next(_run_pool([job], 1))[1]
        finished(job, retried if retried is not None else _failed_outcome(job, MSG_WORKER_LOST))
    return outcomes


def plan(folder: Path, out: Path, settings: BatchSettings) -> list[ServiceJob]:
    """One job per service, outputs under ``out/<service>``."""
    folder_resolved, out_resolved = folder.resolve(), out.resolve()
    if out_resolved == folder_resolved or folder_resolved in out_resolved.parents:
        raise BatchUsageError(MSG_OUT_INSIDE.format(out=out))
    jobs = []
    used: set[str] = set()
    for service, files in discover(folder):
        sub = safe_folder_name(service)
        base, n = sub, 2
        while sub.casefold() in used:
            sub, n = f"{base} ({n})", n + 1
        used.add(sub.casefold())
        jobs.append(ServiceJob(service, tuple(str(f) for f in files), str(out / sub), settings))
    return jobs


def validate(settings: BatchSettings, workers: int) -> None:
    """Fail early, before any work, on what would make every return fail."""
    if workers < 1:
        raise BatchUsageError(MSG_WORKERS.format(workers=workers))
    _comparator(settings.authority, settings.comparator)  # unknown authority, bad file


def run_batch(
    folder: Path | str,
    out: Path | str,
    settings: BatchSettings,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> BatchResult:
    """Process every return in ``folder`` into ``out``; see the module docstring."""
    validate(settings, workers)
    folder, out = Path(folder), Path(out)
    jobs = plan(folder, out, settings)
    out.mkdir(parents=True, exist_ok=True)
    outcomes = run_jobs(jobs, min(workers, len(jobs)), progress)
    summaries = tuple(sorted((o.summary for o in outcomes), key=lambda s: s.service.casefold()))
    outputs = tuple(p for o in outcomes for p in o.outputs)
    produced = now or datetime.now()
    comparator = _comparator(settings.authority, settings.comparator)
    about = default_about(settings.authority, _comparator_text(comparator), produced)
    portfolio = write_portfolio(out / PORTFOLIO_NAME, summaries, about)
    returns = sum(s.returns for s in summaries)
    failed = sum(s.failed for s in summaries)
    summary_file = write_atomic(
        out / SUMMARY_NAME,
        json.dumps(_summary_json(summaries, outputs, out, returns, failed), indent=2) + "\n",
    )
    return BatchResult(summaries, outputs, portfolio, summary_file, returns, failed)


def _comparator_text(population: Population) -> str:
    info = population.info
    return f"{info.title}, {info.year}, {info.geography}, {info.ages}"


def _summary_json(
    summaries: Sequence[ServiceSummary],
    outputs: Sequence[str],
    out: Path,
    returns: int,
    failed: int,
) -> dict[str, object]:
    return {
        "returns": returns,
        "failed": failed,
        "services": [
            {
                "service": s.service,
                "returns": s.returns,
                "failed": s.failed,
                "latest_period": s.latest_period,
                "people": s.people,
                "completeness": s.completeness,
                "concerns": s.concerns,
                "highest_rri": s.highest_rri,
                "highest_group": s.highest_group,
                "trend": s.trend,
                "persistent": list(s.persistent),
                "status": s.status,
                "note": s.note,
                "failures": [
                    {"file": f.file, "problem": f.problem, "detail": f.detail} for f in s.failures
                ],
            }
            for s in summaries
        ],
        "outputs": [os.path.relpath(p, out) for p in outputs],
    }
