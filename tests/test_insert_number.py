"""A section number chosen by the user (`insert_into(number=)`, `draft --into --number`).

The Word files are checked as python-docx reads them; then each is converted to PDF by
LibreOffice and read back with pdftotext, as a reader sees it: the section is numbered
with the chosen number, its parts and cross-references follow, and the report's later
sections follow it in sequence, whether the report types its numbers or uses Word lists.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import decision_reports as reports
import docx
import pytest
from click.testing import CliRunner
from conftest import needs_tool, require_tool
from docx.oxml.ns import qn

from commissioning.cli import cli, main
from commissioning.cli.draft import MSG_NUMBER_NEEDS_INTO, MSG_RENUMBERED, MSG_WROTE
from commissioning.drafting.section import Section
from commissioning.pipeline import RunSettings, run
from commissioning.render.insert import insert_into, insert_report
from commissioning.render.sectionnumber import (
    MSG_BAD_NUMBER,
    SectionNumberError,
    parse_section_number,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
PARTS = ["Summary", "What was compared", "Findings", "Data quality",
         "Implications and actions", "Appendix"]
TITLE = "Disproportionality Implications"
BASE = ["draft", str(EXAMPLE), "--authority", "Westminster",
        "--service", "Holiday Activities and Food"]


@pytest.fixture(scope="module")
def section() -> Section:
    """Three clear differences, so the summary refers to parts 3 and 5."""
    # The six parts without the sex and age part: the numbers below are theirs.
    settings = RunSettings(authority="Westminster", comparator="census2011", ages="0-17",
                           characteristics=(),
                           by=("age_band",), service="Holiday Activities and Food")
    return run(EXAMPLE, settings).require_section()


def _texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


# -- the number itself ---------------------------------------------------------------------

@pytest.mark.parametrize(("given", "expected"),
                         [("7", 7), (" 7. ", 7), (7, 7), ("07", 7), ("1", 1), ("99", 99)])
def test_a_whole_number_from_1_to_99_is_taken(given: int | str, expected: int) -> None:
    assert parse_section_number(given) == expected


@pytest.mark.parametrize("given", ["0", "100", "4.2", "seven", "-3", "", "7a", "\u0667", "1e1"])
def test_any_other_number_names_the_fix(given: str) -> None:
    with pytest.raises(SectionNumberError) as info:
        parse_section_number(given)
    assert str(info.value) == MSG_BAD_NUMBER.format(value=given.strip())


def test_a_long_value_is_cut_short_in_the_message() -> None:
    with pytest.raises(SectionNumberError) as info:
        parse_section_number("x" * 300)
    assert str(info.value) == MSG_BAD_NUMBER.format(value="x" * 20 + "...")


# -- in the Word file ------------------------------------------------------------------------

def test_typed_report_takes_the_number_and_its_later_sections_follow(
    tmp_path: Path, section: Section
) -> None:
    report = reports.typed(tmp_path / "edr.docx")
    before = report.read_bytes()
    done = insert_report(section, report, tmp_path / "out.docx", number="9")
    assert report.read_bytes() == before
    assert done.renumbered == (("8", "10"),)
    texts = _texts(done.path)
    title = texts.index(f"9. {TITLE}")
    assert texts[title + 1] == "9.1 Summary"
    assert texts[title + 2].startswith("9.1.1\tWe found three clear differences")
    assert "7. " + TITLE not in texts
    assert texts[-2:] == ["10. Carbon Impact", "10.1\tNo carbon impact."]
    assert texts[:title].count("6. Legal Implications") == 1  # what came before is kept


def test_the_same_number_as_the_report_changes_nothing_after_it(
    tmp_path: Path, section: Section
) -> None:
    report = reports.typed(tmp_path / "edr.docx")
    chosen = insert_report(section, report, tmp_path / "chosen.docx", number=7)
    followed = insert_into(section, report, tmp_path / "followed.docx")
    assert chosen.renumbered == ()
    assert _texts(chosen.path) == _texts(followed)


def test_a_report_with_no_number_kept_for_the_section_is_moved_on(
    tmp_path: Path, section: Section
) -> None:
    report = reports.unreserved(tmp_path / "edr.docx")
    done = insert_report(section, report, tmp_path / "out.docx", number="7")
    assert done.renumbered == (("7", "8"), ("8", "9"))
    texts = _texts(done.path)
    assert texts.index(f"7. {TITLE}") < texts.index("7.6 Appendix")
    assert texts[-4:] == ["8. Carbon Impact", "8.1\tText of section 7.",
                          "9. Background Papers", "9.1\tText of section 8."]


def test_an_appendix_numbered_afresh_is_left_alone(tmp_path: Path, section: Section) -> None:
    document = docx.Document()
    document.add_heading("1. Summary", level=1)
    document.add_heading(f"2. {TITLE}", level=1)
    document.add_paragraph("2.1\t[To be completed]")
    document.add_heading("3. Carbon Impact", level=1)
    document.add_heading("1. Appendix: Glossary", level=1)
    document.add_paragraph("1.1\tTerms.")
    report = tmp_path / "edr.docx"
    document.save(str(report))
    done = insert_report(section, report, tmp_path / "out.docx", number=5)
    assert done.renumbered == (("3", "6"),)
    texts = _texts(done.path)
    assert texts[0] == "1. Summary" and f"5. {TITLE}" in texts
    assert texts[-3:] == ["6. Carbon Impact", "1. Appendix: Glossary", "1.1\tTerms."]


def test_a_number_split_across_runs_and_an_unnumbered_heading(
    tmp_path: Path, section: Section
) -> None:
    document = docx.Document()
    split = document.add_paragraph(style="Heading 1")
    split.add_run("1")
    split.add_run("2")
    split.add_run(f". {TITLE}")
    report = tmp_path / "split.docx"
    document.save(str(report))
    texts = _texts(insert_into(section, report, tmp_path / "out.docx", number=4))
    assert texts[0] == f"4. {TITLE}" and texts[1] == "4.1 Summary"
    plain = docx.Document()
    plain.add_heading(TITLE, level=1)
    plain.save(str(report))
    texts = _texts(insert_into(section, report, tmp_path / "out2.docx", number=3))
    assert texts[0] == f"3. {TITLE}" and texts[1] == "3.1 Summary"


def _num_pr(paragraph: docx.text.paragraph.Paragraph) -> tuple[str, str] | None:
    found = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if found is None:
        return None
    return (found.find(qn("w:numId")).get(qn("w:val")), found.find(qn("w:ilvl")).get(qn("w:val")))


def test_word_lists_restart_at_the_number_in_a_new_list_instance(
    tmp_path: Path, section: Section
) -> None:
    report = reports.word_numbered(tmp_path / "edr.docx")
    out = insert_into(section, report, tmp_path / "out.docx", number="9")
    document = docx.Document(str(out))
    numbering = document.part.numbering_part.element
    nums = {n.get(qn("w:numId")): n for n in numbering.iter(qn("w:num"))}
    new = [n for n in nums.values()
           if n.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}") is not None]
    assert len(new) == 1
    new_id = new[0].get(qn("w:numId"))
    assert new[0].find(qn("w:abstractNumId")).get(qn("w:val")) == "90"
    override = new[0].find(qn("w:lvlOverride"))
    assert override.get(qn("w:ilvl")) == "0"
    assert override.find(qn("w:startOverride")).get(qn("w:val")) == "9"
    paragraphs = {p.text: p for p in document.paragraphs}
    assert _num_pr(paragraphs[TITLE]) == (new_id, "0")
    assert _num_pr(paragraphs["Summary"]) == (new_id, "1")
    # The report's later list paragraphs count on in the same list instance.
    assert _num_pr(paragraphs["Carbon Impact"]) == (new_id, "0")
    assert _num_pr(paragraphs["No carbon impact."]) == (new_id, "1")
    assert _num_pr(paragraphs["Legal Implications"]) is None  # still numbered by its style
    # Every w:num still comes after every w:abstractNum, as the schema requires.
    tags = [child.tag for child in numbering]
    assert max(i for i, t in enumerate(tags) if t == qn("w:abstractNum")) < \
        min(i for i, t in enumerate(tags) if t == qn("w:num"))


def test_a_list_that_cannot_show_the_number_alone_is_typed(
    tmp_path: Path, section: Section
) -> None:
    report = reports.word_numbered(tmp_path / "edr.docx")
    document = docx.Document(str(report))
    numbering = document.part.numbering_part.element
    for lvl in numbering.iter(qn("w:lvl")):
        if lvl.get(qn("w:ilvl")) == "0":
            lvl.find(qn("w:numFmt")).set(qn("w:val"), "upperRoman")  # "VII." cannot be 7
    document.save(str(report))
    out = insert_into(section, report, tmp_path / "out.docx", number=7)
    paragraphs = {p.text: p for p in docx.Document(str(out)).paragraphs}
    title = paragraphs[f"7. {TITLE}"]
    assert _num_pr(title) == ("0", "0")  # no list number beside the typed one
    assert "7.1 Summary" in paragraphs and "7.5 Implications and actions" in paragraphs


# -- the command line -------------------------------------------------------------------------

def _main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_number_needs_into(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main([*BASE, "--number", "7"], capsys)
    assert (code, out, err) == (2, "", f"Error: {MSG_NUMBER_NEEDS_INTO}\n")


def test_cli_bad_number_names_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = reports.typed(tmp_path / "edr.docx")
    code, out, err = _main([*BASE, "--into", str(report), "--number", "4.2"], capsys)
    assert (code, out) == (2, "")
    assert err == f"Error: {MSG_BAD_NUMBER.format(value='4.2')}\n"
    assert not (tmp_path / "edr with Disproportionality Implications.docx").exists()


def test_cli_number_numbers_the_section_and_says_what_moved(tmp_path: Path) -> None:
    report = reports.unreserved(tmp_path / "edr.docx")
    out = tmp_path / "final.docx"
    result = CliRunner().invoke(
        cli, [*BASE, "--into", str(report), "--out", str(out), "--number", "7"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == MSG_WROTE.format(path=out)
    assert lines[-1] == MSG_RENUMBERED.format(number=7, changes="7 is now 8, 8 is now 9")
    texts = _texts(out)
    assert texts.index(f"7. {TITLE}") < texts.index("8. Carbon Impact")
    help_text = CliRunner().invoke(cli, ["draft", "--help"]).output
    assert "--number" in help_text


# -- as a reader sees it: LibreOffice's PDF ---------------------------------------------------

#: (builder, number, the top-level headings expected, lines expected under the later ones)
CASES: dict[str, tuple[Callable[[Path], Path], str, list[str], list[str]]] = {
    "typed_same": (reports.typed, "7", [*reports.BEFORE, TITLE, "Carbon Impact"],
                   ["8.1 No carbon impact."]),
    "typed_later": (reports.typed, "9", [*reports.BEFORE, TITLE, "Carbon Impact"],
                    ["10.1 No carbon impact."]),
    "house_style": (reports.house_style, "9", [*reports.BEFORE, TITLE, "Carbon Impact"],
                    ["10.1 No carbon impact."]),
    "unreserved": (reports.unreserved, "7", [*reports.BEFORE, TITLE, *reports.LATER],
                   ["8.1 Text of section 7.", "9.1 Text of section 8."]),
    "word_numbered": (reports.word_numbered, "9", [*reports.BEFORE, TITLE, "Carbon Impact"],
                      ["10.1 No carbon impact."]),
    "word_placeholder": (reports.word_numbered_placeholder, "8",
                         [*reports.BEFORE, TITLE, *reports.LATER],
                         ["9.1 Text of section 7.", "10.1 Text of section 8."]),
}


@pytest.fixture(scope="module")
def converted(section: Section, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("numbered")
    outputs = {}
    for name, (build, number, _, _) in CASES.items():
        report = build(folder / f"{name}_report.docx")
        outputs[name] = insert_into(section, report, folder / f"{name}.docx", number=number)
    reports.convert_to_pdf(folder, outputs.values())
    return outputs


def _pdf_lines(path: Path) -> list[str]:
    pdftotext = require_tool("pdftotext")
    text = subprocess.run([pdftotext, "-layout", str(path.with_suffix(".pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = []
    for line in text.splitlines():  # "7.1.2Part ..." or "7.1.2   Part ..." -> "7.1.2 Part"
        line = re.sub(r"^(\d+(?:\.\d+)*\.?)(?=[A-Z])", r"\1 ", line.strip())
        lines.append(re.sub(r"^(\d+(?:\.\d+)*\.?)\s+", r"\1 ", line))
    return lines


@pytest.mark.slow
@needs_tool("soffice", "pdftotext")
@pytest.mark.parametrize("name", list(CASES))
def test_the_pdf_reads_in_sequence_from_the_chosen_number(
    converted: dict[str, Path], name: str
) -> None:
    _, given, names, later = CASES[name]
    number = int(given)
    lines = _pdf_lines(converted[name])
    tops = [(m.group(1), m.group(2)) for line in lines
            if (m := re.fullmatch(r"(\d+)\.\s+([A-Z][A-Za-z ]+)", line))]
    numbers = [*range(1, len(reports.BEFORE) + 1),
               *range(number, number + len(names) - len(reports.BEFORE))]
    assert tops == [(str(n), h) for n, h in zip(numbers, names, strict=True)]
    parts = [line for line in lines if re.fullmatch(rf"{number}\.\d+ [A-Z][a-z ]+", line)]
    assert parts == [f"{number}.{i} {p}" for i, p in enumerate(PARTS, start=1)]
    assert any(line.startswith(f"{number}.1.1 We found three clear differences")
               for line in lines)
    for line in later:
        assert line in lines
    text = " ".join(" ".join(lines).split())
    assert f"Part {number}.3 describes one more." in text
    assert f"Part {number}.5 sets out the actions we propose." in text
    assert not re.search(r"\bPart [1-9]\b(?!\.)", text)
    assert "{{" not in text and "[To be completed" not in text
