"""`commissioning check RETURN`: is a provider's return usable, and what should they fix?

Exit 0 when the return can be analysed (warnings allowed), 1 when it cannot, 2 when the
file cannot be read or the command is used wrongly.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from commissioning.cli._common import read_ahead, return_argument, sheet_option
from commissioning.cli.say import say
from commissioning.model.dates import parse_typed_date

MSG_BAD_DATE = "'{value}' is not a date. Give it as dd/mm/yyyy, for example 30/06/2024."


def parse_date(value: str) -> dt.date:
    """A date typed by a person (see `commissioning.model.dates`), or click's usage error."""
    try:
        return parse_typed_date(value)
    except ValueError as exc:
        raise click.BadParameter(MSG_BAD_DATE.format(value=value.strip()[:40])) from exc


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    return None if value is None else parse_date(value)


@click.command("check")
@return_argument
@sheet_option
@click.option(
    "--as-of",
    metavar="DATE",
    callback=_as_of,
    help="Work out ages from dates of birth on this date (dd/mm/yyyy); "
    "normally the last day of the monitoring period.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A short report to read, or JSON for other programs.",
)
def command(
    return_file: str, sheet: str | None, as_of: dt.date | None, output_format: str
) -> None:
    """Check a provider's monitoring return: what was found, what is missing, and what
    to ask the provider to fix.

    Exit code 0: the return can be analysed (there may be warnings). 1: it cannot.
    2: the file could not be read.
    """
    read_ahead(return_file)  # the parse starts now, on the other core, while pandas imports

    from commissioning.checking.report import build_check, render_text
    from commissioning.returns.read import read_return

    provider_return = read_return(return_file, sheet=sheet, as_of=as_of)
    report = build_check(provider_return)
    if output_format == "json":
        say(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        say(render_text(report), nl=False)
    raise click.exceptions.Exit(report.exit_code)
