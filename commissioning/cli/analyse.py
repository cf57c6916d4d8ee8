"""`commissioning analyse RETURN`: who did the service reach, compared with the population?

Reads the return, takes the comparator (an embedded source for the authority, or a file),
runs `commissioning.analysis.compare.analyse` and writes the table as text, csv, JSON or xlsx.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

import click

from commissioning.cli._common import (
    MODE_CHOICES,
    ages_option,
    by_option,
    comparator_option,
    level_option,
    persistence_option,
    return_argument,
    sheet_option,
    year_option,
)
from commissioning.errors import CommissioningError
from commissioning.outputs import refuse_overwriting_inputs, write_atomic

if TYPE_CHECKING:
    from commissioning.analysis.compare import Analysis
    from commissioning.returns.model import ProviderReturn

MSG_NEED_AUTHORITY: Final = (
    "Say which local authority to compare with, for example --authority Westminster, or "
    "give your own comparator file with --comparator FILE."
)
MSG_XLSX_NEEDS_OUT: Final = (
    "An Excel workbook cannot be shown on screen. Add --out with a file name ending .xlsx."
)
MSG_WROTE: Final = "Wrote {path}."


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
@level_option
@by_option(
    "Compare within each sex or age band (the comparator must have it). "
    "Give it twice for both."
)
@click.option(
    "--mode",
    type=click.Choice(list(MODE_CHOICES)),
    default=None,
    help="fixed: a census; independent: another sample (e.g. last year's return); "
    "nested: the service is part of the comparator (e.g. plans out of "
    "referrals). Default: what the comparator suggests.",
)
@click.option(
    "--reference",
    metavar="GROUP",
    help='Also give each group\'s rate ratio against this group, e.g. "White".',
)
@click.option(
    "--adjust",
    type=click.Choice(["holm", "fdr_bh", "none"]),
    default="holm",
    show_default=True,
    help="Adjustment for testing several groups at once.",
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
@persistence_option(
    "With several periods: flag a group over-represented in each of the latest N."
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
def command(
    return_file: str,
    authority: str | None,
    comparator: str | None,
    ages: str | None,
    year: str | None,
    sheet: str | None,
    level: str,
    by: tuple[str, ...],
    mode: str | None,
    reference: str | None,
    adjust: str,
    output_format: str,
    out: str | None,
    previous: tuple[str, ...] = (),
    persistence: int = 3,
) -> None:
    """Compare who a provider's return reached with the local population: Relative Rate
    Index, interval, exact test and band for each ethnic group.

    Exit code 0: done. 2: a file could not be read or the options do not fit together.
    """
    from commissioning.analysis.compare import (
        Adjustment,
        ByDimension,
        Level,
        Mode,
        analyse,
        suggested_mode,
    )
    from commissioning.comparators import comparator_file, load_comparator
    from commissioning.render.analysis_tables import to_csv, to_json, to_text, write_xlsx
    from commissioning.returns import read_return

    if output_format == "xlsx" and not out:
        raise AnalyseUsageError(MSG_XLSX_NEEDS_OUT)
    own_file = comparator_file(comparator)
    if own_file is None and not authority:
        raise AnalyseUsageError(MSG_NEED_AUTHORITY)
    if out:
        inputs = [Path(return_file), *([own_file] if own_file is not None else [])]
        refuse_overwriting_inputs(Path(out), [*inputs, *(Path(f) for f in previous)])

    provider_return = read_return(return_file, sheet=sheet)
    comp = load_comparator(authority, comparator, ages=ages, year=year)
    chosen = mode or suggested_mode(comp.info)

    def analyse_one(ret: ProviderReturn) -> Analysis:  # this return and every earlier one
        return analyse(
            ret.counts,
            comp,
            level=cast(Level, level),
            by=cast(tuple[ByDimension, ...], by) or None,
            mode=cast(Mode, chosen),
            reference=reference,
            adjust=cast(Adjustment, adjust),
        )

    result = analyse_one(provider_return)
    from commissioning.analysis.trends import TrendOptions, history, json_with_trend, trend_text

    trend = history(
        provider_return,
        result,
        previous,
        analyse_one,
        comp.counts,
        options=TrendOptions(persistence=persistence),
    ).trend

    if output_format == "xlsx":
        target = cast(str, out)
        write_atomic(target, lambda tmp: write_xlsx(result, tmp))
        click.echo(MSG_WROTE.format(path=target))
        return
    if output_format == "csv":
        text = to_csv(result)
        for warning in result.warnings:
            click.echo("Warning: " + warning, err=True)
    elif output_format == "json":
        text = to_json(
            result,
            return_name=Path(provider_return.path).name,
            return_sha256=provider_return.sha256,
        )
        text = text if trend is None else json_with_trend(text, trend)
    else:
        text = to_text(result) + ("" if trend is None else trend_text(trend))
    if out:
        write_atomic(out, text)
        click.echo(MSG_WROTE.format(path=out))
    else:
        click.echo(text, nl=False)
