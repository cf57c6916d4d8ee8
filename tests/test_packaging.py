"""The built wheel carries everything a user's fresh install needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


MAX_WHEEL_BYTES = 10_000_000  # the package (with its data) stays under 10 MB


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("commissioning-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_is_under_10_mb(wheel: Path) -> None:
    assert wheel.stat().st_size < MAX_WHEEL_BYTES
    with zipfile.ZipFile(wheel) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert unpacked < MAX_WHEEL_BYTES


def test_wheel_ships_every_report_template(wheel_names: set[str]) -> None:
    shipped = {n for n in wheel_names if n.startswith("commissioning/templates/")}
    in_repo = {
        "commissioning/templates/" + p.relative_to(ROOT / "templates").as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert any(n.endswith(".j2") for n in in_repo), "templates/ holds no Jinja2 templates"
    assert in_repo <= shipped


def test_wheel_ships_population_data(wheel_names: set[str]) -> None:
    in_repo = {
        "commissioning/data/" + p.name
        for p in (ROOT / "commissioning" / "data").iterdir()
        if p.is_file() and p.suffix != ".py"
    }
    assert in_repo, "commissioning/data holds no built population data"
    assert in_repo <= wheel_names


def test_wheel_ships_the_forenames_list(wheel_names: set[str]) -> None:
    assert "commissioning/returns/forenames.txt" in wheel_names


def test_wheel_is_typed(wheel_names: set[str]) -> None:
    assert "commissioning/py.typed" in wheel_names
