"""Builders for the sex and age comparators, and today's councils in Census 2011.

Used by ``build_population_data.py`` (same folder). The ONS mid-year estimates (MYE2, by
sex and single year of age), the mid-2024 persons table and Census 2021 TS007A (five-year
age bands) are put on April 2023 council boundaries; Census 2011 districts are added up
into today's upper-tier councils. The reorganisations are written in
``commissioning/comparators/boundaries.py`` and checked here against the ONS lookups and
against ONS's own figures on the new boundaries before anything is written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from commissioning.comparators.boundaries import (
    ABOLISHED_COUNTIES,
    DISTRICTS_2022_TO_2023,
    RECODED_2013,
    REORGANISATIONS,
)

MYE21 = "ons_mye_mid2021_uk_xls/ukpopestimatesmid2021on2021geographyfinal.xls"
MYE22 = "ons_mye_mid2022_uk_xlsx/mye22final.xlsx"
MYE24 = "ons_mye_mid2024_mye2_persons_csv/mye24tablesew.csv"
TS007A = tuple(f"nomis_census2021_ts007a/census2021-ts007a-{g}.csv" for g in
               ("ltla", "utla", "rgn", "ctry"))
LOOKUP12 = "ons_lookup_ward_lad_cty_dec2012/CTRY12_GOR10_CTY12_LAD12_WD12_UK_LU.csv"
LOOKUP22 = (
    "ons_lookup_ltla_utla_dec2022_apr2023/Lower_Tier_Local_Authority_to_Upper_Tier_Local_"
    "Authority_(December_2022)_Lookup_in_England_and_Wales.csv"
)
LOOKUP23 = "ons_lookup_ltla_utla_dec2022_apr2023/LTLA-UTLA_Apr23_Lookup_England-Wales.csv"
LOOKUPS = (LOOKUP12, LOOKUP22, LOOKUP23)

SEXES = ("Females", "Males")
MYE_AGES = (*(str(a) for a in range(90)), "90+")
MYE_LEVELS = {"Country": "country", "Region": "region"}
#: ONS area types that are not councils (metropolitan counties), or not in England and Wales
MYE_DROPPED = ("Metropolitan County",)
#: how far Census 2011 (27 March) may be from ONS's mid-2011 estimate on 2023 boundaries
C11_TOLERANCE = 0.01
#: how far a sum of Census 2021 districts may be from ONS's figure for the new council
#: (cell-key perturbation moves each cell by a few people)
C21_TOLERANCE = 0.001


class AgesBuildError(Exception):
    """A source or lookup is not what the build expects."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise AgesBuildError(what)


def _read(path: Path, encoding: str = "utf-8-sig") -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)


def _whole(values: pd.DataFrame, what: str) -> pd.DataFrame:
    numbers = values.apply(pd.to_numeric, errors="coerce")
    _check(bool(numbers.notna().all().all()), f"{what}: non-numeric counts")
    _check(bool((numbers == numbers.round()).all().all()), f"{what}: non-integer counts")
    _check(bool((numbers >= 0).all().all()), f"{what}: negative counts")
    return numbers.astype("int64")


def _tidy_name(name: str, level: str) -> str:
    """ONS writes countries and regions in capitals ("NORTH EAST"): "North East"."""
    if level == "authority" or not name.isupper():
        return name
    small = {"And": "and", "Of": "of", "The": "the"}
    words = [small.get(w, w) for w in name.title().split()]
    return " ".join(words)


# -- lookups ------------------------------------------------------------------------------
def lookup_2023(source_dir: Path) -> pd.DataFrame:
    raw = _read(source_dir / LOOKUP23)
    _check(len(raw) == 318, f"{LOOKUP23}: expected 318 districts")
    return raw[["LTLA23CD", "LTLA23NM", "UTLA23CD", "UTLA23NM"]]


def lookup_2022(source_dir: Path) -> pd.DataFrame:
    raw = _read(source_dir / LOOKUP22)
    _check(len(raw) == 331, f"{LOOKUP22}: expected 331 districts")
    return raw[["LTLA22CD", "LTLA22NM", "UTLA22CD", "UTLA22NM"]]


