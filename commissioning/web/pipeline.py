"""From an upload to everything the results page shows, using only library functions.

The same chain as the command line, `commissioning.pipeline.run`, then the renderers in
`commissioning.render` and the analysis workbook writer in
`commissioning.render.analysis_tables`. Nothing here computes a figure or words a
sentence; this module only calls those functions and packs their results for the page.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from werkzeug.exceptions import NotFound

from commissioning.analysis.compare import Analysis
from commissioning.analysis.settings import AnalysisSettings
from commissioning.checking.report import CheckReport
from commissioning.drafting.section import Heading, Paragraph, Section, Table
from commissioning.pipeline import RunSettings
from commissioning.returns.model import ProviderReturn
from commissioning.web import reports
from commissioning.web.forms import FormInput
from commissioning.web.uploads import Upload, read_upload, save_upload

#: Downloads made from an upload: kind -> (what the page calls it, media type).
KINDS: Final[dict[str, tuple[str, str]]] = {
    "docx": (
        "Word section (.docx)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "md": ("Markdown section (.md)", "text/markdown; charset=utf-8"),
    "xlsx": (
        "analysis workbook (.xlsx)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
XLSX_TYPE: Final = KINDS["xlsx"][1]
#: The officer's own decision report with the section put in (made only when one is uploaded).
REPORT_KIND: Final = "report"
REPORT_LABEL: Final = "decision report with the section (.docx)"
#: Everything the results page offers (the report only when one was uploaded).
ALL_KINDS: Final = (REPORT_KIND, *KINDS)
TEMPLATE_NAME: Final = "monitoring_return_template.xlsx"
TEMPLATE_LABEL: Final = "Blank monitoring return (.xlsx)"
#: The Section table shown as the page's findings table (named in templates/).
FINDINGS_TABLE: Final = "findings"

MSG_CANNOT_ANALYSE = (
    "This return cannot be analysed yet. The check below says what to ask the provider to fix."
)
MSG_NOTHING_TO_DOWNLOAD = (
    "This return cannot be analysed, so there is no section to download. Press 'Check the "
    "return and show the findings' to see what to ask the provider to fix."
)


@dataclass(frozen=True)
class Download:
    """One file offered for download, made in memory for this request only."""

    kind: str
    label: str
    filename: str
    mimetype: str
    content: bytes

    @property
    def data_uri(self) -> str:
        """The file as a ``data:`` link, so the page can offer it without keeping it."""
        media = self.mimetype.split(";", 1)[0]
        return f"data:{media};base64,{base64.b64encode(self.content).decode('ascii')}"


@dataclass(frozen=True)
class Results:
    """What the results page shows. ``section`` is None when the return cannot be analysed."""

    form: FormInput
    provider_return: ProviderReturn
    check: CheckReport
    check_text: str
    analysis: Analysis | None = None
    section: Section | None = None
    findings: Table | None = None
    chart_png: bytes | None = None
    chart_alt: str = ""
    section_html: str = ""
    downloads: tuple[Download, ...] = field(default=())
    previous_count: int = 0

    @property
    def can_analyse(self) -> bool:
        return self.section is not None

    @property
    def headline(self) -> tuple[str, ...]:
        """The drafted section's first part (its summary), paragraph by paragraph."""
        if self.section is None:
            return ()
        out: list[str] = []
        started = False
        for block in self.section.blocks:
            if isinstance(block, Heading) and block.level >= 2:
                if started:
                    break
                started = True
            elif started and isinstance(block, Paragraph):
                out.append(block.text)
        return tuple(out)

    @property
    def chart_uri(self) -> str:
        if self.chart_png is None:
            return ""
        return "data:image/png;base64," + base64.b64encode(self.chart_png).decode("ascii")

    def download(self, kind: str) -> Download:
        for item in self.downloads:
            if item.kind == kind:
                return item
        raise NotFound()


def check_kind(kind: str) -> None:
    """404 for a download kind the page does not offer."""
    if kind not in KINDS and kind != REPORT_KIND:
        raise NotFound()


def authority_choices() -> list[tuple[str, str]]:
    """(value, label) for the authority list: councils first, then regions and countries."""
    from commissioning.comparators import list_authorities
    from commissioning.comparators.sources import ETHNICITY_SOURCES

    table = list_authorities()
    years = table[[s for s in ETHNICITY_SOURCES if s in table.columns]]
    covered = (years != "").any(axis=1)
    table = table.loc[covered]
    councils = sorted(table.loc[table["level"] == "authority", "name"])
    wider = sorted(table.loc[table["level"] != "authority", "name"])
    names = [*councils, "Bi-Borough", *wider]
    return [(name, name) for name in dict.fromkeys(names)]


