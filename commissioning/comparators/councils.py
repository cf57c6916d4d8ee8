"""The full name of the council behind an authority, and whether it is in Wales.

The drafted section names the council that owes the Public Sector Equality Duty ("Kent
County Council", not "Kent"), and a Welsh council has extra duties to mention. Names come
from ``commissioning/data/council-names.csv``, built by ``scripts/build_council_names.py``
from the ONS lookups (its docstring gives the naming rules). Whatever `find_authority`
understands ("Kent", "E10000016", "kent county council") finds the same council.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from typing import Final

from commissioning.comparators.authorities import find_authority
from commissioning.comparators.store import open_data
from commissioning.errors import UnknownAuthorityError

COUNCIL_NAMES_FILE: Final = "council-names.csv"


@dataclass(frozen=True)
class Council:
    """One council: its ONS code and area name, full name and country."""

    code: str
    area: str
    name: str
    country: str  # "England" or "Wales"
    current: bool

    @property
    def in_wales(self) -> bool:
        return self.country == "Wales"


@cache
def councils_by_code() -> dict[str, Council]:
    """Every council in the packaged table, by ONS code."""
    with open_data(COUNCIL_NAMES_FILE) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="").read()
    return {
        row["code"]: Council(
            code=row["code"],
            area=row["area"],
            name=row["council"],
            country=row["country"],
            current=row["current"] == "yes",
        )
        for row in csv.DictReader(io.StringIO(text))
    }


def find_council(query: str) -> Council | None:
    """The one council ``query`` means; None for a region, a country, several councils
    (Bi-Borough) or a name no source knows (a council's own comparator file)."""
    try:
        authority = find_authority(query)
    except UnknownAuthorityError:
        return None
    if len(authority.places) != 1:
        return None
    table = councils_by_code()
    found = [table[c] for c in authority.places[0].codes if c in table]
    if not found:
        return None
    return next((c for c in found if c.current), found[0])
