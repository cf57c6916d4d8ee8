"""Records vs counts: label + count tables, separate small tables, cross-tabs, totals."""

from __future__ import annotations

import pandas as pd
import pytest
from returns_fixtures import RECORDS_ROWS, raw_book, raw_sheet

from commissioning.model.categories import NOT_KNOWN, UNMAPPED
from commissioning.returns.layout import (
    MSG_COUNT_NOT_NUMBER,
    MSG_NOTE_ROWS,
    MSG_ROW_TOTAL_MISMATCH,
    MSG_TOTAL_MISMATCH,
    MSG_TOTALS_LEFT_OUT,
)
from commissioning.returns.read import MSG_SEPARATE_TABLES, MSG_TABLES_DISAGREE, read_workbook


def _issue(ret, code):  # type: ignore[no-untyped-def]
    found = [i for i in ret.quality.issues if i.code == code]
    assert found, f"no {code} issue in {[i.code for i in ret.quality.issues]}"
    return found[0]


def test_records_layout_counts_every_person() -> None:
    ret = read_workbook(raw_book(raw_sheet(RECORDS_ROWS)))
    assert ret.layout == "records"
    assert ret.total == 5
    assert ret.columns == {"ethnicity": "A", "sex": "B", "age": "C"}
    frame = ret.counts.frame
    assert set(frame.columns) == {"major", "detailed", "sex", "age_band", "count"}
    assert ret.counts.tally("major").to_dict() == {
        "Asian": 1, "Black": 1, "Mixed": 0, "White": 1, "Other": 0, NOT_KNOWN: 1, UNMAPPED: 1,
    }
    assert ret.counts.tally("age_band")["5-9"] == 3  # 7, 9 and 6
    unmapped = ret.quality.unmapped
    assert unmapped.to_dict("records") == [
        {"dimension": "ethnicity", "label": "Martian", "count": 1, "rows": (8,)}
    ]


def test_label_and_count_table_with_total_row() -> None:
    rows = [
        ["Ethnic group", "Number of children"],
        ["White British", "10"],
        ["Indian", "4"],
        ["Not known", "2"],
        ["Total", "16"],
    ]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.layout == "counts"
    assert ret.total == 16
    assert _issue(ret, "totals-left-out").message == MSG_TOTALS_LEFT_OUT.format(rows="5")
    assert not ret.quality.has_code("totals-mismatch")


