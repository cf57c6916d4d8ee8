"""`commissioning batch` with a return that has sex and age but no ethnicity: it is
checked and drafted as a section about sex and age, its portfolio row says so, the
ethnicity trend skips it, and `--characteristic` adds the "Sex and age" part to every
section."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from commissioning.analysis.characteristic import MSG_BAD_CHARACTERISTIC
from commissioning.batch.portfolio import (
    NOTE_NO_ETHNICITY,
    SERVICE_HEADERS,
    SERVICES_SHEET,
    STATUS_FAILED,
    STATUS_OK,
)
from commissioning.batch.runner import (
    CHECK_JSON,
    MSG_CANNOT_ANALYSE,
    NO_TREND,
    NO_TREND_NO_ETHNICITY,
    PORTFOLIO_NAME,
    SECTION_DOCX,
    SUMMARY_NAME,
    TREND_TO_PERIOD,
    BatchSettings,
    run_batch,
)
from commissioning.cli import cli
from commissioning.cli.batch import MSG_ALL_OK, MSG_FAILURE_LINE, MSG_SOME_FAILED
from commissioning.errors import AnalysisError
from commissioning.returns.assemble import MSG_NO_ETHNICITY, MSG_NO_PEOPLE

#: (gender, age band, count), as in tests/test_draft_without_ethnicity.py.
SEX_AGE = (
    ("Female", "5-9", 40), ("Male", "5-9", 35), ("Female", "10-14", 20),
    ("Male", "10-14", 50), ("Female", "15-17", 15), ("Male", "0-4", 12),
    ("Non-binary", "15-17", 6),
)  # fmt: skip
#: (ethnicity, gender, age band, count).
WITH_ETHNICITY = (
    ("White British", "Female", "5-9", 40), ("Black African", "Male", "5-9", 35),
    ("Indian", "Female", "10-14", 20), ("White British", "Male", "10-14", 50),
    ("Black Caribbean", "Female", "15-17", 15), ("Pakistani", "Male", "0-4", 12),
    ("Chinese", "Female", "10-14", 18), ("White and Asian", "Male", "15-17", 22),
)  # fmt: skip
SEX_AND_AGE_PART = "Sex and age"
NO_ETHNICITY_WORDS = "The return does not record ethnicity."


def _sex_age(path: Path, rows: tuple[tuple[str, str, int], ...] = SEX_AGE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["Gender,Age band,Count", *(f"{s},{a},{n}" for s, a, n in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _with_ethnicity(path: Path, extra_black: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [(*r[:3], r[3] + (extra_black if r[0].startswith("Black") else 0))
            for r in WITH_ETHNICITY]  # fmt: skip
    lines = ["Ethnicity,Gender,Age band,Count", *(",".join(map(str, r)) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _rows(out: Path) -> dict[str, dict[str, object]]:
    rows = list(load_workbook(out / PORTFOLIO_NAME)[SERVICES_SHEET].iter_rows(values_only=True))
    assert rows[0] == SERVICE_HEADERS
    return {str(r[0]): dict(zip(SERVICE_HEADERS, r, strict=True)) for r in rows[1:]}


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    """Youth Services records ethnicity; the Holiday Club records only sex and age."""
    folder = tmp_path / "returns"
    _with_ethnicity(folder / "Youth Services" / "2024-25 Q1.csv")
    _sex_age(folder / "Holiday Club" / "2024-25 Q1.csv")
    return folder


def _batch(returns: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["batch", str(returns), "-a", "Westminster", "--out",
                                      str(out), "--workers", "1", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_return_without_ethnicity_is_drafted_and_its_row_says_so(
    returns: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    output = _batch(returns, out)
    assert MSG_ALL_OK in output
    assert "could not be processed" not in output

    club = _text(out / "Holiday Club" / SECTION_DOCX.format(stem="2024-25 Q1"))
    assert NO_ETHNICITY_WORDS in club
    assert "Instead we compared who it reached by sex and age." in club
    youth = _text(out / "Youth Services" / SECTION_DOCX.format(stem="2024-25 Q1"))
    assert NO_ETHNICITY_WORDS not in youth
    assert re.search(rf"^\d+ {SEX_AND_AGE_PART}$", youth, re.M)  # as draft, by default
    check = json.loads((out / "Holiday Club" / CHECK_JSON.format(stem="2024-25 Q1")).read_text())
    assert check["can_analyse"] is True and check["characteristics"] == ["sex", "age_band"]

    rows = _rows(out)
    row = rows["Holiday Club"]
    assert row["Note"] == NOTE_NO_ETHNICITY.format(compared="sex and age")
    assert "compared by sex and age only" in str(row["Note"])
    assert (row["People"], row["Ethnicity known"], row["Status"]) == (178, 0, STATUS_OK)
    # No ethnicity: no concern counted, no RRI by ethnicity, no ethnicity trend.
    assert row["Concerns"] is None and row["Highest RRI"] is None
    assert row["Group with highest RRI"] is None
    assert row["Trend"] == NO_TREND_NO_ETHNICITY
    youth_row = rows["Youth Services"]
    assert youth_row["Note"] is None and youth_row["Ethnicity known"] == 1
    assert isinstance(youth_row["Concerns"], int) and youth_row["Trend"] == NO_TREND

    summary = json.loads((out / SUMMARY_NAME).read_text("utf-8"))
    by_name = {s["service"]: s for s in summary["services"]}
    assert (summary["returns"], summary["failed"]) == (2, 0)
    assert by_name["Holiday Club"]["compared_by"] == ["sex", "age_band"]
    assert by_name["Holiday Club"]["completeness"] == 0
    assert by_name["Holiday Club"]["concerns"] is None
    assert by_name["Youth Services"]["compared_by"] == ["ethnicity"]


def test_characteristic_adds_the_sex_and_age_part(returns: Path, tmp_path: Path) -> None:
    _batch(returns, tmp_path / "none", "--characteristic", "none")
    youth = _text(tmp_path / "none" / "Youth Services" / SECTION_DOCX.format(stem="2024-25 Q1"))
    assert SEX_AND_AGE_PART not in youth
    out = tmp_path / "out"
    _batch(returns, out, "--characteristic", "sex", "--characteristic", "age_band")
    youth = _text(out / "Youth Services" / SECTION_DOCX.format(stem="2024-25 Q1"))
    assert re.search(rf"^\d+ {SEX_AND_AGE_PART}$", youth, re.M)  # the part's heading
    assert "We also compared who Youth Services reached by sex and age." in youth
    assert NO_ETHNICITY_WORDS not in youth
    club = _text(out / "Holiday Club" / SECTION_DOCX.format(stem="2024-25 Q1"))
    assert NO_ETHNICITY_WORDS in club
    summary = json.loads((out / SUMMARY_NAME).read_text("utf-8"))
    by_name = {s["service"]: s for s in summary["services"]}
    assert by_name["Youth Services"]["compared_by"] == ["ethnicity", "sex", "age_band"]


def test_characteristic_by_sex_only_says_sex_only(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(returns, out, "--characteristic", "sex", "--no-draft")
    assert _rows(out)["Holiday Club"]["Note"] == NOTE_NO_ETHNICITY.format(compared="sex")
    assert not list(out.rglob("*.docx"))


def test_a_bad_characteristic_is_refused_with_exit_2(returns: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["batch", str(returns), "-a", "Westminster", "--out",
                                      str(tmp_path / "o"), "--characteristic", "ethnicity"])
    assert result.exit_code == 2
    assert "--characteristic" in result.output
    with pytest.raises(AnalysisError) as caught:
        run_batch(returns, tmp_path / "o", BatchSettings("Westminster",
                                                         characteristics=("height",)))
    assert caught.value.message == MSG_BAD_CHARACTERISTIC.format(value="height")
    assert not (tmp_path / "o").exists()  # refused before any work


def test_a_blocked_return_without_ethnicity_still_fails_with_its_problem(
    returns: Path, tmp_path: Path
) -> None:
    # Counts that are not whole numbers: the check finds no people (and so no sex or age
    # to compare), which stops analysis; both problems are listed.
    (returns / "Holiday Club" / "2024-25 Q1.csv").write_text(
        "Gender,Age band,Count\nFemale,5-9,<5\nMale,5-9,n/a\n", encoding="utf-8"
    )
    # No ethnicity column, and no one's sex or age is known: the check stops it, saying so.
    (returns / "Play Scheme").mkdir()
    (returns / "Play Scheme" / "2024-25 Q1.csv").write_text(
        "Gender,Count\nPrefer not to say,40\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(returns), "-a", "Westminster", "--out",
                                      str(out), "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert MSG_SOME_FAILED.format(failed=2, returns=3) in result.output
    blocked = MSG_FAILURE_LINE.format(service="Holiday Club", file="2024-25 Q1.csv",
                                      problem=MSG_CANNOT_ANALYSE.format(
                                          problems=f"{MSG_NO_ETHNICITY} {MSG_NO_PEOPLE}"))
    assert blocked in result.output.splitlines()
    nothing = MSG_FAILURE_LINE.format(service="Play Scheme", file="2024-25 Q1.csv",
                                      problem=MSG_CANNOT_ANALYSE.format(problems=MSG_NO_ETHNICITY))
    assert nothing in result.output.splitlines()
    assert not (out / "Holiday Club" / SECTION_DOCX.format(stem="2024-25 Q1")).exists()
    assert (out / "Holiday Club" / CHECK_JSON.format(stem="2024-25 Q1")).exists()
    rows = _rows(out)
    assert rows["Holiday Club"]["Status"] == STATUS_FAILED
    assert rows["Youth Services"]["Status"] == STATUS_OK


def test_the_trend_skips_returns_without_ethnicity(tmp_path: Path) -> None:
    """Q1 and Q2 record ethnicity, Q3 does not: the trend is over Q1 and Q2, the Q3
    section is about sex and age, and no section treats Q3 as an earlier period."""
    folder = tmp_path / "returns" / "Kooth"
    _with_ethnicity(folder / "2024-25 Q1.csv")
    _with_ethnicity(folder / "2024-25 Q2.csv", extra_black=40)
    _sex_age(folder / "2024-25 Q3.csv")
    _with_ethnicity(folder / "2024-25 Q4.csv", extra_black=60)
    out = tmp_path / "out"
    result = run_batch(tmp_path / "returns", out, BatchSettings("Westminster"), workers=1)
    assert result.ok, result.summaries
    (summary,) = result.summaries
    assert summary.latest_period == "2024-25 Q4" and summary.compared_by == ("ethnicity",)
    assert summary.note == "" and summary.completeness == 1.0
    q3 = _text(out / "Kooth" / SECTION_DOCX.format(stem="2024-25 Q3"))
    assert NO_ETHNICITY_WORDS in q3
    q4 = _text(out / "Kooth" / SECTION_DOCX.format(stem="2024-25 Q4"))
    assert "Change over time: we compared the three quarters" in q4

    (folder / "2024-25 Q4.csv").unlink()
    result = run_batch(tmp_path / "returns", tmp_path / "out2", BatchSettings("Westminster",
                                                                              draft=False))
    (summary,) = result.summaries
    assert summary.latest_period == "2024-25 Q3" and summary.concerns is None
    assert summary.note == NOTE_NO_ETHNICITY.format(compared="sex and age")
    before, after = TREND_TO_PERIOD.split("{trend}")[1].split("{period}")
    assert summary.trend.endswith(before + "2024-25 Q2" + after)
    assert summary.trend != NO_TREND_NO_ETHNICITY


def test_settings_with_characteristics_go_to_workers(returns: Path, tmp_path: Path) -> None:
    settings = BatchSettings("Westminster", characteristics=("sex", "age_band"), draft=False)
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert settings.run_settings("S", "Q1").characteristics == ("sex", "age_band")
    one = run_batch(returns, tmp_path / "one", settings, workers=1)
    two = run_batch(returns, tmp_path / "two", settings, workers=2)
    assert one.ok and one.summaries == two.summaries
