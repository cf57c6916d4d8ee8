"""Writing output files safely: atomically, never over an input, never half-written.

Each file is written to a hidden temporary file beside it (``.NAME.<process id>.XXXX.tmp``)
and renamed into place, so a reader sees the old file or the new one, never half of one.
While a write is in progress SIGTERM is turned into an ordinary exit, so the temporary
file is removed as Ctrl+C (SIGINT) already removes it. Nothing can clean up after
``kill -9``; the next write into the same folder removes temporary files whose process
has gone.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from commissioning.errors import OutputError

MSG_SAME_AS_INPUT = (
    "The output file {path} is the same as an input file. "
    "Choose a different name with --out so the original is kept."
)
MSG_CANNOT_WRITE = "Cannot write {path}: {reason}. Choose a folder you can write to with --out."


def refuse_overwriting_inputs(out: Path, inputs: Iterable[Path]) -> None:
    """Raise `OutputError` when ``out`` names the same file as any input (files written
    beside ``out``, such as a Markdown file's chart, are checked by `protecting`)."""
    out_resolved = Path(out).expanduser().resolve()
    for item in inputs:
        if Path(item).expanduser().resolve() == out_resolved:
            raise OutputError(MSG_SAME_AS_INPUT.format(path=out))


#: inputs of the command running in this process, never to be written over by any file
_PROTECTED: set[Path] = set()


def refuse_protected(target: Path) -> None:
    """`OutputError` when ``target`` is one of the protected inputs."""
    if _PROTECTED and target.expanduser().resolve() in _PROTECTED:
        raise OutputError(MSG_SAME_AS_INPUT.format(path=target))


@contextlib.contextmanager
def protecting(inputs: Iterable[Path]) -> Iterator[None]:
    """Protect ``inputs`` from `write_atomic` for the duration (then forget them)."""
    added = {Path(item).expanduser().resolve() for item in inputs} - _PROTECTED
    _PROTECTED.update(added)
    try:
        yield
    finally:
        _PROTECTED.difference_update(added)


def require_folder(path: Path | str) -> Path:
    """The folder ``path`` would be written in; `OutputError` naming ``path`` when that
    folder does not exist (checked before a command writes any of its files)."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(MSG_CANNOT_WRITE.format(path=target, reason="the folder does not exist"))
    return folder


#: exit code after SIGTERM, as a shell reports a process it ended (128 + 15)
SIGTERM_EXIT = 143
_TEMP_NAME = re.compile(r"\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp")


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(SIGTERM_EXIT)


@contextlib.contextmanager
def _sigterm_exits() -> Iterator[None]:
    """SIGTERM raises SystemExit for the duration, so ``finally`` clauses run (only the
    main thread may set handlers; an ignored SIGTERM stays ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def sweep_stale_temporaries(folder: Path) -> int:
    """Remove temporary files left in ``folder`` by writers that were killed (their
    process id, in the name, no longer runs); returns how many were removed."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            found = _TEMP_NAME.fullmatch(entry.name)
            if found and not _alive(int(found.group(1))) and entry.is_file():
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # signalling a process on Windows would end it: keep its files
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def workbook_bytes(save: Callable[[Any], object]) -> bytes:
    """What ``save`` writes to a file object, as bytes (``book.save`` of openpyxl takes
    one), so `write_atomic` can write it without a named temporary file."""
    buffer = io.BytesIO()
    save(buffer)
    return buffer.getvalue()


def write_atomic(path: Path | str, write: Callable[[Path], None] | bytes | str) -> Path:
    """Write to a temporary file beside ``path`` and rename it into place.

    ``write`` is the content (bytes or text, UTF-8) or a function that writes a file at
    the temporary path it is given. On any error the temporary file is removed and the
    destination is left as it was.
    """
    target = Path(path).expanduser()
    folder = require_folder(target)
    refuse_protected(target)
    sweep_stale_temporaries(folder)
    if not callable(write) and _write_unnamed(target, folder, write):
        return target
    with _sigterm_exits():
        tmp: Path | None = None
        try:
            with _signals_held():  # a signal now would leave a file no one removes
                fd, tmp_name = tempfile.mkstemp(
                    prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=folder
                )
                os.close(fd)
                tmp = Path(tmp_name)
            if isinstance(write, bytes):
                tmp.write_bytes(write)
            elif isinstance(write, str):
                tmp.write_text(write, encoding="utf-8")
            else:
                write(tmp)
            os.chmod(tmp, 0o644)
            _rename_into_place(tmp, target)
        finally:
            if tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
    return target


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT wait until the block ends, so a temporary file is created and
    known to its ``finally`` in one step; a signal that came meanwhile is handled (and
    the file removed) just after."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # Windows: no signal masks
        yield
        return
    held = {signal.SIGTERM, signal.SIGINT}
    before = mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, before)


def _rename_into_place(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError as exc:
        reason = "permission denied"
        raise OutputError(MSG_CANNOT_WRITE.format(path=target, reason=reason)) from exc


#: File systems (by device) where an unnamed file cannot be given a name (EXDEV in some
#: sandboxes): the named temporary file is used there without trying again.
_NO_UNNAMED: set[int] = set()


def _write_unnamed(target: Path, folder: Path, content: bytes | str) -> bool:
    """Write ``content`` to an unnamed file in ``folder`` (Linux O_TMPFILE), give it a
    temporary name only once it is complete, and rename it into place. A process killed
    while writing (even with SIGKILL) then leaves nothing behind. False when the system
    or file system has no O_TMPFILE, so the caller uses a named temporary file."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return False
    try:
        device = folder.stat().st_dev
    except OSError:
        return False
    if device in _NO_UNNAMED:
        return False
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd = os.open(folder, flag | os.O_WRONLY, 0o644)
    except OSError:
        return False
    tmp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with _sigterm_exits():
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fchmod(fd, 0o644)
            if not target.exists():  # a new file: named in one step, no window at all
                try:
                    os.link(f"/proc/self/fd/{fd}", target, follow_symlinks=True)
                    return True
                except FileExistsError:
                    pass
                except OSError:  # no linking of unnamed files here (some sandboxes)
                    _NO_UNNAMED.add(device)
                    return False
            named = False
            try:
                with _signals_held():  # linked and known to the finally in one step
                    try:
                        os.link(f"/proc/self/fd/{fd}", tmp, follow_symlinks=True)
                    except OSError:
                        _NO_UNNAMED.add(device)
                        return False
                    named = True
                _rename_into_place(tmp, target)
            finally:
                if named:
                    with contextlib.suppress(FileNotFoundError):
                        tmp.unlink()
    finally:
        os.close(fd)
    return True
