"""The "Sex and age" part of the drafted section: tables from `make_safe` only, plain
words, what to ask the provider for, and a council's own copy of its template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_draft_readability import flesch, grade

from commissioning.cli import cli, main
from commissioning.drafting.draft import Section
from commissioning.pipeline import RunSettings, run

ROWS = (
    ("White British", "Female", "5-9", 40), ("White British", "Male", "5-9", 35),
    ("Black African", "Female", "10-14", 20), ("Black African", "Male", "10-14", 28),
    ("Indian", "Female", "15-17", 15), ("Indian", "Male", "0-4", 12),
    ("Pakistani", "Non-binary", "15-17", 6), ("Other White", "Male", "10-14", 22),
)


def _csv(folder: Path, rows=ROWS, columns=("Ethnicity", "Gender", "Age band")) -> Path:  # type: ignore[no-untyped-def]
    keep = [i for i, c in enumerate(("Ethnicity", "Gender", "Age band")) if c in columns]
    lines = [",".join([*columns, "Count"])]
    lines += [",".join([*(str(r[i]) for i in keep), str(r[3])]) for r in rows]
    path = folder / "return.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _section(path: Path, characteristics: tuple[str, ...] = ("sex", "age_band"),
             **extra: object) -> Section:
    settings = RunSettings(authority="Westminster", service="Youth club",
                           characteristics=characteristics, **extra)  # type: ignore[arg-type]
    return run(path, settings).require_section()


def _part(section: Section) -> str:
    text = section.text()
    return text[text.index("Sex and age"):text.index("Data quality")]


def test_the_part_has_a_table_per_characteristic(tmp_path: Path) -> None:
    section = _section(_csv(tmp_path))
    tables = {t.name: t for t in section.tables()}
    sex, age = tables["characteristic_sex"], tables["characteristic_age_band"]
    assert [r[0] for r in sex.rows] == ["Female", "Male"]
    assert [r[1] for r in sex.rows] == ["75", "97"]
    assert [r[0] for r in age.rows] == ["Aged 0 to 4", "Aged 5 to 9", "Aged 10 to 14",
                                        "Aged 15 to 17"]
    assert age.rows[0][-1] == "Under-represented: clear difference"
    part = _part(section)
    assert "Aged 0 to 4: under-represented, with an RRI of 0.23." in part
    # The 6 non-binary people are explained (a count of 1 to 4 would withhold the part).
    assert "6 people described their gender in another way" in part
    assert "ages 0-17" in sex.caption


def test_a_table_that_hides_a_count_is_left_out(tmp_path: Path) -> None:
    """The tables count the same people as Table 1: beside its total, women and men give
    the people of another gender away (here 3), and a small age band would be the total
    minus the others. So a table with a small count is left out."""
    cases = (((*ROWS[:6], ("Pakistani", "Non-binary", "15-17", 3)), "characteristic_sex",
              "sex"),
             ((*ROWS[:6], ("Other White", "Male", "18-24", 2)), "characteristic_age_band",
              "age"))
    for rows, left_out, name in cases:
        section = _section(_csv(tmp_path, rows), ("sex", "age_band"), ages="0-24")
        names = {t.name for t in section.tables()}
        assert left_out not in names and len(names & {"characteristic_sex",
                                                      "characteristic_age_band"}) == 1
        assert f"We do not show the numbers by {name}." in _part(section)
        assert not re.search(r"\b[1-4] people\b", section.text())


def test_when_table_1_hides_a_count_no_table_by_sex_or_age_is_shown(tmp_path: Path) -> None:
    """Table 1's hidden group is its range of totals minus the groups shown: an exact
    total from a table by sex or age would close that range."""
    section = _section(_csv(tmp_path, (*ROWS, ("Arab", "Female", "5-9", 2))))
    assert not [t for t in section.tables() if t.name.startswith("characteristic_")]
    assert "We do not show the numbers by sex and age." in _part(section)


def test_beside_an_exact_table_1_only_the_table_that_hides_a_count_goes(
    tmp_path: Path
) -> None:
    """Table 1 hides nothing, but 3 people of another gender would be the total minus the
    women and men: the table by sex goes, the exact table by age stays."""
    changed = [("Indian", "Non-binary", "15-17", 3) if r[1] == "Non-binary" else r for r in ROWS]
    rows = (*changed, ("Pakistani", "Female", "15-17", 6))
    section = _section(_csv(tmp_path, rows))
    names = {t.name for t in section.tables()}
    assert "characteristic_age_band" in names and "characteristic_sex" not in names
    part = _part(section)
    assert ("We do not show the numbers by sex. Set beside Table 1, they would let someone "
            "work out a small count.") in part
    assert "By age" in part and "By sex" not in part
    assert "described their gender" not in section.text()


def test_the_part_says_what_to_ask_for_when_age_is_missing(tmp_path: Path) -> None:
    path = _csv(tmp_path, columns=("Ethnicity", "Gender"))
    part = _part(_section(path))
    assert "The return does not record age. Ask the provider to record each person's age " \
           "band." in part
    assert "By sex" in part and "By age" not in part


def test_without_characteristics_the_section_has_no_such_part(tmp_path: Path) -> None:
    section = _section(_csv(tmp_path), ())
    assert "Sex and age" not in section.text()
    assert not [t for t in section.tables() if t.name.startswith("characteristic_")]


def test_the_part_reads_plainly(tmp_path: Path) -> None:
    part = _part(_section(_csv(tmp_path)))
    prose = "\n".join(line for line in part.splitlines()
                      if line and not line.startswith(("|", "Female", "Male", "Aged", "Sex",
                                                       "Age", "Table", "People")))
    assert flesch(prose) >= 60, prose
    assert grade(prose) <= 9, prose


def test_a_councils_own_copy_of_the_part_wins(tmp_path: Path) -> None:
    folder = tmp_path / "wording"
    folder.mkdir()
    (folder / "draft_characteristics.txt.j2").write_text(
        "{% if characteristics.shown %}\n@heading[characteristics] Sex and age\n"
        "@para Our own words about {{ characteristics.names | join_and }}.\n{% endif %}\n",
        encoding="utf-8")
    text = _section(_csv(tmp_path), template=str(folder)).text()
    assert "Our own words about sex and age." in text
    # ... and the standard one comes back without the folder.
    assert "Our own words" not in _section(_csv(tmp_path)).text()


def test_draft_command_takes_the_characteristic_option(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    result = CliRunner().invoke(cli, ["draft", str(path), "-a", "Westminster", "--service",
                                      "Youth club", "--characteristic", "sex"])
    assert result.exit_code == 0, result.output
    assert "Sex and age" in result.stdout and "By sex" in result.stdout
    assert "By age" not in result.stdout


def test_by_default_the_section_compares_every_characteristic_the_return_holds(
    tmp_path: Path
) -> None:
    path = _csv(tmp_path)
    settings = RunSettings(authority="Westminster", service="Youth club")
    assert settings.characteristics is None
    section = run(path, settings).require_section()
    names = {t.name for t in section.tables()}
    assert {"characteristic_sex", "characteristic_age_band"} <= names
    # Asked for none: no part.
    section = run(path, RunSettings(authority="Westminster", service="Youth club",
                                    characteristics=())).require_section()
    assert "Sex and age" not in section.text()


def test_by_default_a_return_without_gender_or_age_is_told_what_to_ask_for(
    tmp_path: Path
) -> None:
    path = _csv(tmp_path, columns=("Ethnicity",))
    section = run(path, RunSettings(authority="Westminster",
                                    service="Youth club")).require_section()
    part = _part(section)
    assert "We also compared" not in part
    assert "The return does not record sex." in part and "The return does not record age." in part


def test_by_default_a_comparison_that_cannot_be_made_is_left_out_with_a_note(
    tmp_path: Path
) -> None:
    """Census 2011 for ages 0-17 does not cover the return's 18-24 band: the age
    comparison is left out of the section (a note tells the author why); asked for by
    name, it stops the draft."""
    from commissioning.errors import CommissioningError

    path = _csv(tmp_path, (*ROWS, ("Indian", "Male", "18-24", 9)))
    settings = RunSettings(authority="Westminster", service="Youth club", ages="0-17",
                           comparator="census2011")
    section = run(path, settings).require_section()
    names = {t.name for t in section.tables()}
    assert "characteristic_age_band" not in names
    assert any(n.startswith("The section does not compare the service by age: ")
               for n in section.author_notes)
    named = RunSettings(authority="Westminster", service="Youth club", ages="0-17",
                        comparator="census2011", characteristics=("age_band",))
    with pytest.raises(CommissioningError):
        run(path, named)


def test_the_command_takes_none_alone(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from commissioning.cli._common import MSG_NONE_WITH_OTHERS

    path = _csv(tmp_path)
    base = ["draft", str(path), "-a", "Westminster", "--service", "Youth club"]
    result = CliRunner().invoke(cli, base)
    assert result.exit_code == 0 and "Sex and age" in result.stdout
    result = CliRunner().invoke(cli, [*base, "--characteristic", "none"])
    assert result.exit_code == 0 and "Sex and age" not in result.stdout
    assert main([*base, "--characteristic", "none", "--characteristic", "sex"]) == 2
    assert capsys.readouterr().err.strip() == f"Error: {MSG_NONE_WITH_OTHERS}"


def test_a_clear_difference_by_age_gets_an_action_and_the_duty_names_sex_and_age(
    tmp_path: Path
) -> None:
    text = _section(_csv(tmp_path)).text()
    actions = text[text.index("Implications and actions"):text.index("Appendix")]
    assert re.search(r"We will look into why children aged 0 to 4 were under-represented "
                     r"\(part \d\)\.", actions)
    assert ("the protected characteristic of race, and for the protected characteristics "
            "of sex and age.") in actions
    only_sex = _section(_csv(tmp_path), ("sex",)).text()
    assert "and for the protected characteristic of sex." in only_sex
    assert "look into why children aged" not in only_sex
