"""Uploaded files: saved into a private temporary folder, read, and gone after the request.

The reader (`commissioning.returns.read_return`) only reads paths, so each upload is written
to a folder made by `tempfile.TemporaryDirectory` (mode 0700, removed when the request
ends, whatever happens). The file's own name is reduced to a safe base name: it is used for
the audit trail and to tell the reader the file type, never as a path.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Protocol

from commissioning.returns.model import ProviderReturn

#: Characters kept in an uploaded file's name; everything else becomes "_".
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100
#: Upload folders are named ``commissioning-web-<process id>-<random>``.
FOLDER_PREFIX = "commissioning-web-"
_FOLDER = re.compile(re.escape(FOLDER_PREFIX) + r"(\d+)-[A-Za-z0-9_]+")
#: A folder older than this is stale whoever made it (no request takes an hour).
STALE_AFTER_S = 3600


class Upload(Protocol):
    """What the web framework hands us for one uploaded file (werkzeug's FileStorage)."""

    filename: str | None

    def save(self, dst: str) -> None: ...


def safe_name(filename: str | None, index: int = 0) -> str:
    """A base name that cannot escape the folder: letters, digits, '.', '_' and '-' only."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", base).strip("._")[-_MAX_NAME:].lstrip("._")
    return name or f"return-{index + 1}"


@contextmanager
def private_folder() -> Iterator[Path]:
    """A folder only this process can read, deleted (with its contents) on exit."""
    with TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-") as folder:
        yield Path(folder)


def sweep_stale_folders(root: Path | None = None, *, now: float | None = None) -> int:
    """Delete upload folders left by a server that was killed mid-request (its own
    `finally` never ran); run at start-up. A folder is stale when the process that made it
    is gone (where that can be checked) or it is older than `STALE_AFTER_S`. Returns how
    many were deleted."""
    root = Path(tempfile.gettempdir()) if root is None else root
    now = time.time() if now is None else now
    removed = 0
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            found = _FOLDER.fullmatch(entry.name)
            if found is None or not entry.is_dir() or entry.is_symlink():
                continue
            pid = int(found.group(1))
            try:
                age = now - entry.stat().st_mtime
            except OSError:
                continue
            if pid == os.getpid() and age < STALE_AFTER_S:
                continue
            if age > STALE_AFTER_S or not _alive(pid):
                shutil.rmtree(entry, ignore_errors=True)
                removed += not entry.exists()
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (POSIX); on Windows, signalling would end it, so every
    process counts as alive and only the age rule applies."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def save_upload(upload: Upload, folder: Path, *, index: int = 0) -> Path:
    """Save one upload as ``folder/NN/<safe name>`` (its own subfolder, so names never clash)."""
    target = folder / f"{index:02d}" / safe_name(upload.filename, index)
    target.parent.mkdir(mode=0o700)
    upload.save(str(target))
    return target


def read_upload(
    upload: Upload,
    folder: Path,
    *,
    index: int = 0,
    sheet: str | None = None,
    as_of: dt.date | None = None,
) -> ProviderReturn:
    """Save one upload into ``folder`` and read it with the library's reader.

    The return's ``path`` is the safe base name, so no temporary path reaches the audit trail.
    """
    from commissioning.returns import read_return

    target = save_upload(upload, folder, index=index)
    read = read_return(target, sheet=sheet, as_of=as_of)
    return dataclasses.replace(read, path=target.name)
