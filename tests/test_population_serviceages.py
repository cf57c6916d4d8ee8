"""Comparator ages follow the service's ages: exact where the comparator has them, the
nearest wider whole bands (with a message) where it does not, refused where it has none."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from commissioning.comparators import comparator_ages, match_ages, population
from commissioning.comparators.serviceages import (
    MSG_AGES_WIDENED,
    MSG_SOURCE_HAS_NO_AGES,
    service_range,
)
from commissioning.comparators.sources import SOURCES
from commissioning.errors import ComparatorError
from commissioning.model.ages import AgeBand


@pytest.mark.parametrize("source", ["mye2022", "mye2021", "mye2024"])
def test_single_years_match_any_service_range(source: str) -> None:
    match = match_ages("11-19", source)
    assert match.exact and match.ages == AgeBand(11, 19) and match.message is None
    pop = population("Leeds", source=source, ages=match.label)
    assert pop.info.ages == "11-19"
    assert pop.counts.frame["age_band"].nunique() == 9


def test_census2011_bands_widen_with_a_message() -> None:
    match = match_ages("11-19", "census2011")
    assert not match.exact and match.ages == AgeBand(10, 19)
    assert match.message == MSG_AGES_WIDENED.format(
        ages="11-19", title=SOURCES["census2011"].title, bands="10-14, 15, 16-17, 18-19",
        wider="10-19",
    )
    assert "\n" not in match.message
    assert match_ages("0-17", "census2011").exact
    assert match_ages("5-17", "census2011").ages == AgeBand(5, 17)
    with pytest.raises(ComparatorError) as caught:
        comparator_ages("11-19", "census2011")
    assert caught.value.message == match.message


def test_census2021_age_bands_cannot_separate_16_and_17() -> None:
    match = match_ages("0-17", "census2021-age")
    assert match.ages == AgeBand(0, 19) and not match.exact
    assert comparator_ages("0-19", "census2021-age") == AgeBand(0, 19)


def test_the_service_range_from_its_return_bands() -> None:
    assert service_range(["11-15", "16-19", "Not known"]) == AgeBand(11, 19)
    assert service_range(["18-24", "25+"]) == AgeBand(18, None)
    assert service_range(["Not known"]) is None
    assert match_ages(["0-4", "5-9", "10-14", "15-17"], "mye2022").ages == AgeBand(0, 17)
    assert match_ages(None, "census2021").ages is None


def test_a_comparator_without_ages_is_refused() -> None:
    with pytest.raises(ComparatorError) as caught:
        match_ages("0-17", "census2021")
    assert caught.value.message == MSG_SOURCE_HAS_NO_AGES.format(
        title=SOURCES["census2021"].title, ages="0-17"
    )


def test_mid2024_has_no_sex() -> None:
    from commissioning.comparators.embedded import MSG_NO_SEX

    with pytest.raises(ComparatorError) as caught:
        population("Kent", source="mye2024", sex="female")
    assert caught.value.message == MSG_NO_SEX.format(title=SOURCES["mye2024"].title)


def test_manifest_records_each_vintage_and_the_original_release_hashes() -> None:
    manifest = json.loads(
        resources.files("commissioning.data").joinpath("manifest.json").read_text("utf-8")
    )
    sources = manifest["sources"]
    for key in ("mye2021", "mye2022", "mye2024", "census2021-age", "census2011", "census2021"):
        assert sources[key]["vintage"] and sources[key]["boundaries"], key
    assert "original release, 21 December 2022" in sources["mye2021"]["vintage"]
    assert "original release, 26 March 2024" in sources["mye2022"]["vintage"]
    assert sources["mye2022"]["has_ethnicity"] is False
    hashes = {i["path"].split("/")[-1]: i["sha256"] for k in sources
              for i in sources[k]["inputs"]}
    # SHA-256 as recorded in each folder's PROVENANCE.md
    assert hashes["ukpopestimatesmid2021on2021geographyfinal.xls"] == (
        "53d27b1319315953eb9fc1cef7bfdcef1c850dadb2b157d76267113524b98a94")
    assert hashes["mye22final.xlsx"] == (
        "408981f1aadd9d53f7cab738b0d67c896be33333e7e824a0f5e355a163d7ac64")
    assert hashes["mye24tablesew.csv"] == (
        "c5b1e9c0a28b0ed7731f49ddb7b491d9757514fadb83d91f24bd038a4aa572c2")
    added = sources["census2011"]["councils_added_from_2011_areas"]
    assert len(added["E10000016"]) == 12 and len(added) == 21 + 9
