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
from pathlib import Path
from typing import TYPE_CHECKING, Final

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
    Failure,
    ServiceSummary,
    default_about,
    write_portfolio,
)
from commissioning.batch.service import (  # noqa: F401  (the batch's names, in one place)
    MSG_CANNOT_ANALYSE,
    MSG_NOTHING_TO_COMPARE,
    MSG_UNEXPECTED,
    NO_TREND,
    NO_TREND_NO_ETHNICITY,
    SECTION_DOCX,
    TREND_TO_PERIOD,
    BatchSettings,
    ServiceJob,
    ServiceOutcome,
    comparator_for,
    output_stems,
    problem_text,
    run_service,
)
from commissioning.outputs import write_atomic

if TYPE_CHECKING:
    from commissioning.comparators.info import Population

PORTFOLIO_NAME: Final = "portfolio.xlsx"
SUMMARY_NAME: Final = "batch-summary.json"

MSG_OUT_INSIDE: Final = (
    "The output folder {out} is inside the returns folder, so outputs would be read as "
    "returns next time. Choose an output folder outside it with --out."
)
MSG_WORKERS: Final = "--workers must be at least 1 (it was {workers})."
MSG_WORKER_LOST: Final = (
    "The worker processing this service stopped unexpectedly (for example it ran out "
    "of memory). Run this service again on its own with --workers 1."
)

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
                    yield job, _failed_outcome(job, problem_text(exc))
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
    comparator_for(settings.authority, settings.comparator)  # unknown authority, bad file
    settings.run_settings()  # a characteristic that cannot be compared


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
    comparator = comparator_for(settings.authority, settings.comparator)
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
                "compared_by": list(s.compared_by),
                "failures": [
                    {"file": f.file, "problem": f.problem, "detail": f.detail} for f in s.failures
                ],
            }
            for s in summaries
        ],
        "outputs": [os.path.relpath(p, out) for p in outputs],
    }
