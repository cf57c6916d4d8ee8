"""Build ``commissioning/data/council-names.csv``: the full name of every council in
England and Wales, from the ONS local authority lookups.

ONS files name *areas* ("Kent", "Bristol, City of"), not the councils that run them
("Kent County Council", "Bristol City Council"). A decision report must name the council
that owes the Public Sector Equality Duty, so this script turns each area into a council
name by a short rule set plus a hand-made exceptions table:

* county (E10): "X County Council";
* London borough (E09): "London Borough of X", except the royal boroughs, Westminster
  ("Westminster City Council") and the City of London ("City of London Corporation");
* Welsh principal area (W06): each of the 22 councils' own name, listed by hand;
* metropolitan borough (E08), unitary (E06) and district (E07): "X City Council" where
  the area has city status and the council uses that name (listed by hand), other names
  that do not follow a pattern (listed by hand), and otherwise "X Council", the short
  form most councils use on their own pages. A council that prefers its formal name
  ("X Borough Council") sets ``council`` in its terminology entry.

Inputs: every vintage of ``ons_lookup_lad_cty_2015_2020`` (Dec 2015 to Apr 2020) and
``ons_lookup_ltla_utla_dec2022_apr2023``, so councils abolished since 2015 (Aylesbury Vale,
Cumbria) keep a name for older comparators. The newest ONS name of each code wins.
Bournemouth and Poole (unitaries merged in 2019, which no lookup here lists) are added by
hand because the Census 2011 comparators still cover them. Metropolitan counties (E11) and
Inner and Outer London (E13) have no council and are left out.

The output is sorted by code with ``\\n`` line endings, so a re-run gives identical bytes.
Usage: python scripts/build_council_names.py [--source-dir ../shared/data] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from commissioning.outputs import write_atomic

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE_DIR = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "commissioning" / "data" / "council-names.csv"
COLUMNS = ("code", "area", "council", "kind", "country", "current", "named_by")

OLD = "ons_lookup_lad_cty_2015_2020"
NEW = "ons_lookup_ltla_utla_dec2022_apr2023"
#: oldest first, so a newer name of the same code replaces an older one
INPUTS: tuple[str, ...] = (
    f"{OLD}/020.csv",  # Dec 2015
    f"{OLD}/015.csv",  # Dec 2016
    f"{OLD}/019.csv",  # Dec 2017
    f"{OLD}/023.csv",  # Dec 2018
    f"{OLD}/025.csv",  # Apr 2019
    f"{OLD}/030.csv",  # Apr 2020
    f"{NEW}/Lower_Tier_Local_Authority_to_Upper_Tier_Local_Authority_"
    "(December_2022)_Lookup_in_England_and_Wales.csv",
    f"{NEW}/LTLA-UTLA_Apr23_Lookup_England-Wales.csv",
)
#: the file whose codes are today's councils
CURRENT = INPUTS[-1]

KINDS = {
    "E06": "unitary",
    "E07": "district",
    "E08": "metropolitan borough",
    "E09": "London borough",
    "E10": "county",
    "W06": "Welsh principal area",
}

#: the 22 Welsh principal councils, by code (each council's own English name)
WALES: dict[str, str] = {
    "W06000001": "Isle of Anglesey County Council",
    "W06000002": "Gwynedd Council",
    "W06000003": "Conwy County Borough Council",
    "W06000004": "Denbighshire County Council",
    "W06000005": "Flintshire County Council",
    "W06000006": "Wrexham County Borough Council",
    "W06000008": "Ceredigion County Council",
    "W06000009": "Pembrokeshire County Council",
    "W06000010": "Carmarthenshire County Council",
    "W06000011": "City and County of Swansea Council",
    "W06000012": "Neath Port Talbot County Borough Council",
    "W06000013": "Bridgend County Borough Council",
    "W06000014": "Vale of Glamorgan Council",
    "W06000015": "Cardiff Council",
    "W06000016": "Rhondda Cynon Taf County Borough Council",
    "W06000018": "Caerphilly County Borough Council",
    "W06000019": "Blaenau Gwent County Borough Council",
    "W06000020": "Torfaen County Borough Council",
    "W06000021": "Monmouthshire County Council",
    "W06000022": "Newport City Council",
    "W06000023": "Powys County Council",
    "W06000024": "Merthyr Tydfil County Borough Council",
}

#: English councils whose name the rules would get wrong, by ONS area name
EXCEPTIONS: dict[str, str] = {
    # London: royal boroughs, the two cities
    "City of London": "City of London Corporation",
    "Westminster": "Westminster City Council",
    "Kensington and Chelsea": "Royal Borough of Kensington and Chelsea",
    "Greenwich": "Royal Borough of Greenwich",
    "Kingston upon Thames": "Royal Borough of Kingston upon Thames",
    # metropolitan boroughs with city status
    "Birmingham": "Birmingham City Council",
    "Bradford": "City of Bradford Metropolitan District Council",
    "Coventry": "Coventry City Council",
    "Doncaster": "City of Doncaster Council",
    "Leeds": "Leeds City Council",
    "Liverpool": "Liverpool City Council",
    "Manchester": "Manchester City Council",
    "Newcastle upon Tyne": "Newcastle City Council",
    "Salford": "Salford City Council",
    "Sheffield": "Sheffield City Council",
    "Sunderland": "Sunderland City Council",
    "Wolverhampton": "City of Wolverhampton Council",
    "St. Helens": "St Helens Borough Council",
    # unitaries: cities, counties, a royal borough and the islands
    "Bristol, City of": "Bristol City Council",
    "Kingston upon Hull, City of": "Hull City Council",
    "Herefordshire, County of": "Herefordshire Council",
    "County Durham": "Durham County Council",
    "Northumberland": "Northumberland County Council",
    "Rutland": "Rutland County Council",
    "York": "City of York Council",
    "Brighton and Hove": "Brighton and Hove City Council",
    "Derby": "Derby City Council",
    "Leicester": "Leicester City Council",
    "Milton Keynes": "Milton Keynes City Council",
    "Nottingham": "Nottingham City Council",
    "Peterborough": "Peterborough City Council",
    "Plymouth": "Plymouth City Council",
    "Portsmouth": "Portsmouth City Council",
    "Southampton": "Southampton City Council",
    "Southend-on-Sea": "Southend-on-Sea City Council",
    "Stoke-on-Trent": "Stoke-on-Trent City Council",
    "Windsor and Maidenhead": "Royal Borough of Windsor and Maidenhead",
    "Isles of Scilly": "Council of the Isles of Scilly",
    # districts with city status
    "Cambridge": "Cambridge City Council",
    "Canterbury": "Canterbury City Council",
    "Carlisle": "Carlisle City Council",
    "Chelmsford": "Chelmsford City Council",
    "Chichester": "Chichester District Council",
    "Colchester": "Colchester City Council",
    "Exeter": "Exeter City Council",
    "Gloucester": "Gloucester City Council",
    "Lancaster": "Lancaster City Council",
    "Lichfield": "Lichfield District Council",
    "Lincoln": "City of Lincoln Council",
    "Norwich": "Norwich City Council",
    "Oxford": "Oxford City Council",
    "Preston": "Preston City Council",
    "St Albans": "St Albans City and District Council",
    "Winchester": "Winchester City Council",
    "Worcester": "Worcester City Council",
}

#: unitaries merged in 2019 that no lookup here lists: (code, area, council)
ADDED: tuple[tuple[str, str, str], ...] = (
    ("E06000028", "Bournemouth", "Bournemouth Borough Council"),
    ("E06000029", "Poole", "Borough of Poole"),
)


class BuildError(Exception):
    """An input is missing or does not look like the ONS lookup it should be."""


def _pairs(path: Path) -> Iterable[tuple[str, str]]:
    """(code, name) for every area column pair (``*CD`` / ``*NM``) in one lookup."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        pairs = [(f, f[:-2] + "NM") for f in fields if f.endswith("CD") and f[:-2] + "NM" in fields]
        if not pairs:
            raise BuildError(f"{path.name} has no code and name columns")
        for row in reader:
            for code, name in pairs:
                yield row[code].strip(), row[name].strip()


