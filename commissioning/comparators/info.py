"""What a comparator population is: its source, year, geography, ages and limits.

Every report names its comparator with this information and prints its citation and
licence line (Open Government Licence v3.0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commissioning.model.counts import Counts

OGL_ONS = "Source: Office for National Statistics licensed under the Open Government Licence v3.0"
OGL_DFE = "Source: Department for Education, licensed under the Open Government Licence v3.0"


@dataclass(frozen=True)
class PopulationInfo:
    """Metadata of a comparator. ``ages`` is a canonical band label or "all ages"."""

    source: str  # short key, e.g. "census2021", "census2011", "school-census", "fsm", "file"
    title: str  # e.g. "Census 2021, ethnic group (table TS021)"
    publisher: str  # "Office for National Statistics" / "Department for Education" / user
    table_id: str  # "TS021", "DC2101EW", ...
    year: str  # "2021", "2021/22"
    geography: str  # authority name(s) as the source spells them
    geography_codes: tuple[str, ...]
    ages: str  # "all ages", "0-17", ...
    sex: str = "all"
    caveats: tuple[str, ...] = ()
    attribution: str = ""  # the licence line to print
    citation: str = ""  # full citation for the appendix
    kind: str = "fixed"  # suggested analysis mode: "fixed" (census-sized) or "independent"
    extra: dict[str, str] = field(default_factory=dict)
    #: what the comparator can be compared on: any of "ethnicity", "sex", "age_band".
    #: A sex/age source (the mid-year estimates) has no "ethnicity": its counts carry
    #: ethnicity "Not known" in every row, which is the truth, not an estimate.
    characteristics: tuple[str, ...] = ("ethnicity",)


@dataclass(frozen=True)
class Population:
    """A comparator: counts in the canonical classification plus what they are."""

    counts: Counts
    info: PopulationInfo

    @property
    def has_ethnicity(self) -> bool:
        """False for sex/age comparators: comparing ethnicity with them is meaningless."""
        return "ethnicity" in self.info.characteristics
