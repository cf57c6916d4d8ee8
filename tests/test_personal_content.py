"""Personal data recognised by what a cell says, and never echoed by `commissioning check`.

The detectors of `commissioning.returns.personal` one by one, then a whole return with a
name, an NHS number, a postcode and a date of birth typed into every column: the check
report (text and JSON) names their rows but never their contents, and still shows real
unrecognised ethnic groups ("Kurdish", "Latin American") so the provider can fix them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.checking.report import MSG_LABEL_WITHHELD, MSG_PERSONAL_CELLS
from commissioning.cli import cli
from commissioning.returns.identifiers import MSG_PERSONAL_DATA, is_nhs_number, may_be_personal
from commissioning.returns.personal import (
    contains_nhs_number,
    has_long_number,
    is_postcode,
    is_upn,
    label_is_shown,
    looks_like_date,
    looks_like_name,
    nhs_check_digit_ok,
    personal_header,
    personal_kinds,
    reads_as_ethnicity,
)
from commissioning.returns.vocabulary import forenames

#: Real category labels: none may be taken for personal data.
CATEGORY_LABELS = (
    "White British", "Any other Asian background", "Black Caribbean", "Latin American",
    "Kurdish", "Somali", "Eastern European", "Gypsy/Roma", "Irish Traveller", "Not known",
    "Prefer not to say", "Mixed White and Black African", "Other ethnic group", "Arab",
    "Polish", "Turkish Cypriot",
)


# -- NHS numbers --------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["9434765919", "943 476 5919", "943-476-5919",
                                  "943.476.5919", " 943  476  5919 ", "4010232137"])
def test_nhs_numbers_in_any_spacing(text: str) -> None:
    assert is_nhs_number(text) and contains_nhs_number(text)
    assert personal_kinds(text) == ("nhs_number",)


@pytest.mark.parametrize("text", ["9434765910", "943 476 5910", "1234567890"])
def test_ten_digits_failing_modulus_11_are_not_nhs_numbers_but_are_withheld(text: str) -> None:
    assert not is_nhs_number(text) and not contains_nhs_number(text)
    assert has_long_number(text)
    assert personal_kinds(text) == ("long_number",)
    assert may_be_personal(text, any_digit=False)


@pytest.mark.parametrize("text", ["943476591", "abcdefghij", "Other 2", "5-10", "2015"])
def test_short_numbers_are_neither(text: str) -> None:
    assert not is_nhs_number(text) and not has_long_number(text)


@st.composite
def _spaced_nhs_numbers(draw: st.DrawFn) -> str:
    first = draw(st.lists(st.integers(0, 9), min_size=9, max_size=9))
    total = sum(d * w for d, w in zip(first, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if check == 10:  # no valid NHS number starts with these nine digits
        first[0] = (first[0] + 1) % 10
        total = sum(d * w for d, w in zip(first, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
    digits = [*first, check]
    if check == 10:
        digits = [9, 4, 3, 4, 7, 6, 5, 9, 1, 9]
    gaps = draw(st.lists(st.sampled_from(["", "", " ", "-", ".", "  ", " - "]),
                         min_size=9, max_size=9))
    return "".join(f"{d}{g}" for d, g in zip(digits, [*gaps, ""], strict=True))


@settings(max_examples=300, deadline=None)
@given(_spaced_nhs_numbers())
def test_any_valid_nhs_number_in_any_spacing_is_found(text: str) -> None:
    assert nhs_check_digit_ok("".join(c for c in text if c.isdigit()))
    assert is_nhs_number(text)
    assert "nhs_number" in personal_kinds(text)
    assert not label_is_shown(text, "ethnicity") and may_be_personal(text, any_digit=False)


# -- UPNs, postcodes, dates ---------------------------------------------------------------
@pytest.mark.parametrize("text", ["A123456789012", "a123456789012", "H80120010001A",
                                  "h80120010001a", "UPN K123456789012"])
def test_unique_pupil_numbers(text: str) -> None:
    assert is_upn(text) and "upn" in personal_kinds(text)


@pytest.mark.parametrize("text", ["A12345678901", "AB2345678901", "A1234567890123", "WBRI"])
def test_not_unique_pupil_numbers(text: str) -> None:
    assert not is_upn(text)


@pytest.mark.parametrize("text", ["SW1A 1AA", "sw1a 1aa", "SW1A1AA", "M1 1AE", "b33 8th",
                                  "DN55 1PT", "CR2 6XH", "EC1A 1BB", "SW1A", "sw1a", "M1",
                                  "B33", "ls1", "GIR 0AA"])
def test_postcodes_full_and_outward(text: str) -> None:
    assert is_postcode(text) and "postcode" in personal_kinds(text)


@pytest.mark.parametrize("text", ["Kurdish", "Other 2", "Q1", "5-10", "Year 7", "WBRI",
                                  "Under 5", "2024-25 Q1"])
def test_not_postcodes(text: str) -> None:
    assert not is_postcode(text)


@pytest.mark.parametrize("text", ["01/02/2015", "1-2-15", "2015-02-01", "1.2.2015",
                                  "1 Feb 2015", "February 1st 2015", "01-Feb-15",
                                  "1st of February 2015", "Feb 1, 2015", "31 DEC 2019"])
def test_dates_of_birth_in_common_formats(text: str) -> None:
    assert looks_like_date(text) and "dob" in personal_kinds(text)


@pytest.mark.parametrize("text", ["June 2024", "Apr-Jun 2024", "5-10", "Other 2", "2015",
                                  "Under 5", "March", "2024-25 Q1"])
def test_not_dates(text: str) -> None:
    assert not looks_like_date(text)


# -- names ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["John Smith", "smith, john", "Mary-Jane O'Neil",
                                  "Aisha Khan", "JOHN SMITH", "J. Smith", "Tom White",
                                  "Muhammad", "Zofia Nowakowska", "Smith, Mary Ann"])
def test_text_that_reads_as_a_name(text: str) -> None:
    assert looks_like_name(text) and "name" in personal_kinds(text)
    assert may_be_personal(text) and may_be_personal(text, any_digit=False)


SURNAMES = ("Smith", "Khan", "O'Neil", "Nowak", "Okafor", "Patel", "Jones", "Brown")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(forenames())), st.sampled_from(SURNAMES), st.booleans(),
       st.sampled_from([str.title, str.upper, str.lower]))
def test_a_forename_and_surname_in_any_order_and_case_is_a_name(
    forename: str, surname: str, surname_first: bool, case: Callable[[str], str]
) -> None:
    text = case(f"{surname}, {forename}" if surname_first else f"{forename} {surname}")
    assert looks_like_name(text)
    assert not label_is_shown(text, "ethnicity") and not label_is_shown(text, "sex")


@pytest.mark.parametrize("text", [*CATEGORY_LABELS, "Non-binary", "Young man", "Under 5s",
                                  "Other 2", "Family Support and Outreach Team Five"])
def test_category_labels_are_not_names_nor_any_personal_data(text: str) -> None:
    assert not looks_like_name(text)
    if text != "Family Support and Outreach Team Five":  # six words: free text
        assert personal_kinds(text) == ()


# -- reads as ethnicity, and what is shown -------------------------------------------------
@pytest.mark.parametrize("text", [*CATEGORY_LABELS, "Tamil", "Nepali", "Roma", "Afghan",
                                  "Sri Lankan", "Any other Kurdish background", "Carribean",
                                  "Bangaldeshi", "Other 2", "Kosovan Albanian"])
def test_reads_as_ethnicity(text: str) -> None:
    assert reads_as_ethnicity(text)
    assert label_is_shown(text, "ethnicity")


@pytest.mark.parametrize("text", ["John Smith", "Martian", "943 476 5919", "", "  ",
                                  "Family Support", "Other 123", "SW1A 1AA"])
def test_does_not_read_as_ethnicity(text: str) -> None:
    assert not label_is_shown(text, "ethnicity")


@pytest.mark.parametrize(
    ("text", "dimension", "shown"),
    [
        ("Gender fluid", "sex", True),
        ("Trans non-binary", "sex", True),
        ("John Smith", "sex", False),
        ("SW1A 1AA", "sex", False),
        ("5 to 10 years", "age_band", True),
        ("Under 5s", "age_band", True),
        ("01/02/2015", "age_band", False),
        ("943 476 5919", "age_band", False),
        ("Aisha", "age_band", False),
        ("(date of birth not understood)", "age_band", True),
    ],
)
def test_what_is_shown_for_gender_and_age(text: str, dimension: str, shown: bool) -> None:
    assert label_is_shown(text, dimension) is shown


@pytest.mark.parametrize(
    ("header", "kind"),
    [("Born", "dob"), ("D.O.B", "dob"), ("DOB", "dob"), ("Date of Birth of child", "dob"),
     ("d.o.b.", "dob"), ("Notes", "notes"), ("NOTES:", "notes"), ("Name", "name"),
     ("Child's name", "name"), ("Address", "address"), ("Postcode", "postcode"),
     ("post code", "postcode"), ("NHS number", "nhs_number"), ("N.H.S. No", None),
     ("UPN", "upn"), ("Ethnicity", None), ("Gender", None), ("Age", None),
     ("Country of birth", None), ("Number", None)],
)
def test_headers_that_say_a_column_is_personal(header: str, kind: str | None) -> None:
    assert personal_header(header) == kind


# -- a whole return, through the command line ---------------------------------------------
PERSONAL = ("John Smith", "943 476 5919", "SW1A 1AA", "01/02/2015")
FRAGMENTS = ("John", "Smith", "9434765919", "476 5919", "SW1A", "1AA", "2015")


def _frame() -> pd.DataFrame:
    rows = [["White British", "Female", "7", "ok"]] * 20 + [["Indian", "Male", "9", ""]] * 20
    rows += [["Kurdish", "Male", "8", ""], ["Latin American", "Female", "6", ""]]
    for value in PERSONAL:  # into the ethnicity, gender, age and notes columns
        rows += [[value, "Female", "7", ""], ["Arab", value, "7", ""],
                 ["Arab", "Male", value, ""], ["Arab", "Male", "7", value]]
    return pd.DataFrame(rows, columns=["Ethnicity", "Gender", "Age", "Notes"])


def _write(tmp_path: Path, suffix: str) -> Path:
    path = tmp_path / f"return{suffix}"
    frame = _frame()
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False, sheet_name="Return", engine="openpyxl")
    return path


def _check(path: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["check", str(path), *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_check_names_rows_but_never_the_personal_data(tmp_path: Path, suffix: str) -> None:
    path = _write(tmp_path, suffix)
    text = _check(path)
    as_json = _check(path, "--format", "json")
    for output in (text, as_json):
        for value in (*PERSONAL, *FRAGMENTS):
            assert value not in output
    # Spreadsheet rows: the header is row 1, so the first personal row is row 44.
    ethnic_rows, gender_rows, age_rows = [44, 48, 52, 56], [45, 49, 53, 57], [46, 50, 54, 58]
    for row in ethnic_rows:
        assert MSG_LABEL_WITHHELD.format(field="ethnic group", count=1, people_word="person",
                                         rows_word="row", rows=row) in text
    for row in gender_rows:
        assert MSG_LABEL_WITHHELD.format(field="gender", count=1, people_word="person",
                                         rows_word="row", rows=row) in text
    for row in age_rows:
        assert MSG_LABEL_WITHHELD.format(field="age", count=1, people_word="person",
                                         rows_word="row", rows=row) in text
    kinds = "a name, an NHS number, a postcode, a date"
    assert MSG_PERSONAL_CELLS.format(field="ethnic group", kinds=kinds, rows_word="rows",
                                     rows="44, 48, 52, 56") in text
    notes = MSG_PERSONAL_DATA.format(kinds="free-text notes",
                                     columns="column D")
    assert notes in text
    # Real ethnic groups the classifier does not know are still shown, to be fixed.
    assert '"Kurdish" (ethnic group, 1 person, row 42)' in text
    assert '"Latin American" (ethnic group, 1 person, row 43)' in text
    report = json.loads(as_json)
    shown = {e["label"] for e in report["unmapped"]}
    assert shown == {"Kurdish", "Latin American", ""}
    withheld_rows = sorted(e["rows"][0] for e in report["unmapped"] if e["label"] == "")
    assert withheld_rows == sorted(ethnic_rows + gender_rows + age_rows)
    personal = [i for i in report["issues"] if i["code"] == "personal-data"]
    assert {tuple(i["rows"]) for i in personal} >= {tuple(ethnic_rows), tuple(gender_rows),
                                                    tuple(age_rows)}


def test_columns_of_names_and_born_dates_are_found_and_never_shown() -> None:
    from returns_fixtures import raw_book, raw_sheet

    from commissioning.checking.report import build_check, render_text
    from commissioning.returns.read import read_workbook

    rows = [["Ethnicity", "Gender", "Key worker", "Born", "Comments"]]
    rows += [["Indian", "F", "Aisha Khan", "01/02/2015", "Mum called"],
             ["Arab", "M", "Tom Brown", "03/04/2016", ""],
             ["Kurdish", "M", "Priya Patel", "05/06/2017", ""]]
    report = build_check(read_workbook(raw_book(raw_sheet(rows))))
    text = render_text(report) + json.dumps(report.as_dict())
    message = MSG_PERSONAL_DATA.format(kinds="names, full dates of birth, free-text notes",
                                       columns="columns C, D, E")
    assert message in text
    for value in ("Aisha", "Khan", "Tom Brown", "Priya", "2015", "2016", "Mum"):
        assert value not in text
    assert '"Kurdish" (ethnic group, 1 person, row 4)' in text
