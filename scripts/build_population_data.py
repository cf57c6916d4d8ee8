"""Build the embedded comparator data in ``commissioning/data/`` from the real ONS/DfE files.

A fresh clone has no ``../shared/data``, so the output of this script is committed. It is
deterministic (sorted rows, gzip with no timestamp or file name, JSON with sorted keys), so
re-running it on the same inputs gives identical bytes and a clean ``git diff``.

Every output file is a wide, gzip-compressed CSV: key columns ``key, level, code,
old_la_code, name, year`` and then one integer column per category, named with the
source's own label (Census 2011 columns are ``"<sex>; <age>; <ethnic group>"``). Labels are
mapped to the canonical classification at load time, by the same classifier the returns
use. The script checks each source's own totals before writing anything.

Usage: python scripts/build_population_data.py [--source-dir ../shared/data] [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from commissioning.comparators.names import name_key
from commissioning.comparators.sources import SOURCES
from commissioning.outputs import write_atomic

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_population_ages as ages  # the sibling module in scripts/

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE_DIR = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "commissioning" / "data"

C21 = "dfe_csc_dashboard_ons_census2021_ethnic20"
C11 = "ons_census2011_dc2101ew_via_diversity_explorer"
SPC = "dfe_school_census_spc_via_ees_api_mock"
CLA = "dfe_cla_sfr50_2017_via_bengoodair"

#: input files per source, relative to the source directory
INPUTS: dict[str, tuple[str, ...]] = {
    "census2021": (
        f"{C21}/ons-ethnic-population-la.csv",
        f"{C21}/ons-ethnic-population-reg.csv",
        f"{C21}/ons-ethnic-population-nat.csv",
    ),
    "census2011": (
        f"{C11}/DC2012EW_localAuthorities.csv",
        f"{C11}/DC2012EW_regions.csv",
        f"{C11}/DC2012EW_countries.csv",
    ),
    "school-census": (
        f"{SPC}/spc_pupils_ethnicity_and_language.csv.gz",
        f"{SPC}/spc_pupils_ethnicity_and_language.meta.csv",
    ),
    "fsm": (
        f"{SPC}/spc_pupils_fsm_ethnicity_yrgp.csv.gz",
        f"{SPC}/spc_pupils_fsm_ethnicity_yrgp.meta.csv",
    ),
    "child-population": (f"{C21}/ons_mid-year_population_estimates_2012_to_2024.csv",),
    "cla": (f"{CLA}/SFR50_CLA2017.csv", f"{CLA}/SFR50_2017_MetaData.txt"),
    "mye2021": (ages.MYE21, ages.LOOKUP23),
    "mye2022": (ages.MYE22, ages.LOOKUP23),
    "mye2024": (ages.MYE24, ages.LOOKUP23),
    "census2021-age": (*ages.TS007A, ages.LOOKUP23, f"{C21}/ons-ethnic-population-la.csv"),
}
#: Census 2011 is added up into today's councils with the lookups, and checked against
#: ONS's mid-2011 estimates on April 2023 boundaries (in the mid-2022 workbook)
INPUTS["census2011"] = (*INPUTS["census2011"], *ages.LOOKUPS, ages.MYE22)

KEY_COLUMNS = ["key", "level", "code", "old_la_code", "name", "year"]
LEVELS = {"National": "country", "Regional": "region", "Local authority": "authority"}
C11_COLUMN = re.compile(r"^Sex: (.*); Age: (.*); Ethnic Group: (.*); measures: Value$")
FSM_KNOWN = "Known to be eligible for free school meals"
FSM_PARTIAL_YEARS = ("2015/16", "2016/17")
INNER_OUTER_LONDON = {"Inner London": "E13000001", "Outer London": "E13000002"}
CLA_COLUMNS = ("CLA_White", "CLA_Mixed", "CLA_Asian", "CLA_Black", "CLA_EOTH", "CLA_Oth")


class BuildError(Exception):
    """A source file is not what the build expects: stop before writing anything."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise BuildError(what)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _ints(series: pd.Series, what: str) -> pd.Series:
    _check(bool(series.str.fullmatch(r"\d+").all()), f"{what}: non-integer counts")
    return series.astype("int64")


def _academic_year(period: str) -> str:
    return f"{period[:4]}/{period[4:]}"


