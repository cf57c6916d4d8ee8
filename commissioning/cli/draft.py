"""`commissioning draft RETURN`: write the Disproportionality Implications section.

Reads the return, compares it with the authority's population (or a comparator file),
drafts the section and writes it as Word, Markdown or HTML, or inserts it into a copy
of an existing decision report with --into.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final, cast

import click

from commissioning.cli._common import (
    ages_option,
    analysis_options,
    by_option,
    characteristic_option,
    characteristics_asked,
    comparator_option,
    read_ahead,
    return_argument,
    run_settings,
    sheet_option,
    year_option,
)
from commissioning.cli.say import say
from commissioning.errors import CommissioningError
from commissioning.outputs import protecting, refuse_overwriting_inputs

MSG_WROTE: Final = "Wrote {path}."
MSG_NOTE: Final = "Note for the author: {note}"
MSG_AUDIT: Final = (
    "Wrote the internal audit record {path} (not for publication: keep it with the papers)."
)
MSG_BAD_SUFFIX: Final = (
    "The output file must end in .docx, .md, .html or .pdf (it ends '{suffix}'). "
    "Choose one of those with --out."
)
MSG_EXISTS: Final = (
    "{path} already exists. Choose another name with --out, or add --force to replace it."
)
MSG_INTO_NOT_DOCX: Final = (
    "--into needs a Word report saved as .docx. Save the report as .docx and try again."
)
MSG_INTO_OUT_NOT_DOCX: Final = (
    "With --into the output is a Word report, so --out must end in .docx."
)
MSG_INTO_MISSING: Final = "The report {name} was not found. Check the file name given to --into."
MSG_NUMBER_NEEDS_INTO: Final = (
    "--number sets the section's number in a decision report, so it needs --into "
    "REPORT.docx. Add --into, or leave --number out."
)
MSG_RENUMBERED: Final = (
    "Renumbered the report's later sections to follow section {number}: {changes}. Check "
    "any references to them in the report's own text."
)
MSG_DEFAULT_INTO_OUT: Final = "{stem} with Disproportionality Implications.docx"
#: = `commissioning.render.write.SECTION_SUFFIXES`, written out so that loading the command
#: line does not import the renderers (a test keeps the two equal).
SUFFIXES: Final = (".docx", ".md", ".html", ".htm", ".pdf")


class DraftUsageError(CommissioningError):
    """The draft command was asked for something it cannot do."""


@click.command("draft")
@return_argument
@click.option("--authority", "-a", required=True, metavar="NAME",
              help='Local authority, by name or code: "Westminster", "E09000033", '
                   '"Bi-Borough". Sets the comparator and the council\'s own wording.')
@click.option("--service", required=True, metavar="NAME",
              help='The service, as the report should name it: "Holiday Activities and Food".')
@click.option("--service-kind", type=click.Choice(["reach", "intervention"]), default=None,
              help="What the service is for: 'reach' (people should be able to reach it, "
                   "so under-representation is the concern) or 'intervention' (it steps into "
                   "people's lives, so over-representation is). Default: matched from the "
                   "service's name (templates/service_profiles.json).")
@click.option("--provider", metavar="NAME", help="The provider that runs the service.")
@click.option("--period", metavar="TEXT", help='The monitoring period, e.g. "2024-25 Q2".')
@comparator_option()
@ages_option
@year_option
@sheet_option
@analysis_options
@click.option("--previous", "previous", multiple=True, type=click.Path(dir_okay=False),
              metavar="FILE", help="An earlier return of the same service, to say how each "
              "group's RRI has moved. Give it once per period, earliest first.")
@by_option("Also show each ethnic group by sex or by age band (a short part and a "
           "two-way table under the findings). Give it twice for both. The "
           "comparator must have that breakdown, e.g. --comparator census2011 "
           "--ages 0-17.")
@characteristic_option()
@click.option("--template", "template", type=click.Path(), metavar="FOLDER",
              help="A folder with your own copies of the wording templates.")
@click.option("--actions", type=click.Path(dir_okay=False), metavar="FILE",
              help="Your own action library (JSON, like templates/draft_actions.json).")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write to this file: .docx, .md, .html or .pdf (PDF needs LibreOffice). "
                   "Without --out, Markdown is printed.")
@click.option("--force", is_flag=True, help="Replace the --out file if it already exists.")
@click.option("--into", type=click.Path(dir_okay=False), metavar="REPORT.docx",
              help="Insert the section into a copy of this decision report, at its "
                   "{{ disproportionality_implications }} paragraph or under its "
                   "Disproportionality Implications heading. The report is not changed.")
@click.option("--number", metavar="N",
              help="With --into: number the section N (1 to 99; its parts N.1, N.2, ...) "
                   "instead of following the report's numbering. The report's later "
                   "typed section numbers are moved on to follow it.")
def command(return_file: str, authority: str, service: str, provider: str | None,
            period: str | None, comparator: str | None, ages: str | None, year: str | None,
            sheet: str | None, previous: tuple[str, ...], by: tuple[str, ...],
            template: str | None, actions: str | None, out: str | None, force: bool,
            into: str | None, service_kind: str | None = None,
            characteristics: tuple[str, ...] = (), number: str | None = None,
            **options: Any) -> None:
    """Draft the "Disproportionality Implications" section of a decision report from a
    provider's return: summary, comparison, findings table and chart, data quality,
    actions, and an appendix with sources and an audit trail. Small numbers are hidden.

    Takes the same analysis options as `analyse`, so both run the same tests.

    Exit code 0: written. 2: a file could not be read or the options do not fit together.
    """
    read_ahead(return_file)  # the parse starts now, on the other core, while scipy imports

    from commissioning.comparators import comparator_file

    inputs = [Path(return_file)]
    target = _target(out, into)
    chosen = _section_number(number, into)
    own_file = comparator_file(comparator)
    if own_file is not None:
        inputs.append(own_file)
    if into:
        inputs.append(Path(into))
    for extra in (template, actions, *previous):
        if extra:
            inputs.append(Path(extra))
    if target is not None:
        refuse_overwriting_inputs(target, inputs)
        if target.exists() and not force:
            raise DraftUsageError(MSG_EXISTS.format(path=target))

    from commissioning.pipeline import run

    settings = run_settings(
        options, authority=authority, comparator=comparator, ages=ages, year=year,
        sheet=sheet, by=by, service=service, provider=provider, period=period,
        template=template, actions=actions, service_kind=service_kind,
        characteristics=characteristics_asked(characteristics),
    )
    section = run(return_file, settings, previous=previous).require_section()

    renumbered: tuple[tuple[str, str], ...] = ()
    if into:
        from commissioning.render.audit_record import write_audit_record
        from commissioning.render.insert import insert_report

        renumbered = insert_report(section, Path(into), cast(Path, target),
                                   number=chosen).renumbered
        write_audit_record(section, cast(Path, target))
    elif target is None:
        from commissioning.render.markdown import render_markdown

        say(render_markdown(section), nl=False)
        return
    else:
        from commissioning.render.write import write_section

        with protecting(inputs):  # the chart beside a .md file is checked too
            write_section(section, target)
    say(MSG_WROTE.format(path=target))
    say(MSG_AUDIT.format(path=audit_path(cast(Path, target))))
    for note in section.author_notes:  # for the officer, never in the published text
        say(MSG_NOTE.format(note=note))
    if renumbered:
        changes = ", ".join(f"{old} is now {new}" for old, new in renumbered)
        say(MSG_RENUMBERED.format(number=chosen, changes=changes))


def _section_number(number: str | None, into: str | None) -> int | None:
    """The section number asked for with --number, checked before anything is read."""
    if number is None:
        return None
    if not into:
        raise DraftUsageError(MSG_NUMBER_NEEDS_INTO)
    from commissioning.render.sectionnumber import parse_section_number

    return parse_section_number(number)


def audit_path(target: Path) -> Path:
    """= `commissioning.render.audit_record.audit_path` (no renderer import at start-up)."""
    return target.with_name(f"{target.stem}.audit.json")


def _target(out: str | None, into: str | None) -> Path | None:
    if into:
        report = Path(into)
        if report.suffix.lower() != ".docx":
            raise DraftUsageError(MSG_INTO_NOT_DOCX)
        if not report.is_file():
            raise DraftUsageError(MSG_INTO_MISSING.format(name=report.name))
        if out is None:
            return report.with_name(MSG_DEFAULT_INTO_OUT.format(stem=report.stem))
        if Path(out).suffix.lower() != ".docx":
            raise DraftUsageError(MSG_INTO_OUT_NOT_DOCX)
        return Path(out)
    if out is None:
        return None
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise DraftUsageError(MSG_BAD_SUFFIX.format(suffix=suffix or "with no type"))
    return Path(out)
