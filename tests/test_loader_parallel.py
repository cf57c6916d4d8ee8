"""The native parse may start before the pre-scan ends (two cores); nothing else changes.

Every hostile file must give the same refusal, or the same cells and notes, whether the
limited child starts after the pre-scan (small files), alongside it (large files), or
as soon as a command knows the file's name (`readahead`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile.make_corpus import build, corpus

from commissioning.errors import UnreadableFileError
from commissioning.loading import isolation, prescan, readahead, sheetscan
from commissioning.loading.limits import Limits
from commissioning.loading.loader import load_workbook
from commissioning.loading.rawtypes import RawWorkbook

SEQUENTIAL = Limits(parallel_above_bytes=10**12)
PARALLEL = Limits(parallel_above_bytes=0)
NAMES = sorted(entry.name for entry in corpus(Path("unused")))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-parallel")
    build(folder)
    return folder


@pytest.fixture(autouse=True)
def no_leftover_children() -> Iterator[None]:
    yield
    leftover = bool(readahead._pending)
    readahead.cancel_all()
    assert not leftover, "a child started early was neither used nor stopped"


def outcome(path: Path, limits: Limits) -> tuple[str, object]:
    try:
        book = load_workbook(path, limits=limits)
    except UnreadableFileError as exc:
        return "refused", exc.message
    return "read", _summary(book)


def _summary(book: RawWorkbook) -> object:
    sheets = [
        (s.name, s.visibility, s.hidden_rows, s.cells.to_numpy().tolist()) for s in book.sheets
    ]
    return sheets, [note.as_dict() for note in book.notes]


#: The million-row file takes the same code path as the others and would need 1 GB to
#: compare cell by cell; test_hostile.py checks its outcome by shape.
COMPARED = [n for n in NAMES if n != "million_rows.xlsx"]


@pytest.mark.parametrize("name", COMPARED)
def test_parallel_parse_gives_the_same_outcome(name: str, hostile: Path) -> None:
    path = hostile / name
    assert outcome(path, PARALLEL) == outcome(path, SEQUENTIAL)


@pytest.mark.parametrize("name", COMPARED)
def test_read_ahead_gives_the_same_outcome(name: str, hostile: Path) -> None:
    path = hostile / name
    readahead.read_ahead(path, SEQUENTIAL)
    ahead = outcome(path, SEQUENTIAL)
    assert not readahead._pending  # taken (or never started), never left running
    assert ahead == outcome(path, SEQUENTIAL)


def test_far_corner_read_ahead_is_refused_by_the_pre_scan(hostile: Path) -> None:
    # The child aborts on this file (calamine #693); the user still gets the pre-scan's
    # plain sentence about the stray cell, not "the reader stopped".
    path = hostile / "sparse_far_corner.xlsx"
    assert readahead.read_ahead(path)
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(path)
    assert caught.value.message.startswith(sheetscan.MSG_TOO_MANY_CELLS.split("{", 1)[0])
    assert caught.value.message != isolation.MSG_CRASHED


def test_zip_bomb_never_reaches_the_child_early(hostile: Path) -> None:
    assert not readahead.read_ahead(hostile / "zip_bomb.xlsx")
    assert not readahead._pending
    with pytest.raises(UnreadableFileError) as caught:
        load_workbook(hostile / "zip_bomb.xlsx")
    assert caught.value.message.startswith(prescan.MSG_RATIO.split("{", 1)[0])


def test_text_files_are_not_read_ahead(hostile: Path) -> None:
    assert not readahead.read_ahead(hostile / "formula_injection.csv")


def test_the_early_child_is_the_one_used(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = hostile / "hidden_sheets.xlsx"
    expected = outcome(path, SEQUENTIAL)
    assert readahead.read_ahead(path, SEQUENTIAL)

    def no_second_parse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a second parse was started")

    monkeypatch.setattr(isolation, "start", no_second_parse)
    monkeypatch.setattr(isolation, "read_spreadsheet", no_second_parse)
    assert outcome(path, SEQUENTIAL) == expected


def test_a_changed_file_is_parsed_again(hostile: Path, tmp_path: Path) -> None:
    path = tmp_path / "return.xlsx"
    path.write_bytes((hostile / "hidden_sheets.xlsx").read_bytes())
    assert readahead.read_ahead(path, SEQUENTIAL)
    path.write_bytes((hostile / "macro.xlsm").read_bytes())  # replaced after the start
    assert readahead.take(path, SEQUENTIAL) is None
    assert outcome(path, SEQUENTIAL) == outcome(hostile / "macro.xlsm", SEQUENTIAL)


def test_other_limits_are_not_served_by_the_early_child(hostile: Path) -> None:
    path = hostile / "hidden_sheets.xlsx"
    assert readahead.read_ahead(path, SEQUENTIAL)
    assert readahead.take(path, Limits(max_rows=10)) is None
    assert not readahead._pending


def test_a_command_that_stops_early_stops_its_child(hostile: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from commissioning.cli import cli

    out = tmp_path / "section.docx"
    out.write_bytes(b"already there")
    args = ["draft", str(hostile / "hidden_sheets.xlsx"), "--authority", "Westminster",
            "--service", "S", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert "already exists" in str(result.exception)
    assert not readahead._pending  # started, then stopped when the command ended
