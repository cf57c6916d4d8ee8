"""Sex and age comparators, and Census 2011 for today's councils, against the raw files.

Every expectation here is computed from the unmodified ONS files in ../shared/data (see
their PROVENANCE.md) with a different reader from the build's (openpyxl and the csv
module rather than pandas + calamine), and district lists come from the ONS lookups.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from commissioning.analysis.agealign import align_age_bands
from commissioning.comparators import population
from commissioning.comparators.boundaries import REORGANISATIONS
from commissioning.model.categories import NOT_KNOWN
from commissioning.model.counts import Counts

MYE21 = "ons_mye_mid2021_uk_xls/ukpopestimatesmid2021on2021geographyfinal.xls"
MYE22 = "ons_mye_mid2022_uk_xlsx/mye22final.xlsx"
MYE24 = "ons_mye_mid2024_mye2_persons_csv/mye24tablesew.csv"
C11 = "ons_census2011_dc2101ew_via_diversity_explorer/DC2012EW_localAuthorities.csv"
LOOKUP23 = "ons_lookup_ltla_utla_dec2022_apr2023/LTLA-UTLA_Apr23_Lookup_England-Wales.csv"
LOOKUP22 = (
    "ons_lookup_ltla_utla_dec2022_apr2023/Lower_Tier_Local_Authority_to_Upper_Tier_Local_"
    "Authority_(December_2022)_Lookup_in_England_and_Wales.csv"
)
C11_CHILD_BANDS = {"Age 0 to 4": "0-4", "Age 5 to 7": "5-7", "Age 8 to 9": "8-9",
                   "Age 10 to 14": "10-14", "Age 15": "15-15", "Age 16 to 17": "16-17"}
SEX = {"Males": "Male", "Females": "Female"}
SERVICE_BANDS = ("0-4", "5-9", "10-14", "15-17")


# -- raw readers ------------------------------------------------------------------------
def _mye_rows(rows: list[list[object]]) -> dict[str, list[int]]:
    """code -> counts at ages 0..89, 90+ from an MYE2 sheet's rows."""
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Code")
    out = {}
    for row in rows[header + 1 :]:
        if row and isinstance(row[0], str) and row[0][:1] in "EWK":
            out[row[0]] = [int(v) for v in row[4:95]]  # type: ignore[call-overload]
    return out


@pytest.fixture(scope="module")
def mye2022(shared_data: Path) -> dict[str, dict[str, list[int]]]:
    book = openpyxl.load_workbook(shared_data / MYE22, read_only=True, data_only=True)
    return {sex: _mye_rows([list(r) for r in book[f"MYE2 - {sex}"].iter_rows(values_only=True)])
            for sex in SEX}


@pytest.fixture(scope="module")
def mye2021(shared_data: Path) -> dict[str, dict[str, list[int]]]:
    book = CalamineWorkbook.from_path(str(shared_data / MYE21))
    return {sex: _mye_rows(book.get_sheet_by_name(f"MYE2 - {sex}").to_python()) for sex in SEX}


def _lookup(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _c11_rows(shared_data: Path, codes: set[str]) -> list[dict[str, str]]:
    with (shared_data / C11).open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["geography code"] in codes]


def _c11_cell(row: dict[str, str], sex: str, age: str, group: str) -> int:
    return int(row[f"Sex: {sex}; Age: {age}; Ethnic Group: {group}; measures: Value"])


