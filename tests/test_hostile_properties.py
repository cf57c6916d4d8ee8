"""Random malformed CSV and xlsx bytes: only declared errors (CommissioningError) escape."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hostile.make_corpus import sheet_xml, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.errors import CommissioningError
from commissioning.loading.loader import load_workbook
from commissioning.loading.rawtypes import RawWorkbook

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def read_or_refuse(path: Path) -> RawWorkbook | None:
    try:
        return load_workbook(path, isolate=False)
    except CommissioningError as exc:
        assert exc.message and "\n" not in exc.message
        return None


def base_xlsx() -> bytes:
    buffer = io.BytesIO()
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>White British</t></is></c>'
        f'<c r="B{r}"><v>{r}</v></c></row>'
        for r in range(1, 40)
    )
    write_xlsx(buffer, [("Data", sheet_xml(rows))])
    return buffer.getvalue()


BASE = base_xlsx()

csv_bytes = st.one_of(
    st.binary(max_size=2_000),
    st.lists(st.lists(st.text(max_size=12), max_size=6).map(",".join), max_size=30).map(
        lambda lines: "\n".join(lines).encode("utf-8")
    ),
    st.text(max_size=500).map(lambda t: t.encode("utf-16")),
)


@SETTINGS
@given(data=csv_bytes)
def test_random_csv_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    book = read_or_refuse(path)
    if book is not None:
        for sheet in book.sheets:
            assert all(type(v) is str for v in sheet.cells.to_numpy().ravel())


@SETTINGS
@given(
    cuts=st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.binary(max_size=8)), max_size=6),
    truncate=st.one_of(st.none(), st.integers(0, len(BASE))),
)
def test_random_damaged_xlsx_bytes(
    tmp_path: Path, cuts: list[tuple[int, bytes]], truncate: int | None
) -> None:
    data = bytearray(BASE)
    for at, patch in cuts:
        data[at : at + len(patch)] = patch
    if truncate is not None:
        data = data[:truncate]
    path = tmp_path / "r.xlsx"
    path.write_bytes(bytes(data))
    read_or_refuse(path)


xml_noise = st.text(
    alphabet=st.sampled_from(list("<>/=\"' crvfisheetData:xA1&;#!-[]ENTITYDOCTYPE0123456789")),
    max_size=300,
)


@SETTINGS
@given(noise=xml_noise)
def test_random_sheet_xml(tmp_path: Path, noise: str) -> None:
    path = tmp_path / "r.xlsx"
    buffer = io.BytesIO()
    write_xlsx(buffer, [("Data", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>' + noise))])
    path.write_bytes(buffer.getvalue())
    book = read_or_refuse(path)
    if book is not None:
        assert zipfile.is_zipfile(path)
        for sheet in book.sheets:
            assert sheet.cells.size <= 12_000_000
