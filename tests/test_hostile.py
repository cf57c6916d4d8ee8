"""Issue 7: every hostile or malformed file is refused with one plain line, or read with
the right warning, quickly, without leaking a local secret or crashing the process."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from commissioning.cli import cli, main
from commissioning.errors import CommissioningError, UnreadableFileError
from commissioning.loading.loader import load_workbook

CORPUS_SCRIPT = Path(__file__).parent / "hostile" / "make_corpus.py"
TIME_LIMIT_S = 10.0


def load_corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile_make_corpus", CORPUS_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


make_corpus = load_corpus_module()
ENTRIES = {entry.name: entry for entry in make_corpus.corpus(Path("unused"))}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("hostile")
    _, marker = make_corpus.build(folder)
    return folder, marker


def expected_message(reference: str) -> str:
    module_name, constant = reference.split(":")
    package = "returns" if module_name in {"read", "layout", "header", "stream"} else "loading"
    module = importlib.import_module(f"commissioning.{package}.{module_name}")
    return str(getattr(module, constant))


def matches_template(message: str, template: str) -> bool:
    """True when ``message`` is ``template`` with its {placeholders} filled in."""
    import re

    pattern = re.escape(template)
    pattern = re.sub(r"\\\{[a-z_]+\\\}", ".+?", pattern)
    return re.fullmatch(pattern, message) is not None


def test_corpus_has_at_least_25_files() -> None:
    assert len(ENTRIES) >= 25
    refused = [e for e in ENTRIES.values() if e.refuse]
    read = [e for e in ENTRIES.values() if not e.refuse]
    assert len(refused) >= 15 and len(read) >= 10


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_hostile_file_through_loader(name: str, corpus: tuple[Path, str]) -> None:
    folder, marker = corpus
    entry = ENTRIES[name]
    began = time.perf_counter()
    if entry.refuse:
        with pytest.raises(UnreadableFileError) as caught:
            load_workbook(folder / name)
        message = caught.value.message
        assert "\n" not in message
        assert matches_template(message, expected_message(entry.refuse)), message
        assert marker not in message
    else:
        book = load_workbook(folder / name)
        codes = {note.code for note in book.notes}
        assert set(entry.notes) <= codes, codes
        for sheet in book.sheets:
            assert not sheet.cells.isin([marker]).to_numpy().any()
        for note in book.notes:
            assert "\n" not in note.message and marker not in note.message
        if name == "million_rows.xlsx":
            assert book.sheets[0].cells.shape == (1_048_576, 1)
            assert book.sheets[0].cells.iat[1_048_575, 0] == "1048576"
    assert time.perf_counter() - began < TIME_LIMIT_S


def test_xxe_secret_never_read(corpus: tuple[Path, str]) -> None:
    folder, marker = corpus
    assert (folder / "secret.txt").read_text(encoding="utf-8") == marker
    for name in ("xxe_secret.xlsx", "xxe_secret.ods"):
        with pytest.raises(UnreadableFileError) as caught:
            load_workbook(folder / name)
        assert marker not in str(caught.value)


def test_readable_files_keep_their_content(corpus: tuple[Path, str]) -> None:
    folder, _ = corpus
    injected = load_workbook(folder / "formula_injection.csv").sheets[0].cells
    assert injected.iat[1, 0] == '=HYPERLINK("http://example.invalid")'  # raw, not run
    control = load_workbook(folder / "control_characters.csv").sheets[0].cells
    assert control.iat[1, 1] == "12"
    mixed = load_workbook(folder / "mixed_line_endings.csv").sheets[0].cells
    assert mixed[0].tolist() == ["Ethnicity", "White British", "Indian", "Chinese"]
    utf16 = load_workbook(folder / "utf16.csv")
    assert utf16.encoding == "utf-16"
    assert utf16.sheets[0].cells.iat[2, 0] == "Asian \u2013 Indian"
    giant = load_workbook(folder / "giant_cell.xlsx").sheets[0].cells
    assert len(str(giant.iat[0, 0])) > 15_000_000


def test_hidden_sheets_are_marked(corpus: tuple[Path, str]) -> None:
    folder, _ = corpus
    book = load_workbook(folder / "hidden_sheets.xlsx")
    assert [s.visibility for s in book.sheets] == ["visible", "hidden", "very hidden"]
    severities = {n.sheet: n.severity for n in book.notes if n.code == "hidden-sheet"}
    assert severities == {"Hidden": "info", "VeryHidden": "warning"}


CLI_SAMPLE = [
    "sparse_far_corner.xlsx",
    "billion_laughs.xlsx",
    "xxe_secret.xlsx",
    "zip_bomb.xlsx",
    "zero_byte.xlsx",
    "encrypted.xlsx",
    "ods_repeat_bomb.ods",
    "truncated.xlsx",
    "web_page.xls",
]


@pytest.mark.parametrize("name", CLI_SAMPLE)
def test_hostile_file_through_check_command(
    name: str, corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, marker = corpus
    code = main(["check", str(folder / name)])
    out, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in err + out and marker not in err + out
    assert lines[0].removeprefix("Error: ") == " ".join(_refusal(folder / name).split())


def _refusal(path: Path) -> str:
    try:
        load_workbook(path)
    except CommissioningError as exc:
        return exc.message
    raise AssertionError("expected a refusal")


def test_readable_hostile_file_through_check_command_warns(corpus: tuple[Path, str]) -> None:
    folder, _ = corpus
    result = CliRunner().invoke(cli, ["check", str(folder / "macro.xlsm")])
    assert result.exit_code in (0, 1)
    assert "macros" in result.output and "Traceback" not in result.output