# -- Census 2011 for a county: the sum of its districts ----------------------------------
def test_kent_census2011_children_are_the_sum_of_its_12_districts(shared_data: Path) -> None:
    lookup = _lookup(shared_data / LOOKUP23)
    districts = {r["LTLA23CD"] for r in lookup if r["UTLA23NM"] == "Kent"}
    assert len(districts) == 12
    rows = _c11_rows(shared_data, districts)
    assert len(rows) == 12
    pop = population("Kent", source="census2011", ages="0-17")
    got = pop.counts.frame.groupby(["sex", "age_band", "major"])["count"].sum()
    groups = {"Asian": "Asian/Asian British", "Black": "Black/African/Caribbean/Black British",
              "Mixed": "Mixed/multiple ethnic group", "White": "White",
              "Other": "Other ethnic group"}
    for sex, canonical in SEX.items():
        for age, band in C11_CHILD_BANDS.items():
            everyone = sum(_c11_cell(r, sex, age, "All categories: Ethnic group") for r in rows)
            assert int(got.loc[(canonical, band)].sum()) == everyone, (sex, age)
            for major, label in groups.items():
                expected = sum(_c11_cell(r, sex, age, f"{label}: Total") for r in rows)
                assert int(got.loc[(canonical, band, major)]) == expected, (sex, age, major)
    assert pop.info.geography_codes == ("E10000016",)
    assert any("sum of its 12 council areas of 2011" in c for c in pop.info.caveats)


def test_kent_census2011_by_sex_gives_one_sex() -> None:
    girls = population("Kent", source="census2011", ages="0-17", sex="female")
    both = population("Kent", source="census2011", ages="0-17")
    assert set(girls.counts.frame["sex"]) == {"Female"}
    assert girls.counts.total == both.counts.where(sex="Female").total


@pytest.mark.parametrize("change", REORGANISATIONS, ids=lambda c: c.name)
def test_councils_created_since_2011_are_the_sum_of_their_2011_areas(
    shared_data: Path, change
) -> None:
    rows = _c11_rows(shared_data, set(change.districts_2011))
    assert len(rows) == len(change.districts_2011)
    expected = sum(
        _c11_cell(r, "All persons", "All categories: Age", "All categories: Ethnic group")
        for r in rows
    )
    assert population(change.code, source="census2011").counts.total == expected


def test_every_upper_tier_council_of_2023_has_census2011(shared_data: Path) -> None:
    utlas = {r["UTLA23CD"] for r in _lookup(shared_data / LOOKUP23)}
    assert len(utlas) == 175
    for code in sorted(utlas):
        pop = population(code, source="census2011", ages="0-17", sex="male")
        assert pop.counts.total > 0, code


# -- mid-year estimates: sex and age against the raw workbooks -------------------------
def _expected_bands(raw: dict[str, dict[str, list[int]]], code: str) -> dict[tuple[str, str], int]:
    out = {}
    for sex, canonical in SEX.items():
        ages = raw[sex][code]
        for band in SERVICE_BANDS:
            lo, hi = (int(x) for x in band.split("-"))
            out[(canonical, band)] = sum(ages[lo : hi + 1])
    return out


def _service_counts() -> Counts:
    rows = [{"major": NOT_KNOWN, "detailed": NOT_KNOWN, "sex": s, "age_band": b, "count": 1}
            for s in ("Female", "Male") for b in SERVICE_BANDS]
    return Counts.from_records(rows)


@pytest.mark.parametrize("source", ["mye2022", "mye2021"])
@pytest.mark.parametrize(("name", "code"), [("Westminster", "E09000033"), ("Kent", "E10000016")])
def test_sex_and_age_band_counts_and_shares_equal_the_raw_estimates(
    request: pytest.FixtureRequest, source: str, name: str, code: str
) -> None:
    raw = request.getfixturevalue(source)
    expected = _expected_bands(raw, code)
    pop = population(name, source=source, ages="0-17")
    banded = align_age_bands(_service_counts(), pop.counts).frame
    got = banded.groupby(["sex", "age_band"])["count"].sum()
    assert {k: int(v) for k, v in got.items()} == expected
    total = sum(expected.values())
    assert pop.counts.total == total
    for sex in SEX.values():
        share = pop.counts.where(sex=sex).total / pop.counts.total
        raw_share = sum(v for (s, _), v in expected.items() if s == sex) / total
        assert share == pytest.approx(raw_share, abs=1e-9)
    for key, value in expected.items():
        assert got[key] / got.sum() == pytest.approx(value / total, abs=1e-9)


