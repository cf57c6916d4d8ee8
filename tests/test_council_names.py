"""Council full names: the packaged table is what the build script makes from the ONS
lookups, it follows the documented rules, and every authority the tool knows finds one."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from importlib import resources
from pathlib import Path

import pytest
from conftest import IN_CI, SHARED_DATA

from commissioning.comparators.authorities import all_places
from commissioning.comparators.councils import councils_by_code, find_council

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(SHARED_DATA)
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir() and not IN_CI, reason=f"{SHARED} is absent (COMMISSIONING_SHARED_DATA)"
)
PACKAGED = resources.files("commissioning.data").joinpath("council-names.csv")

#: a sample of 20, each as the council writes its own name
SAMPLE = {
    "E10000016": "Kent County Council",
    "E10000030": "Surrey County Council",
    "W06000015": "Cardiff Council",
    "W06000011": "City and County of Swansea Council",
    "W06000016": "Rhondda Cynon Taf County Borough Council",
    "W06000001": "Isle of Anglesey County Council",
    "W06000022": "Newport City Council",
    "E08000003": "Manchester City Council",
    "E08000032": "City of Bradford Metropolitan District Council",
    "E08000010": "Wigan Council",
    "E09000007": "London Borough of Camden",
    "E09000011": "Royal Borough of Greenwich",
    "E09000020": "Royal Borough of Kensington and Chelsea",
    "E09000033": "Westminster City Council",
    "E09000001": "City of London Corporation",
    "E06000052": "Cornwall Council",
    "E06000023": "Bristol City Council",
    "E06000047": "Durham County Council",
    "E06000053": "Council of the Isles of Scilly",
    "E07000240": "St Albans City and District Council",
}


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "build_council_names", ROOT / "scripts" / "build_council_names.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_sample_of_twenty_names() -> None:
    table = councils_by_code()
    assert {code: table[code].name for code in SAMPLE} == SAMPLE


def test_all_22_welsh_councils_and_only_they_are_in_wales() -> None:
    welsh = [c for c in councils_by_code().values() if c.in_wales]
    assert len(welsh) == 22 and all(c.code.startswith("W06") and c.current for c in welsh)
    assert not any(c.code.startswith("W") for c in councils_by_code().values() if not c.in_wales)


def test_rules_counties_london_and_the_short_form() -> None:
    table = councils_by_code()
    counties = [c for c in table.values() if c.code.startswith("E10")]
    assert counties and all(c.name == f"{c.area} County Council" for c in counties)
    london = [c for c in table.values() if c.code.startswith("E09")]
    assert len(london) == 33
    rule = [c for c in london if c.name == f"London Borough of {c.area}"]
    assert len(rule) == 33 - 5  # three royal boroughs, Westminster, the City of London
    assert table["E07000110"].name == "Maidstone Council"  # no exception: "X Council"
    assert table["E07000004"].name == "Aylesbury Vale Council" and not table["E07000004"].current


def test_every_authority_the_tool_knows_has_a_council() -> None:
    authorities = [p for p in all_places() if p.level == "authority"]
    missing = [p.name for p in authorities if not any(c in councils_by_code() for c in p.codes)]
    assert missing == []


@pytest.mark.parametrize(
    ("query", "name"),
    [("Kent", "Kent County Council"), ("kent county council", "Kent County Council"),
     ("E10000016", "Kent County Council"), ("886", "Kent County Council"),
     ("RBKC", "Royal Borough of Kensington and Chelsea"), ("Hull", "Hull City Council"),
     ("Buckinghamshire", "Buckinghamshire Council"), ("Poole", "Borough of Poole")],
)
def test_find_council_reads_what_find_authority_reads(query: str, name: str) -> None:
    council = find_council(query)
    assert council is not None and council.name == name


@pytest.mark.parametrize("query", ["Bi-Borough", "England", "London", "Nowhere Shire", ""])
def test_no_single_council_gives_none(query: str) -> None:
    assert find_council(query) is None


def test_packaged_file_is_sorted_with_unix_line_endings() -> None:
    data = PACKAGED.read_bytes()
    assert b"\r" not in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    codes = [r["code"] for r in rows]
    assert codes == sorted(codes) and len(codes) == len(set(codes))


@needs_shared
def test_rebuild_gives_identical_bytes(tmp_path: Path) -> None:
    build = _build_module()
    out = tmp_path / "council-names.csv"
    assert build.main(["--source-dir", str(SHARED), "--out", str(out)]) == 0
    assert out.read_bytes() == PACKAGED.read_bytes()


def test_build_refuses_missing_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = _build_module()
    assert build.main(["--source-dir", str(tmp_path), "--out", str(tmp_path / "x.csv")]) == 1
    assert capsys.readouterr().err.startswith("build_council_names: missing input files under")
    assert not (tmp_path / "x.csv").exists()
