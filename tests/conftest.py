"""Shared test settings: tests that need a program the package does not install.

Mark a test ``@needs_tool("soffice")`` (or use `needs_soffice`). When the program is not
on PATH the test is skipped with the line that installs it; in CI (the CI environment
variable is set, as `.ci/run` does) it fails instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from typing import Final

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: How to install each program (Debian or Ubuntu; `.ci/run` installs them all).
INSTALL: Final = {
    "soffice": "LibreOffice",
    "pdftotext": "poppler-utils (pdftotext)",
    "pdftoppm": "poppler-utils (pdftoppm)",
    "chromium": "Chromium",
}
PACKAGES: Final = {
    "soffice": "libreoffice-writer-nogui libreoffice-calc-nogui",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "chromium": "chromium chromium-driver",
}
MSG_MISSING: Final = (
    "{what} is not installed, so this test cannot run. Install it with "
    "'sudo apt-get install -y {packages}' (or run .ci/run, which installs it)."
)

#: The raw ONS/DfE files the embedded data is built from (see their PROVENANCE.md). CI
#: has them beside the repository (../shared/data); a worktree elsewhere can point to them
#: with COMMISSIONING_SHARED_DATA. In CI their absence fails the tests that need them.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_DATA = os.environ.get("COMMISSIONING_SHARED_DATA") or os.path.join(
    os.path.dirname(_ROOT), "shared", "data"
)


@pytest.fixture(scope="session")
def shared_data():  # type: ignore[no-untyped-def]
    """The raw data folder as a Path; skip on a developer's machine without it."""
    from pathlib import Path

    folder = Path(SHARED_DATA)
    if not folder.is_dir():
        if IN_CI:
            pytest.fail(f"the raw data folder {folder} is missing in CI")
        pytest.skip(f"the raw data folder {folder} is absent (set COMMISSIONING_SHARED_DATA)")
    return folder

def tool_path(name: str) -> str | None:
    """Where the program is: COMMISSIONING_<NAME> if set, else the first on PATH."""
    override = os.environ.get(f"COMMISSIONING_{name.upper()}")
    if override:
        return override if os.path.exists(override) else None
    return shutil.which(name)


def missing_message(name: str) -> str:
    return MSG_MISSING.format(what=INSTALL.get(name, name), packages=PACKAGES.get(name, name))


def require_tool(name: str) -> str:
    """The program's path; skips the test (fails it in CI) when it is missing."""
    path = tool_path(name)
    if path is None:
        if IN_CI:
            pytest.fail(missing_message(name) + " CI needs it.")
        pytest.skip(missing_message(name))
    return path


def needs_tool(*names: str) -> pytest.MarkDecorator:
    return pytest.mark.needs_tool(*names)


needs_soffice = needs_tool("soffice")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs_tool(*names): needs these programs; skipped without them, "
        "failed without them in CI"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs_tool"):
        for name in mark.args:
            require_tool(name)
