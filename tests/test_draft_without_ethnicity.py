"""A return with gender and age but no ethnicity drafts a section about sex and age:
the tables it may show together, small numbers protected, plain words, and every front
end (command line, Word, Markdown) taking it like any other section."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_draft_readability import flesch, grade

from commissioning.cli import cli, main
from commissioning.drafting.draft import Section, Table
from commissioning.drafting.sex_age_section import NOTE_NO_ETHNICITY
from commissioning.pipeline import MSG_NO_ETHNICITY_OPTIONS, RunSettings, run

BANDS = ("0-4", "5-9", "10-14", "15-17")
ROWS = (
    ("Female", "5-9", 40), ("Male", "5-9", 35), ("Female", "10-14", 20),
    ("Male", "10-14", 50), ("Female", "15-17", 15), ("Male", "0-4", 12),
    ("Non-binary", "15-17", 6),
)


def _csv(folder: Path, rows=ROWS, name: str = "return.csv") -> Path:  # type: ignore[no-untyped-def]
    lines = ["Gender,Age band,Count", *(f"{s},{a},{n}" for s, a, n in rows)]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _section(path: Path, **extra: object) -> Section:
    settings = RunSettings(authority="Westminster", service="Youth club", **extra)  # type: ignore[arg-type]
    return run(path, settings).require_section()


def _tables(section: Section) -> dict[str, Table]:
    return {t.name: t for t in section.tables() if t.name.startswith("characteristic_")}


def test_the_section_compares_by_sex_and_age(tmp_path: Path) -> None:
    section = _section(_csv(tmp_path))
    text = section.text()
    assert "The return does not record ethnicity." in text
    assert "Instead we compared who it reached by sex and age." in text
    tables = _tables(section)
    assert [r[:2] for r in tables["characteristic_sex"].rows] == [("Female", "75"),
                                                                  ("Male", "97")]
    assert [r[0] for r in tables["characteristic_age_band"].rows] == [
        "Aged 0 to 4", "Aged 5 to 9", "Aged 10 to 14", "Aged 15 to 17"]
    assert "The return covered 178 people." in text
    # The 6 non-binary people are counted and explained, never dropped.
    assert "6 people described their gender in another way" in text
    assert "For 6 people, the return gave no sex we could compare" in text
    # Asking for ethnicity is the first action; the clear differences are named.
    actions = text[text.index("Implications and actions"):]
    assert actions.index("record each person's ethnic group") < actions.index("look into why")
    assert "We will look into why children aged 0 to 4 were under-represented." in actions
    assert [c.caption.split(":")[0] for c in section.charts()] == ["Figure 1", "Figure 2"]
    assert section.author_notes[0] == NOTE_NO_ETHNICITY


def test_the_rri_in_the_section_is_the_comparison_by_sex(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    found = run(path, RunSettings(authority="Westminster", service="Youth club"))
    by_sex = next(a for a in found.characteristics if a.characteristic == "sex")
    table = by_sex.table.set_index("group")
    expected = (75 / 172) / (table.loc["Female", "comparator_share"])
    assert abs(table.loc["Female", "rri"] - expected) < 1e-12
    row = _tables(found.require_section())["characteristic_sex"].rows[0]
    assert row[4].startswith(f"{expected:.2f} (")


def test_a_small_age_band_leaves_out_the_age_table_only(tmp_path: Path) -> None:
    """Beside the exact table by sex (and its exact total), a hidden age band would be
    the total minus the others: so the age table goes, the sex table stays."""
    rows = tuple(("Female", "0-4", 2) if r[:2] == ("Male", "0-4") else r for r in ROWS)
    section = _section(_csv(tmp_path, rows))
    tables = _tables(section)
    assert set(tables) == {"characteristic_sex"}
    text = section.text()
    assert ("We do not show the numbers by age. Set beside the table by sex, they would "
            "let someone work out a small count.") in text
    assert "The return covered 168 people." in text
    assert "aged 0 to 4" not in text.lower()


def test_when_every_table_hides_a_count_only_the_first_is_shown(tmp_path: Path) -> None:
    rows = (*ROWS[:5], ("Female", "0-4", 2), ("Non-binary", "15-17", 3))
    section = _section(_csv(tmp_path, rows))
    tables = _tables(section)
    assert set(tables) == {"characteristic_sex"}
    text = section.text()
    assert "Fewer than 5 people described their gender in another way" in text
    # The total includes the hidden people, so it is a range.
    assert re.search(r"The return covered \d+ to \d+ people\. We give a range", text)
    assert "We do not show the numbers by age." in text
    assert not re.search(r"\b[1-4] (people|children)\b", text)


def test_the_section_reads_plainly(tmp_path: Path) -> None:
    text = _section(_csv(tmp_path)).text()
    prose = "\n".join(line for line in text.splitlines()
                      if not line.startswith(("(a)", "(b)", "(c)", "Sources.", "- ")))
    assert flesch(prose) >= 60, flesch(prose)
    assert grade(prose) <= 9, grade(prose)


def test_check_and_draft_commands_take_the_return(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(path)])
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "section.docx"
    drafted = runner.invoke(cli, ["draft", str(path), "-a", "Westminster", "--service",
                                  "Youth club", "--out", str(out)])
    assert drafted.exit_code == 0, drafted.output
    assert "Note for the author: The return has no ethnicity" in drafted.output
    with zipfile.ZipFile(out) as docx:
        pictures = [n for n in docx.namelist() if n.startswith("word/media/")]
        body = docx.read("word/document.xml").decode("utf-8")
    assert len(pictures) == 2  # one chart by sex, one by age
    assert "The return does not record ethnicity." in body
    markdown = tmp_path / "section.md"
    drafted = runner.invoke(cli, ["draft", str(path), "-a", "Westminster", "--service",
                                  "Youth club", "--out", str(markdown)])
    assert drafted.exit_code == 0, drafted.output
    text = markdown.read_text(encoding="utf-8")
    assert "(section_chart.png)" in text and "(section_chart_2.png)" in text
    assert (tmp_path / "section_chart_2.png").read_bytes().startswith(b"\x89PNG")


def test_options_that_compare_ethnic_groups_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path)
    for extra in (["--by", "sex"], ["--previous", str(path)]):
        code = main(["draft", str(path), "-a", "Westminster", "--service", "Youth club",
                     *extra])
        assert code == 2
        err = capsys.readouterr().err
        assert err.strip() == f"Error: {MSG_NO_ETHNICITY_OPTIONS}"


_CELL = st.one_of(st.integers(0, 4), st.integers(5, 60))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=st.lists(_CELL, min_size=8, max_size=8), other=_CELL, unknown=_CELL)
def test_a_table_with_a_hidden_count_is_never_shown_beside_another(
    tmp_path_factory: object, counts: list[int], other: int, unknown: int
) -> None:
    """Whatever the counts: a shown table that hides a number is the only table shown,
    the total is then a range, and no count of 1 to 4 is written anywhere."""
    folder = tmp_path_factory.mktemp("r")  # type: ignore[attr-defined]
    cells = [(s, b) for s in ("Female", "Male") for b in BANDS]
    rows = [(s, b, n) for (s, b), n in zip(cells, counts, strict=True) if n]
    rows += [("Non-binary", "10-14", other)] if other else []
    rows += [("", "5-9", unknown)] if unknown else []
    if sum(n for s, _b, n in rows if s in ("Female", "Male")) == 0:
        return  # no one with a comparable sex: nothing to compare
    section = _section(_csv(folder, rows))
    tables = _tables(section)
    hiding = [name for name, t in tables.items()
              if any(cell.startswith("Fewer than") for row in t.rows for cell in row)]
    text = section.text()
    other_hidden = "Fewer than 5 people described their gender" in text
    if hiding or other_hidden:
        assert len(tables) == 1, (hiding, list(tables))
        assert re.search(r"The return covered (\d+) to (\d+) people", text) or not hiding
    for table in tables.values():
        for row in table.rows:
            assert not re.fullmatch(r"[1-4]", row[1]), row
    assert not re.search(r"\b[1-4] (people|children)\b", text)
