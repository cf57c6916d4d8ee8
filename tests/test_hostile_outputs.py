"""Issue 13, outputs: every file through the atomic writer and the input check, control
characters kept out of documents and the terminal, and kills that leave no half file and
no temporary file."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_batch import _write_return

from commissioning.cli import main
from commissioning.outputs import MSG_SAME_AS_INPUT, sweep_stale_temporaries, write_atomic
from commissioning.render.write import CHART_NAME

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
ESCAPES = ("\x1b]0;owned\x07", "\x1b[31m", "\x9b2J", "\x07")


def _temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*.tmp")]


def test_the_chart_beside_a_markdown_file_never_replaces_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "section.md"
    victim = tmp_path / CHART_NAME.format(stem="section")  # a return named like the chart
    shutil.copy(EXAMPLE, victim)
    before = victim.read_bytes()
    code = main(["draft", str(victim), "--authority", "Westminster", "--service", "HAF",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "Error: " + MSG_SAME_AS_INPUT.format(path=victim) + "\n"
    assert victim.read_bytes() == before
    assert _temporaries(tmp_path) == []


def test_a_folder_name_with_escapes_reaches_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx
    from openpyxl import load_workbook

    folder = tmp_path / "returns"
    name = "Youth\x1b]0;owned\x07 Club\x9b2J"
    _write_return(folder / name / "2024-25 Q1.csv", {"Asian": 30, "White": 60, "Black": 20})
    _write_return(folder / "Kooth 2024-25 Q1.csv", {"Asian": 20, "White": 70, "Mixed": 15})
    out = tmp_path / "out"
    code = main(["batch", str(folder), "--authority", "Westminster", "--out", str(out),
                 "--workers", "1"])
    captured = capsys.readouterr()
    assert code in (0, 1), captured
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".xlsx" for p in written)  # the portfolio was written
    for path in written:
        assert not any(c in path.name for c in "\x1b\x07\x9b")
        if path.suffix == ".docx":
            text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        elif path.suffix == ".xlsx":
            book = load_workbook(path)
            text = "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
        else:
            text = path.read_text(encoding="utf-8")
        assert not any(e in text for e in ESCAPES), path.name
    assert not any(e in captured.out + captured.err for e in ESCAPES)


def test_an_error_naming_a_hostile_file_is_one_clean_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "return\x1b]0;owned\x07.xlsx"
    assert main(["check", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Error: ")
    assert not any(e in err for e in ESCAPES)


def test_stale_temporaries_of_dead_writers_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".report.docx.{int(dead.stdout)}.abc123.tmp"
    stale.write_bytes(b"half")
    mine = tmp_path / f".other.md.{os.getpid()}.def456.tmp"
    mine.write_bytes(b"in progress")
    unrelated = tmp_path / ".notes.tmp"
    unrelated.write_bytes(b"not ours")
    write_atomic(tmp_path / "report.docx", b"whole")
    assert not stale.exists() and mine.exists() and unrelated.exists()
    assert sweep_stale_temporaries(tmp_path) == 0


WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from commissioning import outputs
    target, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "rename":
        real = os.replace
        def slow_replace(src, dst):
            print("renaming", flush=True)
            time.sleep(30)
            real(src, dst)
        outputs.os.replace = slow_replace
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        outputs.write_atomic(target, (b"%08d" % n) * 500_000)
    """
)


def _writer(tmp_path: Path, mode: str) -> subprocess.Popen[str]:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "out" / "report.bin"), mode],
        stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() in ("ready", "renaming")
    return process


def _gone(pid: int, within: float = 10.0) -> None:
    """Wait until the system no longer knows the process: some sandboxes finish tearing a
    killed process down a moment after wait() returns, and the sweep asks the system
    whether the writer still runs."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def _whole_or_absent(target: Path) -> None:
    if target.exists():
        data = target.read_bytes()
        assert len(data) == 4_000_000 and data == data[:8] * 500_000


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_kill_at_a_random_moment_leaves_no_half_file(tmp_path: Path, sig: int) -> None:
    (tmp_path / "out").mkdir()
    rng = random.Random(sig)
    for _ in range(3):
        process = _writer(tmp_path, "loop")
        time.sleep(rng.uniform(0.05, 0.6))
        process.send_signal(sig)
        process.wait(timeout=30)
        _gone(process.pid)
        _whole_or_absent(tmp_path / "out" / "report.bin")
        if sig != signal.SIGKILL:
            assert _temporaries(tmp_path / "out") == []
    write_atomic(tmp_path / "out" / "next.bin", b"x")  # the next write sweeps after kill -9
    assert _temporaries(tmp_path / "out") == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_kill_at_the_rename_leaves_no_half_file(tmp_path: Path, sig: int) -> None:
    (tmp_path / "out").mkdir()
    process = _writer(tmp_path, "rename")
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "renaming"
    process.send_signal(sig)
    process.wait(timeout=30)
    _gone(process.pid)
    assert process.returncode != 0
    assert not (tmp_path / "out" / "report.bin").exists()
    if sig != signal.SIGKILL:
        assert _temporaries(tmp_path / "out") == []
    write_atomic(tmp_path / "out" / "next.bin", b"x")
    assert _temporaries(tmp_path / "out") == []
