"""Uploaded files: saved into a private temporary folder, read, and gone after the request.

The reader (`commissioning.returns.read_return`) only reads paths, so each upload is written
to a folder made by `tempfile.TemporaryDirectory` (mode 0700, removed when the request
ends, whatever happens). The file's own name is reduced to a safe base name: it is used for
the audit trail and to tell the reader the file type, never as a path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Protocol

from commissioning.returns.model import ProviderReturn

#: Characters kept in an uploaded file's name; everything else becomes "_".
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100


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
    with TemporaryDirectory(prefix="commissioning-web-") as folder:
        yield Path(folder)


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