def lookup_2012(source_dir: Path) -> pd.DataFrame:
    raw = _read(source_dir / LOOKUP12, encoding="latin-1")
    cols = ["LAD12CD", "LAD12NM", "CTY12CD", "CTY12NM"]
    lads = raw.loc[raw["LAD12CD"].str[0].isin(["E", "W"]), cols].drop_duplicates()
    _check(len(lads) == 348 and not lads["LAD12CD"].duplicated().any(), f"{LOOKUP12}: districts")
    return lads.reset_index(drop=True)


def codes_2023(source_dir: Path) -> set[str]:
    """Every council code of April 2023: districts, unitaries, boroughs and counties."""
    table = lookup_2023(source_dir)
    return set(table["LTLA23CD"]) | set(table["UTLA23CD"])


def check_reorganisations(source_dir: Path) -> None:
    """The hand-written changes agree with the lookups: every district of each abolished
    county is used once, and the new councils are in the April 2023 lookup."""
    l12, l22, l23 = lookup_2012(source_dir), lookup_2022(source_dir), lookup_2023(source_dir)
    county12 = dict(zip(l12["LAD12CD"], l12["CTY12CD"], strict=True))
    utla23 = set(l23["UTLA23CD"])
    by_code = {change.code: change for change in REORGANISATIONS}
    for county, (name, new_codes) in ABOLISHED_COUNTIES.items():
        in_county = {lad for lad, cty in county12.items() if cty == county}
        _check(bool(in_county), f"{name}: no districts in the 2012 lookup")
        _check(county not in utla23, f"{name} is still a council in April 2023")
        used = [d for code in new_codes for d in by_code[code].districts_2011 if d[:3] == "E07"]
        _check(sorted(used) == sorted(in_county), f"{name}: districts do not match the lookup")
    for change in REORGANISATIONS:
        _check(change.code in utla23, f"{change.name}: not in the April 2023 lookup")
        for district in change.districts_2011:
            _check(district in county12, f"{change.name}: {district} not a 2011 district")
    utla22 = dict(zip(l22["LTLA22CD"], l22["UTLA22CD"], strict=True))
    for county in ("E10000006", "E10000023", "E10000027"):
        in_county = {lad for lad, cty in utla22.items() if cty == county}
        mapped = {d for d in DISTRICTS_2022_TO_2023 if utla22.get(d) == county}
        _check(in_county == mapped, f"{county}: 2022 districts do not match the lookup")
    for old, new in RECODED_2013.items():
        _check(old in county12 and new in set(l23["LTLA23CD"]), f"recode {old} -> {new}")


# -- putting 2021-22 areas on April 2023 boundaries ---------------------------------------
def to_2023(frame: pd.DataFrame, values: list[str], source_dir: Path, what: str) -> pd.DataFrame:
    """Keep the areas that exist in April 2023; add the councils created then from their
    2021-22 districts; drop the abolished ones."""
    current = codes_2023(source_dir)
    l23 = lookup_2023(source_dir)
    names = dict(zip(l23["UTLA23CD"], l23["UTLA23NM"], strict=False))
    parts = []
    for new in sorted(set(DISTRICTS_2022_TO_2023.values())):
        olds = [d for d, n in DISTRICTS_2022_TO_2023.items() if n == new]
        rows = frame.loc[frame["code"].isin(olds)]
        _check(len(rows) == len(olds), f"{what}: districts of {names[new]} missing")
        summed = rows[values].sum().to_frame().T
        summed.insert(0, "code", new)
        summed.insert(1, "name", names[new])
        summed["level"] = "authority"
        parts.append(summed)
    keep = frame.loc[(frame["level"] != "authority") | frame["code"].isin(current)]
    _check(not (set(DISTRICTS_2022_TO_2023.values()) & set(keep["code"])), f"{what}: 2023 rows")
    out = pd.concat([keep, *parts], ignore_index=True)
    missing = current - set(out["code"])
    _check(not missing, f"{what}: no figures for {sorted(missing)[:5]}")
    return out


# -- ONS mid-year estimates (MYE2) --------------------------------------------------------
def _mye_sheet(path: Path, sheet: str) -> pd.DataFrame:
    raw = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine", dtype=object)
    header_row = int(np.flatnonzero(raw.iloc[:, 0].astype(str) == "Code")[0])
    table = raw.iloc[header_row + 1 :].reset_index(drop=True)
    ages = [str(int(a)) if isinstance(a, float) else str(a) for a in raw.iloc[header_row, 4:]]
    _check(tuple(ages) == MYE_AGES, f"{path.name} {sheet}: unexpected age columns")
    table.columns = ["code", "name", "geography", "all", *MYE_AGES]
    return _mye_rows(table, f"{path.name} {sheet}")


