"""Writing output files safely: atomically, never over an input, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from commissioning.errors import OutputError

MSG_SAME_AS_INPUT = (
    "The output file {path} is the same as an input file. "
    "Choose a different name with --out so the original is kept."
)
MSG_CANNOT_WRITE = "Cannot write {path}: {reason}. Choose a folder you can write to with --out."


def refuse_overwriting_inputs(out: Path, inputs: Iterable[Path]) -> None:
    """Raise `OutputError` when ``out`` names the same file as any input."""
    out_resolved = Path(out).expanduser().resolve()
    for item in inputs:
        if Path(item).expanduser().resolve() == out_resolved:
            raise OutputError(MSG_SAME_AS_INPUT.format(path=out))


def require_folder(path: Path | str) -> Path:
    """The folder ``path`` would be written in; `OutputError` naming ``path`` when that
    folder does not exist (checked before a command writes any of its files)."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(MSG_CANNOT_WRITE.format(path=target, reason="the folder does not exist"))
    return folder


def write_atomic(path: Path | str, write: Callable[[Path], None] | bytes | str) -> Path:
    """Write to a temporary file beside ``path`` and rename it into place.

    ``write`` is the content (bytes or text, UTF-8) or a function that writes a file at
    the temporary path it is given. On any error the temporary file is removed and the
    destination is left as it was.
    """
    target = Path(path).expanduser()
    folder = require_folder(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if isinstance(write, bytes):
            tmp.write_bytes(write)
        elif isinstance(write, str):
            tmp.write_text(write, encoding="utf-8")
        else:
            write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except PermissionError as exc:
        raise OutputError(MSG_CANNOT_WRITE.format(path=target, reason="permission denied")) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target
