"""`commissioning authorities`: which places and years each comparator source covers.

A commissioner uses it to find how to name their authority and which comparator years
exist before running an analysis. Plain tables by default; ``--format csv|json`` for
spreadsheets and scripts (stable column names, see docs/cli.md).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from typing import Final

import click
import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from commissioning.cli.say import say
from commissioning.comparators.authorities import (
    closest_names,
    list_authorities,
)
from commissioning.comparators.embedded import source_key
from commissioning.comparators.sources import DEFAULT_SOURCE, SOURCES
from commissioning.errors import ComparatorError

MSG_UNKNOWN_LIST_SOURCE: Final = (
    'There is no source called "{source}". Choose one of: census2021, census2011, '
    "school-census, fsm, cla, mye2022, mye2021, mye2024, census2021-age, child-population; "
    "or leave out --source to see them all."
)
MSG_PLACES: Final = "{n} places."
MSG_ONE_PLACE: Final = "1 place."
MSG_NO_MATCH: Final = 'No place matches "{search}". Did you mean: {matches}?'
MSG_NO_MATCH_AT_ALL: Final = (
    'No place matches "{search}". Try part of the name, such as "westmin", or an ONS code.'
)
MSG_BI_BOROUGH: Final = (
    "Bi-Borough means Westminster and Kensington and Chelsea added together; use "
    '--authority "Bi-Borough".'
)
MSG_DEFAULT: Final = (
    "Default comparator for children's services: {source}, latest year (Census 2021 where "
    "there is no school census). Choose another with --source."
)
MSG_HOW_TO: Final = (
    'Name an authority by name or code, e.g. --authority "Westminster" or --authority '
    "E09000033. Run 'commissioning authorities --source SOURCE' to see one source."
)
SOURCE_HEADINGS: Final[dict[str, str]] = {
    "census2021": "Census 2021",
    "census2011": "Census 2011",
    "school-census": "School census",
    "fsm": "Free school meals",
    "child-population": "Children 0-17 (totals)",
    "cla": "Looked after",
    "mye2021": "Mid-2021",
    "mye2022": "Mid-2022",
    "mye2024": "Mid-2024",
    "census2021-age": "Census 2021 ages",
}
BI_BOROUGH_NAMES: Final = ("Westminster", "Kensington and Chelsea")
WIDE: Final = 320  # when writing to a file or pipe: never wrap or cut a column
LEVEL_NAMES: Final = {"country": "Country", "region": "Region", "authority": "Council"}
_LIST_SOURCES: Final = {"childpopulation": "child-population", "midyear": "child-population"}


def _year_span(years: str) -> str:
    """"2015/16, 2016/17, ..., 2021/22" -> "2015/16 to 2021/22"; gaps are listed."""
    items = [y for y in years.split(", ") if y]
    if len(items) <= 2:
        return ", ".join(items)
    starts = [int(y[:4]) for y in items]
    if starts == list(range(starts[0], starts[0] + len(starts))):
        return f"{items[0]} to {items[-1]}"
    return ", ".join(items)


def _source(value: str | None) -> str | None:
    if value is None:
        return None
    compact = re.sub(r"[^0-9a-z]+", "", value.lower())
    if compact in _LIST_SOURCES:
        return _LIST_SOURCES[compact]
    try:
        return source_key(value)
    except ComparatorError:
        shown = value[:30].replace('"', "'")
        raise ComparatorError(MSG_UNKNOWN_LIST_SOURCE.format(source=shown)) from None


def _sources_frame() -> pd.DataFrame:
    from commissioning.comparators.store import manifest

    meta = manifest()["sources"]
    rows = []
    for key, spec in SOURCES.items():
        years = ", ".join(meta[key]["years"])
        rows.append(
            {
                "source": key,
                "title": spec.title,
                "counts": spec.what,
                "years": years,
                "publisher": spec.publisher,
                "table_id": spec.table_id,
                "default": key == DEFAULT_SOURCE,
            }
        )
    return pd.DataFrame(rows)


def _echo_table(console: Console, frame: pd.DataFrame, source: str | None) -> None:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Name", no_wrap=True)
    table.add_column("Type", no_wrap=True)
    table.add_column("ONS code", no_wrap=True)
    table.add_column("DfE code", no_wrap=True)
    shown = [source] if source else [k for k in SOURCES if k != "child-population"]
    for key in shown:
        table.add_column(SOURCE_HEADINGS[key], no_wrap=source is None)
    for row in frame.astype(str).to_dict(orient="records"):
        cells = [row["name"], LEVEL_NAMES[row["level"]], row["codes"], row["old_la_codes"]]
        cells += [_year_span(row[k]) or "-" for k in shown]
        table.add_row(*cells)
    console.print(table)


def _as_list(text: str) -> list[str]:
    return [item for item in str(text).split(", ") if item]


@click.command("authorities")
@click.option(
    "--source",
    "-s",
    metavar="SOURCE",
    help="Only places this source covers: census2021, census2011, school-census, fsm, cla, "
    "mye2022, mye2021, mye2024, census2021-age, child-population.",
)
@click.option("--search", metavar="TEXT", help='Only places whose name or code contains TEXT.')
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"], case_sensitive=False),
    default="table",
    show_default=True,
    help="table for reading; csv or json for spreadsheets and scripts.",
)
def command(source: str | None, search: str | None, output_format: str) -> None:
    """List the local authorities, regions and countries with comparator figures, with
    their codes and the years each source has.

    Without --source, also lists the sources themselves.
    """
    key = _source(source)
    frame = list_authorities(key, search)
    output_format = output_format.lower()
    if output_format == "csv":
        say(frame.to_csv(index=False, lineterminator="\n"), nl=False)
        return
    if output_format == "json":
        listed = ["codes", "old_la_codes", *SOURCES]
        places = frame.assign(**{c: frame[c].map(_as_list) for c in listed})
        sources = _sources_frame().assign(years=lambda f: f["years"].map(_as_list))
        body = {
            "sources": sources.to_dict(orient="records"),
            "authorities": places.to_dict(orient="records"),
        }
        say(json.dumps(body, indent=2, ensure_ascii=False))
        return
    stdout = sys.stdout
    width = shutil.get_terminal_size((80, 24)).columns if stdout.isatty() else WIDE
    console = Console(file=stdout, width=width, highlight=False, soft_wrap=False)
    if key is None and not search:
        _echo_sources(console)
    if frame.empty:
        matches = closest_names(search or "")
        message = (
            MSG_NO_MATCH.format(search=search, matches=", ".join(matches))
            if matches
            else MSG_NO_MATCH_AT_ALL.format(search=search)
        )
        say(message)
        return
    _echo_table(console, frame, key)
    say((MSG_ONE_PLACE if len(frame) == 1 else MSG_PLACES).format(n=len(frame)))
    if frame["name"].isin(BI_BOROUGH_NAMES).any():
        say(MSG_BI_BOROUGH)
    say(MSG_HOW_TO)


def _echo_sources(console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=None)
    table.add_column("Source", no_wrap=True)
    table.add_column("What it counts")
    table.add_column("Years")
    for row in _sources_frame().to_dict(orient="records"):
        marker = " (default)" if row["default"] else ""
        table.add_row(str(row["source"]) + marker, str(row["counts"]), _year_span(row["years"]))
    console.print(table)
    say(MSG_DEFAULT.format(source=DEFAULT_SOURCE))
    say("")

