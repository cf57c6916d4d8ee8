"""`commissioning template`: write the blank monitoring return workbook for providers."""

from __future__ import annotations

from pathlib import Path

import click

from commissioning.cli.say import say
from commissioning.errors import OutputError
from commissioning.render.provider_template import write_template

DEFAULT_OUT = "monitoring_return_template.xlsx"
MSG_EXISTS = (
    "{path} already exists. Choose another name with --out, or add --force to replace it."
)
MSG_WRITTEN = (
    "Wrote {path}. Send it to providers: it has instructions, a records sheet and a "
    "counts sheet."
)
MSG_NOT_XLSX = "The template is an Excel workbook: give --out a name ending in .xlsx."


@click.command("template")
@click.option(
    "--out",
    metavar="FILE.xlsx",
    default=DEFAULT_OUT,
    show_default=True,
    help="Where to write the workbook.",
)
@click.option("--force", is_flag=True, help="Replace the file if it already exists.")
def command(out: str, force: bool) -> None:
    """Write the standard monitoring return for providers to fill in: instructions, a
    sheet with one row per person, and a sheet of counts, with dropdown lists for
    ethnic group, gender and age band."""
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(MSG_NOT_XLSX)
    if path.exists() and not force:
        raise OutputError(MSG_EXISTS.format(path=out))
    write_template(path)
    say(MSG_WRITTEN.format(path=out))
