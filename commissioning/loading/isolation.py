"""Run the native spreadsheet parse in a child process with memory and time limits.

The pre-scan refuses every hazard we know of, but python-calamine is native code: a bug
we do not know of could still abort (uncatchable) or run away. In a child process an
abort, an allocation failure or a hang becomes a one-line `UnreadableFileError`, and the
program (or a future web server) carries on.

Measured cost (docs/performance.md, "Reading safely"): about 10 ms for a small return and
3-8 % of the read for 200,000 to 1,000,000 rows, so by default every spreadsheet is
parsed in a child. The child is forked when this process has a single thread (cheapest);
a threaded process (a web server) starts a fresh interpreter instead, because forking a
threaded process can deadlock.

The child answers with JSON, never pickle: if a malicious file ever took control of the
child, it still could not make this process run code. Each column's cells travel as one
string joined by a separator no cell holds, which is far cheaper than a million small
strings.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from commissioning.errors import UnreadableFileError
from commissioning.loading.limits import Limits
from commissioning.loading.native import NativeBook, NativeSheet, read_native

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

SEPARATOR = "\x00\x1f\x00"
#: formats the pre-scan reads (an .xls is binary: only the child protects against it)
PRESCANNED = ("xlsx", "xlsm", "ods")


def should_isolate(file_format: str, size: int, limits: Limits) -> bool:
    """Always when a fork is available (cheap); otherwise for .xls (not pre-scanned) and
    files at least ``limits.isolate_above_bytes`` long."""
    if _can_fork():
        return True
    return file_format not in PRESCANNED or size >= limits.isolate_above_bytes


def start_with_scan(file_format: str, size: int, limits: Limits) -> bool:
    """Whether to start the child before the pre-scan ends (with a fork, for files of at
    least ``limits.parallel_above_bytes``): both then take about a second each."""
    return _can_fork() and size >= limits.parallel_above_bytes


def read_spreadsheet(path: str, file_format: str, limits: Limits, *, isolate: bool) -> NativeBook:
    """Read ``path`` with python-calamine, in this process or an isolated child."""
    if not isolate:
        try:
            return read_native(path, file_format)
        except MemoryError:
            raise UnreadableFileError(MSG_CRASHED) from None
    if _can_fork():
        answer = _run_forked(path, file_format, limits)
    else:
        answer = _run_interpreter(path, file_format, limits)
    return _decode(answer, limits)


def can_fork() -> bool:
    """True when a child can be forked safely (this process has one thread)."""
    return _can_fork()


def _can_fork() -> bool:
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


# --- the two ways of starting the child ---------------------------------------------------


class Pending:
    """A forked child that is parsing a file; `result` waits for its answer.

    Started before the pre-scan has finished (`start`), so that the parse and the scan
    use both cores: the child is as limited as ever (address space, CPU, wall clock), and
    whatever the pre-scan refuses is refused with its own message, the child's answer
    unread (`cancel`).
    """

    def __init__(self, path: str, file_format: str, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.time_limit_s
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_forked_child,
            args=(sender, path, file_format, limits.memory_limit_bytes, limits.time_limit_s),
            daemon=True,
        )
        self._process.start()
        sender.close()

    def answer(self) -> bytes:
        """The child's JSON answer (waiting at most until the time limit is reached)."""
        try:
            if not self._receiver.poll(max(0.0, self.deadline - time.monotonic())):
                seconds = f"{self.limits.time_limit_s:g}"
                raise UnreadableFileError(MSG_TIMEOUT.format(seconds=seconds))
            try:
                return self._receiver.recv_bytes()
            except (EOFError, OSError):
                raise UnreadableFileError(MSG_CRASHED) from None
        finally:
            self.cancel()

    def result(self) -> NativeBook:
        return _decode(self.answer(), self.limits)

    def cancel(self) -> None:
        """Stop the child (if it is still running) and close the pipe; done once."""
        if self._receiver.closed:
            return
        self._receiver.close()
        if self._process.is_alive():
            self._process.kill()
        _reap(self._process)


def start(path: str, file_format: str, limits: Limits) -> Pending | None:
    """Start parsing ``path`` in a forked child now, or None where no fork is available
    (`read_spreadsheet` then starts a fresh interpreter when asked)."""
    return Pending(path, file_format, limits) if _can_fork() else None


def _run_forked(path: str, file_format: str, limits: Limits) -> bytes:
    return Pending(path, file_format, limits).answer()


def _reap(process: Any) -> None:
    process.join(timeout=2)
    if process.is_alive():
        process.kill()
        process.join(timeout=5)
    with contextlib.suppress(ValueError):
        process.close()


