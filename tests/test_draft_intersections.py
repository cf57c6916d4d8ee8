"""Intersections in the drafted section: ethnic group by sex or by age band.

The section gains, under Findings, a "By sex" or "By age group" part: one sentence per
clear difference and a two-way table that is suppressed in both directions. These
tests check the wording, the table and each output type; tests/test_disclosure_two_way.py
attacks the tables.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from test_draft_support import CENSUS_INFO, build_analysis, build_split_analysis

from commissioning.analysis.compare import MSG_MISSING_DIMENSION
from commissioning.cli import main
from commissioning.comparators.info import PopulationInfo
from commissioning.drafting.draft import BulletList, Heading, Paragraph, Section, Table, draft
from commissioning.drafting.two_way import MSG_INTERSECTION_BY
from commissioning.errors import AnalysisError
from commissioning.render.html import render_html
from commissioning.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
SERVICE = "Holiday Activities and Food"
CHILDREN = PopulationInfo(**{**CENSUS_INFO.__dict__, "ages": "0-17", "year": "2011"})

# Black boys 60 of 200 boys against 10% locally: a clear over-representation.
CELLS = [[20, 18], [22, 60], [21, 19], [110, 80], [27, 23]]
COMPARATOR = [[100, 100], [100, 100], [100, 100], [600, 600], [100, 100]]


def _section(cells: list[list[int]] = CELLS, info: PopulationInfo = CHILDREN,
             by: str = "sex", strata: tuple[str, ...] = ("Female", "Male")) -> Section:
    main = build_analysis([sum(r) for r in cells], [sum(r) for r in COMPARATOR], info=info)
    split = build_split_analysis(cells, COMPARATOR, strata, by=by, info=info)
    return draft(main, authority="Westminster", service=SERVICE,
                 produced=dt.date(2026, 11, 28), intersections=[split])


def _after(section: Section, heading: str) -> list[str]:
    """Text of the blocks after a sub-heading, up to the next heading."""
    out: list[str] = []
    inside = False
    for block in section.blocks:
        if isinstance(block, Heading):
            inside = block.text == heading and block.level == 3
        elif inside and isinstance(block, Paragraph):
            out.append(block.text)
        elif inside and isinstance(block, BulletList):
            out.extend(block.items)
    return out


def test_by_sex_part_names_each_clear_difference_in_one_sentence() -> None:
    section = _section()
    part = _after(section, "By sex")
    assert part, "no 'By sex' part under the findings"
    # a large ratio in words, not "for every 10 ... reached 30"
    assert "Black boys were over-represented: the service reached about three times as " \
           "many as we would expect." in part
    assert not any("Black girls were" in line for line in part)
    # The sub-heading sits inside part 3, after the findings' own paragraphs.
    headings = [(b.level, b.text) for b in section.blocks if isinstance(b, Heading)]
    assert headings.index((3, "By sex")) == headings.index((2, "Findings")) + 1


def test_two_way_table_has_a_count_and_rri_per_stratum_and_totals() -> None:
    table = next(t for t in _section().tables() if t.name == "by_sex")
    assert table.columns == ("Group", "Girls: people served", "Girls: RRI",
                             "Boys: people served", "Boys: RRI")
    rows = {r[0]: r for r in table.rows}
    assert rows["Black"][3] == "60"
    assert rows["Black"][4] == "3.00 (over-represented: clear difference)"
    assert rows["Total"][1:] == ("200", "", "200", "")
    assert table.caption.startswith("Table 1a: Who Holiday Activities and Food reached, "
                                    "by ethnic group and sex.")


def test_a_row_with_a_small_cell_is_hidden_whole_and_totals_go_with_it() -> None:
    cells = [[20, 3], [22, 60], [21, 19], [110, 80], [27, 23]]
    section = _section(cells)
    rows = {r[0]: r for r in next(t for t in section.tables() if t.name == "by_sex").rows}
    # Every cell of the Asian row looks the same: none can be told from another.
    assert rows["Asian"][1:] == ("not shown", "Not shown", "not shown", "Not shown")
    assert rows["Black"][3] == "60" and "over-represented" in rows["Black"][4]
    assert rows["Total"][1:] == ("not shown", "", "not shown", "")
    caption = next(t for t in section.tables() if t.name == "by_sex").caption
    assert caption.endswith("Numbers that could let someone work out a small count are not "
                            "shown.")


def test_age_bands_are_worded_for_children() -> None:
    cells = [[20, 18, 9], [22, 60, 30], [21, 19, 10], [110, 80, 40], [27, 23, 12]]
    comparator = [[100, 100, 50]] * 3 + [[600, 600, 300], [100, 100, 50]]
    main = build_analysis([sum(r) for r in cells], [sum(r) for r in comparator], info=CHILDREN)
    split = build_split_analysis(cells, comparator, ("5-9", "10-14", "15-17"), by="age_band",
                                 info=CHILDREN)
    section = draft(main, authority="Westminster", service=SERVICE, intersections=[split])
    table = next(t for t in section.tables() if t.name == "by_age_band")
    assert table.columns[1:3] == ("Aged 5 to 9: people served", "Aged 5 to 9: RRI")
    part = _after(section, "By age group")
    assert any(line.startswith("Black children aged 10 to 14 were over-represented")
               for line in part)


def test_adult_comparators_say_women_and_men() -> None:
    table = next(t for t in _section(info=CENSUS_INFO).tables() if t.name == "by_sex")
    assert table.columns[1] == "Women: people served"
    assert "Black men were over-represented" in render_markdown(_section(info=CENSUS_INFO))


def test_a_table_that_cannot_be_protected_is_replaced_by_a_sentence() -> None:
    cells = [[1, 6], [1, 5], [3, 6], [1, 9], [6, 2]]
    section = _section(cells)
    assert "by_sex" not in {t.name for t in section.tables()}
    assert _after(section, "By sex") == [
        "We do not show the numbers by sex. They are so small that any table would let "
        "someone work out a small count."
    ]


def test_split_analysis_must_be_by_one_dimension() -> None:
    main = build_analysis([sum(r) for r in CELLS], [sum(r) for r in COMPARATOR])
    with pytest.raises(AnalysisError) as info:
        draft(main, authority="Westminster", service=SERVICE, intersections=[main])
    assert str(info.value) == MSG_INTERSECTION_BY.format(by="nothing")


def test_word_and_html_carry_the_two_way_table() -> None:
    import docx

    from commissioning.render.docx import render_docx

    section = _section()
    document = docx.Document(io.BytesIO(render_docx(section)))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 3", "By sex") in styles
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Group", "Girls: people served", "Girls: RRI", "Boys: people served",
            "Boys: RRI"] in headers
    page = render_html(section, chart_png=None)
    assert "<h3>By sex</h3>" in page and "Girls: people served" in page


def test_tables_rows_match_their_columns() -> None:
    for table in _section().tables():
        assert isinstance(table, Table)
        assert all(len(r) == len(table.columns) for r in table.rows)


# -- the command ---------------------------------------------------------------------------
BASE = ["draft", str(EXAMPLE), "--authority", "Westminster", "--service", SERVICE]


def test_cli_by_sex_and_age_band(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*BASE, "--comparator", "census2011", "--ages", "0-17",
                 "--by", "sex", "--by", "age_band"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "### By sex" in out and "### By age group" in out
    # In every group a few children have a gender other than girl or boy: Table 1 minus
    # the girls and boys would give them away, so no table by sex is safe.
    assert "We do not show the numbers by sex." in out
    assert "Black children aged 10 to 14 were over-represented" in out


def test_cli_by_sex_writes_word(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    target = tmp_path / "section.docx"
    code = main([*BASE, "--comparator", "census2011", "--ages", "0-17", "--by", "sex",
                 "--out", str(target)])
    capsys.readouterr()
    assert code == 0
    document = docx.Document(str(target))
    assert any(p.text == "By sex" for p in document.paragraphs)


def test_cli_by_needs_a_comparator_with_that_breakdown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main([*BASE, "--by", "sex"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    message = MSG_MISSING_DIMENSION.format(side="comparator", dimension="sex")
    assert err == f"Error: {message}\n"


def test_cli_by_rejects_other_dimensions(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*BASE, "--by", "postcode"])
    _, err = capsys.readouterr()
    assert code == 2 and "postcode" in err and "Traceback" not in err
