"""What every output is: the published section carries no personal data and no provider
text; every internal output says on its face that it is not for publication; and
`--publishable` gives the analysis tables with the section's protection."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from commissioning.cli import main
from commissioning.render.marking import MARKING, MARKING_LINE

ROOT = Path(__file__).resolve().parents[1]
KC = ROOT / "provider_returns" / "kensington_chelsea_youth_2024q2.csv"

# What a provider might type where it should not: none may reach a published output.
PERSONAL = ("John Smith", "Aisha Khan", "943 476 5919", "9434765919", "SW1A 1AA",
            "W8 7NX", "01/02/2015", "3 March 2016", "A123456789012")
SHEET = "Aisha Khan 9434765919"
FILE = "SW1A 1AA John Smith.xlsx"


def _personal_return(folder: Path) -> Path:
    """A return of 120 people in which names, NHS numbers, postcodes and dates of birth
    are typed into the ethnicity, gender and age columns, a notes column, the sheet name
    and the file name."""
    rng = random.Random(7)
    groups = ["White British", "Black African", "Pakistani", "Indian", "Mixed White and Asian"]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(["Ethnicity", "Gender", "Age", "Notes"])
    for _ in range(120):
        sheet.append([rng.choice(groups), rng.choice(["Female", "Male"]), rng.randint(5, 17),
                      ""])
    for value in PERSONAL:
        sheet.append([value, "Female", 9, value])  # in ethnicity and in the notes
        sheet.append(["Indian", value, 10, ""])  # in gender
        sheet.append(["Pakistani", "Male", value, f"seen by {value}"])  # in age
    path = folder / FILE
    book.save(path)
    return path


def _published_bytes(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "\n".join(package.read(n).decode("utf-8", "replace")
                             for n in package.namelist())
    return data.decode("utf-8")


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
def test_personal_data_typed_anywhere_never_reaches_the_section(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _personal_return(tmp_path)
    out = tmp_path / f"section{suffix}"
    code = main(["draft", str(source), "--authority", "Westminster", "--service", "Youth Club",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    text = _published_bytes(out)
    for typed in (*PERSONAL, SHEET, "John Smith", "Aisha", FILE.removesuffix(".xlsx")):
        assert typed not in text, typed
    assert "Some ethnicity labels in the return did not match" in text
    # The internal record beside it names the file, and says it is not for publication.
    record = json.loads((tmp_path / "section.audit.json").read_text("utf-8"))
    assert record["classification"] == MARKING and record["input_file"] == FILE


def test_the_check_report_names_rows_not_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _personal_return(tmp_path)
    main(["check", str(source)])
    out = capsys.readouterr().out
    for typed in PERSONAL:
        assert typed not in out, typed
    assert "row" in out


def test_every_internal_output_is_marked(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    base = ["analyse", str(KC), "--authority", "Kensington and Chelsea"]
    assert main([*base, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == MARKING_LINE
    assert main([*base, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["classification"] == MARKING
    assert main(base) == 0
    assert capsys.readouterr().out.splitlines()[0] == MARKING_LINE
    target = tmp_path / "analysis.xlsx"
    assert main([*base, "--format", "xlsx", "--out", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    assert book.properties.keywords == MARKING
    assert all(s.oddHeader.center.text == MARKING for s in book.worksheets)


def test_the_portfolio_workbook_is_marked(tmp_path: Path) -> None:
    from commissioning.batch.portfolio import build_workbook

    book = build_workbook([])
    assert book.properties.category == MARKING
    assert all(s.oddHeader.center.text == MARKING for s in book.worksheets)


def test_publishable_tables_hide_small_counts_and_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = pd.read_csv(KC)
    frame.loc[len(frame)] = ["Arab", "Female", "10-14", 3]  # a group of 3
    source = tmp_path / "return.csv"
    frame.to_csv(source, index=False)
    base = ["analyse", str(source), "--authority", "Kensington and Chelsea", "--publishable",
            "--level", "detailed"]
    assert main([*base, "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Publishable:") and MARKING not in text
    table = pd.read_csv(io.StringIO(text), skiprows=1)
    arab = table.set_index("group").loc["Arab"]
    assert pd.isna(arab["count"]) and arab["hidden"] == "fewer than 5"
    assert pd.isna(arab["rri"]) and pd.isna(arab["share"])
    shown = table.loc[table["hidden"].isna()]
    assert shown["share"].sum() == pytest.approx(1.0)  # shares of the groups shown
    assert main([*base, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["n_known"]["value"] is None and doc["n_known"]["low"] < doc["n_known"]["high"]


def test_a_batch_service_named_like_a_person_is_not_named(tmp_path: Path) -> None:
    from commissioning.batch.discover import WITHHELD_SERVICE, discover

    (tmp_path / "John Smith 2024-25 Q1.csv").write_bytes(KC.read_bytes())
    (tmp_path / "Family Support 2024-25 Q1.csv").write_bytes(KC.read_bytes())
    names = [name for name, _ in discover(tmp_path)]
    assert names == ["Family Support", WITHHELD_SERVICE.format(number=2)]
