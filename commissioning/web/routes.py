"""The pages: the form, the results, and the downloads.

Every route that reads an upload is a POST (nothing changes on a GET). The uploaded files
live only in a private temporary folder for the length of the request; downloads are built
from the same upload in the same request, so nothing is kept between requests.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.datastructures import FileStorage

from commissioning.errors import InvalidReturnError
from commissioning.web import pipeline
from commissioning.web.forms import (
    CHARACTERISTICS,
    COMPARATORS,
    LEVELS,
    MSG_NO_FILE,
    SERVICE_KINDS,
    SPLITS,
    FormError,
    parse_form,
)
from commissioning.web.reports import MSG_NO_REPORT
from commissioning.web.uploads import private_folder

pages = Blueprint("pages", __name__)


def _return_file() -> FileStorage:
    upload = request.files.get("return_file")
    if upload is None or not upload.filename:
        raise FormError(MSG_NO_FILE)
    return upload


def _previous_files() -> list[FileStorage]:
    return [f for f in request.files.getlist("previous") if f and f.filename]


def _report_file(*, required: bool = False) -> FileStorage | None:
    """The decision report to put the section into (optional except for its own button)."""
    upload = request.files.get("report")
    if upload is None or not upload.filename:
        if required:
            raise FormError(MSG_NO_REPORT)
        return None
    return upload


def _attachment(download: pipeline.Download) -> Response:
    response = Response(download.content, mimetype=download.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@pages.get("/")
def index() -> str:
    limit_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
    return render_template(
        "index.html",
        authorities=pipeline.authority_choices(),
        comparators=COMPARATORS,
        levels=LEVELS,
        splits=SPLITS,
        characteristics=CHARACTERISTICS,
        service_kinds=SERVICE_KINDS,
        limit_mb=f"{limit_mb:g}",
    )


@pages.post("/results")
def results() -> tuple[str, int]:
    form = parse_form(request.form)
    upload = _return_file()
    with private_folder() as folder:
        outcome = pipeline.run(form, upload, _previous_files(), folder, report=_report_file())
    page = render_template(
        "results.html",
        form=form,
        results=outcome,
        splits=SPLITS,
        cannot_analyse=pipeline.MSG_CANNOT_ANALYSE,
    )
    return page, 200 if outcome.can_analyse else 422


@pages.post("/download/<kind>")
def download(kind: str) -> Response:
    pipeline.check_kind(kind)
    form = parse_form(request.form)
    upload = _return_file()
    report = _report_file(required=True) if kind == pipeline.REPORT_KIND else None
    with private_folder() as folder:
        outcome = pipeline.run(
            form, upload, _previous_files(), folder, kinds=(kind,), report=report
        )
    if not outcome.can_analyse:
        raise InvalidReturnError(pipeline.MSG_NOTHING_TO_DOWNLOAD)
    return _attachment(outcome.download(kind))


@pages.get("/template.xlsx")
def template() -> Response:
    return _attachment(pipeline.blank_template())
