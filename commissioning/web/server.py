"""The production server behind `commissioning serve`: waitress, bounded everywhere.

waitress (pure Python, the same on Windows and Linux) reads every request on one
event-loop thread and hands only complete requests to a fixed pool of threads, so a slow
client holds a connection, never a thread. Around it:

* timeouts: an idle connection is closed after `CHANNEL_TIMEOUT_S`; a request still
  arriving after `REQUEST_TIMEOUT_S` (a slow-loris client trickling bytes) is closed too;
* bounds: `THREADS` threads, at most `QUEUE_LIMIT` complete requests waiting for one
  (more get a plain "busy, try again" page with status 503 at once), at most
  `CONNECTION_LIMIT` open connections, request bodies cut off at the upload limit;
* every file is read in a pre-started reader process (`commissioning.loading.workers`)
  under memory and time limits, so a file that crashes the reader costs one request;
* the log gets one line per event, never a traceback or a reader's backtrace.
"""

from __future__ import annotations

import logging
import queue
import socket
import threading
import time
import types
from collections.abc import Callable
from typing import Any, Final

from flask import Flask, render_template
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, ThreadedTaskDispatcher
from waitress.utilities import Error

from commissioning.loading import workers

THREADS: Final = 6
#: threads kept for pages (GET and HEAD), which uploads can never occupy
PAGE_THREADS: Final = 2
#: complete requests waiting for a thread (uploads and pages each)
QUEUE_LIMIT: Final = 16
CONNECTION_LIMIT: Final = 500
CHANNEL_TIMEOUT_S: Final = 30
REQUEST_TIMEOUT_S: Final = 120
CLEANUP_INTERVAL_S: Final = 5
PARSE_WORKERS: Final = 2
PARSE_TIME_LIMIT_S: Final = 20.0
PARSE_MEMORY_MB: Final = 1024
#: extra bytes allowed above the upload limit for the form's other fields and framing
BODY_MARGIN: Final = 1024 * 1024

MSG_BUSY = (
    "This page is busy with other people's files right now, so yours was not read. Wait a "
    "minute and try again."
)
MSG_HEADERS_TOO_LARGE = (
    "The request your browser sent was too large to read. Go back to the start page and try "
    "again."
)
MSG_SERVER_ERROR = "Something went wrong on our side and nothing was produced. Try again."

log = logging.getLogger("commissioning.web")


class ServiceBusy(Error):
    code = 503
    reason = "Service Unavailable"