def areas(source_dir: Path) -> tuple[dict[str, str], set[str]]:
    """(code -> newest ONS name, codes in the newest lookup) for councils' areas."""
    missing = [rel for rel in INPUTS if not (source_dir / rel).is_file()]
    if missing:
        raise BuildError(f"missing input files under {source_dir}: {', '.join(missing)}")
    names: dict[str, str] = {}
    current: set[str] = set()
    for rel in INPUTS:
        for code, name in _pairs(source_dir / rel):
            if code[:3] in KINDS:
                names[code] = name
                if rel == CURRENT:
                    current.add(code)
    return names, current


def council_name(code: str, area: str) -> tuple[str, str]:
    """(council name, how it was named: "Wales", "exception" or "rule")."""
    if code.startswith("W06"):
        if code not in WALES:
            raise BuildError(f"{code} {area} is not in the Welsh list; add it to WALES")
        return WALES[code], "Wales"
    if area in EXCEPTIONS:
        return EXCEPTIONS[area], "exception"
    if code.startswith("E10"):
        return f"{area} County Council", "rule"
    if code.startswith("E09"):
        return f"London Borough of {area}", "rule"
    return f"{area} Council", "rule"


def rows(source_dir: Path) -> list[dict[str, str]]:
    """One row per council code, sorted by code, checked before anything is written."""
    names, current = areas(source_dir)
    for code, area, _ in ADDED:
        names.setdefault(code, area)
    added = {code: council for code, _, council in ADDED}
    out = []
    for code in sorted(names):
        area = names[code]
        council, how = (added[code], "added") if code in added else council_name(code, area)
        out.append({
            "code": code, "area": area, "council": council, "kind": KINDS[code[:3]],
            "country": "Wales" if code.startswith("W") else "England",
            "current": "yes" if code in current else "no", "named_by": how,
        })
    _check(out)
    return out


def _check(table: list[dict[str, str]]) -> None:
    wales = [r for r in table if r["country"] == "Wales"]
    if len(wales) != len(WALES):
        raise BuildError(f"expected {len(WALES)} Welsh councils, found {len(wales)}")
    unused = set(EXCEPTIONS) - {r["area"] for r in table}
    if unused:
        raise BuildError(f"exceptions for areas no lookup names: {', '.join(sorted(unused))}")
    english_now = sum(r["current"] == "yes" and r["country"] == "England" for r in table)
    if english_now != 153 + 164:  # 153 upper-tier areas (April 2023) + 164 districts
        raise BuildError(f"expected 317 current English council codes, found {english_now}")


def to_csv(table: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


def build(source_dir: Path, out: Path) -> int:
    """Write the table atomically; the number of councils."""
    table = rows(source_dir)
    write_atomic(out, to_csv(table))
    return len(table)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        count = build(args.source_dir, args.out)
    except BuildError as exc:
        print(f"build_council_names: {exc}", file=sys.stderr)
        return 1
    print(f"{args.out.name}: {count} councils")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
