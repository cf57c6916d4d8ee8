"""Run the native spreadsheet parse in a child process with memory and time limits.

The pre-scan refuses every hazard we know of, but python-calamine is native code: a bug
we do not know of could still abort (uncatchable) or run away. In a child process, an
abort, an out-of-memory kill or a hang becomes a one-line `UnreadableFileError` and the
program (or a future web server) carries on.

The cost was measured (docs/performance.md, "Reading safely"): a fork plus sending the
cell text back. ``should_isolate`` keeps small, fully pre-scanned xlsx/ods files in
process and isolates large files and .xls files (whose binary format is not pre-scanned).
The child is forked directly when this process has one thread (cheapest), and started by
a fork server otherwise, since forking a threaded process can deadlock.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from multiprocessing.connection import Connection
from typing import Any

from commissioning.errors import UnreadableFileError
from commissioning.returns.limits import Limits
from commissioning.returns.native import NativeBook, read_native
from commissioning.returns.prescan import ScanResult

MSG_CRASHED = (
    "The spreadsheet reader stopped on this file (it is damaged, deliberately malformed, or too "
    "large to read), so it was not read. Ask the provider to open it, save it again as a new "
    ".xlsx file, and resend it."
)
MSG_TIMEOUT = (
    "Reading this file took longer than the {seconds}-second limit, so it was stopped. Ask the "
    "provider to send only the monitoring data, or raise the time limit."
)
MSG_MEMORY = (
    "Reading this file needed more than the {limit} MB memory limit, so it was stopped. Ask the "
    "provider to send only the monitoring data, or raise the memory limit."
)


def should_isolate(file_format: str, size: int, scan: ScanResult, limits: Limits) -> bool:
    """Isolate when the format was not pre-scanned (.xls) or the file is large."""
    if file_format == "xls" or not scan.scanned:
        return True
    return size >= limits.isolate_above_bytes


def read_spreadsheet(path: str, file_format: str, limits: Limits, *, isolate: bool) -> NativeBook:
    """Read ``path`` with python-calamine, in this process or an isolated child."""
    if not isolate:
        try:
            return read_native(path, file_format)
        except MemoryError:
            raise UnreadableFileError(MSG_CRASHED) from None
    return _run_isolated(path, file_format, limits)


def _context() -> Any:
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["commissioning.returns.native"])
    return context


def _run_isolated(path: str, file_format: str, limits: Limits) -> NativeBook:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(sender, path, file_format, limits.memory_limit_bytes, limits.time_limit_s),
        daemon=True,
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.time_limit_s):
            raise UnreadableFileError(MSG_TIMEOUT.format(seconds=f"{limits.time_limit_s:g}"))
        try:
            outcome, payload = receiver.recv()
        except (EOFError, OSError):
            raise UnreadableFileError(MSG_CRASHED) from None
    finally:
        receiver.close()
        _reap(process)
    if outcome == "ok":
        assert isinstance(payload, NativeBook)
        return payload
    if outcome == "error":
        raise UnreadableFileError(str(payload))
    if outcome == "memory":
        limit_mb = f"{limits.memory_limit_bytes / 1024**2:,.0f}"
        raise UnreadableFileError(MSG_MEMORY.format(limit=limit_mb))
    raise UnreadableFileError(MSG_CRASHED)


def _reap(process: Any) -> None:
    process.join(timeout=2)
    if process.is_alive():
        process.kill()
        process.join(timeout=5)
    with contextlib.suppress(ValueError):
        process.close()


def _child(
    sender: Connection, path: str, file_format: str, memory_limit: int, time_limit: float
) -> None:
    """Child process body: limit resources, parse, send back (outcome, payload)."""
    _limit_resources(memory_limit, time_limit)
    try:
        book = read_native(path, file_format)
        message: tuple[str, object] = ("ok", book)
    except UnreadableFileError as exc:
        message = ("error", exc.message)
    except MemoryError:
        message = ("memory", None)
    except BaseException:  # anything else: report, never leak details
        message = ("crashed", None)
    try:
        sender.send(message)
    except MemoryError:
        sender.send(("memory", None))
    finally:
        sender.close()
    os._exit(0)  # skip interpreter teardown (atexit handlers belong to the parent)


def _limit_resources(memory_limit: int, time_limit: float) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not write a core dump
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    cpu = int(time_limit) + 5
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