class OneLineFormatter(logging.Formatter):
    """A log record as one line: no traceback, no stack, line breaks removed (the server's
    log must never show a backtrace or text that could come from a file)."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.exc_info = record.exc_text = record.stack_info = None
        text = super().format(record)
        return " ".join(text.split())

    def formatException(self, ei: Any) -> str:
        return ""


def configure_logging(*, debug: bool = False) -> None:
    """One-line records on standard error for the server's and waitress's loggers (with
    ``debug``, as asked for by `commissioning --debug serve`, tracebacks are kept)."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(message)s") if debug else OneLineFormatter("%(message)s")
    )
    for name in ("waitress", "commissioning.web"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # the 503 page says it


class BoundedDispatcher(ThreadedTaskDispatcher):
    """waitress's thread pool with a bounded queue: a request beyond `max_queue` gets the
    busy page from a small thread of its own, which never runs the application. Pages
    (GET and HEAD, which read no file) have threads of their own, so the start page
    still opens at once while every upload thread is busy."""

    def __init__(self, threads: int, max_queue: int, page_threads: int = PAGE_THREADS) -> None:
        super().__init__()
        self.max_queue = max_queue
        self.set_thread_count(threads)
        self.pages = ThreadedTaskDispatcher()
        self.pages.set_thread_count(page_threads)
        self._refused: queue.Queue[Any] = queue.Queue()
        threading.Thread(target=self._refuse_loop, daemon=True).start()

    def add_task(self, task: Any) -> None:
        if not isinstance(task, HTTPChannel):
            super().add_task(task)
            return
        page = bool(task.requests) and task.requests[0].command in ("GET", "HEAD")
        pool = self.pages if page else self
        with pool.lock:
            full = _waiting(pool) >= self.max_queue
        if full:
            for request in task.requests:  # the caller holds the channel's lock
                if not request.error:
                    request.error = ServiceBusy("")
            self._refused.put(task)
        elif page:
            self.pages.add_task(task)
        else:
            super().add_task(task)

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        self.pages.shutdown(cancel_pending=cancel_pending, timeout=timeout)
        return bool(super().shutdown(cancel_pending=cancel_pending, timeout=timeout))

    def _refuse_loop(self) -> None:
        while True:
            channel = self._refused.get()
            try:
                channel.service()
            except Exception:  # the connection went away: nothing to answer
                log.info("A refused connection closed before the busy page was sent")


def _waiting(pool: ThreadedTaskDispatcher) -> int:
    """Requests that would wait for a thread: the queue less the idle threads. A burst
    (20 uploads at once) fills the queue before the woken threads take their first task;
    counting the queue alone refused some of them with threads still free."""
    idle = len(pool.threads) - pool.stop_count - pool.active_count
    return len(pool.queue) - max(idle, 0)


def _channel_class(pages: dict[int, bytes], headers: list[tuple[str, str]]) -> type:
    """waitress's connection class, with our own error pages and a deadline for the
    request still arriving."""

    class PageErrorTask(ErrorTask):  # type: ignore[misc]
        def execute(self) -> None:
            error = self.request.error
            page = pages.get(error.code)
            if page is None:
                page = pages[500]
            self.status = f"{error.code} {error.reason}"
            self.response_headers.extend(headers)
            if error.code == 503:
                self.response_headers.append(("Retry-After", "30"))
            self.set_close_on_finish()
            self.content_length = len(page)
            self.write(page)

    class BoundedChannel(HTTPChannel):  # type: ignore[misc]
        error_task_class = PageErrorTask
        request_started = 0.0

        def received(self, data: bytes) -> bool:
            now = time.time()
            result: bool = super().received(data)
            if self.request is None:
                self.request_started = 0.0
            elif not self.request_started:
                self.request_started = now
            return result

    return BoundedChannel


def _maintenance(server: Any, now: float) -> None:
    """waitress's idle-connection sweep, plus: close a request still arriving after
    `REQUEST_TIMEOUT_S` (data trickling in keeps a connection from looking idle)."""
    type(server).maintenance(server, now)
    cutoff = now - REQUEST_TIMEOUT_S
    for channel in list(server.active_channels.values()):
        started = getattr(channel, "request_started", 0.0)
        if not channel.requests and 0 < started < cutoff:
            channel.will_close = True


def error_pages(app: Flask, messages: dict[int, str]) -> dict[int, bytes]:
    """The error page for each status, rendered once at start-up (waitress answers these
    without a Flask request)."""
    out: dict[int, bytes] = {}
    with app.test_request_context("/"):
        for status, message in messages.items():
            out[status] = render_template("error.html", message=message, status=status).encode()
    return out


class WebServer:
    """A running waitress server and its reader pool; `serve_forever` until `shutdown`."""

    def __init__(self, app: Flask, listening: socket.socket, max_body: int) -> None:
        from commissioning.web.app import MSG_BAD_REQUEST, MSG_TOO_LARGE, security_headers

        limit_mb = f"{(app.config.get('MAX_CONTENT_LENGTH') or 0) / 1024**2:g}"
        pages = error_pages(app, {
            400: MSG_BAD_REQUEST,
            413: MSG_TOO_LARGE.format(limit=limit_mb),
            431: MSG_HEADERS_TOO_LARGE,
            500: MSG_SERVER_ERROR,
            503: MSG_BUSY,
        })
        headers = [("Content-Type", "text/html; charset=utf-8"), *security_headers()]
        self.pool = workers.ParsePool(
            PARSE_WORKERS,
            time_limit_s=PARSE_TIME_LIMIT_S,
            memory_limit_bytes=PARSE_MEMORY_MB * 1024 * 1024,
        ).start()
        workers.use_pool(self.pool)
        self.dispatcher = BoundedDispatcher(THREADS, QUEUE_LIMIT)
        self._map: dict[int, Any] = {}
        self._server: Any = create_server(
            app,
            map=self._map,
            _dispatcher=self.dispatcher,
            sockets=[listening],
            channel_timeout=CHANNEL_TIMEOUT_S,
            cleanup_interval=CLEANUP_INTERVAL_S,
            connection_limit=CONNECTION_LIMIT,
            max_request_body_size=max_body + BODY_MARGIN,
            max_request_header_size=64 * 1024,
            asyncore_use_poll=hasattr(__import__("select"), "poll"),
            expose_tracebacks=False,
            ident="commissioning",
        )
        self._server.channel_class = _channel_class(pages, headers)
        self._server.maintenance = types.MethodType(_maintenance, self._server)
        self.port: int = int(self._server.effective_port)
        self._stop = threading.Event()

    def serve_forever(self, poll: Callable[[], None] | None = None) -> None:
        from waitress import wasyncore

        while not self._stop.is_set():
            wasyncore.loop(timeout=0.5, map=self._map, use_poll=True, count=1)
            if poll is not None:
                poll()

    def shutdown(self) -> None:
        self._stop.set()

    def server_close(self) -> None:
        self._stop.set()
        self.dispatcher.shutdown(cancel_pending=True, timeout=5)
        for channel in list(self._map.values()):
            try:
                channel.close()
            except OSError:
                continue
        workers.use_pool(None)
        self.pool.close()
