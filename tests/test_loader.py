"""load_workbook: every supported file becomes text cells, exactly as a person typed them."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest

from commissioning.errors import UnreadableFileError
from commissioning.loading import csvread, filetype, native, safety
from commissioning.loading.celltext import cells_text, value_text
from commissioning.loading.loader import load_workbook
from commissioning.loading.rawtypes import RawWorkbook


def make_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    sheet.append(["Ethnicity", "Count", "Rate", "Flag", "Start", "Time", "ID", "Missing"])
    sheet.append(
        [
            "White British",
            12,
            2.5,
            True,
            dt.date(2012, 3, 4),
            dt.datetime(2012, 3, 4, 10, 30),
            "007",
            "NA",
        ]
    )
    sheet.append(["None", 3.0, 0.1, False, None, None, "N/A", "null"])
    sheet.merge_cells("A5:B6")
    sheet.row_dimensions[3].hidden = True
    hidden = book.create_sheet("Lookups")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "x"
    book.save(path)
    return path


def test_xlsx_cells_are_text_as_typed(tmp_path: Path) -> None:
    book = load_workbook(make_xlsx(tmp_path / "r.xlsx"))
    cells = book.sheet("Return").cells
    assert cells.iloc[1].tolist() == [
        "White British",
        "12",
        "2.5",
        "TRUE",
        "2012-03-04",
        "2012-03-04 10:30:00",
        "007",
        "NA",
    ]
    assert cells.iloc[2].tolist()[:4] == ["None", "3", "0.1", "FALSE"]
    assert cells.iloc[2].tolist()[4:] == ["", "", "N/A", "null"]
    assert all(type(v) is str for v in cells.to_numpy().ravel())
    assert list(cells.columns) == list(range(8))


def test_xlsx_structure_is_reported(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.file_format == "xlsx" and book.encoding is None
    assert book.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    sheet = book.sheet("Return")
    assert sheet.hidden_rows == (3,)
    assert sheet.merged == ((4, 0, 5, 1),)
    assert book.sheet("Lookups").visibility == "hidden"
    codes = [n.code for n in book.notes]
    assert "hidden-rows" in codes and "hidden-sheet" in codes


def test_isolated_and_in_process_reads_agree(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx")
    inside = load_workbook(path, isolate=False)
    isolated = load_workbook(path, isolate=True)
    assert [s.name for s in inside.sheets] == [s.name for s in isolated.sheets]
    for a, b in zip(inside.sheets, isolated.sheets, strict=True):
        assert a.cells.equals(b.cells)
        assert (a.visibility, a.merged, a.hidden_rows) == (b.visibility, b.merged, b.hidden_rows)
    assert inside.notes == isolated.notes


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12.0, "12"),
        (-0.0, "0"),
        (2.5, "2.5"),
        (1e20, "100000000000000000000"),
        (True, "TRUE"),
        (False, "FALSE"),
        (0, "0"),
        (dt.date(2012, 3, 4), "2012-03-04"),
        (dt.datetime(2012, 3, 4), "2012-03-04"),
        (dt.datetime(2012, 3, 4, 1, 2, 3), "2012-03-04 01:02:03"),
        (dt.time(9, 5), "09:05:00"),
        (dt.timedelta(hours=26, minutes=3), "26:03:00"),
        (float("nan"), ""),
        (None, ""),
        ("007", "007"),
    ],
)
def test_value_text(value: object, text: str) -> None:
    assert value_text(value) == text
    assert cells_text([[value]])[0, 0] == text


def test_cells_text_converts_a_column_of_one_type_by_distinct_value() -> None:
    column = [["Age", "Start"], [2.0, dt.date(2024, 4, 1)], [float("nan"), dt.date(2024, 4, 1)],
              [-0.0, dt.date(2025, 1, 2)], [1.5, dt.date(2024, 4, 1)], [2.0, "none"]]  # fmt: skip
    assert cells_text(column).tolist() == [
        ["Age", "Start"],
        ["2", "2024-04-01"],
        ["", "2024-04-01"],
        ["0", "2025-01-02"],
        ["1.5", "2024-04-01"],
        ["2", "none"],
    ]


def test_cells_text_keeps_types_apart_and_pads_ragged_rows() -> None:
    grid = cells_text([[True, 1, 1.0, "1"], [1.5]])
    assert grid.tolist() == [["TRUE", "1", "1", "1"], ["1.5", "", "", ""]]


@pytest.mark.parametrize(
    ("data", "encoding", "note"),
    [
        ("Ethnicity,Count\nCafé,1\n".encode(), "utf-8", None),
        (b"\xef\xbb\xbf" + "Ethnicity,Count\nCafé,1\n".encode(), "utf-8-sig", None),
        ("Ethnicity,Count\nCafé,1\n".encode("utf-16"), "utf-16", "text-encoding"),
        ("Ethnicity,Count\nCafé,1\n".encode("cp1252"), "cp1252", "text-encoding"),
    ],
)
def test_csv_encodings(tmp_path: Path, data: bytes, encoding: str, note: str | None) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    book = load_workbook(path)
    assert book.encoding == encoding and book.file_format == "csv"
    assert book.sheets[0].cells.iloc[1].tolist() == ["Café", "1"]
    codes = [n.code for n in book.notes]
    assert (note in codes) if note else codes == []
    if note:
        message = next(n.message for n in book.notes if n.code == note)
        assert message.startswith("This file is saved as ") and "Café" not in message


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_csv_delimiters_sniffed(tmp_path: Path, sep: str, name: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"Ethnicity{sep}Count\nWhite, British{sep}0012\n", encoding="utf-8")
    book = load_workbook(path)
    assert book.sheets[0].cells.iloc[1].tolist() == ["White, British", "0012"]
    assert book.notes[0].message == csvread.MSG_DELIMITER.format(name=name)


def test_csv_keeps_na_words_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("a,b\nNA,None\n\nnull,N/A\n", encoding="utf-8")
    cells = load_workbook(path).sheets[0].cells
    assert cells.to_numpy().tolist() == [["a", "b"], ["NA", "None"], ["", ""], ["null", "N/A"]]


def test_csv_too_many_lines_refused(tmp_path: Path) -> None:
    from commissioning.loading.limits import Limits

    path = tmp_path / "r.csv"
    path.write_text("a\n" * 50, encoding="utf-8")
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(max_rows=10))
    assert caught.value.message == csvread.MSG_CSV_TOO_BIG.format(
        count="51", what="lines", limit="10"
    )


def test_xls_and_ods_read(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Return")
    sheet.write(0, 0, "Ethnicity")
    sheet.write(1, 0, "Indian")
    sheet.write(1, 1, 7.0)
    book.save(str(tmp_path / "r.xls"))
    xls = load_workbook(tmp_path / "r.xls")
    assert xls.file_format == "xls"
    assert xls.sheets[0].cells.to_numpy().tolist() == [["Ethnicity", ""], ["Indian", "7"]]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(tmp_path / "nope.xlsx")
    assert caught.value.message == filetype.MSG_NOT_FOUND.format(name="nope.xlsx")
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(tmp_path)
    assert caught.value.message == filetype.MSG_NOT_A_FILE.format(name=tmp_path.name)


def test_file_size_limit(tmp_path: Path) -> None:
    from commissioning.loading.limits import Limits

    path = tmp_path / "r.csv"
    path.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(max_file_bytes=100))
    assert caught.value.message == filetype.MSG_TOO_BIG.format(size="0.0", limit="0.0")


def test_workbook_without_worksheets(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    make_xlsx(path)
    # Rewrite the workbook with no <sheet> entries at all.
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    workbook = parts["xl/workbook.xml"].decode()
    start, end = workbook.index("<sheets>"), workbook.index("</sheets>") + len("</sheets>")
    parts["xl/workbook.xml"] = (workbook[:start] + "<sheets/>" + workbook[end:]).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path)
    assert caught.value.message in (
        native.MSG_NO_SHEETS,
        native.MSG_DAMAGED.format(kind="Excel workbook"),
    )


def test_startup_check_requires_defusedxml(monkeypatch: pytest.MonkeyPatch) -> None:
    assert safety.defused_xml_in_use()
    import openpyxl as real

    monkeypatch.setattr(real, "DEFUSEDXML", False)
    safety.defused_xml_in_use.cache_clear()
    try:
        with pytest.raises(UnreadableFileError) as caught:
            safety.require_defused_xml()
        assert caught.value.message == safety.MSG_NO_DEFUSEDXML
    finally:
        monkeypatch.undo()
        safety.defused_xml_in_use.cache_clear()
    assert safety.defused_xml_in_use()


def test_result_type(tmp_path: Path) -> None:
    assert isinstance(load_workbook(make_xlsx(tmp_path / "r.xlsx")), RawWorkbook)
