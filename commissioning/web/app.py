"""The Flask application factory for `commissioning serve`.

Safe by default: an upload size limit, no sessions or cookies, no JavaScript (the Content
Security Policy allows none, so even a rendering mistake cannot run a script), nothing cached,
and every failure shown as a plain page with no technical detail.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

from flask import Flask, Response, render_template, request
from jinja2 import StrictUndefined
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from commissioning import __version__
from commissioning.errors import (
    AnalysisError,
    CommissioningError,
    ComparatorError,
    InvalidReturnError,
    OutputError,
    TemplateProblemError,
    UnknownAuthorityError,
    UnreadableFileError,
)
from commissioning.web.forms import FormError

MIB: Final = 1024 * 1024
#: Largest upload accepted, in megabytes (all files of one request together).
DEFAULT_MAX_UPLOAD_MB: Final = 20

MSG_TOO_LARGE = (
    "The file is larger than {limit} MB, the most this page accepts. Check it is the right "
    "file, or ask whoever runs this page to start it with a larger --max-upload-mb."
)
MSG_TOO_MANY_PARTS = (
    "The form arrived with more parts (files and fields) or a longer text field than this page "
    "accepts, so it was not read. Go back to the start page and send the return with at most "
    "{files} earlier returns."
)
#: Most parts one form may have: the fields, the return and its earlier periods.
MAX_FORM_PARTS: Final = 40
#: Earlier returns the page says it accepts (well under the parts limit, fields included).
MAX_PREVIOUS_FILES: Final = 20
MSG_NOT_FOUND = "There is no page at this address. Go back to the start page."
MSG_WRONG_METHOD = (
    "This page cannot be opened that way. Go back to the start page and use the form."
)
MSG_BAD_REQUEST = "The form did not arrive complete. Go back to the start page and try again."
MSG_UNEXPECTED = (
    "Something went wrong on our side and nothing was produced. Try again; if it happens again, "
    "ask whoever runs this page to restart it with 'commissioning --debug serve' and share what it "
    "shows on screen (it never shows your data)."
)

#: Which error classes are the user's form (400) and which are the file or the comparison (422).
_STATUS: Final[tuple[tuple[type[CommissioningError], int], ...]] = (
    (FormError, 400),
    (UnknownAuthorityError, 400),
    (UnreadableFileError, 422),
    (InvalidReturnError, 422),
    (ComparatorError, 422),
    (AnalysisError, 422),
    (TemplateProblemError, 500),
    (OutputError, 500),
)

#: No script may run at all. Inline styles are allowed because the drafted section is the
#: library's own self-contained HTML page (with a <style> block), shown in a sandboxed frame.
_SECURITY_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

log = logging.getLogger("commissioning.web")


def status_for(error: CommissioningError) -> int:
    """The HTTP status a library error is shown with."""
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 422


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application. ``config`` overrides Flask settings, for example
    ``MAX_CONTENT_LENGTH`` (bytes) or ``COMMISSIONING_DEBUG`` (log full tracebacks)."""
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=DEFAULT_MAX_UPLOAD_MB * MIB,
        MAX_FORM_PARTS=MAX_FORM_PARTS,
        COMMISSIONING_DEBUG=False,
        TEMPLATES_AUTO_RELOAD=False,
    )
    if config:
        app.config.update(config)
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.globals["version"] = __version__

    from commissioning.web.routes import pages

    app.register_blueprint(pages)
    _register_error_pages(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def security_headers() -> list[tuple[str, str]]:
    """The headers every page carries (the server's own error pages too)."""
    return list(_SECURITY_HEADERS.items())


def _error_page(message: str, status: int) -> tuple[str, int]:
    return render_template("error.html", message=message, status=status), status


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CommissioningError)
    def _library_error(error: CommissioningError) -> tuple[str, int]:
        return _error_page(" ".join(error.message.split()), status_for(error))

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_: RequestEntityTooLarge) -> tuple[str, int]:
        # werkzeug raises the same error for a body over the limit and for a form with too
        # many parts or a long field; say which, so the fix named is the right one.
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        if request.content_length is not None and request.content_length <= limit:
            return _error_page(MSG_TOO_MANY_PARTS.format(files=MAX_PREVIOUS_FILES), 413)
        return _error_page(MSG_TOO_LARGE.format(limit=f"{limit / MIB:g}"), 413)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        message = {404: MSG_NOT_FOUND, 405: MSG_WRONG_METHOD, 400: MSG_BAD_REQUEST}.get(
            status, MSG_UNEXPECTED
        )
        return _error_page(message, status)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        # The exception's text may quote cell contents, so only its type is logged unless
        # the person running the server asked for --debug.
        if app.config.get("COMMISSIONING_DEBUG"):
            log.exception("Unexpected error while handling a request")
        else:
            log.error("Unexpected error while handling a request: %s", type(error).__name__)
        return _error_page(MSG_UNEXPECTED, 500)
