"""A small pool of pre-started reader processes: every file is opened in one of them.

A long-running process (the web page, `commissioning serve`) must survive any file. The
per-file child of `isolation` covers only the native parse and, in a threaded process,
costs a fresh interpreter per file. Here a few workers are started once, with the reader
imported (warm), and each *whole* read (type detection, pre-scan, CSV parse, native
parse) runs in one of them under an address-space limit (``RLIMIT_AS`` where the system
has it) and a wall-clock limit enforced by the parent. A native abort, a Rust panic, an
allocation failure or a hang costs that one file: the worker is killed and replaced in
the background, and the caller gets a one-line `UnreadableFileError`.

`use_pool(pool)` makes `commissioning.loading.loader.load_workbook` (and so every reader
built on it) read through ``pool`` in this process; the server sets it at start-up.

As in `isolation`, answers travel as JSON, never pickle: a worker taken over by a
malicious file still cannot make this process run code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import queue
import struct
import subprocess
import sys
import threading
from typing import IO, Any

import numpy as np
import pandas as pd

from commissioning.errors import UnreadableFileError
from commissioning.loading import isolation
from commissioning.loading.limits import DEFAULT_LIMITS, Limits
from commissioning.loading.pool import active_pool, use_pool
from commissioning.loading.rawtypes import RawSheet, RawWorkbook
from commissioning.model.quality import Issue

__all__ = ["MSG_BUSY", "ParsePool", "active_pool", "use_pool", "worker_main"]

MSG_BUSY = (
    "Every file reader is busy with other uploads, so this file was not read. Wait a minute "
    "and try again."
)

#: a worker whose address space grew by more than this since it started is replaced
RETIRE_GROWTH_BYTES = 768 * 1024 * 1024
#: how long a request waits for a free worker before it is told the page is busy
ACQUIRE_TIMEOUT_S = 60.0
#: how long a starting worker may take to import the reader and say it is ready
START_TIMEOUT_S = 120.0

@dataclasses.dataclass(eq=False)
class _Worker:
    """One worker process; a thread moves each answer it writes into ``answers``."""

    process: subprocess.Popen[bytes]
    answers: queue.Queue[bytes] = dataclasses.field(default_factory=queue.Queue)

    def send(self, data: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(struct.pack("<Q", len(data)) + data)
        stdin.flush()

    def pump(self) -> None:
        """Read frames until the worker exits; an empty frame then means "it died"."""
        stdout = self.process.stdout
        assert stdout is not None
        with contextlib.suppress(OSError, ValueError):
            while (frame := read_frame(stdout)) is not None:
                self.answers.put(frame)
        self.answers.put(b"")


def read_frame(stream: IO[bytes]) -> bytes | None:
    """One length-prefixed message, or None at the end of the stream."""
    head = stream.read(8)
    if len(head) < 8:
        return None
    (length,) = struct.unpack("<Q", head)
    data = stream.read(length)
    return data if len(data) == length else None


def write_frame(stream: IO[bytes], data: bytes) -> None:
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


class ParsePool:
    """``size`` pre-started reader processes; `load` reads one file in one of them.

    ``time_limit_s`` and ``memory_limit_bytes``, when given, replace those of the
    `Limits` each call passes (the server's own bounds, whatever the caller asked).
    """

    def __init__(
        self,
        size: int = 2,
        *,
        time_limit_s: float | None = None,
        memory_limit_bytes: int | None = None,
    ) -> None:
        self.size = max(1, size)
        self.time_limit_s = time_limit_s
        self.memory_limit_bytes = memory_limit_bytes
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._closed = False

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> ParsePool:
        """Start every worker and wait until each has imported the reader."""
        starters = [threading.Thread(target=self._add_worker) for _ in range(self.size)]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        return self

    def close(self) -> None:
        """Stop every worker (their unread jobs end with them)."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            _stop(worker)

    def __enter__(self) -> ParsePool:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and the benchmark)."""
        with self._lock:
            return [int(w.process.pid) for w in self._all if w.process.poll() is None]

    def _add_worker(self) -> None:
        """Start one worker: a fresh interpreter (never a fork of this threaded process),
        its standard error discarded, so a Rust backtrace never reaches the server log."""
        if self._closed:
            return
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "commissioning.loading.workers"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return
        worker = _Worker(process)
        threading.Thread(target=worker.pump, daemon=True).start()
        try:
            ready = worker.answers.get(timeout=START_TIMEOUT_S) == b"ready"
        except queue.Empty:
            ready = False
        if not ready or self._closed:
            _stop(worker)
            return
        with self._lock:
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background (the caller does not wait)."""
        with self._lock:
            self._all.discard(worker)
        _stop(worker)
        threading.Thread(target=self._add_worker, daemon=True).start()

    # -- reading ------------------------------------------------------------------------

    def load(self, path: str, limits: Limits | None = None) -> RawWorkbook:
        """Read ``path`` in a worker; `UnreadableFileError` for anything that goes wrong."""
        limits = limits or DEFAULT_LIMITS
        if self.time_limit_s is not None:
            limits = dataclasses.replace(limits, time_limit_s=self.time_limit_s)
        if self.memory_limit_bytes is not None:
            limits = dataclasses.replace(limits, memory_limit_bytes=self.memory_limit_bytes)
        worker = self._acquire()
        job = json.dumps({"path": os.fspath(path), "limits": dataclasses.asdict(limits)})
        answer: bytes | None = None
        try:
            worker.send(job.encode("utf-8"))
            answer = worker.answers.get(timeout=limits.time_limit_s)
        except queue.Empty:
            answer = None
        except (OSError, ValueError):
            answer = b""
        if answer is None or not answer:
            self._replace(worker)
            if answer is None:
                seconds = f"{limits.time_limit_s:g}"
                raise UnreadableFileError(isolation.MSG_TIMEOUT.format(seconds=seconds))
            raise UnreadableFileError(isolation.MSG_CRASHED)
        book, refusal, retire = _decode(answer, limits)
        self._release(worker, retire=retire)
        if book is None:
            raise UnreadableFileError(refusal)
        return book

    def _acquire(self) -> _Worker:
        """An idle live worker; one that died while idle is replaced, not used."""
        while True:
            try:
                worker = self._idle.get(timeout=ACQUIRE_TIMEOUT_S)
            except queue.Empty:
                raise UnreadableFileError(MSG_BUSY) from None
            if worker.process.poll() is None:
                return worker
            self._replace(worker)

    def _release(self, worker: _Worker, *, retire: bool) -> None:
        if retire or self._closed:
            self._replace(worker)
        else:
            self._idle.put(worker)


