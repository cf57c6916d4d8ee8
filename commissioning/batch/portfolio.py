"""The portfolio workbook: one row per commissioned service, for the commissioning board.

Sheets: "Services" (one row each, with conditional formatting), "Ranking" (services in
order of concern), "Failed returns" (what could not be read, and why) and "About"
(authority, comparator, parameters, sources). Text that came from file or folder names
is always stored as text, never as a formula.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from commissioning.model.sanitise import strip_control_characters
from commissioning.outputs import workbook_bytes, write_atomic
from commissioning.render.marking import mark_workbook

SERVICES_SHEET: Final = "Services"
RANKING_SHEET: Final = "Ranking"
FAILED_SHEET: Final = "Failed returns"
ABOUT_SHEET: Final = "About"

#: Header of the Services sheet, in order (stable: councils build on it).
SERVICE_HEADERS: Final = (
    "Service",
    "Returns",
    "Failed returns",
    "Latest period",
    "People",
    "Ethnicity known",
    "Concerns",
    "Highest RRI",
    "Group with highest RRI",
    "Trend",
    "Persistently over-represented",
    "Status",
    "Note",
)
RANKING_HEADERS: Final = (
    "Rank",
    "Service",
    "Concerns",
    "Persistently over-represented",
    "Highest RRI",
    "Group with highest RRI",
    "Ethnicity known",
)
FAILED_HEADERS: Final = ("Service", "File", "Problem")

STATUS_OK: Final = "ok"
NOTE_UNRELIABLE: Final = (
    "Too many people have no recorded ethnicity to rely on the figures; concerns not counted."
)
NOTE_TOO_SMALL: Final = "Too few people to judge; concerns not counted."
NOTE_NO_ETHNICITY: Final = (
    "No ethnicity in this return, so it was compared by {compared} only; no ethnicity "
    "concerns are counted. Ask the provider to record each person's ethnic group."
)
STATUS_SOME_FAILED: Final = "{failed} of {total} returns could not be read"
STATUS_FAILED: Final = "no return could be read"
NOTE_RANKING: Final = (
    "Services are ranked by the number of concerns (groups significantly over- or "
    "under-represented in the latest period), then by groups persistently over-represented, "
    "then by the highest RRI, then by lowest ethnicity completeness."
)

_RED = PatternFill(start_color="F4CCCC", end_color="F4CCCC", fill_type="solid")
_AMBER = PatternFill(start_color="FCE5CD", end_color="FCE5CD", fill_type="solid")
_GREEN = PatternFill(start_color="D9EAD3", end_color="D9EAD3", fill_type="solid")
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Failure:
    """A return that could not be processed: file name (no folders) and the one-line
    plain-English problem."""

    service: str
    file: str
    problem: str
    detail: str = ""  # for support: the type of an unexpected error, never its message


@dataclass(frozen=True)
class ServiceSummary:
    """One row of the portfolio. ``None`` where nothing could be worked out."""

    service: str
    returns: int
    failed: int
    latest_period: str = ""
    people: int | None = None
    completeness: float | None = None  # share of people with a known ethnicity
    concerns: int | None = None
    highest_rri: float | None = None
    highest_group: str = ""
    trend: str = ""
    persistent: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    note: str = ""  # why the figures cannot be relied on, if they cannot
    #: What the latest return was compared by: "ethnicity", "sex", "age_band".
    compared_by: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.failed == 0:
            return STATUS_OK
        if self.failed >= self.returns:
            return STATUS_FAILED
        return STATUS_SOME_FAILED.format(failed=self.failed, total=self.returns)

    def concern_key(self) -> tuple[float, float, float, float, str]:
        """Sort key: most concern first (see NOTE_RANKING)."""
        rri = self.highest_rri if self.highest_rri is not None else -math.inf
        completeness = self.completeness if self.completeness is not None else 1.0
        return (
            -(self.concerns or 0),
            -len(self.persistent),
            -rri,
            completeness,
            self.service.casefold(),
        )


def rank(summaries: Sequence[ServiceSummary]) -> list[ServiceSummary]:
    """Services with something to rank (at least one return read), most concern first."""
    usable = [s for s in summaries if s.people is not None]
    return sorted(usable, key=ServiceSummary.concern_key)


def build_workbook(
    summaries: Sequence[ServiceSummary], about: Sequence[tuple[str, str]] = ()
) -> Workbook:
    """The portfolio as an openpyxl workbook (not yet saved)."""
    book = Workbook()
    services = book.active
    assert services is not None
    services.title = SERVICES_SHEET
    ordered = sorted(summaries, key=lambda s: s.service.casefold())
    _write_rows(services, SERVICE_HEADERS, [_service_row(s) for s in ordered])
    _format_services(services, len(ordered))

    ranking = book.create_sheet(RANKING_SHEET)
    ranked = rank(summaries)
    rows = [
        [
            i,
            s.service,
            s.concerns,
            ", ".join(s.persistent),
            _number(s.highest_rri),
            s.highest_group,
            _number(s.completeness),
        ]
        for i, s in enumerate(ranked, start=1)
    ]
    _write_rows(ranking, RANKING_HEADERS, rows)
    _percent(ranking, 7, len(rows))
    _decimal(ranking, 5, len(rows))
    ranking.cell(row=len(rows) + 3, column=1, value=NOTE_RANKING)

    failed = book.create_sheet(FAILED_SHEET)
    failures = [f for s in ordered for f in s.failures]
    _write_rows(failed, FAILED_HEADERS, [[f.service, f.file, f.problem] for f in failures])

    info = book.create_sheet(ABOUT_SHEET)
    _write_rows(info, ("Item", "Value"), [list(pair) for pair in about])
    mark_workbook(book)
    return book


def write_portfolio(
    path: Path, summaries: Sequence[ServiceSummary], about: Sequence[tuple[str, str]] = ()
) -> Path:
    """Build and save the workbook atomically."""
    book = build_workbook(summaries, about)
    return write_atomic(path, workbook_bytes(book.save))


def default_about(authority: str, comparator: str, produced: datetime) -> list[tuple[str, str]]:
    return [
        ("Authority", authority),
        ("Comparator", comparator),
        ("Produced", produced.strftime("%Y-%m-%d %H:%M")),
        ("Concerns", NOTE_RANKING),
    ]


def _service_row(s: ServiceSummary) -> list[object]:
    return [
        s.service,
        s.returns,
        s.failed,
        s.latest_period,
        s.people,
        _number(s.completeness),
        s.concerns,
        _number(s.highest_rri),
        s.highest_group,
        s.trend,
        ", ".join(s.persistent),
        s.status,
        s.note,
    ]


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _write_rows(sheet: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Control characters in a folder or file name would make openpyxl refuse the row.
        sheet.append([strip_control_characters(v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            # Names come from providers' files: never let one become a formula.
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for col, header in enumerate(headers, start=1):
        width = max([len(str(header)), *(len(str(r[col - 1] or "")) for r in rows)])
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 10), 60)


def _percent(sheet: Worksheet, column: int, rows: int) -> None:
    for row in range(2, rows + 2):
        sheet.cell(row=row, column=column).number_format = "0%"


def _decimal(sheet: Worksheet, column: int, rows: int) -> None:
    for row in range(2, rows + 2):
        sheet.cell(row=row, column=column).number_format = "0.00"


def _format_services(sheet: Worksheet, rows: int) -> None:
    if not rows:
        return
    last = rows + 1
    col = {h: get_column_letter(i) for i, h in enumerate(SERVICE_HEADERS, start=1)}
    _percent(sheet, SERVICE_HEADERS.index("Ethnicity known") + 1, rows)
    _decimal(sheet, SERVICE_HEADERS.index("Highest RRI") + 1, rows)
    concerns = f"{col['Concerns']}2:{col['Concerns']}{last}"
    sheet.conditional_formatting.add(
        concerns, CellIsRule(operator="greaterThan", formula=["0"], fill=_RED)
    )
    sheet.conditional_formatting.add(
        concerns, CellIsRule(operator="equal", formula=["0"], fill=_GREEN)
    )
    rri = f"{col['Highest RRI']}2:{col['Highest RRI']}{last}"
    sheet.conditional_formatting.add(
        rri, CellIsRule(operator="greaterThanOrEqual", formula=["1.5"], fill=_RED)
    )
    known = f"{col['Ethnicity known']}2:{col['Ethnicity known']}{last}"
    sheet.conditional_formatting.add(
        known, CellIsRule(operator="lessThan", formula=["0.9"], fill=_AMBER)
    )
    status = f"{col['Status']}2:{col['Status']}{last}"
    sheet.conditional_formatting.add(
        status, FormulaRule(formula=[f'{col["Status"]}2<>"{STATUS_OK}"'], fill=_AMBER)
    )
