"""Issue 14: a council's own comparator file, through the command line.

Every group the service has must be in the file (or --allow-missing-groups, with a
caveat); the place comes from the file's area column or --authority; the mode from the
file's mode column, --mode, or its size (20 times the service: fixed); nested drafts work.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commissioning.analysis import comparator_rules as rules
from commissioning.cli import main
from commissioning.comparators import load_comparator_file
from commissioning.comparators import userfile as uf
from commissioning.errors import ComparatorError

ROOT = Path(__file__).resolve().parents[1]
#: 271 young people: Asian 14, Black 65, Mixed 54, White 100, Other 27, 11 not known.
YOUTH = ROOT / "provider_returns" / "kensington_chelsea_youth_2024q2.csv"
#: Sex Female, Male and Other: a comparator by sex has no one of sex "Other".
HAF = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"

#: The detailed groups of a referrals list the youth service's people all came from.
REFERRALS = {
    "White British": 150, "Irish": 10, "Other White": 90, "Gypsy or Irish Traveller": 2,
    "Indian": 12, "Pakistani": 8, "Bangladeshi": 6, "Chinese": 4, "Other Asian": 3,
    "African": 70, "Caribbean": 50, "Other Black": 10, "White and Asian": 15,
    "White and Black African": 8, "White and Black Caribbean": 25, "Other Mixed": 50,
    "Any other ethnic group": 40,
}


def comparator_csv(tmp_path: Path, rows: dict[str, int], *, scale: int = 1,
                   columns: dict[str, str] | None = None, name: str = "population.csv") -> Path:
    """A comparator file as a council would save it from a spreadsheet."""
    extra = columns or {}
    head = ",".join(["Ethnic group", *extra, "Population"])
    lines = [head] + [
        ",".join([group, *extra.values(), str(count * scale)]) for group, count in rows.items()
    ]
    lines.append(",".join(["Total", *("" for _ in extra), str(sum(rows.values()) * scale)]))
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def draft(capsys: pytest.CaptureFixture[str], comparator: Path, *options: str,
          source: Path = YOUTH, authority: str = "Kensington and Chelsea") -> tuple[int, str, str]:
    code = main(["draft", str(source), "--authority", authority, "--service", "Youth",
                 "--comparator", str(comparator), *options])
    out, err = capsys.readouterr()
    return code, out, err


def without_other(rows: dict[str, int]) -> dict[str, int]:
    return {g: n for g, n in rows.items() if g != "Any other ethnic group"}


# --- missing groups --------------------------------------------------------------------


def test_missing_other_row_is_refused_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = comparator_csv(tmp_path, without_other(REFERRALS), scale=100)
    code, out, err = draft(capsys, path)
    assert (code, out) == (2, "")
    expected = rules.MSG_MISSING_GROUPS.format(
        file="population.csv", groups="Other", them="that group")
    assert err == f"Error: {expected}\n"


def test_a_zero_row_counts_as_missing_and_detailed_level_names_the_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = {**REFERRALS, "Chinese": 0}
    del rows["Other Asian"]
    path = comparator_csv(tmp_path, rows, scale=100)
    code, _, err = draft(capsys, path, "--level", "detailed")
    assert code == 2
    expected = rules.MSG_MISSING_GROUPS.format(
        file="population.csv", groups="Chinese and Other Asian", them="those groups")
    assert err == f"Error: {expected}\n"
    # At the major level both are Asian, which the file has: no refusal.
    assert draft(capsys, path)[0] == 0


def test_a_file_with_only_an_asian_row_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = comparator_csv(tmp_path, {"Indian": 5000})
    code, out, err = draft(capsys, path)
    assert code == 2 and "100%" not in out
    expected = rules.MSG_MISSING_GROUPS.format(
        file="population.csv", groups="Black, Mixed, White and Other", them="those groups")
    assert err == f"Error: {expected}\n"


def test_allow_missing_groups_drafts_with_a_caveat_naming_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = comparator_csv(tmp_path, without_other(REFERRALS), scale=100)
    code, out, err = draft(capsys, path, "--allow-missing-groups")
    assert (code, err) == (0, "")
    caveat = rules.CAVEAT_MISSING_GROUPS.format(groups="Other", them="that group")
    quality = re.split(r"## \d+ Data quality", out)[1].split("\n## ")[0]
    assert f"- {caveat}" in quality
    # The analyse command takes the same option and refuses the same way without it.
    assert main(["analyse", str(YOUTH), "--comparator", str(path)]) == 2
    capsys.readouterr()
    assert main(["analyse", str(YOUTH), "--comparator", str(path),
                 "--allow-missing-groups"]) == 0


# --- the place -------------------------------------------------------------------------


def test_area_column_names_the_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = comparator_csv(tmp_path, REFERRALS, scale=100, columns={"Area": "Kent"})
    code, out, _ = draft(capsys, path)
    assert code == 0
    assert "with the local population of Kent." in out
    assert "as supplied in the file" not in out


def test_authority_names_the_place_without_an_area_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = comparator_csv(tmp_path, REFERRALS, scale=100)
    code, out, _ = draft(capsys, path, authority="rbkc")
    assert code == 0
    assert "with the local population of Kensington and Chelsea." in out


def test_no_area_and_no_authority_says_the_area_the_file_covers(tmp_path: Path) -> None:
    path = comparator_csv(tmp_path, REFERRALS)
    assert load_comparator_file(path).info.geography == uf.AREA_NOT_GIVEN
    assert load_comparator_file(path, authority="Kent").info.geography == "Kent"


def test_two_areas_in_one_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("ethnicity,area,count\nWhite British,Kent,10\nIndian,Medway,5\n", "utf-8")
    with pytest.raises(ComparatorError) as caught:
        load_comparator_file(path)
    assert caught.value.message == uf.MSG_SEVERAL_VALUES.format(file="two.csv", column="area")


def test_an_area_that_looks_like_a_postcode_is_not_printed(tmp_path: Path) -> None:
    path = tmp_path / "pc.csv"
    path.write_text("ethnicity,area,count\nWhite British,SW1A 1AA,10\n", "utf-8")
    with pytest.raises(ComparatorError) as caught:
        load_comparator_file(path)
    assert caught.value.message == uf.MSG_AREA_PERSONAL.format(file="pc.csv")


# --- the mode --------------------------------------------------------------------------


def _mode_line(out: str) -> str:
    return re.split(r"\n\d+\.1 Method\.", out)[1].split("\n")[0]


def _mode_caveat(rule: str, mode: str) -> str:
    return "- " + rule.format(words=rules.MODE_WORDS[mode], ratio=rules.FIXED_RATIO)


def test_twenty_times_the_service_is_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The service has 260 people of known ethnicity: 20 x 260 = 5,200 is fixed ...
    rows = {**REFERRALS, "White British": REFERRALS["White British"] + 5200 - 553}
    assert sum(rows.values()) == 5200
    code, out, _ = draft(capsys, comparator_csv(tmp_path, rows))
    assert code == 0
    assert "exact binomial test" in _mode_line(out)
    assert _mode_caveat(rules.CAVEAT_MODE_LARGE, "fixed") in out
    # ... and one person fewer is a sample of its own.
    rows["White British"] -= 1
    code, out, _ = draft(capsys, comparator_csv(tmp_path, rows, name="smaller.csv"))
    assert code == 0
    assert "Fisher's exact test" in _mode_line(out)
    assert "part of the comparison group" not in _mode_line(out)
    assert _mode_caveat(rules.CAVEAT_MODE_SMALL, "independent") in out


def test_mode_column_chooses_and_mode_option_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = comparator_csv(tmp_path, REFERRALS, scale=100, columns={"mode": "Independent"})
    assert load_comparator_file(path).info.kind == "independent"
    code, out, _ = draft(capsys, path)  # 55,300 people: the size rule alone says fixed
    assert code == 0
    assert "Fisher's exact test" in _mode_line(out)
    assert _mode_caveat(rules.CAVEAT_MODE_COLUMN, "independent") in out
    code, out, _ = draft(capsys, path, "--mode", "fixed")
    assert code == 0
    assert "exact binomial test" in _mode_line(out)
    assert _mode_caveat(rules.CAVEAT_MODE_SET, "fixed") in out
    assert rules.CAVEAT_MODE_COLUMN.split("{")[0] not in out


def test_bad_mode_column_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = comparator_csv(tmp_path, REFERRALS, columns={"mode": "census"})
    code, _, err = draft(capsys, path)
    assert code == 2
    assert err == "Error: " + uf.MSG_BAD_MODE.format(
        file="population.csv", value='"census"') + "\n"


# --- nested ----------------------------------------------------------------------------


def test_nested_draft_end_to_end_from_the_mode_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = comparator_csv(tmp_path, REFERRALS, columns={"mode": "nested", "area": "Kent"})
    out_file = tmp_path / "section.md"
    code, _, err = draft(capsys, path, "--level", "detailed", "--out", str(out_file))
    assert (code, err) == (0, "")
    text = out_file.read_text("utf-8")
    # the return counts young people ("Number of young people"), so the section does too
    assert ("2.1 We compared the young people served by Youth with the larger group they came "
            "from in Kent. The young people served are part of that group, so for each ethnic "
            "group we "
            "compared its rate of moving on into Youth with the rate for everyone in it.") in text
    assert "the local population of Kent" not in text
    assert "part of the comparison group" in _mode_line(text)
    assert _mode_caveat(rules.CAVEAT_MODE_COLUMN, "nested") in text


def test_nested_by_sex_when_the_comparator_has_no_one_of_a_sex(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The holiday programme records some children's sex as "Other"; the referrals list
    # counts only girls and boys. That stratum cannot be compared, and must not stop it.
    lines = ["ethnicity,sex,count"]
    for group, count in {"White": 20, "Black": 90, "Asian": 35, "Mixed": 30,
                         "Any other ethnic group": 75}.items():
        lines += [f"{group},Female,{count}", f"{group},Male,{count}"]
    path = tmp_path / "referrals_by_sex.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = draft(capsys, path, "--mode", "nested", "--by", "sex",
                           source=HAF, authority="Westminster")
    assert (code, err) == (0, "")
    assert "larger group they came from in Westminster" in out
    assert "### By sex" in out