def _mye_rows(table: pd.DataFrame, what: str) -> pd.DataFrame:
    table = table.loc[table["code"].astype(str).str.match(r"^(E|W|K04)")].copy()
    table = table.loc[~table["geography"].isin(MYE_DROPPED)]
    counts = _whole(table[["all", *MYE_AGES]], what)
    _check(bool((counts[list(MYE_AGES)].sum(axis=1) == counts["all"]).all()), f"{what}: ages")
    out = counts[list(MYE_AGES)].copy()
    out.insert(0, "code", table["code"].astype(str).to_numpy())
    level = table["geography"].map(MYE_LEVELS).fillna("authority").to_numpy()
    out.insert(1, "name", [_tidy_name(str(n), lv) for n, lv in zip(table["name"], level,
                                                                    strict=True)])
    out["level"] = level
    return out.reset_index(drop=True)


def _mye_by_sex(path: Path) -> tuple[pd.DataFrame, list[str]]:
    sheets = {sex: _mye_sheet(path, f"MYE2 - {sex}") for sex in SEXES}
    persons = _mye_sheet(path, "MYE2 - Persons")
    females, males = sheets["Females"], sheets["Males"]
    _check(list(females["code"]) == list(males["code"]) == list(persons["code"]),
           f"{path.name}: sheets list different areas")
    ages = list(MYE_AGES)
    added = females[ages].to_numpy() + males[ages].to_numpy()
    _check(bool((added == persons[ages].to_numpy()).all()), f"{path.name}: F + M != persons")
    columns = [f"{sex}; {age}" for sex in SEXES for age in ages]
    values = np.hstack([females[ages].to_numpy(), males[ages].to_numpy()])
    frame = pd.DataFrame(values, columns=columns)
    frame.insert(0, "code", females["code"])
    frame.insert(1, "name", females["name"])
    frame["level"] = females["level"]
    return frame, columns


