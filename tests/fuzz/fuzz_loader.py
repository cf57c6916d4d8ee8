"""Atheris fuzz target for the file loader (optional; not part of the test suite).

Each input is written to a temporary file, named .xlsx, .ods, .xls or .csv by its first
byte, and read with `load_workbook` in process (isolation off, so a native crash is seen
by the fuzzer). Anything other than a `CommissioningError` is a finding.

    pip install atheris
    python tests/fuzz/fuzz_loader.py -max_total_time=60 [CORPUS_DIR ...]

Seed it with the hostile corpus: python tests/hostile/make_corpus.py seeds/
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from commissioning.errors import CommissioningError
    from commissioning.loading.loader import load_workbook

SUFFIXES = (".xlsx", ".ods", ".xls", ".csv")
FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-loader-"))


def test_one_input(data: bytes) -> None:
    if not data:
        return
    path = FOLDER / f"input{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    with contextlib.suppress(CommissioningError):
        load_workbook(path, isolate=False)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
