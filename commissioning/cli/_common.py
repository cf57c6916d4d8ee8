"""Pieces shared by the command modules (arguments and options).

An option that several commands take is defined once here, so that its name, choices and
checks stay the same everywhere; a command may give its own help text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

authority_option = click.option(
    "--authority",
    "-a",
    required=True,
    metavar="NAME",
    help='Local authority, by name or code: "Westminster", "E09000033", "Bi-Borough".',
)

#: The provider's return. Folders are let through so that the loader's own one-line
#: message ("... is a folder, not a file. Give the path of the return file itself.")
#: reaches the user, the same for every command, instead of click's wording.
return_argument = click.argument(
    "return_file", metavar="RETURN", type=click.Path(dir_okay=True)
)

#: The --mode choices: `commissioning.analysis.compare.MODES`, written out so that loading the
#: command line does not import the statistics (a test keeps the two equal).
MODE_CHOICES = ("fixed", "independent", "nested")

COMPARATOR_HELP = (
    "Comparator source (census2021, census2011, school-census, fsm; run "
    "'commissioning authorities') or your own comparator file. Default: the usual one "
    "for the authority."
)


def comparator_option(help_text: str = COMPARATOR_HELP) -> Callable[[F], F]:
    """``--comparator SOURCE_OR_FILE`` (see `commissioning.comparators.load_comparator`)."""
    return click.option("--comparator", metavar="SOURCE_OR_FILE", help=help_text)


ages_option = click.option(
    "--ages", metavar="RANGE", help="Ages of the comparator, for example 0-17."
)
year_option = click.option(
    "--year", metavar="YEAR", help="Year of the comparator, for example 2021/22."
)
sheet_option = click.option(
    "--sheet", metavar="NAME", help="The sheet to read, when the return has several."
)
level_option = click.option(
    "--level",
    type=click.Choice(["major", "detailed"]),
    default="major",
    show_default=True,
    help="5 major groups or the 19 detailed Census 2021 groups.",
)


def by_option(help_text: str) -> Callable[[F], F]:
    """``--by sex|age_band``, repeatable (the comparator must have the breakdown)."""
    return click.option(
        "--by", "by", type=click.Choice(["sex", "age_band"]), multiple=True, help=help_text
    )


def persistence_option(help_text: str) -> Callable[[F], F]:
    """``--persistence N``: the IDEA-style rule, flag a group over-represented in each of
    the latest N periods (default 3)."""
    return click.option(
        "--persistence",
        type=click.IntRange(min=1),
        default=3,
        show_default=True,
        metavar="N",
        help=help_text,
    )
