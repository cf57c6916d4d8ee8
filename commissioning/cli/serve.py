"""`commissioning serve`: start the local web page for commissioners.

Binds to this computer only (127.0.0.1) unless told otherwise, and warns when it is told
otherwise: anyone who can reach the address can upload files and read the results.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import TYPE_CHECKING

import click

from commissioning.cli.say import say
from commissioning.errors import CommissioningError

if TYPE_CHECKING:
    from commissioning.web.server import WebServer

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

MSG_STARTED = "Open {url} in your web browser. Press Ctrl+C to stop."
MSG_NOT_LOCAL = (
    "Warning: {host} lets other computers reach this page. Anyone who can reach it can upload "
    "returns and read the results. Use --host 127.0.0.1 unless your IT team has put it behind "
    "the council's own access controls."
)
MSG_PORT_IN_USE = (
    "Port {port} is already in use on {host}. Choose another with --port, e.g. --port 8080."
)
MSG_CANNOT_BIND = "Cannot start the page on {host} port {port}: {reason}. Check --host and --port."
MSG_STOPPED = "Stopped. No files were kept."


class ServeError(CommissioningError):
    """The web page could not be started on the address asked for."""


def is_loopback(host: str) -> bool:
    """True when ``host`` can only be reached from this computer."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, or `ServeError` naming the fix (werkzeug would exit instead)."""
    from werkzeug.serving import get_sockaddr, select_address_family

    try:
        family = select_address_family(host, port)
        address = get_sockaddr(host, port, family)
        return socket.create_server(address, family=family, backlog=128)  # type: ignore[arg-type]
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(MSG_PORT_IN_USE.format(port=port, host=host)) from exc
        reason = exc.strerror or "not a valid address"
        raise ServeError(MSG_CANNOT_BIND.format(host=host, port=port, reason=reason)) from exc
    except (UnicodeError, ValueError, TypeError) as exc:
        raise ServeError(
            MSG_CANNOT_BIND.format(host=host, port=port, reason="not a valid address")
        ) from exc


def _make_server(host: str, port: int, max_upload_mb: int, debug: bool) -> WebServer:
    """The production server (waitress, bounded; `commissioning.web.server`), after
    deleting any upload folders a killed earlier server left behind."""
    from commissioning.web import create_app
    from commissioning.web.server import WebServer, configure_logging
    from commissioning.web.uploads import sweep_stale_folders

    max_body = max_upload_mb * 1024 * 1024
    app = create_app({"MAX_CONTENT_LENGTH": max_body, "COMMISSIONING_DEBUG": debug})
    listening = _bind(host.strip("[]"), port)
    configure_logging(debug=debug)
    sweep_stale_folders()
    return WebServer(app, listening, max_body)


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--max-upload-mb",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1024),
    help="Largest upload accepted, in megabytes.",
)
@click.pass_context
def command(ctx: click.Context, host: str, port: int, max_upload_mb: int) -> None:
    """Start a web page where colleagues upload a return, see the findings and download
    the drafted section. Files are deleted as soon as each page is produced."""
    debug = bool(ctx.parent and ctx.parent.params.get("debug"))
    if not is_loopback(host):
        say(MSG_NOT_LOCAL.format(host=host), err=True)
    server = _make_server(host, port, max_upload_mb, debug)
    shown_host = f"[{host}]" if ":" in host else host
    say(MSG_STARTED.format(url=f"http://{shown_host}:{server.port}/"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say(MSG_STOPPED)
    finally:
        server.server_close()
