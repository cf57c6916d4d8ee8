"""A drafted section as PDF, through LibreOffice when it is installed.

The Word layout (`commissioning.render.docx`) is converted by ``soffice --headless``, in a
private profile in a temporary folder (so a LibreOffice the user has open is not
disturbed), then written atomically. Without LibreOffice: one line naming the fix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Final

from commissioning.errors import OutputError
from commissioning.outputs import write_atomic

MSG_NO_LIBREOFFICE: Final = (
    "Writing a PDF needs LibreOffice, which is not installed here. Install it "
    "(Windows or Mac: libreoffice.org; Debian or Ubuntu: sudo apt-get install "
    "libreoffice-writer-nogui), or write .docx with --out and save it as PDF from Word."
)
MSG_CONVERSION_FAILED: Final = (
    "LibreOffice could not turn the section into a PDF. Write .docx with --out instead "
    "and save it as PDF from Word."
)
#: Programs tried in order; COMMISSIONING_SOFFICE names another.
_NAMES: Final = ("soffice", "libreoffice")
_WINDOWS: Final = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
TIMEOUT_S: Final = 300


def find_soffice() -> str | None:
    """Where LibreOffice's ``soffice`` is, or None."""
    named = os.environ.get("COMMISSIONING_SOFFICE")
    if named:
        return named if Path(named).is_file() else None
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _WINDOWS if Path(p).is_file()), None)


def docx_to_pdf(document: bytes) -> bytes:
    """PDF bytes of a Word document."""
    soffice = find_soffice()
    if soffice is None:
        raise OutputError(MSG_NO_LIBREOFFICE)
    with tempfile.TemporaryDirectory(prefix="commissioning-pdf-") as folder:
        work = Path(folder)
        source = work / "section.docx"
        source.write_bytes(document)
        try:
            done = subprocess.run(
                [soffice, "--headless", "--norestore",
                 f"-env:UserInstallation={(work / 'profile').as_uri()}",
                 "--convert-to", "pdf", "--outdir", str(work), str(source)],
                capture_output=True, timeout=TIMEOUT_S, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OutputError(MSG_CONVERSION_FAILED) from exc
        pdf = work / "section.pdf"
        if done.returncode != 0 or not pdf.is_file():
            raise OutputError(MSG_CONVERSION_FAILED)
        return pdf.read_bytes()


def write_pdf(document: bytes, out: Path | str) -> Path:
    return write_atomic(out, docx_to_pdf(document))
