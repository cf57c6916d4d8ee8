"""The web page's routes, through Flask's test client: uploads, findings, downloads, errors."""

from __future__ import annotations

import base64
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from commissioning.analysis.compare import TABLE_COLUMNS
from commissioning.checking.report import MSG_LABEL_WITHHELD, build_check
from commissioning.returns import read_return
from commissioning.web import app as web_app
from commissioning.web import create_app, forms, pipeline, routes, uploads
from commissioning.web import reports as web_reports

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
EARLIER = ROOT / "provider_returns" / "westminster_parenting_group_2024q2.xlsx"
DOCX_TYPE = pipeline.KINDS["docx"][1]
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _form(path: Path | None = EXAMPLE, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "authority": "Westminster",
        "service": "Holiday Activities and Food",
        "provider": "Westminster Play Partnership",
        "period": "2024-25 Q2",
        "comparator": "fsm",
        "level": "major",
    }
    if path is not None:
        data["return_file"] = (io.BytesIO(path.read_bytes()), path.name)
    data.update(fields)
    return data


def _post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=data, content_type="multipart/form-data")


def _csv(rows: list[str]) -> tuple[io.BytesIO, str]:
    text = "Ethnicity,Gender,Age\n" + "\n".join(rows) + "\n"
    return io.BytesIO(text.encode("utf-8")), "return.csv"


def _downloads(html: str) -> dict[str, tuple[str, bytes]]:
    """download file name -> (media type, bytes) of every data: link on a page."""
    found = re.findall(r'href="data:([^;"]+);base64,([A-Za-z0-9+/=]+)" download="([^"]+)"', html)
    return {name: (media, base64.b64decode(data)) for media, data, name in found}


@pytest.fixture(scope="module")
def results_page(app: Flask) -> str:
    response = _post(app.test_client(), "/results", _form())
    assert response.status_code == 200
    return response.get_data(as_text=True)


# -- the start page ----------------------------------------------------------------------
def test_start_page_has_a_labelled_form_and_no_script(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script" not in html.lower()
    ids = set(re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert {"authority", "service", "return_file", "previous", "as_of", "ages", "report",
            "by-sex", "by-age_band"} <= ids
    assert ids == labelled
    assert '<option value="Westminster"' in html and '<option value="Bi-Borough"' in html
    assert 'action="/results"' in html and 'method="post"' in html


def test_security_headers_forbid_scripts_and_caching(client: FlaskClient) -> None:
    headers = client.get("/").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "default-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in headers


def test_the_blank_template_downloads_as_a_workbook(client: FlaskClient) -> None:
    response = client.get("/template.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{pipeline.TEMPLATE_NAME}"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert {"Instructions", "Records", "Counts"} <= set(book.sheetnames)


# -- results -------------------------------------------------------------------------------
def test_findings_match_what_the_reader_counted(results_page: str) -> None:
    report = build_check(read_return(EXAMPLE))
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td>', results_page)
    served = dict(rows)
    for group in ("Asian", "Black", "Mixed", "White", "Other"):
        assert served[group] == str(report.ethnicity["major"][group])
    assert served["Total"] == str(report.ethnicity["known"])
    assert f"People counted: {report.total}." in results_page
    assert 'alt="Chart of the Relative Rate Index' in results_page


def test_results_page_shows_the_drafted_section_in_a_sandboxed_frame(results_page: str) -> None:
    frame = re.search(r'<iframe [^>]*sandbox srcdoc="([^"]*)"', results_page)
    assert frame is not None
    assert "&lt;h1&gt;Disproportionality Implications&lt;/h1&gt;" in frame.group(1)


def test_results_page_names_the_file_not_the_temporary_folder(results_page: str) -> None:
    assert EXAMPLE.name in results_page
    assert "commissioning-web-" not in results_page


def test_downloads_on_the_results_page_are_valid_files(results_page: str) -> None:
    files = _downloads(results_page)
    stem = EXAMPLE.stem
    media, word = files[f"{stem}_section.docx"]
    assert media == DOCX_TYPE
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word)).paragraphs]
    assert "Disproportionality Implications" in paragraphs
    media, markdown = files[f"{stem}_section.md"]
    assert media == "text/markdown"
    assert markdown.decode("utf-8").startswith("# Disproportionality Implications")
    media, workbook = files[f"{stem}_analysis.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[: len(TABLE_COLUMNS)] == list(TABLE_COLUMNS)


@pytest.mark.parametrize("kind", ["docx", "md", "xlsx"])
def test_direct_download_buttons_return_attachments(client: FlaskClient, kind: str) -> None:
    response = _post(client, f"/download/{kind}", _form())
    assert response.status_code == 200
    suffix = "analysis" if kind == "xlsx" else "section"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{EXAMPLE.stem}_{suffix}.{kind}"'
    )
    assert response.mimetype == pipeline.KINDS[kind][1].split(";")[0]
    if kind == "docx":
        assert docx.Document(io.BytesIO(response.data)).paragraphs
    elif kind == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames
    else:
        assert b"Disproportionality Implications" in response.data