def test_total_that_does_not_add_up_is_a_warning_and_rows_are_counted() -> None:
    rows = [["Ethnicity", "Count"], ["White British", "10"], ["Indian", "4"], ["Total", "15"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    issue = _issue(ret, "totals-mismatch")
    assert issue.severity == "warning"
    assert issue.message == MSG_TOTAL_MISMATCH.format(row=4, stated=15, summed=14)
    assert issue.rows == (4,)
    assert ret.total == 14


def test_sub_totals_are_checked_against_their_own_block() -> None:
    rows = [
        ["Ethnicity", "Number"],
        ["Indian", "3"],
        ["Pakistani", "2"],
        ["Asian total", "5"],
        ["African", "4"],
        ["Caribbean", "1"],
        ["Black sub-total", "6"],  # wrong: 5
        ["Grand total", "11"],  # wrong: 10
    ]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    mismatches = [i for i in ret.quality.issues if i.code == "totals-mismatch"]
    assert [i.rows for i in mismatches] == [(7,), (8,)]
    assert mismatches[0].message == MSG_TOTAL_MISMATCH.format(row=7, stated=6, summed=5)
    assert mismatches[1].message == MSG_TOTAL_MISMATCH.format(row=8, stated=11, summed=10)
    assert ret.total == 10


def test_counts_that_are_not_whole_numbers_are_reported_not_counted() -> None:
    rows = [["Ethnicity", "Number"], ["Indian", "<5"], ["Arab", "1,204"], ["Irish", "2.5"],
            ["Roma", "3.0"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    issue = _issue(ret, "count-not-number")
    assert issue.message == MSG_COUNT_NOT_NUMBER.format(rows="2, 4")
    assert ret.total == 1207


def test_multi_dimension_counts_table() -> None:
    rows = [
        ["Ethnic group", "Sex", "Age band", "Number"],
        ["Indian", "F", "11-15", "3"],
        ["Indian", "M", "16 - 18", "2"],
        ["Caribbean", "Girl", "Under 5", "4"],
    ]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    frame = ret.counts.frame.set_index(["detailed", "sex", "age_band"])["count"]
    assert frame.to_dict() == {
        ("Indian", "Female", "11-15"): 3,
        ("Indian", "Male", "16-18"): 2,
        ("Caribbean", "Female", "0-4"): 4,
    }


def test_separate_tables_stacked_give_marginals() -> None:
    rows = [
        ["Ethnic group", "Number"],
        ["White British", "6"],
        ["African", "4"],
        [],
        ["Gender", "Number"],
        ["Female", "7"],
        ["Male", "2"],
        ["Prefer not to say", "1"],
        [],
        ["Age band", "Number"],
        ["0-4", "3"],
        ["5-9", "5"],
    ]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.layout == "counts"
    assert ret.counts.dimensions == ()
    assert ret.total == 10
    assert ret.marginals["sex"].to_dict() == {"Female": 7, "Male": 2, "Other": 0, NOT_KNOWN: 1}
    assert ret.marginals["age_band"].to_dict() == {"0-4": 3, "5-9": 5}
    assert _issue(ret, "separate-tables").message == MSG_SEPARATE_TABLES
    issue = _issue(ret, "tables-disagree")
    assert issue.message == MSG_TABLES_DISAGREE.format(dimension="age band", other=8, total=10)


def test_separate_tables_side_by_side() -> None:
    rows = [
        ["Ethnicity", "No.", "", "Gender", "No."],
        ["Indian", "2", "", "Female", "3"],
        ["Arab", "1", "", "Male", "0"],
    ]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.total == 3
    assert ret.marginals["sex"]["Female"] == 3
    assert not ret.quality.has_code("tables-disagree")


@pytest.mark.parametrize("two_rows", [False, True])
def test_cross_tab_of_ethnicity_by_gender(two_rows: bool) -> None:
    body = [
        ["White British", "5", "4", "", "9"],
        ["Indian", "2", "1", "1", "4"],
        ["Not stated", "0", "1", "0", "1"],
        ["Total", "7", "6", "1", "14"],
    ]
    merged: tuple[tuple[int, int, int, int], ...] = ()
    if two_rows:
        head = [["Ethnic group", "Gender", "", "", ""],
                ["", "Female", "Male", "Non-binary", "Total"]]
        merged = ((0, 1, 0, 4), (0, 0, 1, 0))
    else:
        head = [["Ethnic group", "Female", "Male", "Non-binary", "Total"]]
    ret = read_workbook(raw_book(raw_sheet([["Referrals by ethnicity"], *head, *body],
                                           merged=tuple((a + 1, b, c + 1, d)
                                                        for a, b, c, d in merged))))
    assert ret.layout == "counts"
    assert ret.layout_detail == "a cross-tab of ethnicity by gender"
    assert ret.columns == {"ethnicity": "A", "sex": "B-D"}
    assert ret.total == 14
    assert ret.counts.tally("sex").to_dict() == {"Female": 7, "Male": 6, "Other": 1}
    assert not ret.quality.has_code("totals-mismatch")
    assert not ret.quality.has_code("duplicate-column")


def test_cross_tab_row_and_column_totals_are_checked() -> None:
    rows = [
        ["Ethnicity", "Female", "Male", "Total"],
        ["Indian", "2", "1", "4"],  # row total wrong
        ["Arab", "1", "1", "2"],
        ["Total", "3", "3", "6"],  # Male column total wrong (2)
    ]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    messages = [i.message for i in ret.quality.issues if i.code == "totals-mismatch"]
    assert MSG_TOTAL_MISMATCH.format(row=4, stated=3, summed=2) in messages
    assert MSG_ROW_TOTAL_MISMATCH.format(column="D", rows="2") in messages
    assert ret.total == 5


def test_cross_tab_by_age_band() -> None:
    rows = [["Ethnicity", "0-4", "5 to 10", "11-15"], ["Indian", "1", "2", "3"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.layout_detail == "a cross-tab of ethnicity by age band"
    assert ret.counts.tally("age_band").to_dict() == {"0-4": 1, "5-10": 2, "11-15": 3}


def test_records_with_two_gender_like_columns_are_not_a_cross_tab() -> None:
    rows = [["Ethnicity", "Gender", "Sex at birth"], ["", "Female", "Female"],
            ["Indian", "Male", "Male"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.layout == "records"
    assert ret.total == 2


def test_footnote_rows_under_records_are_left_out() -> None:
    rows = [["Ethnicity", "Gender"], ["Indian", "Female"],
            ["Note: this list covers every child who attended at least one session"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.total == 1
    assert _issue(ret, "note-rows").message == MSG_NOTE_ROWS.format(rows="3")


def test_blank_rows_inside_records_are_skipped() -> None:
    rows = [["Ethnicity", "Gender"], ["Indian", "Female"], [], ["", ""], ["Arab", "Male"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.total == 2


def test_every_person_is_kept_whatever_the_labels() -> None:
    rows = [["Ethnicity", "Gender", "Age band"], ["??", "Boy", "old"], ["", "", ""],
            ["Indian", "x", "11-15"]]
    # the blank row is skipped; the two rows with anything written are both counted
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.total == 2
    frame = ret.counts.frame
    assert isinstance(frame, pd.DataFrame)
    assert ret.counts.tally("sex").to_dict() == {"Female": 0, "Male": 1, "Other": 0,
                                                 UNMAPPED: 1}


def test_records_row_that_looks_like_gender_labels_is_not_a_second_header() -> None:
    # "-1" reads as the sex code 1 (male): the row must still be a person, not headings
    rows = [["Ethnicity", "Gender", "Age"], ["", "Female", "-1"], ["Indian", "Male", "4"]]
    ret = read_workbook(raw_book(raw_sheet(rows)))
    assert ret.layout == "records"
    assert ret.total == 2
