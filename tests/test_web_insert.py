"""The web page's Word options, through Flask's test client: a decision report to put the
section into (as `draft --into`), the split (`draft --by`), and reports that cannot be used."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import decision_reports as reports
import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from commissioning.analysis.compare import MSG_MISSING_DIMENSION
from commissioning.loading.limits import Limits
from commissioning.render.insert import MSG_NO_ANCHOR
from commissioning.web import create_app, forms, pipeline, routes, uploads
from commissioning.web import reports as web_reports

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
DOCX_TYPE = pipeline.KINDS["docx"][1]
TITLE = "Disproportionality Implications"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _form(report: tuple[io.BytesIO, str] | None = None, **fields: Any) -> dict[str, Any]:
    """The example return compared with children in Census 2011 (which has sex and age)."""
    data: dict[str, Any] = {
        "authority": "Westminster",
        "service": "Holiday Activities and Food",
        "comparator": "census2011",
        "ages": "0-17",
        "level": "major",
        "return_file": (io.BytesIO(EXAMPLE.read_bytes()), EXAMPLE.name),
    }
    if report is not None:
        data["report"] = report
    data.update(fields)
    return data


def _post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=data, content_type="multipart/form-data")


def _built(build: Callable[[Path], Path], tmp_path: Path, name: str = "report.docx") -> Any:
    return (io.BytesIO(build(tmp_path / "built.docx").read_bytes()), name)


def _texts(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


def _error(response: Any) -> str:
    found = re.search(r'<p class="error-message">([^<]*)</p>', response.get_data(as_text=True))
    assert found is not None
    return found.group(1)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")


# -- the start page ----------------------------------------------------------------------
def test_start_page_offers_the_report_and_the_splits(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<input id="report" name="report" type="file"[^>]*accept=".docx', html)
    for value in ("sex", "age_band"):
        assert f'<input id="by-{value}" name="by" type="checkbox" value="{value}">' in html
        assert f'<label for="by-{value}">{forms.SPLITS[value]}</label>' in html
    assert 'formaction="/download/report"' in html
    assert "{{ disproportionality_implications }}" in html  # the hint says what to type


# -- the report with the section -----------------------------------------------------------
@pytest.mark.parametrize("name", ["typed", "bare_placeholder", "heading_with_text"])
def test_the_section_goes_into_the_report_at_its_place_and_number(
    client: FlaskClient, tmp_path: Path, name: str
) -> None:
    response = _post(client, "/download/report",
                     _form(_built(reports.BUILDERS[name], tmp_path, "Cabinet report.docx")))
    assert response.status_code == 200
    assert response.mimetype == DOCX_TYPE
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="Cabinet_report with {TITLE}.docx"'
    )
    texts = _texts(response.data)
    title = texts.index(f"7. {TITLE}")
    assert texts[title - 1] == "6.1\tText of section 6."
    assert texts[title + 1] == "7.1 Summary"
    assert texts.index(f"8. {reports.AFTER}") > title
    assert texts.count(f"7. {TITLE}") == 1
    assert not any(reports.PLACEHOLDER in t or "[To be completed" in t for t in texts)


def test_a_report_numbered_by_word_keeps_its_own_heading(
    client: FlaskClient, tmp_path: Path
) -> None:
    response = _post(client, "/download/report", _form(_built(reports.word_numbered, tmp_path)))
    assert response.status_code == 200
    texts = _texts(response.data)
    title = texts.index(TITLE)
    assert texts[title - 1] == "Text of section 6."
    assert texts[title + 1] == "Summary"
    assert texts.index(reports.AFTER) > title


def test_the_results_page_offers_the_report_first(client: FlaskClient, tmp_path: Path) -> None:
    response = _post(client, "/results", _form(_built(reports.typed, tmp_path)))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    links = re.findall(r'href="data:([^;"]+);base64,([A-Za-z0-9+/=]+)" download="([^"]+)"', html)
    media, data, filename = links[0]
    assert (media, filename) == (DOCX_TYPE, f"report with {TITLE}.docx")
    assert f"Download the {pipeline.REPORT_LABEL}" in html
    assert f"7. {TITLE}" in _texts(base64.b64decode(data))
    assert len(links) == 4  # and the section, Markdown and workbook as before


def test_without_a_report_the_results_page_offers_no_report(client: FlaskClient) -> None:
    html = _post(client, "/results", _form()).get_data(as_text=True)
    assert pipeline.REPORT_LABEL not in html
    assert html.count('download="') == 3


def test_the_report_is_kept_in_the_private_folder_only(
    client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Path, list[str]]] = []

    @contextmanager
    def watched() -> Iterator[Path]:
        with uploads.private_folder() as folder:
            yield folder
            seen.append((folder, sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                                        if p.is_file())))

    monkeypatch.setattr(routes, "private_folder", watched)
    upload = _built(reports.typed, tmp_path, "../../Cabinet report.docx")
    assert _post(client, "/download/report", _form(upload)).status_code == 200
    folder, files = seen[0]
    assert "report/00/Cabinet_report.docx" in files
    assert not folder.exists()


def test_the_report_button_without_a_report_names_the_fix(client: FlaskClient) -> None:
    response = _post(client, "/download/report", _form())
    assert response.status_code == 400
    assert _error(response) == _escaped(web_reports.MSG_NO_REPORT)


def test_a_report_is_not_read_for_the_other_buttons(client: FlaskClient) -> None:
    junk = (io.BytesIO(b"not a report"), "report.docx")
    response = _post(client, "/download/docx", _form(junk))
    assert response.status_code == 200
    assert TITLE in _texts(response.data)


# -- the split ------------------------------------------------------------------------------
def test_split_by_age_band_shows_the_two_way_table(
    client: FlaskClient, tmp_path: Path
) -> None:
    page = _post(client, "/results", _form(by="age_band"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<dt>Split</dt><dd>By age band</dd>" in html
    frame = re.search(r'srcdoc="([^"]*)"', html)
    assert frame is not None
    assert "By age group" in frame.group(1) and "Aged 5 to 9: RRI" in frame.group(1)
    assert "By sex" not in frame.group(1)

    word = _post(client, "/download/report",
                 _form(_built(reports.typed, tmp_path), by="age_band"))
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.data))
    assert "By age group" in [p.text for p in document.paragraphs]
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert any("Aged 5 to 9: RRI" in row for row in headers)


def test_split_by_sex_says_why_no_table_is_safe(client: FlaskClient) -> None:
    """The example has a few children of another gender in every group: Table 1 minus
    girls and boys would give them away, so the part says so instead of a table."""
    html = _post(client, "/results", _form(by="sex")).get_data(as_text=True)
    assert "<dt>Split</dt><dd>By sex</dd>" in html
    frame = re.search(r'srcdoc="([^"]*)"', html)
    assert frame is not None and "By sex" in frame.group(1)
    assert "We do not show the numbers by sex." in frame.group(1)
    assert "Girls: RRI" not in frame.group(1)


def test_without_a_split_there_is_no_split_table(client: FlaskClient) -> None:
    html = _post(client, "/results", _form()).get_data(as_text=True)
    assert "<dt>Split</dt>" not in html and "Girls: RRI" not in html


def test_both_splits_together(client: FlaskClient) -> None:
    html = _post(client, "/results", _form(by=["age_band", "sex"])).get_data(as_text=True)
    assert "<dt>Split</dt><dd>By sex; By age band</dd>" in html
    frame = re.search(r'srcdoc="([^"]*)"', html)
    assert frame is not None and "By sex" in frame.group(1) and "By age group" in frame.group(1)


def test_a_split_the_page_does_not_offer_is_a_400(client: FlaskClient) -> None:
    response = _post(client, "/results", _form(by="postcode"))
    assert response.status_code == 400
    assert _error(response) == _escaped(forms.MSG_BAD_CHOICE.format(field="split"))


def test_a_split_the_comparator_lacks_is_named(client: FlaskClient) -> None:
    response = _post(client, "/results", _form(comparator="fsm", ages="", by="sex"))
    assert response.status_code == 422
    message = MSG_MISSING_DIMENSION.format(side="comparator", dimension="sex")
    assert _error(response) == _escaped(" ".join(message.split()))


# -- reports that cannot be used -----------------------------------------------------------
def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx_with(tmp_path: Path, part: str, data: bytes) -> bytes:
    """The typed report with one of its parts replaced."""
    source = reports.typed(tmp_path / "source.docx")
    with zipfile.ZipFile(source) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members[part] = data
    return _zip(members)


def _ratio(content: bytes, member: str) -> str:
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(member)
    return f"{info.file_size / info.compress_size:,.0f}"


def _bad_reports(tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    good = reports.typed(tmp_path / "good.docx").read_bytes()
    bomb = _docx_with(tmp_path, "word/media/big.bin", b"\0" * (8 * 1024 * 1024))
    doctype = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><w:document/>'
    return {
        "cut off": (good[: len(good) // 2], web_reports.MSG_REPORT_DAMAGED),
        "text": (b"Dear colleague, the report is attached.\n" * 20,
                 web_reports.MSG_REPORT_NOT_DOCX),
        "old word": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
                     web_reports.MSG_REPORT_OLD_OR_LOCKED),
        "a spreadsheet": (_zip({"xl/workbook.xml": b"<workbook/>"}),
                          web_reports.MSG_REPORT_NOT_DOCX),
        "zip bomb": (bomb, web_reports.MSG_REPORT_RATIO.format(
            ratio=_ratio(bomb, "word/media/big.bin"))),
        "doctype": (_docx_with(tmp_path, "word/document.xml", doctype),
                    web_reports.MSG_REPORT_XML),
        "broken xml": (_docx_with(tmp_path, "word/document.xml", b"<w:document><w:body>"),
                       web_reports.MSG_REPORT_DAMAGED),
        "too many parts": (_zip({f"word/p{i}.bin": b"" for i in range(2_001)}),
                           web_reports.MSG_REPORT_TOO_MANY_PARTS.format(limit="2,000")),
    }


@pytest.mark.parametrize(
    "case", ["cut off", "text", "old word", "a spreadsheet", "zip bomb", "doctype",
             "broken xml", "too many parts"],
)
def test_a_report_that_cannot_be_used_is_a_400_naming_the_fix(
    client: FlaskClient, tmp_path: Path, case: str
) -> None:
    content, message = _bad_reports(tmp_path)[case]
    for url in ("/download/report", "/results"):
        response = _post(client, url, _form((io.BytesIO(content), "report.docx")))
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert _error(response) == _escaped(message)
        assert "Traceback" not in html and "data:application" not in html


def test_a_report_with_no_place_for_the_section_is_a_400(
    client: FlaskClient, tmp_path: Path
) -> None:
    document = docx.Document()
    document.add_heading("1. Executive Summary", level=1)
    path = tmp_path / "plain.docx"
    document.save(str(path))
    upload = (io.BytesIO(path.read_bytes()), 'Cabinet <b>report.docx')
    response = _post(client, "/download/report", _form(upload))
    assert response.status_code == 400
    assert _error(response) == _escaped(MSG_NO_ANCHOR.format(name="Cabinet_b_report.docx"))
    assert "<b>" not in response.get_data(as_text=True)


def test_a_bad_report_is_refused_before_the_return_is_read(client: FlaskClient) -> None:
    data = _form((io.BytesIO(b"not a report"), "report.docx"),
                 return_file=(io.BytesIO(b"\x00\x01 not a workbook " * 50), "return.xlsx"))
    response = _post(client, "/download/report", data)
    assert response.status_code == 400
    assert _error(response) == _escaped(web_reports.MSG_REPORT_NOT_DOCX)


def test_report_limits_are_the_loading_limits(tmp_path: Path) -> None:
    path = reports.typed(tmp_path / "report.docx")
    web_reports.check_report(path)  # a real report passes
    with pytest.raises(web_reports.ReportError) as small_file:
        web_reports.check_report(path, Limits(max_file_bytes=1_000))
    assert small_file.value.message.startswith("The decision report is 0.0 MB, more than")
    with pytest.raises(web_reports.ReportError) as expands:
        web_reports.check_report(path, Limits(max_uncompressed_bytes=1_000))
    assert expands.value.message == web_reports.MSG_REPORT_EXPANDS.format(
        size=web_reports._mb(sum(i.file_size for i in zipfile.ZipFile(path).infolist())),
        limit="0.0",
    )


def test_xml_parts_together_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = reports.typed(tmp_path / "report.docx")
    monkeypatch.setattr(web_reports, "MAX_REPORT_XML_MB", 0)
    with pytest.raises(web_reports.ReportError) as found:
        web_reports.check_report(path)
    assert found.value.message.startswith("The decision report expands to ")
    assert "more than the 0.0 MB this page accepts" in found.value.message


def test_the_whole_report_expanded_is_bounded_below_the_loading_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = reports.typed(tmp_path / "report.docx")
    monkeypatch.setattr(web_reports, "MAX_REPORT_EXPANDED_MB", 0)
    with pytest.raises(web_reports.ReportError) as found:
        web_reports.check_report(path)
    assert "more than the 0.0 MB this page accepts" in found.value.message


def test_the_kind_of_service_is_chosen_on_the_page_and_notes_stay_off_the_section(
    client: FlaskClient,
) -> None:
    form = client.get("/")
    assert 'name="service_kind"' in form.get_data(as_text=True)
    html = _post(client, "/results", _form(service_kind="intervention")).get_data(as_text=True)
    frame = re.search(r'srcdoc="([^"]*)"', html)
    assert frame is not None and "steps into people&#39;s lives" in frame.group(1).replace(
        "&amp;", "&")
    assert "Notes for you (not part of the section)" in html
    assert "Note for the author" not in frame.group(1)
    bad = _post(client, "/results", _form(service_kind="prison"))
    assert bad.status_code == 400
