"""Comparator populations: embedded ONS/DfE figures for every authority, and user files.

`population("Westminster")` gives the default comparator for children's services;
`population("Westminster", source="census2011", ages="0-17")` a particular one. Each is a
`Population`: `Counts` in the canonical classification plus `PopulationInfo` (source,
year, geography, ages, caveats, citation and licence line).
"""

from __future__ import annotations

from commissioning.population.authorities import (
    Authority,
    Place,
    find_authority,
    list_authorities,
)
from commissioning.population.children import child_population
from commissioning.population.choose import comparator_file, load_comparator
from commissioning.population.embedded import population
from commissioning.population.info import OGL_DFE, OGL_ONS, Population, PopulationInfo
from commissioning.population.sources import DEFAULT_SOURCE, SOURCES
from commissioning.population.userfile import load_comparator_file

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

# `commissioning.population("Westminster")` calls `population()` (see commissioning._callable).
from commissioning._callable import make_module_callable

make_module_callable(__name__, population)
