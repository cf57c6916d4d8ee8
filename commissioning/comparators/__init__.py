"""Comparator populations: embedded ONS/DfE figures for every authority, and user files.

`population("Westminster")` gives the default comparator for children's services;
`population("Westminster", source="census2011", ages="0-17")` a particular one. Each is a
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
from commissioning.comparators.sources import DEFAULT_SOURCE, SOURCES
from commissioning.comparators.userfile import load_comparator_file

__all__ = [
    "DEFAULT_SOURCE",
    "OGL_DFE",
    "OGL_ONS",
    "SOURCES",
    "Authority",
    "Place",
    "Population",
    "PopulationInfo",
    "child_population",
    "comparator_file",
    "find_authority",
    "list_authorities",
    "load_comparator",
    "load_comparator_file",
    "population",
]


