"""`read_return` on real files: formats, encodings, sheets, hidden content, errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from returns_fixtures import RECORDS_ROWS, raw_book, raw_sheet, write_xlsx

from commissioning.errors import InvalidReturnError, UnreadableFileError
from commissioning.model.categories import NOT_KNOWN, UNMAPPED
from commissioning.model.counts import Counts
from commissioning.returns import read_return
from commissioning.returns.assemble import (
    MSG_NO_ETHNICITY,
    MSG_NO_ETHNICITY_SEX_AGE,
    completeness_issues,
    period_end,
)
from commissioning.returns.read import (
    MSG_AMBIGUOUS_SHEET,
    MSG_NO_COLUMNS,
    MSG_NO_SUCH_SHEET,
    MSG_SHEET_NO_COLUMNS,
    read_workbook,
)

CSV_TEXT = "Ethnicity,Gender,Age\nWhite – British,Female,7\nBlack African,Male,12\nNA,F,None\n"


def test_xlsx_records_with_title_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Return": RECORDS_ROWS})
    ret = read_return(path)
    assert (ret.file_format, ret.sheet, ret.layout, ret.total) == ("xlsx", "Return", "records", 5)
    assert len(ret.sha256) == 64
    assert ret.counts.tally("major")[UNMAPPED] == 1


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")],
)
def test_csv_in_any_common_encoding_gives_the_same_counts(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(prefix + CSV_TEXT.encode(encoding))
    ret = read_return(path)
    assert ret.file_format == "csv"
    assert ret.sheet is None
    assert ret.total == 3
    assert ret.counts.tally("detailed")["White British"] == 1
    assert ret.counts.tally("detailed")["African"] == 1
    if encoding == "cp1252":
        assert ret.encoding is not None and "1252" in ret.encoding
        assert ret.quality.has_code("text-encoding")


def test_na_and_none_are_text_not_missing(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Ethnicity,Gender,Number\nNone,Female,3\nNA,Male,2\n007,Male,1\n",
                    encoding="utf-8")
    ret = read_return(path)
    assert ret.total == 6
    labels = ret.quality.unmapped.set_index("label")["count"].to_dict()
    assert labels == {"None": 3, "007": 1}  # "NA" is a recognised way to say not known
    assert ret.counts.tally("major")[NOT_KNOWN] == 2


def test_several_sheets_pick_the_one_with_data(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {
        "Cover": [["Provider monitoring return"], ["Prepared for the council"]],
        "Data": RECORDS_ROWS,
        "Blank form": [["Ethnicity", "Gender"]],
    })
    assert read_return(path).sheet == "Data"


def test_two_sheets_with_data_need_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Q1": RECORDS_ROWS, "Q2": RECORDS_ROWS})
    with pytest.raises(InvalidReturnError) as caught:
        read_return(path)
    assert caught.value.message == MSG_AMBIGUOUS_SHEET.format(sheets='"Q1", "Q2"', first="Q1")
    assert read_return(path, sheet="Q2").sheet == "Q2"


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Q1": RECORDS_ROWS})
    with pytest.raises(InvalidReturnError) as caught:
        read_return(path, sheet="Q3")
    assert caught.value.message == MSG_NO_SUCH_SHEET.format(sheet="Q3", sheets='"Q1"')


def test_sheet_without_columns(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Notes": [["Hello"]], "Q1": RECORDS_ROWS})
    with pytest.raises(InvalidReturnError) as caught:
        read_return(path, sheet="Notes")
    assert caught.value.message == MSG_SHEET_NO_COLUMNS.format(sheet="Notes",
                                                               sheets='"Notes", "Q1"')


def test_no_recognisable_columns_anywhere(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Sheet": [["Item", "Cost"], ["Room hire", 40]]})
    with pytest.raises(InvalidReturnError) as caught:
        read_return(path)
    assert caught.value.message == MSG_NO_COLUMNS


def test_hidden_sheet_with_data_loses_to_the_visible_one_and_is_reported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Visible": RECORDS_ROWS, "Old": RECORDS_ROWS},
                      hidden_sheets=["Old"])
    ret = read_return(path)
    assert ret.sheet == "Visible"
    assert ret.quality.has_code("hidden-sheet")


def test_hidden_rows_are_counted_and_reported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": RECORDS_ROWS}, hidden_rows={"Data": [5]})
    ret = read_return(path)
    assert ret.total == 5
    hidden = [i for i in ret.quality.issues if i.code == "hidden-rows"]
    assert hidden and hidden[0].rows == (5,)


def test_merged_header_in_a_real_file(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Ethnic group", "Gender", None, None],
        [None, "Female", "Male", "Total"],
        ["Indian", 2, 1, 3],
        ["Arab", 0, 4, 4],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", {"X": rows}, merged={"X": ["B1:D1", "A1:A2"]})
    ret = read_return(path)
    assert ret.layout_detail == "a cross-tab of ethnicity by gender"
    assert ret.counts.tally("sex").to_dict() == {"Female": 2, "Male": 5, "Other": 0}


def test_dates_of_birth_give_age_bands_and_are_dropped(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Name", "DOB", "Ethnicity", "Postcode", "Period"],
        ["Ann Example", "04/03/2015", "Indian", "SW1A 1AA", "Apr-Jun 2024"],
        ["Bob Example", dt.datetime(2009, 6, 30), "Arab", "W2 1AA", "Apr-Jun 2024"],
        ["Cy Example", "31/02/2010", "Arab", "W9 2BB", "Apr-Jun 2024"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", {"Kids": rows})
    ret = read_return(path)
    assert ret.counts.tally("age_band").to_dict() == {"5-9": 1, "15-17": 1, UNMAPPED: 1}
    assert ret.quality.has_code("personal-data")
    assert ret.quality.has_code("ages-as-of")
    everything = json.dumps([
        ret.counts.frame.astype(str).to_dict("records"),
        ret.quality.unmapped.astype(str).to_dict("records"),
        [i.as_dict() for i in ret.quality.issues],
        dict(ret.columns),
    ])
    for secret in ("Ann", "Example", "SW1A", "W9 2BB", "2015", "31/02/2010", "2009-06-30"):
        assert secret not in everything


def test_as_of_changes_ages(tmp_path: Path) -> None:
    rows = [["DOB", "Ethnicity"], ["01/09/2010", "Indian"]]
    path = write_xlsx(tmp_path / "r.xlsx", {"Kids": rows})
    early = read_return(path, as_of=dt.date(2025, 8, 31))
    late = read_return(path, as_of=dt.date(2025, 9, 1))
    assert early.counts.tally("age_band").to_dict() == {"10-14": 1}
    assert late.counts.tally("age_band").to_dict() == {"15-17": 1}
    assert not early.quality.has_code("ages-as-of")


@pytest.mark.parametrize(
    ("values", "end"),
    [
        (["Apr-Jun 2024"], dt.date(2024, 6, 30)),
        (["April to June 2024", "July - Sept 2024"], dt.date(2024, 9, 30)),
        (["01/04/2024 - 30/06/2024"], dt.date(2024, 6, 30)),
        (["2024-02-01 to 2024-02-29"], dt.date(2024, 2, 29)),
        (["2024 Q2"], None),
        ([""], None),
    ],
)
def test_period_end(values: list[str], end: dt.date | None) -> None:
    import pandas as pd

    assert period_end(pd.Series(values, dtype=object)) == end


def test_no_ethnicity_column_is_an_error_issue() -> None:
    # With neither gender nor age there is nothing to compare at all.
    counts = Counts.from_records([{"major": NOT_KNOWN, "detailed": NOT_KNOWN, "count": 7}])
    issues = completeness_issues(counts, {"count": 1}, {}, "Sheet1")
    issue = next(i for i in issues if i.code == "no-ethnicity-column")
    assert (issue.severity, issue.message) == ("error", MSG_NO_ETHNICITY)


def test_no_ethnicity_column_with_gender_and_age_is_a_warning() -> None:
    ret = read_workbook(raw_book(raw_sheet([["Gender", "Age"], ["Female", "7"]])))
    issue = next(i for i in ret.quality.issues if i.code == "no-ethnicity-column")
    assert (issue.severity, issue.message) == (
        "warning", MSG_NO_ETHNICITY_SEX_AGE.format(what="gender and age"))
    assert ret.total == 1
    assert ret.counts.tally("major").to_dict()[NOT_KNOWN] == 1


def test_missing_and_empty_files_are_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError):
        read_return(tmp_path / "nope.xlsx")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFileError):
        read_return(empty)
