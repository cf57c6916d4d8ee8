"""`commissioning batch`: a folder of returns in, checks, drafts and a portfolio out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from commissioning.batch import service as batch_module
from commissioning.batch.portfolio import NOTE_UNRELIABLE, SERVICE_HEADERS, SERVICES_SHEET
from commissioning.batch.runner import (
    CHECK_JSON,
    CHECK_TEXT,
    MSG_NO_RETURNS,
    MSG_NOT_A_FOLDER,
    MSG_OUT_INSIDE,
    MSG_UNEXPECTED,
    MSG_WORKER_LOST,
    MSG_WORKERS,
    NO_TREND,
    PORTFOLIO_NAME,
    SECTION_DOCX,
    SUMMARY_NAME,
    BatchSettings,
    discover,
    output_stems,
    plan,
    run_batch,
    run_jobs,
    service_name,
)
from commissioning.cli import main
from commissioning.cli.batch import MSG_ALL_OK, MSG_FAILURE_LINE, MSG_SOME_FAILED

GROUPS = {
    "Asian": "Asian, Asian British or Asian Welsh: Indian",
    "Black": "Black, Black British, Black Welsh, Caribbean or African: African",
    "Mixed": "Mixed or Multiple ethnic groups: White and Asian",
    "White": "White: English, Welsh, Scottish, Northern Irish or British",
    "Other": "Other ethnic group: Arab",
}
BROKEN = b"\x00\x01\x02 not a table \xff\xfe" * 4


def _write_return(path: Path, people: dict[str, int]) -> Path:
    lines = ["Ethnicity,Gender,Age"]
    for group, count in people.items():
        lines += [f'"{GROUPS[group]}",{"Female" if i % 2 else "Male"},{5 + i % 10}' for i in
                  range(count)]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _docx_paragraphs(path: Path) -> list[str]:
    import docx

    return [p.text.split("\t", 1)[-1] for p in docx.Document(str(path)).paragraphs]


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    """Two services: Kooth (a subfolder, two quarters, Black rising) and Youth Services
    (loose files named by service and period), plus one unreadable return."""
    folder = tmp_path / "returns"
    _write_return(
        folder / "Kooth" / "2024-25 Q2.csv",
        {"Asian": 20, "Black": 60, "Mixed": 15, "White": 30, "Other": 25},
    )
    _write_return(
        folder / "Kooth" / "2024-25 Q1.csv",
        {"Asian": 25, "Black": 30, "Mixed": 20, "White": 40, "Other": 35},
    )
    _write_return(
        folder / "Youth Services 2024-25 Q1.csv",
        {"Asian": 30, "Black": 35, "Mixed": 20, "White": 45, "Other": 40},
    )
    (folder / "Kooth" / "~$2024-25 Q2.csv").write_bytes(b"lock file")  # Excel's lock file
    (folder / ".hidden.csv").write_bytes(b"x")
    (folder / "Holiday Activities 2024-25 Q1.csv").write_bytes(BROKEN)
    return folder  # fmt: skip


def test_discover_groups_by_subfolder_and_file_name(returns: Path) -> None:
    found = {name: [f.name for f in files] for name, files in discover(returns)}
    assert found == {
        "Holiday Activities": ["Holiday Activities 2024-25 Q1.csv"],
        "Kooth": ["2024-25 Q1.csv", "2024-25 Q2.csv"],  # earliest period first
        "Youth Services": ["Youth Services 2024-25 Q1.csv"],
    }


@pytest.mark.parametrize(
    ("file_name", "service"),
    [
        ("Kooth 2024-25 Q1.xlsx", "Kooth"),
        ("youth_services_Q2_2024.csv", "youth services"),
        ("HAF - March 2025 return.ods", "HAF"),
        ("2024.csv", "2024"),
        ("bibrough_mental_health_2024q2.xlsx", "bibrough mental health"),
        ("Kooth Q3-2024-25.csv", "Kooth"),
    ],
)
def test_service_name_drops_periods(file_name: str, service: str) -> None:
    assert service_name(file_name) == service


def test_batch_reports_the_bad_return_and_keeps_the_rest(
    returns: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        ["batch", str(returns), "--authority", "Westminster", "--out", str(out), "--workers", "1"]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert MSG_SOME_FAILED.format(failed=1, returns=4) in captured.out
    failure = [line for line in captured.out.splitlines() if "Holiday Activities /" in line]
    assert len(failure) == 1 and failure[0].startswith(
        MSG_FAILURE_LINE.format(
            service="Holiday Activities", file="Holiday Activities 2024-25 Q1.csv", problem=""
        )[:-1]
    )
    assert "Traceback" not in captured.out + captured.err
    for stem, sub in (
        ("2024-25 Q1", "Kooth"),
        ("2024-25 Q2", "Kooth"),
        ("Youth Services 2024-25 Q1", "Youth Services"),
    ):
        report = json.loads((out / sub / CHECK_JSON.format(stem=stem)).read_text("utf-8"))
        assert report["can_analyse"] is True
        assert (out / sub / CHECK_TEXT.format(stem=stem)).read_text("utf-8").startswith("Check of")
        assert (out / sub / SECTION_DOCX.format(stem=stem)).stat().st_size > 0
    assert not list(out.rglob("*.tmp")), "no half-written files"
    later = _docx_paragraphs(out / "Kooth" / SECTION_DOCX.format(stem="2024-25 Q2"))
    first = _docx_paragraphs(out / "Kooth" / SECTION_DOCX.format(stem="2024-25 Q1"))
    assert any(p.startswith("Change over time: we compared the two quarters") for p in later)
    assert any(
        p.startswith("Black: the RRI rose from") and "statistically significant" in p for p in later
    )
    assert not any("Change over time" in p for p in first)

    book = load_workbook(out / PORTFOLIO_NAME)
    rows = list(book[SERVICES_SHEET].iter_rows(values_only=True))
    by_service = {r[0]: dict(zip(SERVICE_HEADERS, r, strict=True)) for r in rows[1:]}
    assert set(by_service) == {"Holiday Activities", "Kooth", "Youth Services"}
    kooth = by_service["Kooth"]
    assert (kooth["Returns"], kooth["Latest period"], kooth["People"]) == (2, "2024-25 Q2", 150)
    assert kooth["Group with highest RRI"] == "Black"
    assert kooth["Trend"] == "Black rising"
    assert by_service["Holiday Activities"]["Status"] == "no return could be read"
    assert by_service["Youth Services"]["Trend"] == NO_TREND

    summary = json.loads((out / SUMMARY_NAME).read_text("utf-8"))
    assert (summary["returns"], summary["failed"]) == (4, 1)
    assert summary["services"][0]["failures"][0]["file"] == "Holiday Activities 2024-25 Q1.csv"


def test_two_workers_give_the_same_portfolio(returns: Path, tmp_path: Path) -> None:
    settings = BatchSettings("Westminster", draft=False)
    one = run_batch(returns, tmp_path / "one", settings, workers=1)
    two = run_batch(returns, tmp_path / "two", settings, workers=2)
    assert one.summaries == two.summaries
    assert not one.ok and one.failed == 1


def test_all_good_returns_exit_zero(
    returns: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (returns / "Holiday Activities 2024-25 Q1.csv").unlink()
    code = main(
        ["batch", str(returns), "-a", "Westminster", "--out", str(tmp_path / "o"), "--no-draft"]
    )
    assert code == 0
    assert MSG_ALL_OK in capsys.readouterr().out


def test_a_crashed_worker_loses_only_its_own_service(
    returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch_module._check_and_analyse

    def crash_on_youth(path: Path, stem: str, out: Path, settings: BatchSettings):  # type: ignore[no-untyped-def]
        if path.name.startswith("Youth"):
            os._exit(3)  # the worker process dies without a word
        return real(path, stem, out, settings)

    monkeypatch.setattr(batch_module, "_check_and_analyse", crash_on_youth)
    (returns / "Holiday Activities 2024-25 Q1.csv").unlink()
    jobs = plan(returns, tmp_path / "out", BatchSettings("Westminster", draft=False))
    outcomes = {o.summary.service: o.summary for o in run_jobs(jobs, 2)}
    assert outcomes["Kooth"].failed == 0 and outcomes["Kooth"].people == 150
    youth = outcomes["Youth Services"]
    assert youth.failed == 1 and youth.failures[0].problem == MSG_WORKER_LOST


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere"], MSG_NOT_A_FOLDER.format(folder="nowhere")),
        (["empty"], None),
        (["returns", "--out", "returns/out"], None),
        (["returns", "--workers", "0"], MSG_WORKERS.format(workers=0)),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    returns: Path,
    args: list[str],
    message: str | None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(returns.parent)
    (returns.parent / "empty").mkdir()
    code = main(["batch", *args, "--authority", "Westminster"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    expected = message or (
        MSG_NO_RETURNS.format(folder="empty")
        if args == ["empty"]
        else MSG_OUT_INSIDE.format(out="returns/out")
    )
    assert err == "Error: " + expected + "\n"


def test_unknown_authority_fails_before_any_work(
    returns: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["batch", str(returns), "-a", "Atlantis", "--out", str(tmp_path / "o")])
    assert code == 2
    assert not (tmp_path / "o" / PORTFOLIO_NAME).exists()
    assert "Atlantis" in capsys.readouterr().err


def test_returns_sharing_a_name_keep_separate_outputs() -> None:
    stems = output_stems([Path("a/Q1.csv"), Path("a/Q1.xlsx"), Path("a/Q2.csv")])
    assert stems == {
        Path("a/Q1.csv"): "Q1.csv",
        Path("a/Q1.xlsx"): "Q1.xlsx",
        Path("a/Q2.csv"): "Q2",
    }


def test_default_output_folder_sits_beside_the_returns(tmp_path: Path) -> None:
    from commissioning.cli.batch import default_out, default_workers

    assert default_out(tmp_path / "returns") == tmp_path / "returns outputs"
    assert 1 <= default_workers() <= 4


def test_an_unexpected_error_is_reported_without_its_message(
    returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(path: Path, stem: str, out: Path, settings: BatchSettings):  # type: ignore[no-untyped-def]
        raise KeyError("Jane Smith 01/02/2015")  # as if an error quoted a cell

    monkeypatch.setattr(batch_module, "_check_and_analyse", boom)
    result = run_batch(returns, tmp_path / "out", BatchSettings("Westminster"), workers=1)
    assert result.failed == result.returns == 4
    text = result.summary_file.read_text("utf-8")
    assert "Jane" not in text and "2015" not in text.replace("2024-25", "")
    failure = json.loads(text)["services"][1]["failures"][0]
    assert failure == {"file": "2024-25 Q1.csv", "problem": MSG_UNEXPECTED, "detail": "KeyError"}


def test_unreliable_figures_are_not_counted_as_concerns(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    path = _write_return(
        folder / "Early Help 2024-25 Q2.csv",
        {"Asian": 10, "Black": 60, "Mixed": 20, "White": 20, "Other": 10},
    )
    lines = path.read_text("utf-8").splitlines()
    lines += ["Prefer not to say,Female,9"] * 80  # 40% with no recorded ethnicity
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_batch(folder, tmp_path / "out", BatchSettings("Westminster", draft=False))
    (summary,) = result.summaries
    assert summary.people == 200 and summary.concerns is None
    assert summary.note == NOTE_UNRELIABLE
