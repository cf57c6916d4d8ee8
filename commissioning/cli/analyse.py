"""`commissioning analyse RETURN`: who did the service reach, compared with the population?

Reads the return, takes the comparator (an embedded source for the authority, or a file),
runs `commissioning.analysis.compare.analyse` and writes the table as text, csv, JSON or xlsx.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final, cast

import click

from commissioning.cli._common import (
    ages_option,
    analysis_options,
    by_option,
    comparator_option,
    return_argument,
    run_settings,
    sheet_option,
    year_option,
)
from commissioning.cli.say import say
from commissioning.errors import CommissioningError
from commissioning.outputs import refuse_overwriting_inputs, workbook_bytes, write_atomic

MSG_NEED_AUTHORITY: Final = (
    "Say which local authority to compare with, for example --authority Westminster, or "
    "give your own comparator file with --comparator FILE."
)
MSG_XLSX_NEEDS_OUT: Final = (
    "An Excel workbook cannot be shown on screen. Add --out with a file name ending .xlsx."
)
MSG_WROTE: Final = "Wrote {path}."
MSG_CHARACTERISTIC_OPTIONS: Final = (
    "--by, --previous and --reference work with --characteristic ethnicity only. Leave them "
    "out to compare by {characteristic}."
)


class AnalyseUsageError(CommissioningError):
    """The analyse command was asked for something it cannot do."""


@click.command("analyse")
@return_argument
@click.option(
    "--authority",
    "-a",
    metavar="NAME",
    help='Local authority, by name or code: "Westminster", "E09000033", '
    '"Bi-Borough". Not needed when --comparator is a file.',
)
@comparator_option()
@ages_option
@year_option
@sheet_option
@analysis_options
@by_option(
    "Compare within each sex or age band (the comparator must have it). "
    "Give it twice for both."
)
@click.option(
    "--characteristic",
    type=click.Choice(["ethnicity", "sex", "age_band"]),
    default="ethnicity",
    show_default=True,
    help="What to compare: ethnic group, or sex or age band in their own right (against "
    "the ONS mid-year estimates, mye2022, unless --comparator has that breakdown).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "xlsx"]),
    default="table",
    show_default=True,
    help="How to write the results.",
)
@click.option(
    "--previous",
    "previous",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="An earlier return of the same service; repeat for each earlier period, earliest "
    "first. Adds each group's RRI per period, a test for change and the persistence flag.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
@click.option("--publishable", is_flag=True,
              help="Write only what a published section may show: counts of 1 to 4 hidden, "
                   "figures worked out from the counts shown. Without it the output is "
                   "marked OFFICIAL-SENSITIVE: not for publication.")
def command(
    return_file: str,
    authority: str | None,
    comparator: str | None,
    ages: str | None,
    year: str | None,
    sheet: str | None,
    by: tuple[str, ...],
    output_format: str,
    out: str | None,
    previous: tuple[str, ...] = (),
    publishable: bool = False,
    characteristic: str = "ethnicity",
    **options: Any,
) -> None:
    """Compare who a provider's return reached with the local population: Relative Rate
    Index, interval, exact test and band for each ethnic group (or each sex or age band,
    with --characteristic).

    Exit code 0: done. 2: a file could not be read or the options do not fit together.
    """
    from commissioning.comparators import comparator_file
    from commissioning.pipeline import run, run_characteristic
    from commissioning.render.analysis_tables import to_csv, to_json, to_text, write_xlsx

    if output_format == "xlsx" and not out:
        raise AnalyseUsageError(MSG_XLSX_NEEDS_OUT)
    own_file = comparator_file(comparator)
    if own_file is None and not authority:
        raise AnalyseUsageError(MSG_NEED_AUTHORITY)
    if out:
        inputs = [Path(return_file), *([own_file] if own_file is not None else [])]
        refuse_overwriting_inputs(Path(out), [*inputs, *(Path(f) for f in previous)])

    settings = run_settings(
        options, authority=authority, comparator=comparator, ages=ages, year=year,
        sheet=sheet, by=by, split_together=True,
    )
    if by and previous:
        from commissioning.analysis.trends import MSG_ANALYSIS_BY

        raise AnalyseUsageError(MSG_ANALYSIS_BY)
    if characteristic != "ethnicity":
        if by or previous or options.get("reference"):
            raise AnalyseUsageError(
                MSG_CHARACTERISTIC_OPTIONS.format(characteristic=characteristic))
        found = run_characteristic(return_file, settings, characteristic)
        found.require_check()
        main, split = found.characteristics[0], None
    else:
        found = run(return_file, settings, previous=previous, draft=False)
        main = found.require_analysis()
        split = found.splits[0] if found.splits else None
    result = split or main
    trend = None if by else found.trend  # a trend is of the ethnicity-only table
    provider_return = found.provider_return
    if publishable:
        _write_publishable(main, split, output_format, out, settings.analysis.threshold)
        return

    if output_format == "xlsx":
        target = cast(str, out)
        write_atomic(target, workbook_bytes(lambda buffer: write_xlsx(result, buffer)))
        say(MSG_WROTE.format(path=target))
        return
    if output_format == "csv":
        text = to_csv(result)
        for warning in result.warnings:
            say("Warning: " + warning, err=True)
    elif output_format == "json":
        from commissioning.render.trend_tables import json_with_trend

        text = to_json(
            result,
            return_name=Path(provider_return.path).name,
            return_sha256=provider_return.sha256,
        )
        text = text if trend is None else json_with_trend(text, trend)
    else:
        from commissioning.render.trend_tables import trend_text

        text = to_text(result) + ("" if trend is None else trend_text(trend))
    if out:
        write_atomic(out, text)
        say(MSG_WROTE.format(path=out))
    else:
        say(text, nl=False)


def _write_publishable(
    main: Any, split: Any, output_format: str, out: str | None, threshold: int
) -> None:
    from commissioning.render import publishable as pub

    frame, safe = pub.publishable(main, split, threshold=threshold)
    if output_format == "xlsx":
        target = cast(str, out)
        workbook = workbook_bytes(lambda buffer: pub.write_xlsx(frame, buffer, threshold))
        write_atomic(target, workbook)
        say(MSG_WROTE.format(path=target))
        return
    if output_format == "csv":
        text = pub.to_csv(frame, threshold)
    elif output_format == "json":
        text = pub.to_json(frame, safe)
    else:
        text = pub.to_text(frame, threshold)
    if out:
        write_atomic(out, text)
        say(MSG_WROTE.format(path=out))
    else:
        say(text, nl=False)
