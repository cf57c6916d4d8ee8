"""Council boundaries since 2011: which old districts make up each of today's councils.

Census 2011 counts the council areas of 2011, and the mid-2021 estimates and Census 2021
age table the areas of 2021-22. Today's (April 2023) upper-tier councils are built from
them by adding whole districts: no district was split between two new councils, so the
sums are exact. The ONS lookups list which districts were in each county; they do not say
which new unitary council each district went to, so that is written here, from the
structural changes orders, and the build script checks it against the lookups (every
district of each abolished county is used exactly once) and against ONS's own figures on
the new boundaries. docs/population.md explains each change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Reorganisation:
    """A council created since 2011 from whole districts (and unitary councils)."""

    code: str  # the new council's ONS code
    name: str
    date: str  # when the new council took over
    replaced: str  # the upper-tier council(s) it replaced, in words
    districts_2011: tuple[str, ...]  # the 2011 council areas it is made of (ONS codes)


REORGANISATIONS: Final[tuple[Reorganisation, ...]] = (
    Reorganisation(
        "E06000058", "Bournemouth, Christchurch and Poole", "1 April 2019",
        "Bournemouth and Poole unitary councils, and Christchurch from Dorset county",
        ("E06000028", "E06000029", "E07000048"),
    ),
    Reorganisation(
        "E06000059", "Dorset", "1 April 2019",
        "Dorset county council (except Christchurch) and its districts",
        ("E07000049", "E07000050", "E07000051", "E07000052", "E07000053"),
    ),
    Reorganisation(
        "E06000060", "Buckinghamshire", "1 April 2020",
        "Buckinghamshire county council and its four districts",
        ("E07000004", "E07000005", "E07000006", "E07000007"),
    ),
    Reorganisation(
        "E06000061", "North Northamptonshire", "1 April 2021",
        "the north and east of Northamptonshire county",
        ("E07000150", "E07000152", "E07000153", "E07000156"),
    ),
    Reorganisation(
        "E06000062", "West Northamptonshire", "1 April 2021",
        "the west of Northamptonshire county",
        ("E07000151", "E07000154", "E07000155"),
    ),
    Reorganisation(
        "E06000063", "Cumberland", "1 April 2023",
        "the north and west of Cumbria county",
        ("E07000026", "E07000028", "E07000029"),
    ),
    Reorganisation(
        "E06000064", "Westmorland and Furness", "1 April 2023",
        "the south and east of Cumbria county",
        ("E07000027", "E07000030", "E07000031"),
    ),
    Reorganisation(
        "E06000065", "North Yorkshire", "1 April 2023",
        "North Yorkshire county council and its seven districts (York stays separate)",
        ("E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168",
         "E07000169"),
    ),
    Reorganisation(
        "E06000066", "Somerset", "1 April 2023",
        "Somerset county council and its districts (Taunton Deane and West Somerset had "
        "merged in 2019)",
        ("E07000187", "E07000188", "E07000189", "E07000190", "E07000191"),
    ),
)

#: The counties abolished by these changes (ONS code -> name), for the build's checks.
ABOLISHED_COUNTIES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "E10000002": ("Buckinghamshire", ("E06000060",)),
    "E10000009": ("Dorset", ("E06000058", "E06000059")),
    "E10000021": ("Northamptonshire", ("E06000061", "E06000062")),
    "E10000006": ("Cumbria", ("E06000063", "E06000064")),
    "E10000023": ("North Yorkshire", ("E06000065",)),
    "E10000027": ("Somerset", ("E06000066",)),
}

#: The 2021-22 districts abolished in April 2023 and the new council each joined.
DISTRICTS_2022_TO_2023: Final[dict[str, str]] = {
    "E07000026": "E06000063",
    "E07000028": "E06000063",
    "E07000029": "E06000063",
    "E07000027": "E06000064",
    "E07000030": "E06000064",
    "E07000031": "E06000064",
    **dict.fromkeys(
        ("E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168",
         "E07000169"),
        "E06000065",
    ),
    # Somerset West and Taunton (2019) replaced Taunton Deane and West Somerset
    **dict.fromkeys(("E07000187", "E07000188", "E07000189", "E07000246"), "E06000066"),
}

#: 2011 codes that ONS changed in 2013 for the same area (old -> new).
RECODED_2013: Final[dict[str, str]] = {
    "E06000048": "E06000057",  # Northumberland
    "E08000020": "E08000037",  # Gateshead
    "E07000097": "E07000242",  # East Hertfordshire
    "E07000101": "E07000243",  # Stevenage
}


def reorganisation(code: str) -> Reorganisation | None:
    """The change that created the council with ONS code ``code``, if it is a new one."""
    for change in REORGANISATIONS:
        if change.code == code:
            return change
    return None
