"""The embedded data: its manifest and size, and (when ../shared/data is present) that it
is exactly what the build script makes from the raw files, checked against them directly.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from conftest import IN_CI, SHARED_DATA

from commissioning.comparators import population
from commissioning.model.categories import MAJOR_GROUPS, NOT_KNOWN

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(SHARED_DATA)
DATA = resources.files("commissioning.data")
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir() and not IN_CI, reason=f"{SHARED} is absent (COMMISSIONING_SHARED_DATA)"
)


def _manifest() -> dict:
    return json.loads(DATA.joinpath("manifest.json").read_text(encoding="utf-8"))


def test_manifest_matches_packaged_files() -> None:
    manifest = _manifest()
    total = 0
    for name, meta in manifest["files"].items():
        data = DATA.joinpath(name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == meta["sha256"], name
        assert data[4:8] == b"\0\0\0\0", f"{name}: gzip timestamp must be 0"
        total += len(data)
    assert total < 10_000_000
    for key, source in manifest["sources"].items():
        assert source["licence"] == "Open Government Licence v3.0", key
        assert source["inputs"] and all(len(i["sha256"]) == 64 for i in source["inputs"])
        assert source["years"], key


def test_data_keeps_the_sources_own_labels() -> None:
    with DATA.joinpath("school-census.csv.gz").open("rb") as handle, gzip.open(handle) as gz:
        header = gz.readline().decode()
    assert "White - Gypsy/Roma" in header and "Unclassified" in header
    with DATA.joinpath("census2011.csv.gz").open("rb") as handle, gzip.open(handle) as gz:
        header = gz.readline().decode()
    assert "Females; Age 16 to 17; White: English/Welsh/Scottish/Northern Irish/British" in header


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "build_population_data", ROOT / "scripts" / "build_population_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@needs_shared
def test_rebuild_gives_identical_bytes(tmp_path: Path) -> None:
    build = _build_module()
    build.build(SHARED, tmp_path)
    for name in [*_manifest()["files"], "manifest.json"]:
        assert (tmp_path / name).read_bytes() == DATA.joinpath(name).read_bytes(), name


# -- a sample of places, computed straight from the raw files -------------------------
def _major_of_2021_label(label: str) -> str:
    return {
        "Asian, Asian British or Asian Welsh": "Asian",
        "Black, Black British, Black Welsh, Caribbean or African": "Black",
        "Mixed or Multiple ethnic groups": "Mixed",
        "White": "White",
        "Other ethnic group": "Other",
    }[label.split(":")[0]]


def _majors(pop) -> dict[str, int]:
    tally = pop.counts.tally("major")
    return {g: int(tally[g]) for g in MAJOR_GROUPS}


@needs_shared
@pytest.mark.parametrize("code", ["E06000001", "E08000025", "E10000016", "W06000015",
                                  "E06000064", "E09000030"])
def test_census2021_sample_against_raw(code: str) -> None:
    raw = pd.read_csv(SHARED / C21_LA)
    rows = raw[(raw.iloc[:, 0] == code) & (raw.iloc[:, 2] != -8)]
    expected = rows.groupby(rows.iloc[:, 3].map(_major_of_2021_label))["Observation"].sum()
    assert _majors(population(code, source="census2021")) == expected.to_dict()


C21_LA = "dfe_csc_dashboard_ons_census2021_ethnic20/ons-ethnic-population-la.csv"
C11_GROUPS = {
    "Asian": "Asian/Asian British", "Black": "Black/African/Caribbean/Black British",
    "Mixed": "Mixed/multiple ethnic group", "White": "White", "Other": "Other ethnic group",
}
C11_CHILD_AGES = ("Age 0 to 4", "Age 5 to 7", "Age 8 to 9", "Age 10 to 14", "Age 15",
                  "Age 16 to 17")


@needs_shared
@pytest.mark.parametrize("name", ["Manchester", "Tower Hamlets", "Cornwall", "Swansea", "Leeds"])
def test_census2011_children_sample_against_raw(name: str) -> None:
    raw = pd.read_csv(
        SHARED / "ons_census2011_dc2101ew_via_diversity_explorer/DC2012EW_localAuthorities.csv"
    )
    row = raw[raw["geography"] == name].iloc[0]
    expected = {
        g: int(sum(row[f"Sex: All persons; Age: {a}; Ethnic Group: {label}: Total; measures: Value"]
                   for a in C11_CHILD_AGES))
        for g, label in C11_GROUPS.items()
    }
    assert _majors(population(name, source="census2011", ages="0-17")) == expected


def _spc_major(label: str) -> str:
    if label == "Unclassified":
        return NOT_KNOWN
    head = label.split(" - ")[0]
    return "Other" if head == "Any other ethnic group" else head


@needs_shared
@pytest.mark.parametrize(("code", "year"), [("E08000003", "201819"), ("E10000016", "201516"),
                                            ("E06000059", "202021")])
def test_school_census_sample_against_raw(code: str, year: str) -> None:
    raw = pd.read_csv(
        SHARED / "dfe_school_census_spc_via_ees_api_mock/spc_pupils_ethnicity_and_language.csv.gz",
        dtype=str, usecols=["time_period", "new_la_code", "phase_type_grouping", "ethnicity",
                            "language", "headcount"],
    )
    rows = raw[(raw.new_la_code == code) & (raw.time_period == year)
               & (raw.phase_type_grouping == "Total") & (raw.language == "Total")
               & (raw.ethnicity != "Total")]
    expected = rows.groupby(rows.ethnicity.map(_spc_major))["headcount"].apply(
        lambda s: int(s.astype(int).sum())
    )
    pop = population(code, source="school-census", year=year)
    tally = pop.counts.tally("major")
    assert {g: int(tally[g]) for g in expected.index} == expected.to_dict()
