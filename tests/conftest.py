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
