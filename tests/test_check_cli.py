"""`commissioning check`: text and JSON reports, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from returns_fixtures import RECORDS_ROWS, raw_book, raw_sheet, write_xlsx

from commissioning.checking.report import (
    MSG_CAN_ANALYSE,
    MSG_CHARACTERISTICS,
    MSG_FIX_UNMAPPED,
    MSG_LABEL_WITHHELD,
    build_check,
)
from commissioning.cli import cli, main
from commissioning.cli.check import MSG_BAD_DATE
from commissioning.returns.assemble import MSG_NO_ETHNICITY, MSG_NO_ETHNICITY_SEX_AGE
from commissioning.returns.classifying import MSG_MOSTLY_UNMAPPED, clean_text
from commissioning.returns.read import MSG_AMBIGUOUS_SHEET, read_workbook

JSON_KEYS = {"file", "sheet", "format", "encoding", "sha256", "layout", "layout_detail",
             "columns", "total", "can_analyse", "characteristics", "ethnicity", "sex", "age_band",
             "completeness", "unmapped", "issues", "fixes"}


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stdout, result.stderr


def test_json_report_has_the_stable_keys(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": RECORDS_ROWS})
    code, out, _ = _run(["check", str(path), "--format", "json"])
    assert code == 0
    report = json.loads(out)
    assert set(report) == JSON_KEYS
    assert report["characteristics"] == ["ethnicity", "sex", "age_band"]
    assert report["layout"] == "records"
    assert report["total"] == 5
    eth = report["ethnicity"]
    assert (eth["known"], eth["not_known"], eth["unmapped"]) == (3, 1, 1)
    assert list(eth["major"]) == ["Asian", "Black", "Mixed", "White", "Other"]
    assert len(eth["detailed"]) == 19
    assert report["sex"] == {"Female": 3, "Male": 2, "Other": 0, "Not known": 0, "Unmapped": 0}
    assert report["age_band"]["5-9"] == 3
    # "Martian" does not read as an ethnic group, so it is withheld (it could be a name).
    assert report["unmapped"] == [
        {"dimension": "ethnicity", "label": "", "count": 1, "rows": [8]}
    ]
    assert {"severity", "code", "message", "rows"} == set(report["issues"][0])
    assert report["sheet"] == "Data" and len(report["sha256"]) == 64


def test_text_report_names_layout_people_completeness_and_fixes(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": RECORDS_ROWS})
    code, out, _ = _run(["check", str(path)])
    assert code == 0
    assert "Layout found: one row per person." in out
    assert "People counted: 5." in out
    assert "Ethnic group  20% not known, 20% not recognised" in out
    withheld = MSG_LABEL_WITHHELD.format(
        field="ethnic group", count=1, people_word="person", rows_word="row", rows=8
    )
    assert withheld in out and "Martian" not in out
    assert "What to ask the provider to fix:\n  1. " in out
    assert MSG_FIX_UNMAPPED.split("{")[0] in out


def test_clean_return_says_nothing_to_fix(tmp_path: Path) -> None:
    rows = [["Ethnicity", "Gender", "Age band"], ["Indian", "Female", "0-4"],
            ["Arab", "Male", "5-9"]]
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": rows})
    code, out, _ = _run(["check", str(path)])
    assert code == 0
    assert MSG_CAN_ANALYSE in out
    assert "Nothing to ask the provider to fix." in out


def test_no_ethnicity_column_with_gender_and_age_exits_0(tmp_path: Path) -> None:
    # Gender and age can still be compared (issue 15): a warning, not a block.
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": [["Gender", "Age"], ["Female", 4]]})
    code, out, _ = _run(["check", str(path)])
    assert code == 0
    assert MSG_NO_ETHNICITY_SEX_AGE.format(what="gender and age") in out
    assert MSG_CHARACTERISTICS.format(names="sex, age band") in out
    assert MSG_NO_ETHNICITY not in out


def test_no_ethnicity_and_no_comparable_sex_or_age_stops_the_analysis(tmp_path: Path) -> None:
    """A gender column of "Prefer not to say" only gives nothing the ONS counts: the check
    says the return cannot be analysed (and why), instead of "Yes" beside "nothing"."""
    rows = [["Gender", "Count"], ["Prefer not to say", 40]]
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": rows})
    code, out, _ = _run(["check", str(path)])
    assert code == 1
    assert MSG_NO_ETHNICITY in out and "Can this return be analysed? No" in out
    # Non-binary people only: age can be compared, sex cannot.
    rows = [["Gender", "Age", "Count"], ["Non-binary", 7, 40]]
    path = write_xlsx(tmp_path / "r2.xlsx", {"Data": rows})
    code, out, _ = _run(["check", str(path)])
    assert code == 0
    assert MSG_NO_ETHNICITY_SEX_AGE.format(what="age") in out
    assert MSG_CHARACTERISTICS.format(names="age band") in out


def test_more_unmapped_than_mapped_exits_1(tmp_path: Path) -> None:
    rows = [["Ethnicity"], ["Martian"], ["Venusian"], ["Indian"]]
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": rows})
    code, out, _ = _run(["check", str(path), "--format", "json"])
    assert code == 1
    report = json.loads(out)
    assert report["can_analyse"] is False
    assert MSG_MOSTLY_UNMAPPED.format(unmapped=2, classified=1) in [
        i["message"] for i in report["issues"]
    ]


def test_unreadable_file_exits_2_with_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "r.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook")
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_ambiguous_sheets_exit_2_and_list_sheets(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write_xlsx(tmp_path / "r.xlsx", {"Q1": RECORDS_ROWS, "Q2": RECORDS_ROWS})
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == "Error: " + MSG_AMBIGUOUS_SHEET.format(sheets='"Q1", "Q2"', first="Q1") + "\n"
    assert main(["check", str(path), "--sheet", "Q1"]) == 0


def test_main_returns_exit_1_too(tmp_path: Path) -> None:
    rows = [["Ethnicity"], ["Martian"], ["Venusian"], ["Indian"]]
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": rows})
    assert main(["check", str(path), "--format", "json"]) == 1


def test_bad_as_of_is_a_usage_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write_xlsx(tmp_path / "r.xlsx", {"Data": RECORDS_ROWS})
    assert main(["check", str(path), "--as-of", "30/13/2024"]) == 2
    err = capsys.readouterr().err
    assert MSG_BAD_DATE.format(value="30/13/2024") in err
    assert main(["check", str(path), "--as-of", "30/06/2024"]) == 0


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("Kur\x07dish\u202e", "Kurdish"),
        ("=Kurdish", "'=Kurdish"),
    ],
)
def test_provider_text_is_cleaned_before_it_is_shown(label: str, shown: str) -> None:
    ret = read_workbook(raw_book(raw_sheet([["Ethnicity"], [label], ["Indian"], ["Arab"]])))
    report = build_check(ret).as_dict()
    assert report["unmapped"][0]["label"] == shown == clean_text(label)
    assert "\x07" not in json.dumps(report) and "\u202e" not in json.dumps(report)


def test_a_formula_that_reads_as_no_ethnic_group_is_not_shown() -> None:
    label = "=HYPERLINK(\"http://x\")"
    ret = read_workbook(raw_book(raw_sheet([["Ethnicity"], [label], ["Indian"], ["Arab"]])))
    report = build_check(ret).as_dict()
    assert report["unmapped"][0]["label"] == ""
    assert "HYPERLINK" not in json.dumps(report)