def test_comparator_choices_are_library_sources() -> None:
    from commissioning.comparators.sources import ETHNICITY_SOURCES

    assert set(forms.COMPARATORS) - {""} <= set(ETHNICITY_SOURCES)


def test_comparator_ages_reach_the_population(client: FlaskClient) -> None:
    children = _post(client, "/results", _form(comparator="census2011", ages="0-17"))
    assert children.status_code == 200
    assert re.search(r"<dt>Compared with</dt><dd>[^<]*DC2101EW[^<]*, 0-17</dd>",
                     children.get_data(as_text=True))
    no_ages = _post(client, "/results", _form(comparator="census2021", ages="0-17"))
    assert no_ages.status_code == 422
    assert "no age breakdown" in no_ages.get_data(as_text=True)


def test_earlier_periods_are_read_and_counted(client: FlaskClient) -> None:
    # Without a single period value, an earlier return is labelled by its file name, which
    # a published section never shows: it is "period 1" there.
    earlier = (io.BytesIO(EARLIER.read_bytes()), "earlier_quarter.xlsx")
    response = _post(client, "/results", _form(period="2024-25 Q3", previous=[earlier]))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<dt>Earlier periods</dt><dd>1</dd>" in html
    frame = re.search(r'srcdoc="([^"]*)"', html)
    assert frame is not None and "earlier_quarter" not in frame.group(1)
    assert "period 1" in frame.group(1)


def test_upload_folder_is_private_and_gone_after_the_response(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Path, int, list[str]]] = []

    @contextmanager
    def watched() -> Iterator[Path]:
        with uploads.private_folder() as folder:
            yield folder
            files = [p.name for p in folder.rglob("*") if p.is_file()]
            seen.append((folder, folder.stat().st_mode & 0o777, files))

    monkeypatch.setattr(routes, "private_folder", watched)
    assert _post(client, "/results", _form()).status_code == 200
    (folder, mode, files) = seen[0]
    assert mode == 0o700
    assert EXAMPLE.name in files
    assert not folder.exists()


