"""Embedded comparators: the issue's acceptance figures, sources, ages, sex, years, refusals.

The pinned figures were computed independently from the raw ONS/DfE files (see
/work/shared/data/PROVENANCE.md and tests/test_population_build.py, which re-derives a
sample from the raw files when they are present); these tests need only the package data.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.comparators import (
    OGL_DFE,
    OGL_ONS,
    Population,
    agerange,
    embedded,
    population,
    sources,
)
from commissioning.errors import ComparatorError
from commissioning.model.categories import MAJOR_GROUPS, NOT_KNOWN
from commissioning.model.counts import Counts


def majors(pop: Population) -> dict[str, int]:
    tally = pop.counts.tally("major")
    return {g: int(tally[g]) for g in MAJOR_GROUPS}


def five(asian: int, black: int, mixed: int, white: int, other: int) -> dict[str, int]:
    return dict(zip(MAJOR_GROUPS, (asian, black, mixed, white, other), strict=True))


# -- the acceptance figures ---------------------------------------------------
@pytest.mark.parametrize(
    ("authority", "total", "groups"),
    [
        ("Westminster", 204_236, five(34_242, 16_456, 13_335, 112_732, 27_471)),
        ("Kensington and Chelsea", 143_373, five(17_025, 11_279, 9_525, 91_394, 14_150)),
    ],
)
def test_census2021_all_ages_acceptance(authority: str, total: int, groups: dict) -> None:
    pop = population(authority, source="census2021")
    assert pop.counts.total == total
    assert majors(pop) == groups
    assert pop.info.ages == "all ages" and pop.info.year == "2021"
    assert pop.info.table_id == "TS021"


@pytest.mark.parametrize(
    ("authority", "total", "groups"),
    [
        ("Westminster", 35_958, five(5_375, 4_511, 4_286, 15_453, 6_333)),
        ("Kensington and Chelsea", 26_690, five(1_736, 2_582, 3_591, 16_418, 2_363)),
    ],
)
def test_census2011_children_acceptance(authority: str, total: int, groups: dict) -> None:
    pop = population(authority, source="census2011", ages="0-17")
    assert pop.counts.total == total
    assert majors(pop) == groups
    assert pop.info.ages == "0-17"
    assert sources.CAVEAT_C11_OLD in pop.info.caveats
    assert pop.info.caveats[0].startswith("Census 2011 is more than ten years old")


@pytest.mark.parametrize(
    ("authority", "total", "groups", "unclassified"),
    [
        ("Westminster", 22_198, five(3_380, 4_176, 2_546, 5_688, 5_679), 729),
        ("Kensington and Chelsea", 13_644, five(683, 2_362, 2_611, 5_039, 2_388), 561),
    ],
)
def test_school_census_2021_22(authority: str, total: int, groups: dict, unclassified: int):
    pop = population(authority, source="school-census", year="2021/22")
    assert pop.counts.total == total
    assert majors(pop) == groups
    assert int(pop.counts.tally("major")[NOT_KNOWN]) == unclassified
    assert pop.counts.known_total() == total - unclassified
    assert sources.CAVEAT_SCHOOL_LOCATION in pop.info.caveats
    assert pop.info.attribution == OGL_DFE


@pytest.mark.parametrize(
    ("authority", "total", "groups", "unclassified"),
    [
        ("Westminster", 7_802, five(931, 1_743, 866, 1_165, 2_834), 263),
        ("Kensington and Chelsea", 4_359, five(155, 1_076, 896, 1_031, 989), 212),
    ],
)
def test_fsm_2021_22(authority: str, total: int, groups: dict, unclassified: int) -> None:
    pop = population(authority, source="fsm", year="2021/22")
    assert pop.counts.total == total
    assert majors(pop) == groups
    assert int(pop.counts.tally("major")[NOT_KNOWN]) == unclassified


# -- a sample of other places (figures derived from the raw files) ---------------------
@pytest.mark.parametrize(
    ("authority", "total", "groups"),
    [
        ("Birmingham", 1_144_922, five(355_384, 125_760, 55_205, 556_608, 51_965)),
        ("Cardiff", 362_310, five(34_983, 13_896, 14_506, 286_931, 11_994)),
        ("Cumberland", 273_254, five(2_714, 606, 2_050, 266_890, 994)),
        ("Kent", 1_576_069, five(69_939, 41_036, 36_766, 1_409_006, 19_322)),
    ],
)
def test_census2021_other_places(authority: str, total: int, groups: dict) -> None:
    pop = population(authority, source="census2021")
    assert pop.counts.total == total and majors(pop) == groups


def test_census2021_london_region() -> None:
    assert population("London", source="census2021").counts.total == 8_799_725


@pytest.mark.parametrize(
    ("authority", "total", "groups", "females"),
    [
        ("Manchester", 108_152, five(23_807, 14_165, 10_494, 54_842, 4_844), 52_774),
        ("Canterbury", 28_830, five(878, 339, 996, 26_478, 139), 13_956),
        ("Birmingham", 274_135, five(96_341, 29_724, 25_478, 114_744, 7_848), 133_279),
    ],
)
def test_census2011_other_places(authority: str, total: int, groups: dict, females: int):
    pop = population(authority, source="census2011", ages="0-17")
    assert pop.counts.total == total and majors(pop) == groups
    girls = population(authority, source="census2011", ages="0-17", sex="female")
    assert girls.counts.total == females
    assert girls.info.sex == "Female"
    assert set(girls.counts.frame["sex"]) == {"Female"}


# -- Bi-Borough ------------------------------------------------------------------------
@pytest.mark.parametrize("source", ["census2021", "census2011", "school-census", "fsm"])
def test_bi_borough_is_the_sum_of_both(source: str) -> None:
    both = population("Bi-Borough", source=source)
    west = population("Westminster", source=source)
    kc = population("Kensington and Chelsea", source=source)
    assert both.counts == west.counts + kc.counts
    assert both.info.geography == "Westminster + Kensington and Chelsea"
    assert both.info.geography_codes == ("E09000033", "E09000020")
    assert both.info.extra["authority"] == "Bi-Borough"


# -- census 2011 dimensions and age ranges ---------------------------------------------
def test_census2011_keeps_sex_and_age_bands() -> None:
    pop = population("Westminster", source="census2011", ages="0-17")
    assert pop.counts.dimensions == ("sex", "age_band")
    assert sorted(pop.counts.frame["age_band"].unique(), key=lambda b: int(b.split("-")[0])) == [
        "0-4", "5-7", "8-9", "10-14", "15-15", "16-17"
    ]
    by_sex = pop.counts.groups("major", by=["sex"])
    assert int(by_sex["count"].sum()) == 35_958
    per_sex = by_sex.groupby("sex")["count"].sum()
    assert per_sex["Female"] > 0 and per_sex["Male"] > 0 and per_sex.get("Other", 0) == 0


def test_census2011_all_ages_and_adults_add_up() -> None:
    everyone = population("Westminster", source="census2011")
    children = population("Westminster", source="census2011", ages="0-17")
    adults = population("Westminster", source="census2011", ages="18+")
    assert everyone.counts.total == 219_396  # PROVENANCE.md, all ages
    assert children.counts.total + adults.counts.total == everyone.counts.total
    assert majors(everyone) == five(31_862, 16_472, 11_395, 135_330, 24_337)


def test_age_range_that_cuts_a_band_is_refused() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("Westminster", source="census2011", ages="0-16")
    bands = "0-4, 5-7, 8-9, 10-14, 15, 16-17, 18-19, 20-24"
    assert caught.value.message.startswith(
        agerange.MSG_AGES_CUT.format(
            title=sources.SOURCES["census2011"].title, bands=bands, ages="0-16"
        )[:60]
    )
    assert bands in caught.value.message and "85+" in caught.value.message


@pytest.mark.parametrize("ages", ["5-17", "5 to 17", "ages 10-15", "under 18", "16+"])
def test_age_ranges_on_band_edges_are_taken(ages: str) -> None:
    pop = population("Westminster", source="census2011", ages=ages)
    band = agerange.parse_ages(ages)
    assert band is not None and pop.info.ages == band.label
    assert pop.counts.total > 0


def test_unreadable_age_range() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("Westminster", source="census2011", ages="teenagers")
    assert caught.value.message == agerange.MSG_BAD_AGES.format(ages="teenagers")


def test_ages_refused_where_source_has_none() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("Westminster", source="school-census", ages="0-17")
    assert caught.value.message == embedded.MSG_NO_AGES.format(
        title=sources.SOURCES["school-census"].title, ages="0-17"
    )


def test_sex_refused_where_source_has_none() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("Westminster", source="census2021", sex="female")
    assert caught.value.message == embedded.MSG_NO_SEX.format(
        title=sources.SOURCES["census2021"].title
    )


# -- default source, years, metadata --------------------------------------------------
def test_default_is_latest_school_census() -> None:
    pop = population("Westminster")
    assert pop.info.source == "school-census" == sources.DEFAULT_SOURCE
    assert pop.info.year == "2021/22"
    assert pop.counts == population("Westminster", source="school-census", year="2021/22").counts


def test_default_with_ages_or_sex_uses_census2011() -> None:
    pop = population("Westminster", ages="0-17")
    assert pop.info.source == "census2011" and pop.counts.total == 35_958
    assert sources.CAVEAT_AGE_SEX_DEFAULT in pop.info.caveats
    assert population("Westminster", sex="male").info.source == "census2011"
    assert population("Westminster", ages="all", sex="all").info.source == "school-census"


def test_default_falls_back_to_census2021_in_wales() -> None:
    pop = population("Cardiff")
    assert pop.info.source == "census2021"
    assert sources.CAVEAT_FALLBACK.format(place="Cardiff") in pop.info.caveats


@pytest.mark.parametrize("year", ["2018/19", "2018-19", "201819", "2018/2019"])
def test_academic_year_spellings(year: str) -> None:
    assert population("Westminster", source="school-census", year=year).info.year == "2018/19"


def test_plain_year_for_school_census_is_refused_with_the_years() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("Westminster", source="school-census", year=2019)
    assert "2015/16, 2016/17" in caught.value.message and "2021/22" in caught.value.message


def test_missing_year_names_available_years() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("Westminster", source="census2021", year=2011)
    assert caught.value.message == embedded.MSG_BAD_YEAR.format(
        title=sources.SOURCES["census2021"].title, year="2011", place="Westminster", years="2021"
    )


def test_boundary_changes_follow_the_year() -> None:
    old = population("Dorset", source="school-census", year="2017/18")
    new = population("Dorset", source="school-census", year="2021/22")
    assert old.info.geography_codes == ("E10000009",)
    assert new.info.geography_codes == ("E06000059",)


def test_authority_missing_from_a_source_is_refused_clearly() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("East Suffolk", source="census2011")  # a district created in 2019
    message = caught.value.message
    assert message.startswith("There are no Census 2011")
    assert embedded.COVERAGE["census2011"] in message
    assert "available from: mye2022, mye2021, mye2024, census2021-age" in message
    with pytest.raises(ComparatorError):
        population("Canterbury", source="census2021")
    with pytest.raises(ComparatorError):
        population("Cardiff", source="school-census")


def test_unknown_source() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("Westminster", source="census1991")
    assert caught.value.message == embedded.MSG_UNKNOWN_SOURCE.format(
        source="census1991",
        choices="census2021, census2011, school-census, fsm, cla, mye2022, mye2021, mye2024, "
        "census2021-age",
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [("Census 2021", "census2021"), ("school census", "school-census"), ("FSM", "fsm"),
     ("free school meals", "fsm"), ("2011 census", "census2011"), ("looked after", "cla")],
)
def test_source_names_are_forgiving(text: str, key: str) -> None:
    assert embedded.source_key(text) == key


@pytest.mark.parametrize("source", ["census2021", "census2011", "school-census", "fsm", "cla"])
def test_every_source_has_citation_and_licence(source: str) -> None:
    info = population("Westminster", source=source).info
    assert info.attribution in (OGL_ONS, OGL_DFE)
    assert info.attribution in info.citation
    assert info.table_id in info.citation
    assert "https://" in info.citation
    assert info.caveats
    assert isinstance(population("Westminster", source=source).counts, Counts)


def test_children_looked_after_suppression_is_reported() -> None:
    pop = population("Westminster", source="cla")
    assert pop.counts.total == 182
    tally = pop.counts.tally("major")
    assert (tally["White"], tally["Mixed"], tally["Black"], tally["Other"]) == (37, 44, 53, 35)
    assert tally["Asian"] == 0 and tally[NOT_KNOWN] == 182 - 37 - 44 - 53 - 35
    expected = "Westminster: " + sources.CAVEAT_CLA_SUPPRESSED.format(
        groups="Asian and not known", count=13
    )
    assert expected in pop.info.caveats
    assert pop.info.kind == "independent"


def test_fsm_early_years_warn_about_partial_coverage() -> None:
    pop = population("Westminster", source="fsm", year="2015/16")
    assert embedded.CAVEAT_FSM_PARTIAL.format(year="2015/16") in pop.info.caveats


# -- invariants -------------------------------------------------------------------------
C11_EDGES = (0, 5, 8, 10, 15, 16, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(C11_EDGES), min_size=2, max_size=2, unique=True))
def test_adjacent_age_ranges_add_up(edges: list[int]) -> None:
    """Ages lo..mid-1 plus mid..85+ is everyone from lo: nothing lost or double counted."""
    lo, mid = sorted(edges)
    lower = population("Kensington and Chelsea", source="census2011", ages=f"{lo}-{mid - 1}")
    upper = population("Kensington and Chelsea", source="census2011", ages=f"{mid}+")
    both = population("Kensington and Chelsea", source="census2011", ages=f"{lo}+")
    assert lower.counts + upper.counts == both.counts


def test_sexes_add_up_to_everyone() -> None:
    girls = population("Westminster", source="census2011", ages="0-17", sex="female")
    boys = population("Westminster", source="census2011", ages="0-17", sex="male")
    assert girls.counts.total + boys.counts.total == 35_958
