"""`commissioning batch DIR --authority A`: every commissioned service in one run.

Exit 0 when every return was processed, 1 when any could not be (the others are still
done and listed), 2 when the command is used wrongly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import click

from commissioning.cli._common import (
    authority_option,
    characteristic_option,
    characteristics_asked,
    comparator_option,
    level_option,
    persistence_option,
)
from commissioning.cli.say import say

#: ``returns`` and ``services`` arrive counted: "1 return", "3 services" (`counted`).
MSG_DONE: Final = "Looked at {returns} from {services}; the outputs are in {out}."
MSG_ALL_OK: Final = "Every return was checked, analysed and drafted."
MSG_SOME_FAILED: Final = "{failed} of {returns} returns could not be processed (listed below):"
MSG_FAILURE_LINE: Final = "  {service} / {file}: {problem}"
MSG_PORTFOLIO: Final = "Portfolio workbook: {path}"
MSG_SUMMARY: Final = "Summary for other programs: {path}"
PROGRESS_LABEL: Final = "Checking returns"


def default_workers() -> int:
    """All the cores there are, up to four (more rarely helps for a council's folder)."""
    return max(1, min(4, os.cpu_count() or 1))


def default_out(folder: Path) -> Path:
    """Beside the returns folder, never inside it (outputs must not be read as returns)."""
    resolved = folder.resolve()
    return resolved.parent / f"{resolved.name} outputs"


@click.command("batch")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@authority_option
@click.option(
    "--out",
    "out",
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="Folder for the outputs (default: the returns folder's name plus ' outputs', beside it).",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    metavar="N",
    help="How many services to work on at once, each in its own process (default: the "
    "number of processor cores, up to 4).",
)
@comparator_option()
@level_option
@persistence_option("Flag a group over-represented in each of the latest N periods.")
@characteristic_option()
@click.option("--no-draft", is_flag=True, help="Check and analyse only; draft no sections.")
def command(
    folder: Path,
    authority: str,
    out: Path | None,
    workers: int | None,
    comparator: str | None,
    level: str | None,
    persistence: int | None,
    characteristics: tuple[str, ...],
    no_draft: bool,
) -> None:
    """Check, analyse and draft every provider return in a folder, and build one
    portfolio workbook with a row per service.

    DIR holds one subfolder per service (each file in it is one period), or files
    named by service and period, such as 'Kooth 2024-25 Q1.xlsx'. A return that
    cannot be read is listed and skipped; the rest are still done. A return with sex
    and age but no ethnicity is compared by sex and age only, and its row says so.

    Exit code 0: every return was processed. 1: some could not be (see the list).
    2: the command was used wrongly.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from commissioning.analysis.settings import AnalysisSettings
    from commissioning.batch.runner import BatchSettings, plan, run_batch, validate

    settings = BatchSettings(
        authority=authority,
        comparator=comparator,
        analysis=AnalysisSettings().replace(level=level, persistence=persistence),
        draft=not no_draft,
        characteristics=characteristics_asked(characteristics),
    )
    target = out if out is not None else default_out(folder)
    workers = workers if workers is not None else default_workers()
    jobs = plan(folder, target, settings)  # usage errors before the bar appears
    validate(settings, workers)
    total = sum(len(job.files) for job in jobs)
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[service]}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(PROGRESS_LABEL, total=total, service="")

        def advance(service: str, returns: int) -> None:
            bar.update(task, advance=returns, service=service)

        result = run_batch(
            folder,
            target,
            settings,
            workers=workers,
            progress=advance,
        )
    say(MSG_DONE.format(returns=counted(result.returns, "return"),
                        services=counted(len(result.summaries), "service"), out=target))
    if result.ok:
        say(MSG_ALL_OK)
    else:
        say(MSG_SOME_FAILED.format(failed=result.failed, returns=result.returns))
        for summary in result.summaries:
            for failure in summary.failures:
                say(
                    MSG_FAILURE_LINE.format(
                        service=failure.service, file=failure.file, problem=failure.problem
                    )
                )
    say(MSG_PORTFOLIO.format(path=result.portfolio))
    say(MSG_SUMMARY.format(path=result.summary_file))
    raise click.exceptions.Exit(0 if result.ok else 1)


def counted(number: int, word: str) -> str:
    """"1 return", "2 returns"."""
    return f"{number:,} {word}" + ("" if number == 1 else "s")
