"""The portfolio workbook: rows, ranking, conditional formatting, safety of names."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from commissioning.batch.portfolio import (
    ABOUT_SHEET,
    FAILED_HEADERS,
    FAILED_SHEET,
    NOTE_RANKING,
    RANKING_HEADERS,
    RANKING_SHEET,
    SERVICE_HEADERS,
    SERVICES_SHEET,
    STATUS_FAILED,
    STATUS_OK,
    STATUS_SOME_FAILED,
    Failure,
    ServiceSummary,
    default_about,
    rank,
    write_portfolio,
)

KOOTH = ServiceSummary(
    "Kooth", 4, 0, "2024-25 Q4", 812, 0.94, 2, 2.31, "Black", "Black rising", ("Black",)
)
HAF = ServiceSummary(
    "Holiday Activities and Food", 2, 1, "2024-25 Q2", 1500, 0.82, 2, 1.7, "Asian", "", (),
    (Failure("Holiday Activities and Food", "Q1.xlsx", "This file is damaged."),),
)  # fmt: skip
YOUTH = ServiceSummary("Youth Services", 1, 0, "2024-25 Q1", 300, 0.99, 0, 1.2, "Mixed")
BROKEN = ServiceSummary(
    '=HYPERLINK("http://x")', 1, 1, failures=(Failure("=cmd", "a.csv", "Cannot read."),)
)


def test_rank_orders_by_concern_then_persistence_then_rri() -> None:
    assert [s.service for s in rank([YOUTH, HAF, BROKEN, KOOTH])] == [
        "Kooth",  # 2 concerns and one persistent group
        "Holiday Activities and Food",  # 2 concerns
        "Youth Services",
    ]


def test_status_words() -> None:
    assert KOOTH.status == STATUS_OK
    assert HAF.status == STATUS_SOME_FAILED.format(failed=1, total=2)
    assert BROKEN.status == STATUS_FAILED


def test_workbook_rows_ranking_failures_and_about(tmp_path: Path) -> None:
    about = default_about("Westminster", "Census 2021 (TS021)", datetime(2025, 1, 2, 3, 4))
    out = write_portfolio(tmp_path / "portfolio.xlsx", [YOUTH, HAF, BROKEN, KOOTH], about)
    assert [p.name for p in tmp_path.iterdir()] == ["portfolio.xlsx"]  # no temporary left
    book = load_workbook(out)
    assert book.sheetnames == [SERVICES_SHEET, RANKING_SHEET, FAILED_SHEET, ABOUT_SHEET]

    services = list(book[SERVICES_SHEET].iter_rows(values_only=True))
    assert services[0] == SERVICE_HEADERS
    by_name = {row[0]: row for row in services[1:]}
    assert by_name["Kooth"] == (
        "Kooth", 4, 0, "2024-25 Q4", 812, 0.94, 2, 2.31, "Black", "Black rising", "Black", "ok",
        None,
    )  # fmt: skip
    assert by_name["Holiday Activities and Food"][-2] == "1 of 2 returns could not be read"

    ranking = list(book[RANKING_SHEET].iter_rows(values_only=True))
    assert ranking[0] == RANKING_HEADERS
    assert [r[:2] for r in ranking[1:4]] == [
        (1, "Kooth"),
        (2, "Holiday Activities and Food"),
        (3, "Youth Services"),
    ]
    assert book[RANKING_SHEET].cell(row=6, column=1).value == NOTE_RANKING

    failed = list(book[FAILED_SHEET].iter_rows(values_only=True))
    assert failed[0] == FAILED_HEADERS
    assert ("Holiday Activities and Food", "Q1.xlsx", "This file is damaged.") in failed
    about_rows = dict(book[ABOUT_SHEET].iter_rows(min_row=2, values_only=True))
    assert about_rows["Authority"] == "Westminster"
    assert about_rows["Produced"] == "2025-01-02 03:04"


def test_names_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    out = write_portfolio(tmp_path / "p.xlsx", [BROKEN])
    book = load_workbook(out)
    cell = book[SERVICES_SHEET]["A2"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"
    assert book[FAILED_SHEET]["A2"].data_type == "s"


def test_conditional_formatting_marks_concerns_rri_and_completeness(tmp_path: Path) -> None:
    out = write_portfolio(tmp_path / "p.xlsx", [YOUTH, HAF, KOOTH])
    sheet = load_workbook(out)[SERVICES_SHEET]
    rules = {
        str(rng.sqref): [(r.type, r.operator, tuple(r.formula)) for r in rng.rules]
        for rng in sheet.conditional_formatting
    }
    assert rules["G2:G4"] == [
        ("cellIs", "greaterThan", ("0",)),
        ("cellIs", "equal", ("0",)),
    ]
    assert rules["H2:H4"] == [("cellIs", "greaterThanOrEqual", ("1.5",))]
    assert rules["F2:F4"] == [("cellIs", "lessThan", ("0.9",))]
    assert rules["L2:L4"] == [("expression", None, ('L2<>"ok"',))]
    assert sheet["M1"].value == "Note"
    assert sheet["F2"].number_format == "0%"


def test_a_service_without_ethnicity_shows_zero_known_and_ranks_after_others(
    tmp_path: Path,
) -> None:
    from commissioning.batch.portfolio import NOTE_NO_ETHNICITY

    note = NOTE_NO_ETHNICITY.format(compared="sex and age")
    club = ServiceSummary("Club", 1, 0, "2024-25 Q1", 178, 0.0, None, None, "",
                          "none", note=note, compared_by=("sex", "age_band"))
    assert [s.service for s in rank([club, YOUTH, KOOTH])] == ["Kooth", "Youth Services", "Club"]
    book = load_workbook(write_portfolio(tmp_path / "p.xlsx", [club, YOUTH]))
    rows = {r[0]: r for r in book[SERVICES_SHEET].iter_rows(min_row=2, values_only=True)}
    assert rows["Club"][4:9] == (178, 0, None, None, None)
    assert rows["Club"][-1] == note and rows["Club"][-2] == STATUS_OK
    assert book[SERVICES_SHEET]["F2"].number_format == "0%"  # shown as 0 %, marked amber