def test_westminster_figures_match_the_provenance_notes() -> None:
    # ../shared/data/ons_mye_mid2022_uk_xlsx/PROVENANCE.md and ons_mye_mid2021_uk_xls
    assert population("Westminster", source="mye2022", ages="0-17").counts.total == 30_226
    assert population("Westminster", source="mye2021", ages="0-17").counts.total == 30_513
    assert population("Westminster", source="mye2024", ages="0-17").counts.total == 29_834
    assert population("Hampshire", source="mye2022", ages="0-17").counts.total == 283_547
    everyone = population("Westminster", source="mye2022").counts
    assert everyone.tally("sex")[["Male", "Female"]].tolist() == [102_207, 109_158]


def test_every_council_in_england_and_wales_has_mye2022_children_by_sex(
    shared_data: Path, mye2022: dict[str, dict[str, list[int]]]
) -> None:
    lookup = _lookup(shared_data / LOOKUP23)
    codes = {r["LTLA23CD"] for r in lookup} | {r["UTLA23CD"] for r in lookup}
    assert len(codes) == 318 + 21
    for code in sorted(codes):
        pop = population(code, source="mye2022", ages="0-17")
        by_sex = pop.counts.frame.groupby("sex")["count"].sum()
        for sex, canonical in SEX.items():
            assert int(by_sex[canonical]) == sum(mye2022[sex][code][:18]), (code, sex)
        assert pop.counts.frame["age_band"].nunique() == 18


def test_cumbria_successors_in_mid2021_are_the_sums_of_their_districts(
    shared_data: Path, mye2021: dict[str, dict[str, list[int]]]
) -> None:
    lookup = {r["LTLA22CD"]: r["UTLA22NM"] for r in _lookup(shared_data / LOOKUP22)}
    cumbria = {c for c, county in lookup.items() if county == "Cumbria"}
    cumberland = {"E07000026", "E07000028", "E07000029"}  # Allerdale, Carlisle, Copeland
    assert cumberland < cumbria and len(cumbria) == 6
    for code, parts in (("E06000063", cumberland), ("E06000064", cumbria - cumberland)):
        pop = population(code, source="mye2021")
        for sex, canonical in SEX.items():
            expected = sum(sum(mye2021[sex][d]) for d in parts)
            assert pop.counts.where(sex=canonical).total == expected


def test_mid2024_persons_by_single_year(shared_data: Path) -> None:
    with (shared_data / MYE24).open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Code"] == "E10000016")
    pop = population("Kent", source="mye2024", ages="11-19")
    assert pop.counts.dimensions == ("age_band",)
    got = dict(zip(pop.counts.frame["age_band"], pop.counts.frame["count"], strict=True))
    assert got == {f"{a}-{a}": int(row[str(a)]) for a in range(11, 20)}


def test_census2021_age_bands_against_ts007a(shared_data: Path) -> None:
    path = shared_data / "nomis_census2021_ts007a/census2021-ts007a-ltla.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["geography code"] == "E09000033")
    pop = population("Westminster", source="census2021-age", ages="0-14")
    assert pop.counts.frame["count"].tolist() == [
        int(row[f"Age: Aged {b}"]) for b in ("4 years and under", "5 to 9 years",
                                             "10 to 14 years")
    ]


# -- how a comparator without ethnicity is represented ---------------------------------
def test_sex_age_comparator_says_it_has_no_ethnicity() -> None:
    pop = population("Kent", source="mye2022", ages="0-17")
    frame = pop.counts.frame
    assert set(frame["major"]) == {NOT_KNOWN} and set(frame["detailed"]) == {NOT_KNOWN}
    assert pop.counts.known_total("major") == 0
    assert not pop.has_ethnicity
    assert pop.info.characteristics == ("sex", "age_band")
    assert population("Kent", source="census2011", ages="0-17").has_ethnicity
    assert population("Kent", source="mye2024").info.characteristics == ("age_band",)
    assert any("no ethnic breakdown" in c for c in pop.info.caveats)
    assert np.array_equal(
        sorted(frame["age_band"].unique(), key=lambda b: int(b.split("-")[0])),
        [f"{a}-{a}" for a in range(18)],
    )
