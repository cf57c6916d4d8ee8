"""Pieces shared by the command modules (arguments and options).

An option that several commands take is defined once here, so that its name, choices and
checks stay the same everywhere; a command may give its own help text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from commissioning.errors import AnalysisError

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
    default=None,
    help="5 major groups or the 19 detailed Census 2021 groups. Default: major.",
)


def by_option(help_text: str) -> Callable[[F], F]:
    """``--by sex|age_band``, repeatable (the comparator must have the breakdown)."""
    return click.option(
        "--by", "by", type=click.Choice(["sex", "age_band"]), multiple=True, help=help_text
    )


CHARACTERISTIC_HELP = (
    "Compare by sex or by age band in their own right, against the ONS mid-2022 estimates "
    "(a \"Sex and age\" part). Default: both, when the return records them. Give it once "
    "for one of them, or 'none' to leave the part out."
)
MSG_NONE_WITH_OTHERS = (
    "--characteristic none leaves the sex and age part out, so it cannot be given with "
    "sex or age_band. Give 'none' alone, or only the ones to compare."
)


def characteristic_option(help_text: str = CHARACTERISTIC_HELP) -> Callable[[F], F]:
    """``--characteristic sex|age_band|none``, repeatable (see `characteristics_asked`)."""
    return click.option(
        "--characteristic", "characteristics", multiple=True,
        type=click.Choice(["sex", "age_band", "none"]), help=help_text,
    )


def characteristics_asked(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """The `RunSettings.characteristics` the option asks for: None when not given (every
    one the return records), () for 'none'."""
    if not values:
        return None
    if "none" in values:
        if len(set(values)) > 1:
            raise AnalysisError(MSG_NONE_WITH_OTHERS)
        return ()
    return values


def persistence_option(help_text: str) -> Callable[[F], F]:
    """``--persistence N``: the IDEA-style rule, flag a group over-represented in each of
    the latest N periods (default 3)."""
    return click.option(
        "--persistence",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help=help_text + " Default: 3.",
    )


#: The analysis options `analyse`, `draft` and `batch` share; each becomes the
#: `AnalysisSettings` field of the same name. Defaults are None: "the settings' default"
#: (the help texts state them; a test keeps them equal to `AnalysisSettings`).
ANALYSIS_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    level_option,
    click.option(
        "--mode",
        type=click.Choice(list(MODE_CHOICES)),
        default=None,
        help="fixed: a census; independent: another sample (e.g. last year's return); "
        "nested: the service is part of the comparator (e.g. plans out of "
        "referrals). Default: what the comparator suggests (for your own file: its "
        "mode column, else fixed when it counts at least 20 times as many people).",
    ),
    click.option(
        "--reference",
        metavar="GROUP",
        help='Also give each group\'s rate ratio against this group, e.g. "White".',
    ),
    click.option(
        "--adjust",
        type=click.Choice(["holm", "fdr_bh", "none"]),
        default=None,
        help="Adjustment for testing several groups at once. Default: holm.",
    ),
    persistence_option(
        "With several periods: flag a group over-represented in each of the latest N."
    ),
    click.option(
        "--threshold",
        type=click.IntRange(min=2),
        default=None,
        help="Counts below this are hidden as 'fewer than N'. Default: 5.",
    ),
    click.option(
        "--allow-missing-groups",
        is_flag=True,
        default=None,
        help="Use a comparator file that has no figure for a group the service has "
        "people in; the section then says which groups could not be compared. "
        "Default: refuse.",
    ),
)
ANALYSIS_OPTION_NAMES = (
    "level", "mode", "reference", "adjust", "persistence", "threshold", "allow_missing_groups",
)


def analysis_options(function: F) -> F:
    """Add every shared analysis option (`ANALYSIS_OPTIONS`) to a command."""
    for option in reversed(ANALYSIS_OPTIONS):
        function = option(function)
    return function


def run_settings(options: dict[str, Any], **fields: Any) -> Any:
    """A `commissioning.pipeline.RunSettings` from a command's options: the analysis
    options (None = the default) and the other fields given by name."""
    from commissioning.analysis.settings import AnalysisSettings
    from commissioning.pipeline import RunSettings

    analysis = AnalysisSettings().replace(
        **{name: options.get(name) for name in ANALYSIS_OPTION_NAMES}
    )
    return RunSettings(analysis=analysis, **fields)


def read_ahead(return_file: str) -> None:
    """Start parsing the return now (`commissioning.loading.readahead`), in the limited
    reader child, while the command imports the rest; a child the command does not use
    (it stopped early) is stopped when the command ends."""
    from commissioning.loading import readahead

    if readahead.read_ahead(return_file):
        click.get_current_context().call_on_close(readahead.cancel_all)
