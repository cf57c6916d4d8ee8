"""A process killed with SIGKILL while writing an output leaves no half file: the old
version stays whole. Where the system can link an unnamed file (Linux O_TMPFILE on most
file systems) nothing at all is left; elsewhere the named temporary file is removed by
the next write into that folder (its process id no longer runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KILL_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path
from commissioning import outputs
real_write, real_bytes = os.write, Path.write_bytes
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)   # no handler, no clean-up can run
def write(fd, data):
    real_write(fd, bytes(data[:1000]))
    die()
outputs.os.write = write              # the unnamed-file path
Path.write_bytes = lambda self, data: (real_bytes(self, data[:1000]), die())  # the named one
outputs.write_atomic(sys.argv[1], b"x" * 5_000_000)
"""


def test_sigkill_while_writing_leaves_no_half_file(tmp_path: Path) -> None:
    from commissioning.outputs import write_atomic

    target = tmp_path / "section.md"
    target.write_text("the old version", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", KILL_WHILE_WRITING, str(target)],
                          capture_output=True, check=False)
    assert done.returncode == -9
    assert target.read_text(encoding="utf-8") == "the old version"
    left = sorted(p.name for p in tmp_path.iterdir())
    # The content was going to an unnamed file (nothing to leave) where the system has
    # O_TMPFILE; else to a named temporary, which the next write sweeps away.
    assert left == ["section.md"] or (
        not hasattr(os, "O_TMPFILE") and len(left) == 2 and left[0].startswith(".section.md.")
    )
    write_atomic(tmp_path / "other.md", "next")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.md", "section.md"]


def test_content_and_mode_are_as_before(tmp_path: Path) -> None:
    from commissioning.outputs import write_atomic

    target = tmp_path / "a.txt"
    write_atomic(target, "é")
    assert target.read_text(encoding="utf-8") == "é"
    write_atomic(target, b"bytes")
    assert target.read_bytes() == b"bytes"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
