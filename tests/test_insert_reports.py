"""--into with decision reports written the ways councils write them, read back as a reader
sees them: each report with the section inserted is converted to PDF by LibreOffice and
its text read with pdftotext. The section must be numbered in sequence with the report,
its cross-references must match that numbering, no placeholder may be left, its captions
must continue the report's count and no word may be broken across lines in a table.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import decision_reports as reports
import docx
import pytest
from conftest import needs_tool, require_tool

from commissioning.drafting.section import Section
from commissioning.pipeline import RunSettings, run
from commissioning.render.docx import insert_into

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
PARTS = ["Summary", "What was compared", "Findings", "Data quality",
         "Implications and actions", "Appendix"]


@pytest.fixture(scope="module")
def section() -> Section:
    """Three clear differences (so the summary refers to part 3), split by age band (so
    there are four tables), with a chart."""
    # The six parts without the sex and age part: the numbers below are theirs.
    settings = RunSettings(authority="Westminster", comparator="census2011", ages="0-17",
                           characteristics=(),
                           by=("age_band",), service="Holiday Activities and Food")
    return run(EXAMPLE, settings).require_section()


@pytest.fixture(scope="module")
def converted(section: Section, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each report with the section inserted, as .docx and .pdf (one LibreOffice run)."""
    folder = tmp_path_factory.mktemp("reports")
    outputs = {}
    for name, build in reports.BUILDERS.items():
        report = build(folder / f"{name}_report.docx")
        outputs[name] = insert_into(section, report, folder / f"{name}.docx")
    reports.convert_to_pdf(folder, outputs.values())
    return outputs


def _pdf_text(docx_path: Path, *, layout: bool = False) -> str:
    pdftotext = require_tool("pdftotext")
    args = [pdftotext, *(["-layout"] if layout else []), str(docx_path.with_suffix(".pdf")), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _lines(text: str) -> Iterator[str]:
    # A list number and its tab come out as "7.1.2Part ..." or "7.1.2 Part ...".
    for line in text.splitlines():
        line = re.sub(r"^(\d+(?:\.\d+)*\.?)(?=[A-Z])", r"\1 ", line.strip())
        yield re.sub(r"^(\d+(?:\.\d+)*\.?)\s+", r"\1 ", line)


pytestmark = [needs_tool("soffice", "pdftotext"), pytest.mark.slow]


@pytest.mark.parametrize("name", list(reports.BUILDERS))
def test_the_section_is_numbered_in_sequence_with_the_report(
    converted: dict[str, Path], name: str
) -> None:
    lines = list(_lines(_pdf_text(converted[name], layout=True)))
    tops = [(m.group(1), m.group(2)) for line in lines
            if (m := re.fullmatch(r"(\d+)\.\s+([A-Z][A-Za-z ]+)", line))]
    expected = [(str(i), h) for i, h in enumerate(reports.BEFORE, start=1)]
    expected += [("7", "Disproportionality Implications"), ("8", reports.AFTER)]
    assert tops == expected
    parts = [line for line in lines if re.fullmatch(r"7\.\d+ [A-Z][a-z ]+", line)]
    assert parts == [f"7.{i} {p}" for i, p in enumerate(PARTS, start=1)]
    # The summary's first paragraph, numbered under part 7.1.
    assert any(line.startswith("7.1.1 We found three clear differences") for line in lines)


@pytest.mark.parametrize("name", list(reports.BUILDERS))
def test_cross_references_follow_the_numbering(converted: dict[str, Path], name: str) -> None:
    text = " ".join(_pdf_text(converted[name]).split())
    assert "Part 7.3 describes one more." in text
    assert "Part 7.5 sets out the actions we propose." in text
    assert not re.search(r"\bPart [1-6]\b", text)


@pytest.mark.parametrize("name", list(reports.BUILDERS))
def test_no_placeholder_is_left(converted: dict[str, Path], name: str) -> None:
    text = _pdf_text(converted[name], layout=True)
    assert "{{" not in text and "disproportionality_implications" not in text
    assert "[To be completed" not in text
    headings = [line for line in _lines(text) if line.endswith("Disproportionality Implications")]
    assert headings == ["7. Disproportionality Implications"]


@pytest.mark.parametrize(("name", "first_table", "first_figure"),
                         [("typed", 1, 1), ("with_tables", 3, 2), ("word_numbered", 1, 1)])
def test_captions_continue_the_report_count(
    converted: dict[str, Path], name: str, first_table: int, first_figure: int
) -> None:
    lines = list(_lines(_pdf_text(converted[name])))
    tables = [int(m.group(1)) for line in lines if (m := re.match(r"Table (\d+):", line))]
    figures = [int(m.group(1)) for line in lines if (m := re.match(r"Figure (\d+):", line))]
    ours = list(range(first_table, first_table + 4))
    assert tables == list(range(1, first_table)) + ours
    assert figures == list(range(1, first_figure + 1))
    # In the .docx too (Word shows the stored result until fields are updated).
    stored = [p.text for p in docx.Document(str(converted[name])).paragraphs
              if p.text.startswith("Table ")]
    assert [int(re.match(r"Table (\d+)", t).group(1)) for t in stored][-4:] == ours  # type: ignore[union-attr]


def _known_words(path: Path) -> set[str]:
    """Every word in the document, and each part of it a line may break after a hyphen."""
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for sect in document.sections:
        texts += [p.text for p in sect.header.paragraphs + sect.footer.paragraphs]
    words: set[str] = set()
    for word in " ".join(texts).split():
        words.add(word)
        pieces = word.split("-")
        words.update(piece + "-" for piece in pieces[:-1])
        words.update(pieces)
    return words


@pytest.mark.parametrize("name", list(reports.BUILDERS))
def test_no_word_is_broken_across_lines(converted: dict[str, Path], name: str) -> None:
    known = _known_words(converted[name])
    broken = set()
    for token in _pdf_text(converted[name], layout=True).split():
        token = re.sub(r"^\d+(?:\.\d+)*\.?(?=[A-Z])", "", token)  # "7.1.2Part"
        if re.fullmatch(r"[\d.]*", token) or not re.search(r"[A-Za-z]", token):
            continue  # list numbers and bullets, which Word adds, not the text
        if token not in known:
            broken.add(token)
    assert not broken, sorted(broken)[:20]


def test_the_chart_fits_the_report_page(converted: dict[str, Path]) -> None:
    # The council's house style has 3.5 cm margins: 14 cm of text width.
    document = docx.Document(str(converted["house_style"]))
    widths = [shape.width.cm for shape in document.inline_shapes]
    assert widths and max(widths) == pytest.approx(14.0, abs=0.01)
    typed = docx.Document(str(converted["typed"]))
    assert max(s.width.cm for s in typed.inline_shapes) == pytest.approx(15.5)


def test_the_report_own_styles_are_used(converted: dict[str, Path]) -> None:
    document = docx.Document(str(converted["house_style"]))
    styles = {p.text.split("\t")[0]: p.style.name for p in document.paragraphs}
    assert styles["7.1.1"] == "EDR Numbered Text"
    word = docx.Document(str(converted["word_numbered"]))
    parts = [p for p in word.paragraphs if p.text in PARTS]
    # Numbered by the report's own list, in its Heading 2 style: no typed number.
    assert [p.style.name for p in parts] == ["Heading 2"] * len(PARTS)
    header = document.sections[0].header.paragraphs[0].text
    assert header == "OFFICIAL - Westminster City Council"
