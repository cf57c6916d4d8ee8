"""A process killed with SIGKILL while writing an output leaves nothing behind: the
content goes to an unnamed file (O_TMPFILE) that is named only once it is complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not hasattr(os, "O_TMPFILE"), reason="O_TMPFILE is Linux only; elsewhere a named "
    "temporary file is swept at the next write"
)

KILL_WHILE_WRITING = """
import os, signal, sys
from commissioning import outputs
real = os.write
def write(fd, data):
    real(fd, bytes(data[:1000]))
    os.kill(os.getpid(), signal.SIGKILL)   # no handler, no clean-up can run
outputs.os.write = write
outputs.write_atomic(sys.argv[1], b"x" * 5_000_000)
"""


def test_sigkill_while_writing_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "section.md"
    target.write_text("the old version", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", KILL_WHILE_WRITING, str(target)],
                          capture_output=True, check=False)
    assert done.returncode == -9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["section.md"]
    assert target.read_text(encoding="utf-8") == "the old version"


def test_content_and_mode_are_as_before(tmp_path: Path) -> None:
    from commissioning.outputs import write_atomic

    target = tmp_path / "a.txt"
    write_atomic(target, "é")
    write_atomic(target, b"bytes")
    assert target.read_bytes() == b"bytes"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
