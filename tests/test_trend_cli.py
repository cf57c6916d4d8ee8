"""`analyse` and `draft` with earlier periods: --previous FILE... or a period column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commissioning.analysis.trends import GROUP_COLUMNS, MSG_ANALYSIS_BY, MSG_DUPLICATE_PERIOD
from commissioning.cli import main

QUARTERS = ["2024-25 Q1", "2024-25 Q2", "2024-25 Q3"]
PEOPLE = {  # Black rises, White falls
    "Indian": [30, 30, 30],
    "African": [20, 45, 80],
    "White and Asian": [20, 20, 20],
    "White British": [60, 50, 40],
    "Arab": [40, 35, 30],
}


def _write(path: Path, quarter: int, *, period_column: bool = False) -> Path:
    header = "Ethnicity,Gender,Age" + (",Period" if period_column else "")
    lines = [header]
    for label, counts in PEOPLE.items():
        suffix = f",{QUARTERS[quarter]}" if period_column else ""
        lines += [f"{label},Female,9{suffix}"] * counts[quarter]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def quarters(tmp_path: Path) -> list[Path]:
    return [_write(tmp_path / f"{q}.csv", i) for i, q in enumerate(QUARTERS)]


def test_analyse_with_previous_adds_rri_by_period_and_a_sentence(
    quarters: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["analyse", str(quarters[2]), "-a", "Westminster"]
    code = main([*args, "--previous", str(quarters[0]), "--previous", str(quarters[1])])
    out = capsys.readouterr().out
    assert code == 0
    assert "RRI by period" in out
    header = next(line for line in out.splitlines() if line.startswith("RRI by period"))
    assert header.split()[3:] == ["2024-25", "Q1", "2024-25", "Q2", "2024-25", "Q3"]
    assert "Black: the RRI rose from" in out and "statistically significant" in out


def test_analyse_json_has_a_trend_key(
    quarters: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["analyse", str(quarters[2]), "-a", "Westminster", "--format", "json",
                 "--previous", str(quarters[0]), "--previous", str(quarters[1])])  # fmt: skip
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    trend = document["trend"]
    assert trend["periods"] == QUARTERS and trend["unit"] == "quarter"
    assert list(trend["groups"][0]) == list(GROUP_COLUMNS)
    black = next(g for g in trend["groups"] if g["group"] == "Black")
    assert black["direction"] == "rising" and black["significant"] is True


def test_a_period_column_gives_the_trend_without_previous(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = []
    for i in range(3):
        lines += _write(tmp_path / "x.csv", i, period_column=True).read_text().splitlines()[1:]
    whole = tmp_path / "year.csv"
    whole.write_text("Ethnicity,Gender,Age,Period\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert main(["analyse", str(whole), "-a", "Westminster"]) == 0
    assert "Black: the RRI rose from" in capsys.readouterr().out


def test_previous_with_by_or_a_repeated_period_is_one_plain_line(
    quarters: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["analyse", str(quarters[2]), "-a", "Westminster", "--comparator",
                 "census2011", "--by", "sex", "--previous", str(quarters[0])])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err == "Error: " + MSG_ANALYSIS_BY + "\n"
    code = main(["analyse", str(quarters[2]), "-a", "Westminster",
                 "--previous", str(quarters[2])])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err == "Error: " + MSG_DUPLICATE_PERIOD.format(period="2024-25 Q3") + "\n"


def test_draft_with_previous_says_how_the_groups_moved(
    quarters: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["draft", str(quarters[2]), "-a", "Westminster", "--service", "Kooth",
                 "--period", "2024-25 Q3",
                 "--previous", str(quarters[0]), "--previous", str(quarters[1])])  # fmt: skip
    text = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert "Change over time: we compared the three quarters from 2024-25 Q1 to 2024-25 Q3" in text
    assert "Black: the RRI rose from" in text
