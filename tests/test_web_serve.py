"""`commissioning serve`: binds to this computer by default, warns otherwise, plain errors."""

from __future__ import annotations

import socket
import threading
import urllib.request
from typing import Any

import pytest

from commissioning.cli import main
from commissioning.cli import serve as serve_cli


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("council-server", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert serve_cli.is_loopback(host) is loopback


class _FakeServer:
    port = 8123

    def __init__(self) -> None:
        self.closed = False

    def serve_forever(self) -> None:
        raise KeyboardInterrupt

    def server_close(self) -> None:
        self.closed = True


@pytest.fixture()
def fake_server(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    made: dict[str, Any] = {}

    def make(host: str, port: int, max_upload_mb: int, debug: bool) -> _FakeServer:
        made.update(host=host, port=port, max_upload_mb=max_upload_mb, debug=debug)
        made["server"] = _FakeServer()
        return made["server"]

    monkeypatch.setattr(serve_cli, "_make_server", make)
    return made


def test_default_is_localhost_port_8000_without_warning(
    fake_server: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve"]) == 0
    out, err = capsys.readouterr()
    assert (fake_server["host"], fake_server["port"]) == ("127.0.0.1", 8000)
    assert fake_server["max_upload_mb"] == 20 and fake_server["debug"] is False
    assert serve_cli.MSG_STARTED.format(url="http://127.0.0.1:8123/") in out
    assert serve_cli.MSG_STOPPED in out
    assert err == ""
    assert fake_server["server"].closed


def test_any_other_address_gets_a_warning(
    fake_server: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--debug", "serve", "--host", "0.0.0.0", "--max-upload-mb", "5"]) == 0
    _, err = capsys.readouterr()
    assert err.strip() == serve_cli.MSG_NOT_LOCAL.format(host="0.0.0.0")
    assert fake_server["max_upload_mb"] == 5 and fake_server["debug"] is True


def test_a_port_in_use_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err == "Error: " + serve_cli.MSG_PORT_IN_USE.format(port=port, host="127.0.0.1") + "\n"


def test_a_bad_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_real_server_answers_on_loopback() -> None:
    server = serve_cli._make_server("127.0.0.1", 0, 20, False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.port}/"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200
            assert "Check a provider" in response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