def _forked_child(
    sender: Connection, path: str, file_format: str, memory_limit: int, time_limit: float
) -> None:
    _silence_stderr()  # a native abort prints a Rust backtrace; the user sees one line
    try:
        sender.send_bytes(child_answer(path, file_format, memory_limit, time_limit))
    finally:
        sender.close()
    os._exit(0)  # skip interpreter teardown: atexit handlers belong to the parent


def _silence_stderr() -> None:
    import faulthandler

    faulthandler.disable()  # it may hold its own copy of stderr (pytest enables it)
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


def _run_interpreter(path: str, file_format: str, limits: Limits) -> bytes:
    command = [
        sys.executable,
        "-m",
        "commissioning.loading.isolation",
        path,
        file_format,
        str(limits.memory_limit_bytes),
        str(limits.time_limit_s),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=limits.time_limit_s, check=False
        )
    except subprocess.TimeoutExpired:
        raise UnreadableFileError(MSG_TIMEOUT.format(seconds=f"{limits.time_limit_s:g}")) from None
    if done.returncode != 0 or not done.stdout:
        raise UnreadableFileError(MSG_CRASHED)
    return done.stdout


# --- the child's side ---------------------------------------------------------------------


def child_answer(path: str, file_format: str, memory_limit: int, time_limit: float) -> bytes:
    """Limit resources, parse, and describe the outcome as JSON bytes."""
    _limit_resources(memory_limit, time_limit)
    try:
        answer: dict[str, object] = {
            "outcome": "ok",
            "book": _encode(read_native(path, file_format)),
        }
    except UnreadableFileError as exc:
        answer = {"outcome": "error", "message": exc.message}
    except MemoryError:
        answer = {"outcome": "memory"}
    except BaseException:  # anything else: report, never leak details
        answer = {"outcome": "crashed"}
    try:
        return json.dumps(answer).encode("utf-8")
    except MemoryError:
        return b'{"outcome": "memory"}'


def _limit_resources(memory_limit: int, time_limit: float) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the parent's timeout still applies
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not write a core dump
    ceiling = _address_space() + memory_limit  # a fork starts with the parent's mappings
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    cpu = int(time_limit) + 5
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _address_space() -> int:
    """This process's virtual size in bytes (Linux), or 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


# --- the answer's format ------------------------------------------------------------------


def _encode(book: NativeBook) -> dict[str, object]:
    return {"sheets": [_encode_sheet(sheet) for sheet in book.sheets], "skipped": book.skipped}


def _encode_sheet(sheet: NativeSheet) -> dict[str, object]:
    rows, width = sheet.rows.shape
    columns = [SEPARATOR.join(sheet.rows[:, j].tolist()) for j in range(width)]
    joined_cleanly = all(column.count(SEPARATOR) == max(rows - 1, 0) for column in columns)
    return {
        "name": sheet.name,
        "visibility": sheet.visibility,
        "merged": [list(m) for m in sheet.merged],
        "shape": [rows, width],
        "columns": columns if joined_cleanly else None,
        "grid": None if joined_cleanly else sheet.rows.tolist(),
    }


def _decode(answer: bytes, limits: Limits) -> NativeBook:
    try:
        message = json.loads(answer)
        outcome = message["outcome"]
        if outcome == "ok":
            return NativeBook(
                tuple(_decode_sheet(s) for s in message["book"]["sheets"]),
                tuple(str(name) for name in message["book"]["skipped"]),
            )
    except (ValueError, KeyError, TypeError, IndexError):
        raise UnreadableFileError(MSG_CRASHED) from None
    if outcome == "error":
        raise UnreadableFileError(str(message["message"]))
    if outcome == "memory":
        limit_mb = f"{limits.memory_limit_bytes / 1024**2:,.0f}"
        raise UnreadableFileError(MSG_MEMORY.format(limit=limit_mb))
    raise UnreadableFileError(MSG_CRASHED)


def _decode_sheet(sheet: dict[str, Any]) -> NativeSheet:
    rows, width = (int(n) for n in sheet["shape"])
    grid = np.empty((rows, width), dtype=object)
    if sheet["columns"] is not None:
        for j, column in enumerate(sheet["columns"]):
            grid[:, j] = column.split(SEPARATOR) if rows else []
    elif rows and width:
        grid[:, :] = [[str(cell) for cell in row] for row in sheet["grid"]]
    merged = tuple((int(a), int(b), int(c), int(d)) for a, b, c, d in sheet["merged"])
    return NativeSheet(str(sheet["name"]), str(sheet["visibility"]), grid, merged)


if __name__ == "__main__":  # the child, when started as a fresh interpreter
    sys.stdout.buffer.write(
        child_answer(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    )
