"""Renderers: Markdown, HTML (escaped), Word (real styles, alt text), insertion into a
report, the chart, and that LibreOffice opens the Word file."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import needs_soffice
from test_draft_support import build_analysis

from commissioning.drafting.draft import Section, draft
from commissioning.errors import TemplateProblemError, UnreadableFileError
from commissioning.model.quality import DataQuality
from commissioning.render.chart import render_chart_png
from commissioning.render.docx import MSG_NO_ANCHOR, MSG_NOT_DOCX, insert_into, render_docx
from commissioning.render.html import render_html
from commissioning.render.markdown import render_markdown

WESTMINSTER = [3380, 4176, 2546, 5688, 5679]
NASTY = "<script>alert('x')</script> *bold*"


@pytest.fixture(scope="module")
def section() -> Section:
    unmapped = pd.DataFrame({"dimension": ["ethnicity"], "label": [NASTY], "count": [12],
                             "rows": [tuple(range(12))]})
    analysis = build_analysis([120, 260, 90, 300, 30], WESTMINSTER, unmapped=12)
    return draft(analysis, authority="Westminster", service="Holiday <Activities> & Food",
                 provider="Play & Learn " + NASTY, quality=DataQuality(unmapped=unmapped))


def test_html_escapes_provider_and_user_text(section: Section) -> None:
    html = render_html(section, chart_png=None)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html  # the council's text
    # each "alert(" is the council's provider name; the provider's label never appears
    assert html.count("alert(") == html.count("Play &amp; Learn")
    assert "Holiday &lt;Activities&gt; &amp; Food" in html
    assert html.count("<table>") == 3 and '<th scope="col">Group</th>' in html


def test_html_embeds_the_chart_with_alt_text(section: Section) -> None:
    html = render_html(section)
    assert '<img src="data:image/png;base64,' in html
    assert 'alt="Chart of the Relative Rate Index for each group.' in html


def test_markdown_escapes_provider_text(section: Section) -> None:
    md = render_markdown(section)
    assert "\\<script\\>" in md and "\\*bold\\*" in md
    assert md.count("alert(") == md.count("Play & Learn")  # never the provider's label
    assert "Holiday \\<Activities\\> & Food" in md
    assert "<script>" not in md


def _docx(section: Section):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(render_docx(section)))


def test_word_uses_real_styles_numbers_tables_and_alt_text(section: Section) -> None:
    from docx.oxml.ns import qn

    document = _docx(section)
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Disproportionality Implications") in styles
    assert ("Heading 2", "3 Findings") in styles
    assert any(s == "Caption" and t.startswith("Table 1:") for s, t in styles)
    assert any(s == "Caption" and t.startswith("Figure 1:") for s, t in styles)
    assert any(s == "List Bullet" and t.startswith("Targeted outreach.") for s, t in styles)
    numbered = [t for s, t in styles if t[:4] == "1.1\t"]
    assert numbered and numbered[0].startswith("1.1\tWe found two clear differences")
    assert len(document.tables) == 3
    assert {t.style.name for t in document.tables} == {"Table Grid"}
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header[:2] == ["Group", "People served"]
    doc_prs = list(document.element.body.iter(qn("wp:docPr")))
    assert len(doc_prs) == 1
    assert doc_prs[0].get("descr").startswith("Chart of the Relative Rate Index")
    assert len(document.inline_shapes) == 1


def _report(tmp_path: Path, *, placeholder: bool, heading: str | None) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Executive Decision Report", level=0)
    document.add_heading("7. Financial Implications", level=1)
    document.add_paragraph("Costs are met from the grant.")
    if heading:
        document.add_heading(heading, level=1)
    if placeholder:
        document.add_paragraph("{{ disproportionality_implications }}")
    document.add_heading("9. Legal Implications", level=1)
    document.add_paragraph("None.")
    path = tmp_path / "edr.docx"
    document.save(str(path))
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("placeholder", [True, False])
def test_insert_under_heading_or_at_placeholder_writes_a_new_file(
    tmp_path: Path, section: Section, placeholder: bool
) -> None:
    import docx

    report = _report(tmp_path, placeholder=placeholder,
                     heading="8. Disproportionality Implications")
    before = _digest(report)
    out = insert_into(section, report, tmp_path / "out.docx")
    assert _digest(report) == before  # the input is never changed
    texts = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    names = [t for _, t in texts]
    assert "{{ disproportionality_implications }}" not in names
    start = names.index("8. Disproportionality Implications")
    assert names.count("8. Disproportionality Implications") == 1
    assert texts[start + 1] == ("Heading 2", "8.1 Summary")
    assert names[start + 2].startswith("8.1.1\tWe found")
    assert names.index("9. Legal Implications") > names.index("8.6 Appendix")


def test_insert_at_a_bare_placeholder_adds_the_title(tmp_path: Path, section: Section) -> None:
    import docx

    report = _report(tmp_path, placeholder=True, heading=None)
    out = insert_into(section, report, tmp_path / "out.docx")
    texts = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    # Numbered on from the report's "7. Financial Implications", in the same form.
    title = texts.index(("Heading 1", "8. Disproportionality Implications"))
    assert texts[title + 1] == ("Heading 2", "8.1 Summary")
    assert texts[title - 1][1] == "Costs are met from the grant."


def test_insert_refuses_a_report_without_a_place(tmp_path: Path, section: Section) -> None:
    report = _report(tmp_path, placeholder=False, heading=None)
    with pytest.raises(TemplateProblemError) as info:
        insert_into(section, report, tmp_path / "out.docx")
    assert str(info.value) == MSG_NO_ANCHOR.format(name="edr.docx")
    assert not (tmp_path / "out.docx").exists()
    assert "{{ disproportionality_implications }}" in MSG_NO_ANCHOR.format(name="x")


def test_insert_refuses_a_file_that_is_not_word(tmp_path: Path, section: Section) -> None:
    fake = tmp_path / "edr.docx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(UnreadableFileError) as info:
        insert_into(section, fake, tmp_path / "out.docx")
    assert str(info.value) == MSG_NOT_DOCX.format(name="edr.docx")


def test_chart_is_black_and_white_png(section: Section) -> None:
    import numpy as np
    from matplotlib import image

    chart = section.chart()
    assert chart is not None
    assert chart.spec.lines == (0.5, 1.0, 1.5)
    png = render_chart_png(chart.spec, dpi=60)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = image.imread(io.BytesIO(png))[..., :3]
    spread = pixels.max(axis=2) - pixels.min(axis=2)
    assert float(np.max(spread)) < 0.02  # greys only: prints the same in black and white


def test_chart_leaves_out_hidden_groups() -> None:
    analysis = build_analysis([3, 80, 60, 90, 40], WESTMINSTER)
    chart = draft(analysis, authority="Westminster", service="X").chart()
    assert chart is not None
    groups = {p.group for p in chart.spec.points}
    assert "Asian" not in groups and chart.spec.not_shown
    assert set(chart.spec.not_shown) & {"Asian"}


@needs_soffice
def test_libreoffice_converts_the_word_file_to_pdf(tmp_path: Path, section: Section) -> None:
    path = tmp_path / "section.docx"
    path.write_bytes(render_docx(section))
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "section.pdf"
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"


def test_insert_under_a_heading_in_the_council_own_style(
    tmp_path: Path, section: Section
) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Intro")
    heading = document.add_paragraph()
    heading.add_run("6. Disproportionality Implications").bold = True
    document.add_paragraph("7. Legal Implications")
    report = tmp_path / "edr.docx"
    document.save(str(report))
    out = insert_into(section, report, tmp_path / "out.docx")
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    start = texts.index("6. Disproportionality Implications")
    assert texts[start + 1] == "6.1 Summary"
    assert texts.index("7. Legal Implications") > start + 10


def test_standalone_word_is_a4_with_uk_margins_and_the_council_as_author(
    section: Section,
) -> None:
    import datetime as dt
    import zipfile

    import docx

    data = render_docx(section)
    document = docx.Document(io.BytesIO(data))
    page = document.sections[0]
    assert (round(page.page_width.cm, 2), round(page.page_height.cm, 2)) == (21.0, 29.7)
    assert {round(m.cm, 2) for m in (page.left_margin, page.right_margin, page.top_margin,
                                     page.bottom_margin)} == {2.54}
    props = document.core_properties
    assert props.author == "Westminster City Council" == props.last_modified_by
    assert props.title == "Disproportionality Implications"
    assert props.created is not None
    # the section's own date produced, so the same section gives the same bytes
    produced = dt.date.fromisoformat(dict(section.audit.items)["produced"])
    assert props.created == props.modified
    assert props.created.date() == produced
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        everything = b"".join(package.read(n) for n in names if n.endswith(".xml"))
    assert b"python-docx" not in everything and b"2013-12-23" not in everything
    assert not any("thumbnail" in n for n in names)
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ascii") \
        == "Arial"


def test_standalone_tables_repeat_headers_keep_rows_whole_and_fit_the_page(
    section: Section,
) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(render_docx(section)))
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(r.trPr.find(qn("w:cantSplit")) is not None for r in rows)
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= round(15.92 / 2.54 * 1440) + len(grid)  # twips, the text width
        assert len(set(grid)) > 1  # from the text, not equal shares
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_captions_are_seq_fields(section: Section) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(render_docx(section)))
    fields = [t.text.split()[:2] for t in document.element.body.iter(qn("w:instrText"))]
    assert fields.count(["SEQ", "Table"]) == len(section.tables())
    assert fields.count(["SEQ", "Figure"]) == 1
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert [c.split(":")[0] for c in captions] == ["Table 1", "Figure 1", "Table 2", "Table 3"]


def test_chart_text_prints_at_nine_points_and_labels_the_thresholds(section: Section) -> None:
    from commissioning.render import chart as chart_module

    spec = section.chart().spec  # type: ignore[union-attr]
    assert spec.labels["under line"].startswith("Under-represented: 0.5")
    assert spec.labels["over line"].startswith("Over-represented: 1.5")
    assert chart_module.FONT_PT >= 9
    import numpy as np
    from matplotlib import image

    png = render_chart_png(spec, dpi=100, width_in=5.0)
    pixels = image.imread(io.BytesIO(png))
    assert pixels.shape[1] == 500  # drawn at the width it is printed at: 9 pt stays 9 pt
    # Nothing drawn in the outermost pixel columns and rows: no label or legend is cut off.
    edges = np.concatenate([pixels[:, :2, :3].ravel(), pixels[:, -2:, :3].ravel(),
                            pixels[-2:, :, :3].ravel()])
    assert float(edges.min()) > 0.95


def test_the_character_width_table_matches_matplotlib_and_never_undersizes() -> None:
    """The table (scripts/build_char_widths.py) replaces loading four fonts per draft; a
    word's width as the sum of its characters is never below the word's own width."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    from commissioning.render.wordparts import _width_table, text_width_pt

    measure = TextToPath()
    table = _width_table()
    for family in ("DejaVu Sans", "DejaVu Serif"):
        for bold in (False, True):
            props = FontProperties(family=family, weight="bold" if bold else "normal", size=1)
            widths = table[f"{family}|{'bold' if bold else 'regular'}"]
            for ch in "aW5(’é":
                real = measure.get_text_width_height_descent(ch, props, ismath=False)[0]
                assert widths[ch] == pytest.approx(real, rel=1e-4)
            for text in ("Over-represented", "Lower than expected: clear difference", "1.38"):
                props11 = FontProperties(family=family, weight="bold" if bold else "normal",
                                         size=11)
                real = measure.get_text_width_height_descent(text, props11, ismath=False)[0]
                assert text_width_pt(text, 11, bold) >= real * (1 - 1e-6)  # 6-place table
