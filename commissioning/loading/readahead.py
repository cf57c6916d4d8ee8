"""Start parsing a provider's spreadsheet as soon as a command knows the file's name.

A command such as `check` or `draft` spends its first half second or more importing
pandas, scipy and the rest before it reads anything. `read_ahead(path)` forks the
limited reader child (`isolation.Pending`) at once, so calamine's parse runs on the
other core during those imports; `load_workbook` later takes that child's answer
(`take`) instead of starting another, after its own type check and pre-scan, as always.
A file the pre-scan refuses is refused with the pre-scan's message and the child's
answer is never read.

Only with a fork (a single-threaded process), never with a reader pool (the web page),
and only once the file's type and its zip container (entry count, sizes, compression
ratios: read from the central directory, no member inflated) have passed their checks,
so a zip bomb never reaches even the limited child early.
"""

from __future__ import annotations

import os
from pathlib import Path

from commissioning.errors import UnreadableFileError
from commissioning.loading import filetype, isolation, pool, prescan
from commissioning.loading.limits import DEFAULT_LIMITS, Limits

_Identity = tuple[int, int, int, int]

#: real path -> the child parsing it, the limits it was started with, and the file's
#: identity then (a file replaced or rewritten since is parsed again)
_pending: dict[str, tuple[isolation.Pending, Limits, _Identity]] = {}


def read_ahead(path: str | os.PathLike[str], limits: Limits | None = None) -> bool:
    """Start parsing ``path`` now when it is a spreadsheet that passes the cheap checks;
    True when a child was started. Never raises for a bad file: `load_workbook` reports
    it in its own words."""
    limits = limits or DEFAULT_LIMITS
    if pool.active_pool() is not None or not isolation.can_fork():
        return False
    file_path = Path(path)
    try:
        kind = filetype.detect(file_path, limits)
        if kind.container == "text":
            return False
        prescan.check_container_file(file_path, kind.file_format, limits)
        key, identity = _key(file_path)
    except (UnreadableFileError, OSError):
        return False
    pending = isolation.start(str(file_path), kind.file_format, limits)
    if pending is None:
        return False
    _discard(_pending.pop(key, None))
    _pending[key] = (pending, limits, identity)
    return True


def take(path: str | os.PathLike[str], limits: Limits) -> isolation.Pending | None:
    """The child started for ``path``, if the file is unchanged since and the limits are
    the same; None otherwise (a child for a changed file is stopped)."""
    if not _pending:
        return None
    try:
        key, identity = _key(Path(path))
    except OSError:
        return None
    found = _pending.pop(key, None)
    if found is None:
        return None
    pending, started_with, started_on = found
    if started_with != limits or started_on != identity:
        pending.cancel()
        return None
    return pending


def cancel_all() -> None:
    """Stop every child not yet taken (for tests and long-running callers)."""
    while _pending:
        _discard(_pending.popitem()[1])


def _discard(found: tuple[isolation.Pending, Limits, _Identity] | None) -> None:
    if found is not None:
        found[0].cancel()


def _key(path: Path) -> tuple[str, _Identity]:
    """The file's real path, and its identity (changes when it is replaced or rewritten)."""
    status = path.stat()
    identity = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
    return os.path.realpath(path), identity