def _finish(frame: pd.DataFrame, value_columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    frame["key"] = frame["name"].map(name_key)
    frame = frame[[*KEY_COLUMNS, *value_columns]]
    frame = frame.sort_values(["level", "key", "code", "year"], kind="stable")
    _check(not frame.duplicated(["level", "code", "year"]).any(), "duplicate geography rows")
    return frame.reset_index(drop=True)


# -- Census 2021 TS021 --------------------------------------------------------------------
def build_census2021(source_dir: Path) -> pd.DataFrame:
    parts = []
    for rel, level in zip(INPUTS["census2021"], ("authority", "region", "country"), strict=True):
        raw = _read(source_dir / rel)
        raw.columns = ["code", "name", "cat_code", "label", "count"]
        raw["count"] = _ints(raw["count"], rel)
        dna = raw["cat_code"] == "-8"
        _check(bool((raw.loc[dna, "count"] == 0).all()), f"{rel}: 'Does not apply' is not 0")
        raw = raw.loc[~dna]
        labels = list(dict.fromkeys(raw["label"]))
        _check(len(labels) == 19, f"{rel}: expected 19 categories")
        wide = raw.pivot(index=["code", "name"], columns="label", values="count")[labels]
        wide = wide.reset_index()
        wide["level"] = level
        parts.append(wide)
    frame = pd.concat(parts, ignore_index=True)
    # Wales is both a "region" and a "country" in ONS outputs: keep it once, as a country.
    frame = frame.loc[~(frame["code"].duplicated(keep="last") & (frame["level"] == "region"))]
    frame["old_la_code"] = ""
    frame["year"] = "2021"
    return _finish(frame, labels)


# -- Census 2011 DC2101EW -----------------------------------------------------------------
def build_census2011(source_dir: Path) -> pd.DataFrame:
    parts = []
    keep: list[str] = []
    renamed: dict[str, str] = {}
    files = INPUTS["census2011"][:3]  # the rest are lookups
    for rel, level in zip(files, ("authority", "region", "country"), strict=True):
        raw = _read(source_dir / rel)
        cols = list(raw.columns)
        _check(cols[:3] == ["date", "geography", "geography code"], f"{rel}: unexpected header")
        cells: dict[str, tuple[str, str, str]] = {}
        for col in cols[3:]:
            match = C11_COLUMN.match(col)
            _check(match is not None, f"{rel}: unexpected column")
            assert match is not None
            cells[col] = (match.group(1), match.group(2), match.group(3))
        values = raw[cols[3:]].apply(lambda s, rel=rel: _ints(s, rel))
        _self_check_c11(values, cells, rel)
        if not keep:
            keep = [
                c
                for c, (sex, age, eth) in cells.items()
                if sex != "All persons"
                and not age.startswith("All categories")
                and not eth.startswith("All categories")
                and not eth.endswith(": Total")
            ]
            renamed = {c: "; ".join(cells[c]) for c in keep}
        wide = values[keep].rename(columns=renamed)
        wide.insert(0, "code", raw["geography code"])
        wide.insert(1, "name", raw["geography"])
        wide["level"] = level
        parts.append(wide)
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.loc[~(frame["code"].duplicated(keep="last") & (frame["level"] == "region"))]
    frame, added = ages.add_upper_tier_2011(frame, list(renamed.values()), source_dir)
    frame["old_la_code"] = ""
    frame["year"] = "2011"
    frame = _finish_unique(frame, list(renamed.values()))
    frame.attrs["added"] = added  # for the manifest
    return frame


def _self_check_c11(values: pd.DataFrame, cells: dict[str, tuple[str, str, str]], rel: str) -> None:
    """Males + Females = All persons, and detailed groups add up to the grand total."""
    index = {v: k for k, v in cells.items()}
    for (sex, age, eth), col in index.items():
        if sex != "All persons":
            continue
        males, females = index[("Males", age, eth)], index[("Females", age, eth)]
        _check(bool((values[males] + values[females] == values[col]).all()), f"{rel}: sex sums")
    detailed = [
        c
        for c, (sex, age, eth) in cells.items()
        if sex == "All persons" and age.startswith("All categories")
        and not eth.startswith("All categories") and not eth.endswith(": Total")
    ]
    total = index[("All persons", "All categories: Age", "All categories: Ethnic group")]
    _check(bool((values[detailed].sum(axis=1) == values[total]).all()), f"{rel}: group sums")


# -- DfE school census and FSM ------------------------------------------------------------
def _spc_geography(raw: pd.DataFrame) -> pd.DataFrame:
    level = raw["geographic_level"].map(LEVELS)
    _check(bool(level.notna().all()), "school census: unknown geographic level")
    code = raw["new_la_code"].where(level == "authority", raw["region_code"])
    code = code.where(level != "country", raw["country_code"])
    name = raw["la_name"].where(level == "authority", raw["region_name"])
    name = name.where(level != "country", raw["country_name"])
    return pd.DataFrame(
        {
            "level": level,
            "code": code,
            "old_la_code": raw["old_la_code"].where(level == "authority", ""),
            "name": name,
            "year": raw["time_period"].map(_academic_year),
        }
    )


def build_school_census(source_dir: Path) -> pd.DataFrame:
    rel = INPUTS["school-census"][0]
    raw = _read(source_dir / rel)
    raw = raw.loc[(raw["phase_type_grouping"] == "Total") & (raw["language"] == "Total")]
    geo = _spc_geography(raw)
    geo["label"] = raw["ethnicity"].to_numpy()
    geo["count"] = _ints(raw["headcount"], rel).to_numpy()
    index = ["level", "code", "old_la_code", "name", "year"]
    wide = geo.pivot(index=index, columns="label", values="count").fillna(0).astype("int64")
    labels = sorted(c for c in wide.columns if c != "Total")
    _check(len(labels) == 19, f"{rel}: expected 19 ethnicity labels")
    _check(bool((wide[labels].sum(axis=1) == wide["Total"]).all()), f"{rel}: group sums")
    return _finish(wide[labels].reset_index(), labels)


def build_fsm(source_dir: Path) -> pd.DataFrame:
    rel = INPUTS["fsm"][0]
    raw = _read(source_dir / rel)
    raw = raw.loc[
        (raw["phase_type_grouping"] == "Total")
        & (raw["characteristic_group"].isin(["Ethnicity", "Total"]))
        & (raw["fsm_eligibility"] == FSM_KNOWN)
    ]
    geo = _spc_geography(raw)
    geo["label"] = raw["characteristic"].to_numpy()
    geo["count"] = _ints(raw["number_of_pupils"], rel).to_numpy()
    index = ["level", "code", "old_la_code", "name", "year"]
    wide = geo.pivot(index=index, columns="label", values="count").fillna(0).astype("int64")
    labels = sorted(c for c in wide.columns if c != "Total")
    _check(len(labels) == 19, f"{rel}: expected 19 ethnicity labels")
    # In 2015/16 and 2016/17 DfE's by-ethnicity figures cover fewer pupils than the total
    # (the loader says so in a caveat); from 2017/18 they add up exactly.
    years = wide.index.get_level_values("year")
    later = ~years.isin(FSM_PARTIAL_YEARS)
    sums = wide.loc[later, labels].sum(axis=1) == wide.loc[later, "Total"]
    _check(bool(sums.all()), f"{rel}: group sums")
    return _finish(wide[labels].reset_index(), labels)


# -- ONS mid-year estimates, children 0-17 ------------------------------------------------
def build_child_population(source_dir: Path) -> pd.DataFrame:
    rel = INPUTS["child-population"][0]
    raw = _read(source_dir / rel)
    _check(set(raw["age_group"]) == {"Children aged 0 to 17 years"}, f"{rel}: age groups")
    raw = raw.loc[raw["population_estimate"] != "x"]  # not published: leave the year out
    geo = _spc_geography(raw.assign(time_period=raw["time_period"] + "00"))
    geo["year"] = raw["time_period"].to_numpy()
    geo["count"] = _ints(raw["population_estimate"], rel).to_numpy()
    return _finish(geo, ["count"])


# -- DfE children looked after, 31 March 2017 ---------------------------------------------
def build_cla(source_dir: Path) -> pd.DataFrame:
    rel = INPUTS["cla"][0]
    raw = _read(source_dir / rel)
    raw = raw.loc[raw["geog_l"] != ""]  # Isles of Scilly: no level, all zeros
    levels = {"NATIONAL": "country", "REGION": "region", "LA": "authority"}
    level = raw["geog_l"].map(levels)
    _check(bool(level.notna().all()), f"{rel}: unknown geography level")
    name = raw["geog_n"].where(level == "authority", raw["geog_n"].str.title())
    name = name.str.replace(" And ", " and ").str.replace(" The ", " the ").str.replace(
        " Of ", " of "
    )
    frame = pd.DataFrame(
        {
            "level": level,
            "code": raw["New_geog_code"],
            "old_la_code": raw["geog_c"].where(level == "authority", ""),
            "name": name,
            "year": "2017",
        }
    )
    # Inner and Outer London carry London's code here: use their own ONS codes.
    frame["code"] = frame["name"].map(INNER_OUTER_LONDON).fillna(frame["code"])
    for col in ("CLA_Mar2017", *CLA_COLUMNS):
        values = raw[col]
        _check(bool(values.str.fullmatch(r"\d+|x").all()), f"{rel}: {col} not a count or x")
        frame[col] = values.to_numpy()
    _check(bool(frame["CLA_Mar2017"].str.fullmatch(r"\d+").all()), f"{rel}: suppressed total")
    return _finish(frame, ["CLA_Mar2017", *CLA_COLUMNS])


# -- sex and age comparators (no ethnicity) -----------------------------------------------
def _finish_unique(frame: pd.DataFrame, value_columns: list[str]) -> pd.DataFrame:
    """`_finish`, and one row per place name and year, so a name finds one place."""
    frame = _finish(frame, value_columns)
    _check(not frame.duplicated(["level", "key", "year"]).any(), "two places share a name")
    return frame


def _age_source(builder, year: str):  # type: ignore[no-untyped-def]
    def build_one(source_dir: Path) -> pd.DataFrame:
        frame, columns = builder(source_dir)
        frame = frame.copy()
        frame["old_la_code"] = ""
        frame["year"] = year
        return _finish_unique(frame, columns)

    return build_one


BUILDERS = {
    "census2021": build_census2021,
    "census2011": build_census2011,
    "school-census": build_school_census,
    "fsm": build_fsm,
    "child-population": build_child_population,
    "cla": build_cla,
    "mye2021": _age_source(ages.build_mye2021, "2021"),
    "mye2022": _age_source(ages.build_mye2022, "2022"),
    "mye2024": _age_source(ages.build_mye2024, "2024"),
    "census2021-age": _age_source(ages.build_census2021_age, "2021"),
}


# -- the authority index ------------------------------------------------------------------
def build_index(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per place (by name key and level): codes, spellings and years per source."""
    names: dict[tuple[str, str], str] = {}
    sets: dict[tuple[str, str], dict[str, set[str]]] = {}
    fields = ("codes", "old_la_codes", "spellings", *frames)
    for source, frame in frames.items():  # dict order = display-name preference
        for rec in frame[KEY_COLUMNS].astype(str).to_dict(orient="records"):
            place = (str(rec["key"]), str(rec["level"]))
            names.setdefault(place, str(rec["name"]))
            entry = sets.setdefault(place, {f: set() for f in fields})
            entry["codes"].add(str(rec["code"]))
            if rec["old_la_code"]:
                entry["old_la_codes"].add(str(rec["old_la_code"]))
            entry["spellings"].add(str(rec["name"]))
            entry[source].add(str(rec["year"]))
    out = [
        {"key": key, "level": level, "name": names[(key, level)]}
        | {f: "|".join(sorted(values)) for f, values in sets[(key, level)].items()}
        for (key, level) in names
    ]
    index = pd.DataFrame(out)
    index["_order"] = index["level"].map({"country": 0, "region": 1, "authority": 2})
    index = index.sort_values(["_order", "key"], kind="stable").drop(columns="_order")
    return index.reset_index(drop=True)


# -- writing ------------------------------------------------------------------------------
def gzip_csv(frame: pd.DataFrame) -> bytes:
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text)
    return buffer.getvalue()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(source_dir: Path, outputs: dict[str, bytes], frames: dict[str, pd.DataFrame]) -> str:
    sources = {}
    for key, spec in SOURCES.items():
        frame = frames[key]
        sources[key] = {
            "title": spec.title,
            "publisher": spec.publisher,
            "table_id": spec.table_id,
            "url": spec.url,
            "licence": "Open Government Licence v3.0",
            "licence_url": (
                "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
            ),
            "attribution": spec.attribution,
            "citation": spec.citation,
            "years": sorted(set(frame["year"])),
            "data_file": spec.file,
            "geographies": int(frame[["level", "code"]].drop_duplicates().shape[0]),
            "inputs": [
                {"path": rel, "sha256": sha256_file(source_dir / rel)} for rel in INPUTS[key]
            ],
            "vintage": spec.vintage,
            "boundaries": spec.boundaries,
            "has_ethnicity": spec.has_ethnicity,
            "has_sex": spec.has_sex,
        }
    sources["census2011"]["councils_added_from_2011_areas"] = frames["census2011"].attrs["added"]
    files = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        for name, data in sorted(outputs.items())
    }
    body = {
        "about": (
            "Comparator populations embedded in commissioning, built by "
            "scripts/build_population_data.py from unmodified ONS and DfE files "
            "(see PROVENANCE.md in the shared data folder)."
        ),
        "format": 2,
        "sources": sources,
        "files": files,
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build(source_dir: Path, out: Path) -> dict[str, int]:
    """Build every file in memory, check it, then write them all atomically."""
    missing = [rel for rels in INPUTS.values() for rel in rels if not (source_dir / rel).is_file()]
    if missing:
        raise BuildError(f"missing input files under {source_dir}: {', '.join(missing)}")
    frames = {key: BUILDERS[key](source_dir) for key in SOURCES}
    outputs = {SOURCES[key].file: gzip_csv(frame) for key, frame in frames.items()}
    outputs["authorities.csv.gz"] = gzip_csv(build_index(frames))
    text = manifest(source_dir, outputs, frames)
    for name, data in outputs.items():
        write_atomic(out / name, data)
    write_atomic(out / "manifest.json", text)
    return {name: len(data) for name, data in outputs.items()}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        sizes = build(args.source_dir, args.out)
    except (BuildError, ages.AgesBuildError) as exc:
        print(f"build_population_data: {exc}", file=sys.stderr)
        return 1
    for name, size in sorted(sizes.items()):
        print(f"{name}: {size:,} bytes")
    print(f"total: {sum(sizes.values()):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