def build_mye2021(source_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    frame, columns = _mye_by_sex(source_dir / MYE21)
    return to_2023(frame, columns, source_dir, MYE21), columns


def build_mye2022(source_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    frame, columns = _mye_by_sex(source_dir / MYE22)
    missing = codes_2023(source_dir) - set(frame["code"])
    _check(not missing, f"{MYE22}: no figures for {sorted(missing)[:5]}")
    return frame, columns


def build_mye2024(source_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    raw = _read(source_dir / MYE24)
    _check(list(raw.columns) == ["Code", "Name", "Geography", "All ages", *MYE_AGES],
           f"{MYE24}: unexpected header")
    raw.columns = ["code", "name", "geography", "all", *MYE_AGES]
    frame = _mye_rows(raw, MYE24)
    columns = [f"Persons; {age}" for age in MYE_AGES]
    frame = frame.rename(columns=dict(zip(MYE_AGES, columns, strict=True)))
    missing = codes_2023(source_dir) - set(frame["code"])
    _check(not missing, f"{MYE24}: no figures for {sorted(missing)[:5]}")
    return frame, columns


# -- Census 2021 TS007A, age in five-year bands -------------------------------------------
def build_census2021_age(source_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    parts = []
    columns: list[str] = []
    for rel, level in zip(TS007A, ("authority", "authority", "region", "country"), strict=True):
        raw = _read(source_dir / rel)
        bands = [c for c in raw.columns if c.startswith("Age: ") and c != "Age: Total"]
        _check(len(bands) == 18 and list(raw.columns[:3]) == ["date", "geography",
                                                             "geography code"], f"{rel}: header")
        counts = _whole(raw[["Age: Total", *bands]], rel)
        _check(bool((counts[bands].sum(axis=1) == counts["Age: Total"]).all()), f"{rel}: sums")
        columns = [f"Persons; {b.removeprefix('Age: ')}" for b in bands]
        part = counts[bands].set_axis(columns, axis=1)
        part.insert(0, "code", raw["geography code"])
        part.insert(1, "name", raw["geography"])
        part["level"] = level
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    twice = frame.duplicated(["code", *columns], keep=False) & frame["code"].duplicated(keep=False)
    _check(not (frame["code"].duplicated(keep=False) & ~twice).any(), "TS007A: files disagree")
    frame = frame.drop_duplicates("code", keep="last")  # Wales: a country, not a region
    frame = to_2023(frame, columns, source_dir, "TS007A")
    _check_new_councils_2021(frame, columns, source_dir)
    return frame, columns


def _check_new_councils_2021(frame: pd.DataFrame, columns: list[str], source_dir: Path) -> None:
    """The 2023 councils made of 2022 districts match Census 2021 TS021 on 2023 boundaries."""
    rel = "dfe_csc_dashboard_ons_census2021_ethnic20/ons-ethnic-population-la.csv"
    ts021 = _read(source_dir / rel)
    totals = ts021.groupby(ts021.columns[0])[ts021.columns[4]].apply(
        lambda s: int(s.astype("int64").sum())
    )
    for new in set(DISTRICTS_2022_TO_2023.values()):
        built = int(frame.loc[frame["code"] == new, columns].to_numpy().sum())
        official = int(totals[new])
        _check(abs(built - official) <= C21_TOLERANCE * official, f"TS007A {new}: {built}")


# -- Census 2011: today's upper-tier councils from their 2011 districts -------------------
def upper_tier_2011(source_dir: Path, districts: set[str]) -> dict[str, list[str]]:
    """April 2023 upper-tier council code -> the 2011 council areas it is made of."""
    check_reorganisations(source_dir)
    l12, l23 = lookup_2012(source_dir), lookup_2023(source_dir)
    utla_of = dict(zip(l23["LTLA23CD"], l23["UTLA23CD"], strict=True))
    county12 = dict(zip(l12["LAD12CD"], l12["CTY12CD"], strict=True))
    recoded = {new: old for old, new in RECODED_2013.items()}
    changed = {d: c.code for c in REORGANISATIONS for d in c.districts_2011}
    members: dict[str, list[str]] = {}
    for district in sorted(districts):
        if district in changed:
            utla = changed[district]
        elif district in utla_of:
            utla = utla_of[district]
        else:  # a district merged into another in the same county (Suffolk, 2019)
            utla = county12.get(recoded.get(district, district), "")
            _check(utla in set(utla_of.values()), f"Census 2011 {district}: no council today")
        members.setdefault(utla, []).append(district)
    missing = set(l23["UTLA23CD"]) - set(members)
    _check(not missing, f"Census 2011: no districts for {sorted(missing)}")
    return members


def add_upper_tier_2011(
    frame: pd.DataFrame, value_columns: list[str], source_dir: Path
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Census 2011 rows plus one row per upper-tier council of April 2023 that is not
    itself a 2011 council area; and which 2011 areas each added row is the sum of."""
    authorities = frame.loc[frame["level"] == "authority"]
    members = upper_tier_2011(source_dir, set(authorities["code"]))
    l23 = lookup_2023(source_dir)
    names = dict(zip(l23["UTLA23CD"], l23["UTLA23NM"], strict=False))
    by_code = authorities.set_index("code")
    rows, added = [], {}
    for utla, parts in sorted(members.items()):
        if parts == [utla]:
            continue  # the same council as in 2011
        summed = by_code.loc[parts, value_columns].sum()
        rows.append({"code": utla, "name": names[utla], "level": "authority", **summed})
        added[utla] = parts
    extra = pd.DataFrame(rows)
    _check_against_mid2011(extra, value_columns, source_dir)
    return pd.concat([frame, extra], ignore_index=True), added


def _check_against_mid2011(extra: pd.DataFrame, value_columns: list[str], source_dir: Path) -> None:
    """ONS's mid-2011 estimate on 2023 boundaries (MYEB1) is within 1% of each sum."""
    raw = pd.read_excel(source_dir / MYE22, sheet_name="MYEB1", engine="calamine")
    official = raw.groupby("code")["population_2011"].sum()
    for code, total in zip(extra["code"], extra[value_columns].sum(axis=1), strict=True):
        expected = float(official[code])
        _check(abs(float(total) - expected) <= C11_TOLERANCE * expected,
               f"Census 2011 {code}: {total} against ONS mid-2011 {expected:.0f}")
