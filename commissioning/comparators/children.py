"""How many children (0-17) live in an authority: ONS mid-year estimates, for context.

Reports say "Westminster has about 30,000 children"; these totals have no ethnic
breakdown, so they are never used as a comparator.
"""

from __future__ import annotations

from typing import Final

from commissioning.comparators.authorities import find_authority
from commissioning.comparators.embedded import choose_year
from commissioning.comparators.sources import SOURCES
from commissioning.comparators.store import child_population_table
from commissioning.errors import ComparatorError

MSG_NO_CHILD_POPULATION: Final = (
    "There are no mid-year estimates of children for {place}: they cover councils in England "
    "(as they were in each year), the English regions and England. Leave the child "
    "population out of the report, or name an English council."
)


def child_population(authority: str, year: int | str | None = None) -> tuple[int, int]:
    """(year, children aged 0 to 17) for ``authority``; the latest year when not given.

    Years are the mid-year of the estimate (2021 = mid-2021). Bi-Borough sums its two
    boroughs.
    """
    where = find_authority(authority)
    spec = SOURCES["child-population"]
    for place in where.places:
        if not place.years_for(spec.key):
            raise ComparatorError(MSG_NO_CHILD_POPULATION.format(place=place.name))
    chosen = choose_year(where, spec, year)
    table = child_population_table()
    total = 0
    for place in where.places:
        rows = table.loc[
            (table["key"] == place.key)
            & (table["level"] == place.level)
            & (table["year"] == chosen),
            "count",
        ]
        total += int(rows.sum())
    return int(chosen), total
