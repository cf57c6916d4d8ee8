"""The web page takes a return with gender and age but no ethnicity: the section about
sex and age, with both its charts, and the same downloads as any other return."""

from __future__ import annotations

import base64
import html as html_lib
import io
import re
from pathlib import Path

import docx
from flask.testing import FlaskClient

from commissioning.web import create_app

ROOT = Path(__file__).resolve().parents[1]
NO_ETHNICITY = ROOT / "provider_returns" / "westminster_youth_sport_2024q2.csv"


def _results(client: FlaskClient) -> str:
    data = {
        "authority": "Westminster", "service": "Youth sport", "comparator": "census2021",
        "level": "major",
        "return_file": (io.BytesIO(NO_ETHNICITY.read_bytes()), NO_ETHNICITY.name),
    }
    response = client.post("/results", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_return_without_ethnicity_gets_its_section_and_charts() -> None:
    page = _results(create_app({"TESTING": True}).test_client())
    frame = re.search(r'<iframe [^>]*sandbox srcdoc="([^"]*)"', page)
    assert frame is not None
    section = html_lib.unescape(frame.group(1))
    assert "The return does not record ethnicity." in section
    charts = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', section)
    assert len(charts) == 2 and charts[0] != charts[1]  # by sex, then by age
    assert all(base64.b64decode(c).startswith(b"\x89PNG") for c in charts)
    links = dict((name, data) for data, name in re.findall(
        r'href="data:[^;"]+;base64,([A-Za-z0-9+/=]+)" download="([^"]+)"', page))
    word = docx.Document(io.BytesIO(base64.b64decode(links[f"{NO_ETHNICITY.stem}_section.docx"])))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Instead we compared who it reached by sex and age." in text
    assert "cannot be analysed" not in page
