"""The fast byte scan of worksheet XML agrees with a full parse, and refuses what it must."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hostile.make_corpus import sheet_xml, write_ods, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.errors import UnreadableFileError
from commissioning.loading import filetype, odsscan, prescan, sheetscan, xmlstream
from commissioning.loading.limits import Limits
from commissioning.loading.loader import load_workbook


def scan_both(xml: str) -> tuple[sheetscan.SheetScan, sheetscan.SheetScan | None]:
    data = xml.encode()
    exact = sheetscan._exact(io.BytesIO(data))
    try:
        fast: sheetscan.SheetScan | None = sheetscan._fast(io.BytesIO(data))
    except sheetscan._Irregular:
        fast = None
    return exact, fast


def comparable(found: sheetscan.SheetScan) -> tuple[object, ...]:
    return (
        found.max_row,
        found.max_col,
        found.cells,
        sorted(found.error_cells),
        sorted(found.formula_cells),
        found.hidden_rows,
    )


cells = st.tuples(
    st.integers(1, 1_100_000),
    st.integers(1, 17_000),
    st.sampled_from(["v", "f", "fv", "e", "empty-v", "str-f"]),
)


def cell_xml(row: int, col: int, kind: str) -> str:
    ref = f"{sheetscan.column_letters(col)}{row}"
    return {
        "v": f'<c r="{ref}"><v>1</v></c>',
        "f": f'<c r="{ref}"><f>A1</f></c>',
        "fv": f'<c r="{ref}"><f>A1</f><v>2</v></c>',
        "e": f'<c r="{ref}" t="e"><v>#N/A</v></c>',
        "empty-v": f'<c r="{ref}"><f>A1</f><v></v></c>',
        "str-f": f'<c r="{ref}" t="str"><f>""</f><v></v></c>',
    }[kind]


@settings(max_examples=60, deadline=None)
@given(st.lists(cells, min_size=1, max_size=30), st.sets(st.integers(1, 40), max_size=3))
def test_fast_path_agrees_with_full_parse(
    chosen: list[tuple[int, int, str]], hidden: set[int]
) -> None:
    by_row: dict[int, list[str]] = {}
    for row, col, kind in chosen:
        by_row.setdefault(row, []).append(cell_xml(row, col, kind))
    flag = ' hidden="1"'
    rows = "".join(
        f'<row r="{r}"{flag if r in hidden else ""}>{"".join(c)}</row>'
        for r, c in sorted(by_row.items())
    )
    exact, fast = scan_both(sheet_xml(rows))
    assert fast is not None
    assert comparable(fast) == comparable(exact)
    assert exact.max_row == max(r for r, _, _ in chosen)
    assert exact.max_col == max(c for _, c, _ in chosen)


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>',
        "<row r=\"1\"><c r='B2'><v>1</v></c></row>",
        '<row r="1"><c  r="C3"><v>1</v></c></row>',
        '<row r="1"><c r="$D$4"><v>1</v></c></row>',
        '<row r="1"><c r="&#69;5"><v>1</v></c></row>',
    ],
)
def test_irregular_forms_take_the_exact_path(rows: str) -> None:
    exact, fast = scan_both(sheet_xml(rows))
    assert fast is None
    assert exact.max_row >= 1 and exact.max_col >= 1


def test_rows_and_cells_without_references_follow_the_previous() -> None:
    rows = '<row r="5"><c><v>1</v></c><c><v>1</v></c></row><row><c r="C9"><v>1</v></c><c/></row>'
    exact, _ = scan_both(sheet_xml(rows))
    assert (exact.max_row, exact.max_col) == (9, 4)


def test_prefixed_cells_are_found() -> None:
    xml = (
        '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="ZZ70000"><x:v>1</x:v>'
        "</x:c></x:row></x:sheetData></x:worksheet>"
    )
    exact, fast = scan_both(xml)
    assert fast is None and (exact.max_row, exact.max_col) == (70_000, 702)


def test_extent_limits_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(path, [("Data", sheet_xml('<row r="20"><c r="E20"><v>1</v></c></row>'))])
    assert load_workbook(path).sheets[0].cells.shape == (20, 5)
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(max_cells=99))
    assert caught.value.message == sheetscan.MSG_TOO_MANY_CELLS.format(
        sheet="Data", rows="20", cols="5", cells="100", limit="99"
    )
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(max_rows=19))
    assert caught.value.message == sheetscan.MSG_TOO_MANY_ROWS.format(
        sheet="Data", rows="20", limit="19"
    )
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(max_columns=4))
    assert caught.value.message == sheetscan.MSG_TOO_MANY_COLUMNS.format(
        sheet="Data", cols="E", limit="4"
    )


def test_zip_limits(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(path, [("Data", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))])
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(max_zip_entries=3))
    assert caught.value.message == filetype.MSG_TOO_MANY_ENTRIES.format(limit="3")
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(max_uncompressed_bytes=100))
    assert caught.value.message.startswith("This file expands to ")
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(ratio_floor_bytes=10, max_compression_ratio=1.01))
    assert caught.value.message.startswith("Part of this file expands ")


def test_doctype_anywhere_in_any_part(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(path, extra={"docProps/custom.xml": '<?xml version="1.0"?><!DOCTYPE x><x/>'})
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path)
    assert caught.value.message == xmlstream.MSG_XML_DECLARATIONS


def test_ods_limits_and_hidden_rows(tmp_path: Path) -> None:
    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    rows = (
        f'<table:table-row table:visibility="collapse">{cell}</table:table-row>'
        f'<table:table-row table:number-rows-repeated="50">{cell}</table:table-row>'
    )
    path = tmp_path / "r.ods"
    write_ods(path, f'<table:table table:name="Data">{rows}</table:table>')
    book = load_workbook(path)
    assert book.sheets[0].cells.shape == (51, 1)
    assert book.sheets[0].hidden_rows == (1,)
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path, limits=Limits(ods_max_repeat=49))
    assert caught.value.message == odsscan.MSG_ODS_REPEAT.format(
        sheet="Data", count="50", limit="49"
    )


def test_scan_result_for_xls_is_not_scanned(tmp_path: Path) -> None:
    assert not prescan.scan(tmp_path / "none.xls", "xls", Limits()).scanned


def test_pieces_never_split_a_tag() -> None:
    data = b"<?xml version='1.0'?><a>" + b'<row r="1"><c r="A1"><v>1</v></c></row>' * 200_000
    data += b"</a>"
    joined = b"".join(xmlstream.pieces(io.BytesIO(data)))
    assert joined == data
    for piece in xmlstream.pieces(io.BytesIO(data)):
        assert piece.endswith(b">")


def test_corrupt_member_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(path, [("Data", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>' * 500))])
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    raw[info.header_offset + 60 : info.header_offset + 90] = b"\xff" * 30
    path.write_bytes(bytes(raw))
    with pytest.raises(UnreadableFileError):
        load_workbook(path)
