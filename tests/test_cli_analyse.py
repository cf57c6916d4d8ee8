"""`commissioning analyse`: formats, exit codes, one-line errors, files written safely."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from commissioning.analysis.compare import RATE_RATIO_COLUMNS, TABLE_COLUMNS, analyse
from commissioning.cli import main
from commissioning.cli.analyse import MSG_NEED_AUTHORITY, MSG_WROTE, MSG_XLSX_NEEDS_OUT
from commissioning.comparators import load_comparator_file, population
from commissioning.outputs import MSG_SAME_AS_INPUT
from commissioning.render.analysis_tables import SHEET_METHOD, SHEET_RESULTS, SHEET_SOURCES
from commissioning.render.marking import MARKING_LINE
from commissioning.returns import read_return

PEOPLE = {
    "White British": 40,
    "African": 60,
    "Caribbean": 10,
    "Indian": 8,
    "Pakistani": 5,
    "Arab": 6,
    "White and Black Caribbean": 6,
    "Other White": 15,
    "Not stated": 5,
}


@pytest.fixture
def return_file(tmp_path: Path) -> Path:
    lines = ["Ethnicity,Gender,Age"]
    i = 0
    for label, count in PEOPLE.items():
        for _ in range(count):
            lines.append(f"{label},{'Female' if i % 2 else 'Male'},{i % 18}")
            i += 1
    path = tmp_path / "return.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def comparator_file(tmp_path: Path) -> Path:
    path = tmp_path / "last_year.csv"
    path.write_text(
        "ethnicity,count\nWhite British,400\nAfrican,100\nCaribbean,50\n"
        "Indian,60\nPakistani,40\nArab,30\nWhite and Black Caribbean,30\n"
        "Other White,120\n",
        encoding="utf-8",
    )
    return path


def _library(return_file: Path, **kwargs: object) -> pd.DataFrame:
    comp = population("Westminster", source="census2021")
    return analyse(read_return(return_file).counts, comp, **kwargs).table  # type: ignore[arg-type]


def test_table_is_the_default(return_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["analyse", str(return_file), "--authority", "Westminster", "--comparator", "census2021"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Black" in out and "over-represented" in out and "significant" in out
    assert "Open Government Licence" in out


def test_csv_is_unrounded_and_matches_the_library(
    return_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "analyse",
            str(return_file),
            "-a",
            "Westminster",
            "--comparator",
            "census2021",
            "--format",
            "csv",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == MARKING_LINE  # internal: every count, unprotected
    got = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""], skiprows=1)
    assert tuple(got.columns) == TABLE_COLUMNS
    want = _library(return_file)
    assert got["group"].tolist() == ["Asian", "Black", "Mixed", "White", "Other"]
    for col in ("share", "rri", "rri_low", "rri_high", "p_value", "p_adjusted"):
        assert got[col].tolist() == want[col].tolist()  # exact: full precision
    black_p = want["p_value"].to_numpy()[want["group"].tolist().index("Black")]
    assert black_p < 1e-10  # a tiny p-value survives as itself, not 0


def test_json_keys_and_null_for_undefined(
    return_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "analyse",
            str(return_file),
            "-a",
            "Westminster",
            "--comparator",
            "census2021",
            "--format",
            "json",
            "--level",
            "detailed",
            "--reference",
            "White British",
        ]
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["columns"] == [*TABLE_COLUMNS, *RATE_RATIO_COLUMNS]
    assert {
        "return",
        "comparator",
        "level",
        "by",
        "mode",
        "n_total",
        "n_known",
        "n_not_known",
        "n_unmapped",
        "unknown_share",
        "omnibus",
        "warnings",
        "parameters",
        "rows",
    } <= set(doc)
    assert doc["return"]["file"] == "return.csv" and len(doc["return"]["sha256"]) == 64
    assert doc["n_not_known"] == 5 and doc["level"] == "detailed" and len(doc["rows"]) == 19
    want = _library(return_file, level="detailed", reference="White British")
    african = next(r for r in doc["rows"] if r["group"] == "African")
    assert african["p_value"] == want["p_value"].to_numpy()[want["group"].tolist().index("African")]


def test_xlsx_has_results_method_and_sources(
    return_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "analysis.xlsx"
    code = main(
        [
            "analyse",
            str(return_file),
            "-a",
            "Westminster",
            "--comparator",
            "census2021",
            "--format",
            "xlsx",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == MSG_WROTE.format(path=out)
    book = load_workbook(out)
    assert book.sheetnames == [SHEET_RESULTS, SHEET_METHOD, SHEET_SOURCES]
    rows = list(book[SHEET_RESULTS].iter_rows(values_only=True))
    assert tuple(rows[0]) == TABLE_COLUMNS
    want = _library(return_file)
    assert [r[TABLE_COLUMNS.index("rri")] for r in rows[1:]] == want["rri"].tolist()
    method = " ".join(str(r[0]) for r in book[SHEET_METHOD].iter_rows(values_only=True))
    assert "Relative Rate Index" in method and "Wilson" in method
    sources = {r[0]: r[1] for r in book[SHEET_SOURCES].iter_rows(values_only=True)}
    assert "Open Government Licence" in str(sources["Licence"])
    assert not list(tmp_path.glob(".analysis.xlsx.*"))  # no temporary file left behind


def test_by_age_band_with_census_2011(
    return_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "analyse",
            str(return_file),
            "-a",
            "Westminster",
            "--comparator",
            "census2011",
            "--ages",
            "0-17",
            "--by",
            "age_band",
            "--format",
            "csv",
        ]
    )
    assert code == 0
    got = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False, skiprows=1)
    assert list(got.columns[:2]) == ["group", "age_band"]
    assert set(got["age_band"]) <= {"0-4", "5-9", "10-14", "15-17"}


def test_comparator_file_defaults_to_independent(
    return_file: Path, comparator_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["analyse", str(return_file), "--comparator", str(comparator_file), "--format", "json"]
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["mode"] == "independent"
    want = analyse(
        read_return(return_file).counts, load_comparator_file(comparator_file), mode="independent"
    ).table
    assert [r["p_value"] for r in doc["rows"]] == want["p_value"].tolist()


def test_out_file_written_atomically(
    return_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.csv"
    code = main(
        ["analyse", str(return_file), "-a", "Westminster", "--format", "csv", "--out", str(out)]
    )
    assert code == 0
    assert tuple(pd.read_csv(out, skiprows=1).columns) == TABLE_COLUMNS


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err.removeprefix("Error: ").strip()


def test_xlsx_needs_out(return_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(return_file), "-a", "Westminster", "--format", "xlsx"]) == 2
    assert _one_line_error(capsys) == MSG_XLSX_NEEDS_OUT


def test_needs_an_authority_or_file(return_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(return_file)]) == 2
    assert _one_line_error(capsys) == MSG_NEED_AUTHORITY


def test_refuses_to_overwrite_the_return(
    return_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyse", str(return_file), "-a", "Westminster", "--out", str(return_file)]) == 2
    assert _one_line_error(capsys) == MSG_SAME_AS_INPUT.format(path=return_file)


def test_missing_dimension_is_one_line(
    return_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from commissioning.analysis.compare import MSG_MISSING_DIMENSION

    assert (
        main(
            [
                "analyse",
                str(return_file),
                "-a",
                "Westminster",
                "--comparator",
                "census2021",
                "--by",
                "sex",
            ]
        )
        == 2
    )
    assert _one_line_error(capsys) == MSG_MISSING_DIMENSION.format(
        side="comparator", dimension="sex"
    )


def test_bad_choice_is_a_usage_error(return_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(return_file), "-a", "Westminster", "--mode", "sideways"]) == 2
    assert "--help" in _one_line_error(capsys)


def test_listed_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "analyse" in capsys.readouterr().out
