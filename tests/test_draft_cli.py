"""`commissioning draft`: the README's first command, each output type, and mistakes."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import needs_soffice

from commissioning.cli import cli, main
from commissioning.cli.draft import (
    MSG_BAD_SUFFIX,
    MSG_INTO_NOT_DOCX,
    MSG_INTO_OUT_NOT_DOCX,
    MSG_WROTE,
)
from commissioning.outputs import MSG_SAME_AS_INPUT

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
TINY = ROOT / "provider_returns" / "westminster_parenting_group_2024q2.xlsx"
BASE = ["draft", str(EXAMPLE), "--authority", "Westminster",
        "--service", "Holiday Activities and Food"]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_readme_first_command_writes_a_word_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx

    out = tmp_path / "section.docx"
    code, stdout, err = _run([*BASE, "--out", str(out)], capsys)
    assert (code, err) == (0, "")
    assert stdout.splitlines()[0] == MSG_WROTE.format(path=out)
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Disproportionality Implications"
    assert headings[1:] == ["1 Summary", "2 What was compared", "3 Findings", "4 Sex and age",
                            "5 Data quality", "6 Implications and actions", "7 Appendix"]
    assert len(document.inline_shapes) == 1
    audit = document.tables[-1]
    cells = {r.cells[0].text: r.cells[1].text for r in audit.rows}
    digest = hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert "Input file" not in cells  # the published section names no file
    record = json.loads((tmp_path / "section.audit.json").read_text("utf-8"))
    assert record["classification"] == "OFFICIAL-SENSITIVE: not for publication"
    assert (record["input_file"], record["sha256"]) == (EXAMPLE.name, digest)
    assert stdout.splitlines()[1].startswith("Wrote the internal audit record")


@needs_soffice
def test_readme_document_opens_in_libreoffice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "section.docx"
    assert _run([*BASE, "--out", str(out)], capsys)[0] == 0
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "section.pdf").read_bytes()[:5] == b"%PDF-"


def test_markdown_with_chart_file_and_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = tmp_path / "section.md"
    assert _run([*BASE, "--out", str(md), "--period", "2024-25 Q2"], capsys)[0] == 0
    text = md.read_text(encoding="utf-8")
    assert "](section_chart.png)" in text and "in 2024-25 Q2" in text
    assert (tmp_path / "section_chart.png").read_bytes()[:4] == b"\x89PNG"
    html = tmp_path / "section.html"
    assert _run([*BASE, "--out", str(html), "--provider", "Kids & Co"], capsys)[0] == 0
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "run by Kids &amp; Co" in page


def test_without_out_prints_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = _run(BASE, capsys)
    assert code == 0 and stdout.startswith("# Disproportionality Implications\n")


def test_tiny_return_prints_no_small_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = _run(["draft", str(TINY), "-a", "Westminster", "--service", "Parenting"],
                           capsys)
    assert code == 0
    assert "The numbers are too small to judge" in stdout
    rows = [line for line in stdout.splitlines() if line.startswith("| ") and "%" in line]
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] not in ("Total", "Group"):
            assert cells[1] == "fewer than 5" or cells[1] == "not shown"


def test_into_inserts_into_a_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    report = tmp_path / "edr.docx"
    document = docx.Document()
    document.add_heading("8. Disproportionality Implications", level=1)
    document.add_heading("9. Legal Implications", level=1)
    document.save(str(report))
    before = report.read_bytes()
    out = tmp_path / "edr-final.docx"
    code, stdout, _ = _run([*BASE, "--into", str(report), "--out", str(out)], capsys)
    assert code == 0 and stdout.splitlines()[0] == MSG_WROTE.format(path=out)
    assert report.read_bytes() == before
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts.index("8.1 Summary") < texts.index("9. Legal Implications")
    # Without --out, a new file is named after the report.
    code, stdout, _ = _run([*BASE, "--into", str(report)], capsys)
    assert code == 0
    assert (tmp_path / "edr with Disproportionality Implications.docx").is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "section.rtf"], MSG_BAD_SUFFIX.format(suffix=".rtf")),
        (["--into", "report.doc"], MSG_INTO_NOT_DOCX),
    ],
)
def test_mistakes_are_one_line_with_the_fix(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, err = _run([*BASE, *extra], capsys)
    assert code == 2 and stdout == ""
    assert err == f"Error: {message}\n"


def test_into_needs_a_word_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    report = tmp_path / "edr.docx"
    docx.Document().save(str(report))
    code, _, err = _run([*BASE, "--into", str(report), "--out", str(tmp_path / "x.md")], capsys)
    assert code == 2 and err == f"Error: {MSG_INTO_OUT_NOT_DOCX}\n"


def test_never_overwrites_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    report = tmp_path / "edr.docx"
    docx.Document().save(str(report))
    code, _, err = _run([*BASE, "--into", str(report), "--out", str(report)], capsys)
    assert code == 2
    assert err == "Error: " + MSG_SAME_AS_INPUT.format(path=report) + "\n"


def test_help_lists_the_command() -> None:
    result = CliRunner().invoke(cli, ["draft", "--help"])
    assert result.exit_code == 0 and "--into" in result.output


def test_previous_return_adds_how_each_group_moved(capsys: pytest.CaptureFixture[str]) -> None:
    family = ROOT / "provider_returns" / "westminster_family_support_2024q2.xlsx"
    code, stdout, _ = _run(["draft", str(family), "-a", "Westminster", "--service", "Family",
                            "--previous", str(EXAMPLE)], capsys)
    assert code == 0
    findings = stdout.split("## 3 Findings")[1].split("\n## ")[0]
    assert "Change over time" in findings


def test_out_is_not_replaced_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from commissioning.cli.draft import MSG_EXISTS

    out = tmp_path / "section.md"
    out.write_text("the commissioner's own edits", encoding="utf-8")
    code, stdout, err = _run([*BASE, "--out", str(out)], capsys)
    assert (code, stdout) == (2, "")
    assert err.strip() == "Error: " + MSG_EXISTS.format(path=out)
    assert out.read_text(encoding="utf-8") == "the commissioner's own edits"
    code, stdout, err = _run([*BASE, "--out", str(out), "--force"], capsys)
    assert (code, err) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("# Disproportionality Implications")


@needs_soffice
def test_out_pdf_is_written_through_libreoffice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "section.pdf"
    code, _, err = _run([*BASE, "--out", str(out)], capsys)
    assert (code, err) == (0, "")
    assert out.read_bytes()[:5] == b"%PDF-"
    # nothing left beside it but the internal audit record
    assert sorted(p.name for p in tmp_path.iterdir()) == ["section.audit.json", "section.pdf"]


def test_out_pdf_without_libreoffice_names_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from commissioning.render.pdf import MSG_NO_LIBREOFFICE

    monkeypatch.setenv("COMMISSIONING_SOFFICE", str(tmp_path / "no-such-soffice"))
    out = tmp_path / "section.pdf"
    code, stdout, err = _run([*BASE, "--out", str(out)], capsys)
    assert (code, stdout) == (2, "")
    assert err.strip() == "Error: " + MSG_NO_LIBREOFFICE
    assert not out.exists()