def _stem(name: str) -> str:
    return Path(name).stem or "return"


def settings_for(form: FormInput) -> RunSettings:
    """The run settings a form asks for: the same defaults as the command line."""
    return RunSettings(
        authority=form.authority,
        comparator=form.comparator,
        ages=form.ages,
        sheet=form.sheet,
        as_of=form.as_of,
        analysis=AnalysisSettings(level=form.level),
        service=form.service,
        provider=form.provider,
        period=form.period,
        service_kind=form.service_kind,
        by=form.by,
        characteristics=form.characteristics,
    )


def _render(kind: str, section: Section, analysis: Analysis, folder: Path) -> bytes:
    if kind == "docx":
        from commissioning.render.docx import render_docx

        return render_docx(section)
    if kind == "md":
        from commissioning.render.markdown import render_markdown

        return render_markdown(section).encode("utf-8")
    from commissioning.render.analysis_tables import write_xlsx

    target = folder / "analysis.xlsx"
    write_xlsx(analysis, target)
    return target.read_bytes()


def run(
    form: FormInput,
    upload: Upload,
    previous: Sequence[Upload],
    folder: Path,
    *,
    kinds: Sequence[str] = ALL_KINDS,
    report: Upload | None = None,
) -> Results:
    """Read, check, analyse, draft and render one upload (plus earlier periods); with a
    decision ``report``, also that report with the section put in (checked first, so a
    report that cannot be used fails before the return is read)."""
    from commissioning.checking.report import render_text
    from commissioning.pipeline import run as run_pipeline
    from commissioning.render.chart import render_chart_png
    from commissioning.render.html import render_html

    report_path = None
    if report is not None:
        report_path = reports.save_report(report, folder)
        reports.check_report(report_path)
    ret = read_upload(upload, folder, index=0, sheet=form.sheet, as_of=form.as_of)
    found = run_pipeline(
        ret,
        settings_for(form),
        previous=[save_upload(item, folder, index=i) for i, item in enumerate(previous, 1)],
    )
    check = found.check
    base = Results(form=form, provider_return=ret, check=check, check_text=render_text(check))
    if found.section is None:
        return base
    # With no ethnicity the section is about sex and age: its workbook is the first of those.
    section = found.section
    analysis = found.analysis or found.characteristics[0]
    pngs = {id(c.spec): render_chart_png(c.spec) for c in section.charts()}
    chart = section.chart()
    png = pngs[id(chart.spec)] if chart is not None else None
    html = render_html(section, chart_png=lambda c: pngs[id(c.spec)])
    findings = next((t for t in section.tables() if t.name == FINDINGS_TABLE), None)
    stem = _stem(ret.path)
    downloads: tuple[Download, ...] = ()
    if report_path is not None and REPORT_KIND in kinds:
        downloads += (_report_download(section, report_path, folder, form.section_number),)
    downloads += tuple(
        Download(
            kind=kind,
            label=KINDS[kind][0],
            filename=f"{stem}_{'analysis' if kind == 'xlsx' else 'section'}.{kind}",
            mimetype=KINDS[kind][1],
            content=_render(kind, section, analysis, folder),
        )
        for kind in kinds
        if kind != REPORT_KIND
    )
    return Results(
        form=form,
        provider_return=ret,
        check=check,
        check_text=base.check_text,
        analysis=analysis,
        section=section,
        findings=findings,
        chart_png=png,
        chart_alt=chart.alt if chart is not None else "",
        section_html=html,
        downloads=downloads,
        previous_count=len(found.previous),
    )


def _report_download(
    section: Section, report: Path, folder: Path, number: int | None = None
) -> Download:
    content = reports.insert_section(
        section, report, folder / "report_with_section.docx", number=number
    )
    return Download(
        kind=REPORT_KIND,
        label=REPORT_LABEL,
        filename=reports.report_filename(report),
        mimetype=KINDS["docx"][1],
        content=content,
    )


def blank_template() -> Download:
    """The providers' blank monitoring return, built by the library for this request."""
    from commissioning.render.provider_template import build_template

    buffer = io.BytesIO()
    build_template().save(buffer)
    return Download(
        kind="template",
        label=TEMPLATE_LABEL,
        filename=TEMPLATE_NAME,
        mimetype=XLSX_TYPE,
        content=buffer.getvalue(),
    )