# -- provider text is escaped --------------------------------------------------------------
def test_typed_provider_text_is_escaped(client: FlaskClient) -> None:
    response = _post(client, "/results", _form(provider=HOSTILE, service="HAF <b>x</b>"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert HOSTILE not in html and "<b>x</b>" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_labels_from_the_file_are_escaped(client: FlaskClient) -> None:
    rows = ["White British,Female,8"] * 30 + ["Black African,Male,9"] * 20
    rows += [f"{HOSTILE},Female,10"] * 2
    response = _post(client, "/results", _form(path=None, return_file=_csv(rows)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # Markup does not read as an ethnic group, so the label is named by its rows only ...
    withheld = MSG_LABEL_WITHHELD.format(field="ethnic group", count=2, people_word="people",
                                         rows_word="rows", rows="52, 53")
    assert withheld in html and "onerror" not in html
    assert "<img src=x" not in html  # ... and never shown as markup
    assert re.search(r"<(img|script)[^>]*onerror", html) is None


# -- errors --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"return_file": None}, forms.MSG_NO_FILE),
        ({"service": "  "}, forms.MSG_NO_SERVICE),
        ({"authority": ""}, forms.MSG_NO_AUTHORITY),
        ({"comparator": "nonsense"}, forms.MSG_BAD_CHOICE.format(field="comparator")),
        ({"level": "everything"}, forms.MSG_BAD_CHOICE.format(field="level of detail")),
        ({"as_of": "31/02/2024"}, forms.MSG_BAD_DATE),
        (
            {"provider": "x" * 201},
            forms.MSG_TOO_LONG.format(field="provider name", limit=forms.MAX_FIELD_CHARS),
        ),
    ],
)
def test_form_mistakes_get_a_plain_400_page(
    client: FlaskClient, fields: dict[str, Any], message: str
) -> None:
    data = _form(**{k: v for k, v in fields.items() if v is not None})
    if fields.get("return_file", "") is None:
        del data["return_file"]
    response = _post(client, "/results", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'<p class="error-message">{_escaped(message)}</p>' in html
    assert "Traceback" not in html


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")


def test_unknown_authority_is_a_400_naming_the_fix(client: FlaskClient) -> None:
    response = _post(client, "/results", _form(authority="Westminsterr"))
    assert response.status_code == 400
    assert "Westminster" in response.get_data(as_text=True)


def test_a_file_that_is_not_a_spreadsheet_is_a_422(client: FlaskClient) -> None:
    junk = (io.BytesIO(b"\x00\x01 not a workbook " * 50), "return.xlsx")
    response = _post(client, "/results", _form(path=None, return_file=junk))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "Traceback" not in html


def test_a_return_that_cannot_be_analysed_shows_the_check(client: FlaskClient) -> None:
    rows = ["Martian,Female,8"] * 20 + ["White British,Male,9"] * 2
    response = _post(client, "/results", _form(path=None, return_file=_csv(rows)))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert pipeline.MSG_CANNOT_ANALYSE in html
    assert "Can this return be analysed? No" in html
    assert "data:application" not in html

    again = _post(client, "/download/docx", _form(path=None, return_file=_csv(rows)))
    assert again.status_code == 422
    assert _escaped(pipeline.MSG_NOTHING_TO_DOWNLOAD) in again.get_data(as_text=True)


def test_an_upload_over_the_limit_is_a_413() -> None:
    small = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 4096})
    data = _form(path=None, return_file=(io.BytesIO(b"x" * 10_000), "big.csv"))
    response = _post(small.test_client(), "/results", data)
    assert response.status_code == 413
    message = web_app.MSG_TOO_LARGE.format(limit=f"{4096 / web_app.MIB:g}")
    assert _escaped(message) in response.get_data(as_text=True)


def test_unknown_pages_and_methods_get_friendly_pages(client: FlaskClient) -> None:
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert web_app.MSG_NOT_FOUND in missing.get_data(as_text=True)
    wrong = client.get("/results")
    assert wrong.status_code == 405
    assert web_app.MSG_WRONG_METHOD in wrong.get_data(as_text=True)
    assert _post(client, "/download/pdf", _form()).status_code == 404


def test_an_unexpected_failure_shows_no_detail_and_logs_none(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("cell B7 said Jane Doe 01/02/2015")

    monkeypatch.setattr(pipeline, "run", broken)
    with caplog.at_level(logging.ERROR, logger="commissioning.web"):
        response = _post(client, "/results", _form())
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert _escaped(web_app.MSG_UNEXPECTED) in html
    assert "Jane Doe" not in html and "Traceback" not in html
    assert "Jane Doe" not in caplog.text and "RuntimeError" in caplog.text


def test_library_errors_map_to_statuses() -> None:
    from commissioning.errors import AnalysisError, CommissioningError, UnreadableFileError

    assert web_app.status_for(forms.FormError("x")) == 400
    assert web_app.status_for(web_reports.ReportError("x")) == 400
    assert web_app.status_for(UnreadableFileError("x")) == 422
    assert web_app.status_for(AnalysisError("x")) == 422
    assert web_app.status_for(CommissioningError("x")) == 422


# -- small pieces ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Q2 return (final).xlsx", "Q2_return_final_.xlsx"),
        ("", "return-1"),
        ("...", "return-1"),
        (None, "return-1"),
        ("Ñandú.csv", "and_.csv"),
    ],
)
def test_safe_name_cannot_leave_the_folder(given: str | None, expected: str) -> None:
    assert uploads.safe_name(given) == expected


def test_personal_data_typed_into_the_return_never_reaches_the_page(client: FlaskClient) -> None:
    typed = ["John Smith", "943 476 5919", "SW1A 1AA", "01/02/2015"]
    rows = ["White British,Female,8"] * 30 + ["Black African,Male,9"] * 20
    rows += [f"{label},Female,10" for label in typed] + ["Kurdish,Male,7"]
    response = _post(client, "/results", _form(path=None, return_file=_csv(rows)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for label in typed:
        assert label not in html
    assert "Kurdish" in html  # a real ethnic group is still shown, to be fixed
    for row in (52, 53, 54, 55):
        assert MSG_LABEL_WITHHELD.format(field="ethnic group", count=1, people_word="person",
                                         rows_word="row", rows=row) in html
