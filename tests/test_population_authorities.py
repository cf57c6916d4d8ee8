"""Authority matching: names, codes, old DfE codes, nicknames, Bi-Borough, near misses."""

from __future__ import annotations

import pytest

from commissioning.comparators import authorities as auth
from commissioning.comparators import child_population, children, find_authority, list_authorities
from commissioning.comparators.names import name_key, query_keys
from commissioning.errors import ComparatorError, UnknownAuthorityError


@pytest.mark.parametrize(
    "text",
    ["Westminster", "westminster", "  WESTMINSTER ", "E09000033", "e09000033", "213",
     "City of Westminster", "Westminster City Council", "WCC"],
)
def test_westminster_spellings(text: str) -> None:
    found = find_authority(text)
    assert found.name == "Westminster"
    assert found.codes == ("E09000033",)


@pytest.mark.parametrize(
    "text",
    ["Kensington and Chelsea", "Kensington & Chelsea", "kensington  &  chelsea", "RBKC",
     "E09000020", "207", "Royal Borough of Kensington and Chelsea", "K&C"],
)
def test_kensington_and_chelsea_spellings(text: str) -> None:
    assert find_authority(text).name == "Kensington and Chelsea"


@pytest.mark.parametrize("text", ["Bi-Borough", "bi borough", "Bi Borough", "BIBOROUGH"])
def test_bi_borough_is_both(text: str) -> None:
    found = find_authority(text)
    assert found.name == "Bi-Borough"
    assert [p.name for p in found.places] == ["Westminster", "Kensington and Chelsea"]


@pytest.mark.parametrize(
    ("text", "name"),
    [("Bristol", "Bristol"), ("Bristol, City of", "Bristol"), ("Hull", "Kingston upon Hull"),
     ("Durham", "County Durham"), ("Rhondda Cynon Taff", "Rhondda Cynon Taf"),
     ("East", "East of England"), ("London", "London"), ("City of London", "City of London"),
     ("Kent County Council", "Kent"), ("E08000020", "Gateshead"), ("E08000037", "Gateshead"),
     ("england", "England"), ("St Helens", "St. Helens")],
)
def test_other_places(text: str, name: str) -> None:
    assert find_authority(text).name == name


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(UnknownAuthorityError) as caught:
        find_authority("Westmister")
    assert caught.value.message.startswith(
        'No local authority called "Westmister". Did you mean: Westminster'
    )
    assert caught.value.message.endswith(
        'Run "commissioning authorities" to see them all.'
    )
    assert caught.value.exit_code == 2


def test_unknown_name_without_any_match() -> None:
    with pytest.raises(UnknownAuthorityError) as caught:
        find_authority("Qqqqzzzz")
    assert caught.value.message == auth.MSG_UNKNOWN_AUTHORITY_NO_MATCH.format(name="Qqqqzzzz")


def test_empty_name() -> None:
    with pytest.raises(UnknownAuthorityError) as caught:
        find_authority("   ")
    assert caught.value.message == auth.MSG_NO_AUTHORITY


def test_long_unknown_name_is_not_echoed_in_full() -> None:
    with pytest.raises(UnknownAuthorityError) as caught:
        find_authority("x" * 500)
    assert "x" * 61 not in caught.value.message


def test_name_key_and_query_keys() -> None:
    assert name_key("Bristol, City of") == "bristol"
    assert name_key("Herefordshire, County of") == "herefordshire"
    assert "kensington and chelsea" in query_keys("Royal Borough of Kensington & Chelsea")


def test_index_covers_every_upper_tier_authority() -> None:
    frame = list_authorities("census2021")
    assert (frame["level"] == "authority").sum() == 175  # 153 England + 22 Wales
    assert set(frame.loc[frame["level"] == "country", "name"]) == {"England", "Wales"}
    frame11 = list_authorities("census2011")
    # the 348 council areas of 2011, plus today's 21 counties and 9 councils created since
    assert (frame11["level"] == "authority").sum() == 348 + 21 + 9
    every_council = set(list_authorities("mye2022").query("level == 'authority'")["name"])
    assert set(frame.loc[frame["level"] == "authority", "name"]) <= every_council


def test_list_search_and_columns() -> None:
    frame = list_authorities(search="kensington")
    assert list(frame.columns) == [
        "name", "level", "codes", "old_la_codes",
        "census2021", "census2011", "school-census", "fsm", "child-population", "cla",
        "mye2021", "mye2022", "mye2024", "census2021-age",
    ]
    assert frame["name"].tolist() == ["Kensington and Chelsea"]
    assert frame.loc[0, "school-census"].split(", ")[-1] == "2021/22"
    assert list_authorities(search="E09000033")["name"].tolist() == ["Westminster"]


def test_child_population_context_figures() -> None:
    assert child_population("Westminster") == (2024, 29_834)
    assert child_population("Westminster", 2021) == (2021, 30_607)
    assert child_population("RBKC", "2021") == (2021, 22_879)
    assert child_population("Bi-Borough", 2024) == (2024, 29_834 + 22_555)


def test_child_population_is_refused_where_there_are_no_estimates() -> None:
    with pytest.raises(ComparatorError) as caught:
        child_population("Cardiff")
    assert caught.value.message == children.MSG_NO_CHILD_POPULATION.format(place="Cardiff")


def test_search_bi_borough_lists_both() -> None:
    names = list_authorities(search="bi borough")["name"].tolist()
    assert names == ["Kensington and Chelsea", "Westminster"]
