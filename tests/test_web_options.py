"""The web page's section number (`draft --number`) and its "Also compare by sex / age band"
boxes (`draft --characteristic`), through Flask's test client."""

from __future__ import annotations

import html as html_lib
import io
import re
from pathlib import Path
from typing import Any

import decision_reports as reports
import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from commissioning.render.sectionnumber import MSG_BAD_NUMBER
from commissioning.web import create_app, forms

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
TITLE = "Disproportionality Implications"
SEX_AND_AGE = "Sex and age"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _form(tmp_path: Path | None = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "authority": "Westminster",
        "service": "Holiday Activities and Food",
        "level": "major",
        "return_file": (io.BytesIO(EXAMPLE.read_bytes()), EXAMPLE.name),
    }
    if tmp_path is not None:
        report = reports.typed(tmp_path / "built.docx")
        data["report"] = (io.BytesIO(report.read_bytes()), "Cabinet report.docx")
    data.update(fields)
    return data


def _post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=data, content_type="multipart/form-data")


def _texts(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


def _error(response: Any) -> str:
    found = re.search(r'<p class="error-message">([^<]*)</p>', response.get_data(as_text=True))
    assert found is not None
    return html_lib.unescape(found.group(1))


def test_start_page_offers_the_number_and_the_comparisons(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<input id="section_number" name="section_number" type="text"', page)
    assert '<label for="section_number">Section number <span class="optional">' in page
    for value, label in forms.CHARACTERISTICS.items():
        assert (f'<input id="characteristic-{value}" name="characteristic" type="checkbox" '
                f'value="{value}" checked>') in page
        assert f'<label for="characteristic-{value}">{label}</label>' in page
    assert forms.CHARACTERISTICS == {"sex": "Also compare by sex",
                                     "age_band": "Also compare by age band"}


def test_the_form_reads_the_number_and_the_boxes() -> None:
    base = {"authority": "Westminster", "service": "HAF"}
    assert forms.parse_form(base).section_number is None
    assert forms.parse_form({**base, "section_number": "  "}).section_number is None
    assert forms.parse_form({**base, "section_number": " 9 "}).section_number == 9
    ticked = MultiDict([*base.items(), ("characteristic", "age_band"),
                        ("characteristic", "sex")])
    assert forms.parse_form(ticked).characteristics == ("sex", "age_band")  # page order
    assert forms.parse_form(base).characteristics == ()


def test_the_report_takes_the_chosen_number(client: FlaskClient, tmp_path: Path) -> None:
    response = _post(client, "/download/report", _form(tmp_path, section_number="9"))
    assert response.status_code == 200
    texts = _texts(response.data)
    title = texts.index(f"9. {TITLE}")
    assert texts[title + 1] == "9.1 Summary"
    assert texts[title - 1] == "6.1\tText of section 6."
    assert texts[-2:] == [f"10. {reports.AFTER}", "10.1\tNo carbon impact."]
    # Blank follows the report, as before.
    followed = _texts(_post(client, "/download/report",
                            _form(tmp_path, section_number="")).data)
    assert f"7. {TITLE}" in followed and f"8. {reports.AFTER}" in followed


def test_the_results_page_says_the_number(client: FlaskClient, tmp_path: Path) -> None:
    page = _post(client, "/results", _form(tmp_path, section_number="9"))
    assert page.status_code == 200
    assert "<dt>Section number</dt><dd>9</dd>" in page.get_data(as_text=True)


@pytest.mark.parametrize("value", ["4.2", "0", "seven", "100"])
def test_a_bad_number_names_the_fix(client: FlaskClient, tmp_path: Path, value: str) -> None:
    response = _post(client, "/download/report", _form(tmp_path, section_number=value))
    assert response.status_code == 400
    assert _error(response) == MSG_BAD_NUMBER.format(value=value)


def test_compare_by_sex_and_age_band_adds_the_part(
    client: FlaskClient, tmp_path: Path
) -> None:
    plain = _texts(_post(client, "/download/docx", _form()).data)
    assert SEX_AND_AGE not in " ".join(plain)
    both = _post(client, "/download/report",
                 _form(tmp_path, characteristic=["sex", "age_band"]))
    assert both.status_code == 200
    texts = _texts(both.data)
    assert f"7.4 {SEX_AND_AGE}" in texts
    page = _post(client, "/results", _form(characteristic="sex"))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "<dt>Also compared by</dt><dd>sex</dd>" in body
    frame = re.search(r'srcdoc="([^"]*)"', body)
    assert frame is not None and SEX_AND_AGE in html_lib.unescape(frame.group(1))


def test_a_comparison_the_page_does_not_offer_is_refused(client: FlaskClient) -> None:
    response = _post(client, "/results", _form(characteristic="ethnicity"))
    assert response.status_code == 400
    assert _error(response) == forms.MSG_BAD_CHOICE.format(
        field=forms.FIELD_LABELS["characteristic"])
