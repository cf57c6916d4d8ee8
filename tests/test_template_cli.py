"""`commissioning template`: the workbook, its dropdowns, and `check` reading it back."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import needs_soffice
from openpyxl import load_workbook

from commissioning.checking.report import build_check
from commissioning.classify import AGE_BAND_DROPDOWN, ETHNICITY_DROPDOWN, SEX_DROPDOWN
from commissioning.cli import cli, main
from commissioning.cli.template import DEFAULT_OUT, MSG_EXISTS, MSG_NOT_XLSX, MSG_WRITTEN
from commissioning.model.categories import DETAILED_ONS_WORDING
from commissioning.render.provider_template import (
    COUNTS_HEADERS,
    RECORDS_HEADERS,
    SHEET_NAMES,
    TEMPLATE_ROWS,
    write_template,
)
from commissioning.returns import read_return


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "template.xlsx")


def _list_values(book, formula: str) -> list[str]:  # type: ignore[no-untyped-def]
    sheet_name, ref = formula.split("!")
    return [str(c.value) for row in book[sheet_name][ref.replace("$", "")] for c in row]


def test_sheets_and_headings(template: Path) -> None:
    book = load_workbook(template)
    assert tuple(book.sheetnames) == SHEET_NAMES
    assert all(book[name].sheet_state == "visible" for name in SHEET_NAMES)
    assert [c.value for c in book["Records"][1]] == list(RECORDS_HEADERS)
    assert [c.value for c in book["Counts"][1]] == list(COUNTS_HEADERS)


@pytest.mark.parametrize("sheet", ["Records", "Counts"])
def test_dropdowns_hold_the_classification_lists(template: Path, sheet: str) -> None:
    book = load_workbook(template)
    rules = {str(v.sqref): v for v in book[sheet].data_validations.dataValidation}
    last = TEMPLATE_ROWS + 1
    expected = {f"A2:A{last}": ETHNICITY_DROPDOWN, f"B2:B{last}": SEX_DROPDOWN,
                f"C2:C{last}": AGE_BAND_DROPDOWN}
    for ref, values in expected.items():
        rule = rules[ref]
        assert rule.type == "list" and rule.showErrorMessage
        assert _list_values(book, rule.formula1) == list(values)
    ethnicity = _list_values(book, rules[f"A2:A{last}"].formula1)
    assert ethnicity[:19] == list(DETAILED_ONS_WORDING.values())
    assert ethnicity[-1] == "Prefer not to say"


def test_blank_template_reads_as_a_return_with_nobody(template: Path) -> None:
    ret = read_return(template)
    assert ret.sheet == "Records" and ret.total == 0
    assert build_check(ret).exit_code == 1


def test_filled_records_sheet_checks_with_zero_issues(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    sheet = book["Records"]
    rows = zip(itertools.cycle(ETHNICITY_DROPDOWN), itertools.cycle(SEX_DROPDOWN),
               itertools.cycle(AGE_BAND_DROPDOWN), itertools.cycle(["Started", "Completed"]))
    for ethnicity, sex, band, stage in itertools.islice(rows, 80):
        sheet.append([ethnicity, sex, band, "2024 Q2", stage])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    ret = read_return(filled)
    assert ret.sheet == "Records" and ret.total == 80
    assert ret.quality.issues == ()
    assert ret.quality.unmapped.empty
    assert build_check(ret).exit_code == 0
    assert ret.counts.known_total("detailed") == 80 - 80 // 20  # all but "Prefer not to say"


def test_filled_counts_sheet_checks_with_zero_issues(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    sheet = book["Counts"]
    for n, ethnicity in enumerate(ETHNICITY_DROPDOWN):
        sheet.append([ethnicity, SEX_DROPDOWN[n % 4], AGE_BAND_DROPDOWN[n % 6], "2024 Q2", n])
    filled = tmp_path / "counts.xlsx"
    book.save(filled)
    ret = read_return(filled)
    assert (ret.sheet, ret.layout) == ("Counts", "counts")
    assert ret.total == sum(range(len(ETHNICITY_DROPDOWN)))
    assert ret.quality.issues == ()


def test_cli_writes_default_name_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = CliRunner().invoke(cli, ["template"])
    assert first.exit_code == 0
    assert first.stdout == MSG_WRITTEN.format(path=DEFAULT_OUT) + "\n"
    assert (tmp_path / DEFAULT_OUT).stat().st_size > 0
    assert main(["template"]) == 2
    assert main(["template", "--force"]) == 0


def test_cli_refusal_message(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"keep me")
    assert main(["template", "--out", str(out)]) == 2
    assert capsys.readouterr().err == "Error: " + MSG_EXISTS.format(path=out) + "\n"
    assert out.read_bytes() == b"keep me"
    assert main(["template", "--out", str(tmp_path / "t.csv")]) == 2
    assert capsys.readouterr().err == "Error: " + MSG_NOT_XLSX + "\n"


@needs_soffice
def test_libreoffice_opens_the_template_and_keeps_its_dropdowns(
    template: Path, tmp_path: Path
) -> None:
    """LibreOffice Calc converts a filled-in template to .ods with its list validations
    intact, and `check` reads that .ods back with no issues."""
    import subprocess
    import zipfile

    book = load_workbook(template)
    rows = zip(itertools.cycle(ETHNICITY_DROPDOWN), itertools.cycle(SEX_DROPDOWN),
               itertools.cycle(AGE_BAND_DROPDOWN), itertools.cycle(["Started", "Completed"]))
    for ethnicity, sex, band, stage in itertools.islice(rows, 40):
        book["Records"].append([ethnicity, sex, band, "2024 Q2", stage])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "ods", "--outdir", str(tmp_path), str(filled)],
        capture_output=True, text=True, timeout=180,
    )
    converted = tmp_path / "filled.ods"
    assert done.returncode == 0 and converted.exists(), done.stderr
    with zipfile.ZipFile(converted) as ods:
        content = ods.read("content.xml").decode("utf-8")
    assert content.count("<table:content-validation ") >= 3
    ret = read_return(converted)
    assert ret.total == 40
    assert build_check(ret).as_dict()["issues"] == []