def _stop(worker: _Worker) -> None:
    with contextlib.suppress(Exception):
        worker.process.kill()
        worker.process.wait(timeout=5)
    for stream in (worker.process.stdin, worker.process.stdout):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.close()


# --- the worker's side ----------------------------------------------------------------


def worker_main(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Import the reader, say ready, then read one file per message until the pipe closes."""
    from commissioning.loading import loader

    loader.require_defused_xml()
    baseline = isolation._address_space()
    _no_core_dumps()
    write_frame(answers, b"ready")
    while True:
        frame = read_frame(requests)
        if frame is None:
            return
        job = json.loads(frame)
        limits = Limits(**job["limits"])
        _limit_job(baseline, limits)
        answer = _answer(loader, str(job["path"]), limits)
        grown = isolation._address_space() - baseline
        if grown > RETIRE_GROWTH_BYTES:
            answer = answer[:-1] + b', "retire": true}'
        write_frame(answers, answer)


def _answer(loader: Any, path: str, limits: Limits) -> bytes:
    try:
        book = loader.load_workbook(path, limits=limits, isolate=False)
        answer: dict[str, object] = {"outcome": "ok", "book": _encode(book)}
    except UnreadableFileError as exc:
        answer = {"outcome": "error", "message": exc.message}
    except MemoryError:
        answer = {"outcome": "memory"}
    except BaseException:  # a panic or our own fault: report, never leak details
        answer = {"outcome": "crashed"}
    try:
        return json.dumps(answer).encode("utf-8")
    except MemoryError:
        return b'{"outcome": "memory"}'


def _no_core_dumps() -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _limit_job(baseline: int, limits: Limits) -> None:
    """Soft limits for this job: address space (``baseline`` plus the allowance) and CPU
    seconds (a backstop: the parent kills a worker at the wall-clock limit, but a worker
    whose parent died stops too). Hard limits are left alone, so the next job may set
    others."""
    try:
        import resource
    except ImportError:  # Windows: the parent's time limit still applies
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    wanted = (
        (resource.RLIMIT_AS, baseline + limits.memory_limit_bytes),
        (resource.RLIMIT_CPU, int(used.ru_utime + used.ru_stime + limits.time_limit_s) + 5),
    )
    for kind, soft in wanted:
        with contextlib.suppress(ValueError, OSError):
            _, hard = resource.getrlimit(kind)
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(kind, (soft, hard))


# --- the answer's format ----------------------------------------------------------------


def _encode(book: RawWorkbook) -> dict[str, object]:
    return {
        "path": book.path,
        "sha256": book.sha256,
        "file_format": book.file_format,
        "encoding": book.encoding,
        "notes": [note.as_dict() for note in book.notes],
        "sheets": [_encode_sheet(sheet) for sheet in book.sheets],
    }


def _encode_sheet(sheet: RawSheet) -> dict[str, object]:
    grid = sheet.cells.to_numpy(dtype=object)
    rows, width = grid.shape
    columns = [isolation.SEPARATOR.join(map(str, grid[:, j].tolist())) for j in range(width)]
    clean = all(c.count(isolation.SEPARATOR) == max(rows - 1, 0) for c in columns)
    return {
        "name": sheet.name,
        "visibility": sheet.visibility,
        "hidden_rows": list(sheet.hidden_rows),
        "merged": [list(m) for m in sheet.merged],
        "shape": [rows, width],
        "columns": columns if clean else None,
        "grid": None if clean else grid.tolist(),
    }


def _decode(answer: bytes, limits: Limits) -> tuple[RawWorkbook | None, str, bool]:
    """(book or None, the refusal's message, whether to replace the worker). A worker
    that ran out of memory, crashed or sent nonsense is replaced; one that refused a file
    cleanly is kept."""
    try:
        message = json.loads(answer)
        outcome = message["outcome"]
        if outcome == "ok":
            return _decode_book(message["book"]), "", bool(message.get("retire"))
        if outcome == "error":
            return None, str(message["message"]), bool(message.get("retire"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None, isolation.MSG_CRASHED, True
    if outcome == "memory":
        limit_mb = f"{limits.memory_limit_bytes / 1024**2:,.0f}"
        return None, isolation.MSG_MEMORY.format(limit=limit_mb), True
    return None, isolation.MSG_CRASHED, True


def _decode_book(book: dict[str, Any]) -> RawWorkbook:
    notes = tuple(
        Issue(
            n["severity"],
            str(n["code"]),
            str(n["message"]),
            rows=tuple(int(r) for r in n["rows"]),
            sheet=None if n["sheet"] is None else str(n["sheet"]),
        )
        for n in book["notes"]
    )
    return RawWorkbook(
        path=str(book["path"]),
        sha256=str(book["sha256"]),
        file_format=book["file_format"],
        encoding=None if book["encoding"] is None else str(book["encoding"]),
        sheets=tuple(_decode_sheet(s) for s in book["sheets"]),
        notes=notes,
    )


def _decode_sheet(sheet: dict[str, Any]) -> RawSheet:
    rows, width = (int(n) for n in sheet["shape"])
    grid = np.empty((rows, width), dtype=object)
    if sheet["columns"] is not None:
        for j, column in enumerate(sheet["columns"]):
            grid[:, j] = column.split(isolation.SEPARATOR) if rows else []
    elif rows and width:
        grid[:, :] = [[str(cell) for cell in row] for row in sheet["grid"]]
    frame = pd.DataFrame(grid, dtype=object, copy=False)
    if not grid.size:
        frame = pd.DataFrame(dtype=object)
    merged = tuple((int(a), int(b), int(c), int(d)) for a, b, c, d in sheet["merged"])
    return RawSheet(
        name=str(sheet["name"]),
        cells=frame,
        visibility=sheet["visibility"],
        hidden_rows=tuple(int(r) for r in sheet["hidden_rows"]),
        merged=merged,
    )


if __name__ == "__main__":  # a worker, started by `ParsePool`
    _requests, _answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed by accident may corrupt the answers
    worker_main(_requests, _answers)
