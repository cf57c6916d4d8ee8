"""Comparator populations: embedded ONS/DfE figures for every authority, and user files.

`population("Westminster")` gives the default comparator for children's services;
`population("Westminster", source="census2011", ages="0-17")` a particular one, and
`population("Kent", source="mye2022", ages="0-17")` sex by single year of age (no
ethnicity: see `PopulationInfo.characteristics`). Each is a
`Population`: `Counts` in the canonical classification plus `PopulationInfo` (source,
year, geography, ages, caveats, citation and licence line).
"""

from __future__ import annotations

from commissioning.comparators.authorities import (
    Authority,
    Place,
    find_authority,
    list_authorities,
)
from commissioning.comparators.children import child_population
from commissioning.comparators.choose import comparator_file, load_comparator
from commissioning.comparators.embedded import population
from commissioning.comparators.info import OGL_DFE, OGL_ONS, Population, PopulationInfo
from commissioning.comparators.serviceages import AgeMatch, comparator_ages, match_ages
from commissioning.comparators.sources import AGE_SOURCES, DEFAULT_SOURCE, SOURCES
from commissioning.comparators.userfile import load_comparator_file

__all__ = [
    "AGE_SOURCES",
    "DEFAULT_SOURCE",
    "OGL_DFE",
    "OGL_ONS",
    "SOURCES",
    "AgeMatch",
    "Authority",
    "Place",
    "Population",
    "PopulationInfo",
    "child_population",
    "comparator_ages",
    "comparator_file",
    "find_authority",
    "list_authorities",
    "load_comparator",
    "load_comparator_file",
    "match_ages",
    "population",
]


