"""The child process turns native aborts, hangs and odd cells into clean results."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hostile.make_corpus import sheet_xml, write_xlsx

from commissioning.errors import UnreadableFileError
from commissioning.loading import isolation
from commissioning.loading.limits import Limits
from commissioning.loading.native import NativeBook, NativeSheet

FAR_CORNER = sheet_xml(
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
)


def minimal_xlsx(path: Path, worksheet: str) -> None:
    write_xlsx(path, [("Sheet1", worksheet)])


@pytest.fixture
def far_corner(tmp_path: Path) -> Path:
    """The calamine #693 file: in process it would abort the interpreter (exit 134)."""
    path = tmp_path / "far.xlsx"
    minimal_xlsx(path, FAR_CORNER)
    return path


@pytest.fixture
def threaded() -> Iterator[None]:
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, daemon=True)
    worker.start()
    yield
    stop.set()
    worker.join()


def test_native_abort_becomes_one_line_error(far_corner: Path) -> None:
    # Bypass the pre-scan on purpose: this is the defence behind it.
    with pytest.raises(UnreadableFileError) as caught:
        isolation.read_spreadsheet(str(far_corner), "xlsx", Limits(), isolate=True)
    assert caught.value.message == isolation.MSG_CRASHED


def test_threaded_process_uses_fresh_interpreter(far_corner: Path, threaded: None) -> None:
    assert not isolation._can_fork()
    with pytest.raises(UnreadableFileError) as caught:
        isolation.read_spreadsheet(str(far_corner), "xlsx", Limits(), isolate=True)
    assert caught.value.message == isolation.MSG_CRASHED


def test_timeout(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 200_001))
    path = tmp_path / "big.xlsx"
    minimal_xlsx(path, sheet_xml(rows))
    with pytest.raises(UnreadableFileError) as caught:
        isolation.read_spreadsheet(str(path), "xlsx", Limits(time_limit_s=0.05), isolate=True)
    assert caught.value.message == isolation.MSG_TIMEOUT.format(seconds="0.05")


def test_encoding_round_trip_with_awkward_cells() -> None:
    grid = np.array([["a", isolation.SEPARATOR], ["", "é\n\x00"]], dtype=object)
    plain = np.array([["x", ""], ["", "z"]], dtype=object)
    book = NativeBook(
        (NativeSheet("S", "hidden", grid, ((0, 0, 1, 1),)), NativeSheet("T", "visible", plain, ())),
        ("Chart1",),
    )
    import json

    answer = json.dumps({"outcome": "ok", "book": isolation._encode(book)}).encode()
    back = isolation._decode(answer, Limits())
    assert back.skipped == ("Chart1",)
    for before, after in zip(book.sheets, back.sheets, strict=True):
        assert after.rows.tolist() == before.rows.tolist()
        assert (after.name, after.visibility, after.merged) == (
            before.name,
            before.visibility,
            before.merged,
        )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (b'{"outcome": "error", "message": "plain"}', "plain"),
        (b'{"outcome": "memory"}', isolation.MSG_MEMORY.format(limit="2,048")),
        (b'{"outcome": "crashed"}', isolation.MSG_CRASHED),
        (b"not json", isolation.MSG_CRASHED),
        (b'{"outcome": "ok", "book": {}}', isolation.MSG_CRASHED),
    ],
)
def test_decode_outcomes(answer: bytes, message: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        isolation._decode(answer, Limits())
    assert caught.value.message == message


def test_memory_limit_in_child(tmp_path: Path) -> None:
    # 60,000 rows x 1,000 columns: calamine allocates about 1 GB for the dense range,
    # far more than the 32 MB the child may add (and than any free heap it inherits).
    path = tmp_path / "m.xlsx"
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="60000"><c r="ALL60000"><v>1</v></c></row>'
    )
    minimal_xlsx(path, sheet_xml(rows))
    limits = Limits(memory_limit_bytes=32 * 1024 * 1024)
    with pytest.raises(UnreadableFileError) as caught:
        isolation.read_spreadsheet(str(path), "xlsx", limits, isolate=True)
    assert caught.value.message in (isolation.MSG_CRASHED, isolation.MSG_MEMORY.format(limit="32"))
