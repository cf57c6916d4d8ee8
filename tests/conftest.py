"""Shared test settings."""

from __future__ import annotations

import os
import shutil

import pytest

#: In CI LibreOffice is installed by .ci/run, so a missing `soffice` there is a failure,
#: not a reason to skip. On a developer's machine without it, the Word files are still
#: checked structurally by python-docx tests; the LibreOffice check is skipped.
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not IN_CI,
    reason="LibreOffice (soffice) is not installed; .ci/run installs it",
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
