"""Streaming large records CSVs gives exactly what the ordinary reader gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from commissioning.errors import UnreadableFileError
from commissioning.loading.csvread import MSG_CSV_DAMAGED
from commissioning.returns import stream
from commissioning.returns.model import ProviderReturn
from commissioning.returns.read import read_return

HEADER = "Ethnicity,Gender,Age,Period"
ROWS = [
    "White British,Female,7,2024-25 Q1",
    "Black African,Male,12,2024-25 Q1",
    "Indian,Girl,15,2024-25 Q2",
    '"Mixed, White and Asian",Boy,3,2024-25 Q2',
    "Prefer not to say,F,9,2024-25 Q1",
    "WBRI,M,16,2024-25 Q2",
    "Black African,Male,12,2024-25 Q1",
    "White British,Female,7,2024-25 Q2",
]


def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _same(ordinary: ProviderReturn, streamed: ProviderReturn | None) -> None:
    assert streamed is not None
    assert streamed.counts == ordinary.counts
    assert streamed.quality.issues == ordinary.quality.issues
    assert streamed.quality.unmapped.equals(ordinary.quality.unmapped)
    for name in ("sha256", "encoding", "layout", "layout_detail", "sheet", "file_format"):
        assert getattr(streamed, name) == getattr(ordinary, name), name
    assert dict(streamed.columns) == dict(ordinary.columns)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of three rows, so combinations are merged across chunks."""
    monkeypatch.setattr(stream, "CHUNK_ROWS", 3)


def test_many_chunks_equal_the_ordinary_reader(tmp_path: Path) -> None:
    lines = [
        "Monitoring return for the council",  # a title above the header
        "",
        HEADER,
        *ROWS * 5,
        "Martian,Female,8,2024-25 Q1",  # unmapped, row 46
        "",  # a blank line is not a person
        "These figures were prepared by the provider for the quarterly meeting,,,",
    ]
    path = _write(tmp_path / "big.csv", lines)
    ordinary = read_return(path)
    streamed = stream.read_if_large(path, above_bytes=0)
    _same(ordinary, streamed)
    assert streamed is not None
    assert streamed.counts.total == 41
    assert streamed.quality.unmapped["rows"].tolist() == [(44,)]
    assert {i.code for i in streamed.quality.issues} >= {"note-rows", "unmapped-ethnicity"}


def test_windows_1252_semicolons_and_identifiers(tmp_path: Path) -> None:
    lines = ["Name;Ethnicity;Sex;Age", *(f"Zoë {i};Irish;F;{i % 17}" for i in range(20))]
    path = _write(tmp_path / "cp.csv", lines, encoding="cp1252")
    ordinary = read_return(path)
    streamed = stream.read_if_large(path, above_bytes=0)
    _same(ordinary, streamed)
    assert {"text-encoding", "text-delimiter", "personal-data"} <= {
        i.code for i in ordinary.quality.issues
    }


def test_a_late_non_utf8_byte_switches_to_windows_1252(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream, "HEAD_BYTES", 64)
    lines = [HEADER, *ROWS * 4, "Other White,Female,5,2024-25 Q1"]
    data = ("\n".join(lines) + "\n").encode("utf-8") + "Roma,Male,6,2024-25 Q\xe9\n".encode(
        "cp1252"
    )
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    _same(read_return(path), stream.read_if_large(path, above_bytes=0))


def test_dates_of_birth_as_of_a_date(tmp_path: Path) -> None:
    lines = ["Ethnicity,Gender,Date of birth", *(f"Arab,Male,0{1 + i % 9}/03/201{i % 10}"
                                               for i in range(30))]  # fmt: skip
    path = _write(tmp_path / "dob.csv", lines)
    as_of = dt.date(2024, 3, 31)
    _same(read_return(path, as_of=as_of), stream.read_if_large(path, as_of=as_of, above_bytes=0))


def test_small_files_counts_tables_and_spreadsheets_are_left_to_the_reader(
    tmp_path: Path,
) -> None:
    records = _write(tmp_path / "r.csv", [HEADER, *ROWS])
    assert stream.read_if_large(records) is None  # below the size threshold
    counts = _write(tmp_path / "c.csv", ["Ethnicity,Number", "Indian,12", "Irish,30"])
    assert stream.read_if_large(counts, above_bytes=0) is None
    zipped = tmp_path / "x.xlsx"
    zipped.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    with pytest.raises(UnreadableFileError):
        stream.read_if_large(zipped, above_bytes=0)  # refused exactly as the reader does
    assert stream.read_if_large(tmp_path / "missing.csv", above_bytes=0) is None


def test_a_long_row_is_read_like_the_reader_and_a_broken_one_is_a_plain_error(
    tmp_path: Path,
) -> None:
    plain = [r for r in ROWS if '"' not in r]
    ragged = _write(tmp_path / "ragged.csv", [HEADER, *plain, "Irish,F,7,Q1,extra,cells", *plain])
    _same(read_return(ragged), stream.read_if_large(ragged, above_bytes=0))
    broken = _write(tmp_path / "broken.csv", [HEADER, *plain, 'Irish,"F,7,Q1', *plain])
    with pytest.raises(UnreadableFileError) as exc:
        stream.read_if_large(broken, above_bytes=0)
    assert exc.value.message == MSG_CSV_DAMAGED.format(problem="the rows are broken")


def test_read_return_streams_large_csvs_but_not_a_named_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "big.csv", [HEADER, *ROWS * 3])
    calls: list[Path] = []
    real = stream._aggregate

    def spy(path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(stream, "_aggregate", spy)
    monkeypatch.setattr(stream, "STREAM_ABOVE_BYTES", 0)
    streamed = read_return(path)
    assert calls == [path]
    assert read_return(path, sheet="CSV").counts == streamed.counts
    assert calls == [path]  # a named sheet goes to the ordinary reader
