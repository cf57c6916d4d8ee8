"""Issue 13: the production server's bounds (busy page, 413 causes, slow clients, log)."""

from __future__ import annotations

import html
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from commissioning.cli import serve as serve_cli
from commissioning.web import app as web_app
from commissioning.web import create_app, server
from commissioning.web.server import OneLineFormatter, WebServer

MIB = 1024 * 1024


def _request(port: int, raw: bytes, timeout: float = 30) -> tuple[int, str]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(raw)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


def _post(path: str, body: bytes, content_type: str = "text/plain") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def _message(page: str) -> str:
    found = re.search(r'<p class="error-message">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


@pytest.fixture
def running(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setattr(server, "THREADS", 1)
    monkeypatch.setattr(server, "QUEUE_LIMIT", 1)
    monkeypatch.setattr(server, "REQUEST_TIMEOUT_S", 2)
    monkeypatch.setattr(server, "CLEANUP_INTERVAL_S", 1)
    monkeypatch.setattr(server, "PARSE_WORKERS", 1)
    app = create_app({"MAX_CONTENT_LENGTH": 1 * MIB})
    app.add_url_rule("/slow", "slow", lambda: (time.sleep(3), "done")[1], methods=["POST"])
    web = WebServer(app, serve_cli._bind("127.0.0.1", 0), 1 * MIB)
    thread = threading.Thread(target=web.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"port": web.port, "server": web}
    finally:
        web.shutdown()
        thread.join(timeout=10)
        web.server_close()


def test_a_full_queue_gets_the_busy_page_at_once(running: dict[str, Any]) -> None:
    port = running["port"]
    results: list[tuple[int, str]] = []
    first = threading.Thread(target=lambda: results.append(_request(port, _post("/slow", b""))))
    first.start()
    time.sleep(0.5)
    second = threading.Thread(target=lambda: results.append(_request(port, _post("/slow", b""))))
    second.start()
    time.sleep(0.5)
    began = time.perf_counter()
    status, page = _request(port, _post("/slow", b""))
    assert status == 503 and _message(page) == server.MSG_BUSY
    assert time.perf_counter() - began < 1.5
    assert _request(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")[0] == 200
    first.join(timeout=30)
    second.join(timeout=30)
    assert sorted(code for code, _ in results) == [200, 200]


def test_too_many_form_parts_is_named_as_such(running: dict[str, Any]) -> None:
    boundary = "b0undary"
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nx\r\n'
        for i in range(web_app.MAX_FORM_PARTS + 5)
    ) + f"--{boundary}--\r\n"
    raw = _post("/results", parts.encode(), f"multipart/form-data; boundary={boundary}")
    status, page = _request(running["port"], raw)
    assert status == 413
    assert _message(page) == web_app.MSG_TOO_MANY_PARTS.format(files=web_app.MAX_PREVIOUS_FILES)


@pytest.mark.parametrize("size", [int(1.5 * MIB), 3 * MIB])
def test_a_body_over_the_limit_is_named_as_such(running: dict[str, Any], size: int) -> None:
    # 1.5 MB reaches Flask; 3 MB is stopped by waitress from its declared length, before
    # the body is read (so only the headers are sent): the same page either way.
    raw = _post("/results", b"x" * size, "multipart/form-data; boundary=b")
    if size > 2 * MIB:
        raw = raw[: raw.index(b"\r\n\r\n") + 4]
    status, page = _request(running["port"], raw)
    assert status == 413
    assert _message(page) == web_app.MSG_TOO_LARGE.format(limit="1")


def test_a_slow_client_is_cut_off_and_the_server_answers(running: dict[str, Any]) -> None:
    port = running["port"]
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(b"POST /results HTTP/1.1\r\nHost: x\r\n")
        began = time.monotonic()
        closed = False
        while time.monotonic() - began < 15:
            try:
                conn.sendall(b"X")
                conn.settimeout(0.5)
                if conn.recv(1) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = True
                break
        assert closed and time.monotonic() - began < 10
    assert _request(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")[0] == 200


def test_the_log_is_one_line_without_a_traceback() -> None:
    try:
        raise ValueError("cell text\nWhite British, 12")
    except ValueError:
        record = logging.LogRecord(
            "waitress", logging.ERROR, __file__, 1, "Exception while serving /results\nmore",
            None, exc_info=__import__("sys").exc_info(),
        )
    line = OneLineFormatter("%(message)s").format(record)
    assert line == "Exception while serving /results more"
    assert "Traceback" not in line and "White British" not in line


def test_a_burst_is_not_refused_while_threads_are_free() -> None:
    # 20 uploads at once reach the queue before the woken threads take their first
    # task; the threads that are about to take one must not count as waiting requests.
    from collections import deque
    from types import SimpleNamespace

    burst = SimpleNamespace(threads={0, 1, 2}, stop_count=0, active_count=0, queue=deque(range(4)))
    assert server._waiting(burst) == 1  # type: ignore[arg-type]
    busy = SimpleNamespace(threads={0, 1, 2}, stop_count=0, active_count=3, queue=deque(range(4)))
    assert server._waiting(busy) == 4  # type: ignore[arg-type]
