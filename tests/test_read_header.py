"""Header detection: roles from any spelling, titles and notes skipped, merged cells."""

from __future__ import annotations

import pytest
from returns_fixtures import raw_sheet

from commissioning.returns.header import (
    column_letter,
    fill_merged,
    find_header,
    header_role,
    normalise_header,
)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Ethnic Group", "ethnicity"),
        ("ETHNICITY", "ethnicity"),
        ("Ethnicity (please select)", "ethnicity"),
        ("  ethnic   origin: ", "ethnicity"),
        ("Child's ethnicity", "ethnicity"),
        ("Gender", "sex"),
        ("Sex", "sex"),
        ("Gender identity", "sex"),
        ("Age", "age"),
        ("Age (years)", "age"),
        ("Age at referral", "age"),
        ("Age band", "age_band"),
        ("AGE GROUP", "age_band"),
        ("Age range", "age_band"),
        ("Date of birth", "dob"),
        ("DOB", "dob"),
        ("D.O.B.", "dob"),
        ("Period", "period"),
        ("Quarter", "period"),
        ("Reporting period", "period"),
        ("Stage", "stage"),
        ("Referral stage", "stage"),
        ("Service", "service"),
        ("Service name", "service"),
        ("Site", "site"),
        ("Venue", "site"),
        ("Number", "count"),
        ("Count", "count"),
        ("No. of children", "count"),
        ("Number of young people", "count"),
        ("Total", "count"),
        ("Child name", "name"),
        ("Surname", "name"),
        ("NHS number", "nhs_number"),
        ("NHS No.", "nhs_number"),
        ("UPN", "upn"),
        ("Unique pupil number", "upn"),
        ("Postcode", "postcode"),
        ("Post code", "postcode"),
        ("Home address", "address"),
        ("Email", "contact"),
    ],
)
def test_header_roles(text: str, role: str) -> None:
    assert header_role(text) == role


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ref",
        "Case number",
        "Other ethnic group: Arab",  # an ethnic group, not a heading
        "Choose the ethnicity of each child from the dropdown list",  # a sentence
        "Holiday Activities and Food programme: ethnicity of children in 2024",
        "%",
    ],
)
def test_not_headers(text: str) -> None:
    assert header_role(text) is None


def test_normalise_header_drops_asides_and_punctuation() -> None:
    assert normalise_header("  Ethnicity (please select):") == "ethnicity"
    assert normalise_header("Mixed & Other") == "mixed and other"


def test_header_found_below_titles_notes_and_blank_rows() -> None:
    sheet = raw_sheet([
        ["Youth club monitoring return", "", ""],
        ["Please complete every column", "", ""],
        ["", "", ""],
        ["Ethnicity", "Gender", "Age band"],
        ["White British", "Female", "11-15"],
    ])
    header = find_header(sheet.cells)
    assert header is not None
    assert header.row == 3
    assert header.roles == {0: "ethnicity", 1: "sex", 2: "age_band"}


def test_row_with_most_columns_wins_over_a_title_with_one_keyword() -> None:
    sheet = raw_sheet([["Ethnicity monitoring"], ["Ethnic group", "Gender", "Number"]])
    header = find_header(sheet.cells)
    assert header is not None and header.row == 1


def test_no_header_when_nothing_about_people() -> None:
    sheet = raw_sheet([["Invoice"], ["Item", "Cost"], ["Sessions", "400"]])
    assert find_header(sheet.cells) is None


def test_repeated_heading_is_a_duplicate_and_first_wins() -> None:
    sheet = raw_sheet([["Ethnicity", "Ethnicity", "Gender"]])
    header = find_header(sheet.cells)
    assert header is not None
    assert header.column("ethnicity") == 0
    assert header.duplicates == (1,)


def test_merged_header_fills_every_column_it_spans() -> None:
    sheet = raw_sheet(
        [["Ethnic group", "Gender", "", ""], ["", "Female", "Male", "Total"]],
        merged=((0, 1, 0, 3), (0, 0, 1, 0)),
    )
    cells = fill_merged(sheet, 5)
    assert cells.iloc[0].tolist() == ["Ethnic group", "Gender", "Gender", "Gender"]
    assert cells.iat[1, 0] == "Ethnic group"
    assert sheet.cells.iat[0, 2] == ""  # the sheet itself is unchanged


@pytest.mark.parametrize(("col", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"),
                                              (701, "ZZ"), (702, "AAA")])
def test_column_letters(col: int, letter: str) -> None:
    assert column_letter(col) == letter
