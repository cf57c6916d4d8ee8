"""Direct identifiers are found (by heading or by content), reported by kind and column
only, and never reach a result or a report."""

from __future__ import annotations

import json

import pytest
from returns_fixtures import raw_book, raw_sheet

from commissioning.checking.report import build_check, render_text
from commissioning.returns.identifiers import MSG_PERSONAL_DATA, is_nhs_number
from commissioning.returns.read import read_workbook


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("9434765919", True),  # the NHS's published example number
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("9434765910", False),  # wrong check digit
        ("943476591", False),  # nine digits
        ("abcdefghij", False),
    ],
)
def test_nhs_number_check_digit(text: str, valid: bool) -> None:
    assert is_nhs_number(text) is valid


def _everything(ret) -> str:  # type: ignore[no-untyped-def]
    report = build_check(ret)
    return json.dumps(report.as_dict()) + render_text(report) + ret.counts.frame.to_csv()


def test_identifier_columns_found_by_heading() -> None:
    rows = [
        ["First name", "Surname", "NHS No.", "Ethnicity", "Gender"],
        ["Ann", "Smithson", "9434765919", "Indian", "F"],
        ["Raj", "Patelson", "4010232137", "Arab", "M"],
    ]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    issue = next(i for i in ret.quality.issues if i.code == "personal-data")
    assert issue.severity == "warning"
    assert issue.message == MSG_PERSONAL_DATA.format(kinds="names, NHS numbers",
                                                     columns="columns A, B, C")
    text = _everything(ret)
    for secret in ("Ann", "Smithson", "Patelson", "9434765919", "4010232137"):
        assert secret not in text


def test_identifier_columns_found_by_content_under_an_unhelpful_heading() -> None:
    rows = [
        ["Ref", "Col2", "Ethnic group", "Misc"],
        ["9434765919", "A123456789012", "Indian", "SW1A 1AA"],
        ["4010232137", "B987654321098", "Arab", "W2 1AA"],
    ]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    issue = next(i for i in ret.quality.issues if i.code == "personal-data")
    assert issue.message == MSG_PERSONAL_DATA.format(
        kinds="NHS numbers, unique pupil numbers, postcodes", columns="columns A, B, D")
    text = _everything(ret)
    for secret in ("9434765919", "A123456789012", "SW1A", "W2 1AA"):
        assert secret not in text


def test_an_ordinary_reference_column_is_not_personal_data() -> None:
    rows = [["Ref", "Ethnicity"], ["C001", "Indian"], ["C002", "Arab"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert not ret.quality.has_code("personal-data")


def test_unreadable_date_of_birth_is_listed_without_the_date() -> None:
    rows = [["Date of birth", "Ethnicity"], ["32/13/2011", "Indian"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.quality.unmapped["label"].tolist() == ["(date of birth not understood)"]
    assert "32/13/2011" not in _everything(ret)
