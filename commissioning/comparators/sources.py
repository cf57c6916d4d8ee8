"""The embedded comparator sources: what each counts, where it comes from, its limits.

One `SourceSpec` per source is the single place its title, citation, licence line and
caveats are written, so every report cites a comparator the same way. The build script
copies these into ``commissioning/data/manifest.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from commissioning.comparators.info import OGL_DFE, OGL_ONS

ONS: Final = "Office for National Statistics"
DFE: Final = "Department for Education"

#: caveats, word for word (tests and templates rely on them)
CAVEAT_C21_ALL_AGES: Final = (
    "Census 2021 figures are for all ages, not children: children are more ethnically "
    "diverse than adults, so this comparator understates minority groups among children."
)
CAVEAT_C21_SDC: Final = (
    "Census 2021 counts carry ONS disclosure control, so small cells can differ by a few "
    "people from other Census outputs."
)
CAVEAT_C11_OLD: Final = (
    "Census 2011 is more than ten years old: the local population has changed since."
)
CAVEAT_C11_GEOGRAPHY: Final = (
    "Census 2011 figures are for the council areas of 2011 (districts, unitary authorities "
    "and boroughs); today's county and new unitary councils are the sum of their 2011 areas."
)
CAVEAT_C11_ADDED: Final = (
    "The Census 2011 figures for {place} are the sum of its {n} council areas of 2011: "
    "{areas}."
)
CAVEAT_NO_ETHNICITY: Final = (
    "{title} has no ethnic breakdown: it compares sex and age only."
)
CAVEAT_MYE_ORIGINAL: Final = (
    "These are the mid-{year} estimates as ONS first published them ({published}); ONS has "
    "since revised them, so they can differ slightly from figures published later."
)
CAVEAT_NEW_COUNCILS: Final = (
    "Figures for Cumberland, Westmorland and Furness, North Yorkshire and Somerset are the "
    "sums of the districts they replaced in April 2023."
)
CAVEAT_MYE2024_PERSONS: Final = (
    "Mid-2024 estimates here have no split by sex (persons only)."
)
CAVEAT_TS007A_BANDS: Final = (
    "Census 2021 counts ages in five-year bands (0-4, 5-9, 10-14, 15-19, ...) with no split "
    "by sex, so 16-17 cannot be separated from 15-19."
)
CAVEAT_SCHOOL_LOCATION: Final = (
    "School census counts pupils where they go to school, not where they live."
)
CAVEAT_SCHOOL_PROXY: Final = (
    "School census counts only pupils in state-funded and non-maintained schools (not "
    "independent schools, children under school age or children out of school), so it is a "
    "proxy for the child population, not a count of resident children."
)
CAVEAT_SCHOOL_CLASSIFICATION: Final = (
    "DfE ethnic groups differ from the Census: Arab pupils are counted in 'Any other ethnic "
    "group', Gypsy and Roma pupils are one group, and 'Unclassified' pupils are not known."
)
CAVEAT_FSM: Final = (
    "Free school meal figures count pupils known to be eligible and registered for free "
    "school meals; eligible families who have not applied are not counted."
)
CAVEAT_CLA_OLD: Final = "Children looked after figures are for 31 March 2017 and are old."
CAVEAT_CLA_SUPPRESSED: Final = (
    "DfE suppressed small numbers for {groups}; those {count} children are counted as not "
    "known, so those groups look smaller than they are."
)
CAVEAT_CLA_MAJOR_ONLY: Final = "Children looked after figures give the five major groups only."


MYE_UK_URL: Final = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
    "populationestimates/datasets/populationestimatesforukenglandandwalesscotlandand"
    "northernireland"
)
MYE_EW_URL: Final = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
    "populationestimates/datasets/estimatesofthepopulationforenglandandwales"
)
TS007A_URL: Final = "https://www.nomisweb.co.uk/sources/census_2021_bulk"


@dataclass(frozen=True)
class SourceSpec:
    """An embedded source. ``years`` are listed by the data; ``ages`` is its own age range."""

    key: str
    title: str
    publisher: str
    table_id: str
    url: str
    attribution: str
    citation: str
    file: str
    what: str  # one plain sentence: what it counts
    ages: str  # age range it covers when no ``ages`` is asked for
    caveats: tuple[str, ...]
    academic_years: bool = False
    has_age_bands: bool = False
    has_sex: bool = False
    kind: str = "fixed"
    has_ethnicity: bool = True
    vintage: str = ""  # which release of the figures (ONS revises its estimates)
    boundaries: str = ""  # whose council areas the figures are for


SOURCES: Final[dict[str, SourceSpec]] = {
    "census2021": SourceSpec(
        key="census2021",
        title="Census 2021: Ethnic group (TS021), all usual residents",
        publisher=ONS,
        table_id="TS021",
        url="https://www.ons.gov.uk/datasets/TS021/editions/2021/versions/3",
        attribution=OGL_ONS,
        citation=(
            "Office for National Statistics, Census 2021, table TS021 'Ethnic group' "
            "(20 categories), all usual residents, 2023 upper-tier local authorities, "
            "regions and countries. https://www.ons.gov.uk/datasets/TS021/editions/2021/"
            "versions/3. " + OGL_ONS + "."
        ),
        file="census2021.csv.gz",
        what="Everyone living in the area on Census Day, 21 March 2021, all ages.",
        ages="all ages",
        caveats=(CAVEAT_C21_ALL_AGES, CAVEAT_C21_SDC),
        vintage="Census 2021 first results (TS021, version 3)",
        boundaries="upper-tier councils of April 2023",
    ),
    "census2011": SourceSpec(
        key="census2011",
        title="Census 2011: Ethnic group by sex by age (DC2101EW)",
        publisher=ONS,
        table_id="DC2101EW",
        url="https://www.nomisweb.co.uk/census/2011/dc2101ew",
        attribution=OGL_ONS,
        citation=(
            "Office for National Statistics, 2011 Census, table DC2101EW 'Ethnic group by "
            "sex by age', usual residents, 2011 local authorities, regions and countries, "
            "via Nomis. https://www.nomisweb.co.uk/census/2011/dc2101ew. " + OGL_ONS + "."
        ),
        file="census2011.csv.gz",
        what="Everyone living in the area on 27 March 2011, by sex and age band.",
        ages="all ages",
        caveats=(CAVEAT_C11_OLD, CAVEAT_C11_GEOGRAPHY),
        has_age_bands=True,
        has_sex=True,
        vintage="2011 Census (Nomis DC2101EW)",
        boundaries=(
            "council areas of 2011, plus today's upper-tier councils (April 2023) as the sum "
            "of their 2011 areas"
        ),
    ),
    "school-census": SourceSpec(
        key="school-census",
        title="Schools, pupils and their characteristics: pupils by ethnicity",
        publisher=DFE,
        table_id="spc_pupils_ethnicity_and_language",
        url=(
            "https://explore-education-statistics.service.gov.uk/find-statistics/"
            "school-pupils-and-their-characteristics"
        ),
        attribution=OGL_DFE,
        citation=(
            "Department for Education, 'Schools, pupils and their characteristics', school "
            "census (January), data set spc_pupils_ethnicity_and_language: pupil headcount by "
            "ethnicity, all school types, "
            "state-funded and non-maintained schools by school location. "
            "https://explore-education-statistics.service.gov.uk/find-statistics/"
            "school-pupils-and-their-characteristics. " + OGL_DFE + "."
        ),
        file="school-census.csv.gz",
        what="Pupils on roll in the area's state-funded and non-maintained schools (January).",
        ages="school age (pupils on roll)",
        caveats=(CAVEAT_SCHOOL_LOCATION, CAVEAT_SCHOOL_PROXY, CAVEAT_SCHOOL_CLASSIFICATION),
        academic_years=True,
    ),
    "fsm": SourceSpec(
        key="fsm",
        title=(
            "Schools, pupils and their characteristics: pupils known to be eligible for free "
            "school meals, by ethnicity"
        ),
        publisher=DFE,
        table_id="spc_pupils_fsm_ethnicity_yrgp",
        url=(
            "https://explore-education-statistics.service.gov.uk/find-statistics/"
            "school-pupils-and-their-characteristics"
        ),
        attribution=OGL_DFE,
        citation=(
            "Department for Education, 'Schools, pupils and their characteristics', school "
            "census (January), data set spc_pupils_fsm_ethnicity_yrgp: pupils known to be "
            "eligible for free school meals by ethnicity, all school types, by school location. "
            "https://explore-education-statistics.service.gov.uk/find-statistics/"
            "school-pupils-and-their-characteristics. " + OGL_DFE + "."
        ),
        file="fsm.csv.gz",
        what="Pupils known to be eligible for free school meals in the area's schools.",
        ages="school age (pupils on roll)",
        caveats=(
            CAVEAT_FSM,
            CAVEAT_SCHOOL_LOCATION,
            CAVEAT_SCHOOL_PROXY,
            CAVEAT_SCHOOL_CLASSIFICATION,
        ),
        academic_years=True,
    ),
    "child-population": SourceSpec(
        key="child-population",
        title="Mid-year population estimates: children aged 0 to 17 (totals)",
        publisher=ONS,
        table_id="MYE",
        url=(
            "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
            "populationestimates/datasets/populationestimatesforukenglandandwalesscotlandand"
            "northernireland"
        ),
        attribution=OGL_ONS,
        citation=(
            "Office for National Statistics, mid-year population estimates, children aged "
            "0 to 17, local authorities in England, as published in the Department for "
            "Education children's social care dashboard. " + OGL_ONS + "."
        ),
        file="child-population.csv.gz",
        what="How many children aged 0 to 17 live in the area (no ethnicity).",
        ages="0-17",
        caveats=(),
    ),
    "cla": SourceSpec(
        key="cla",
        title="Children looked after in England at 31 March 2017, by ethnic group",
        publisher=DFE,
        table_id="SFR 50/2017",
        url=(
            "https://www.gov.uk/government/statistics/children-looked-after-in-england-"
            "including-adoption-2016-to-2017"
        ),
        attribution=OGL_DFE,
        citation=(
            "Department for Education, SFR 50/2017 'Children looked after in England "
            "including adoption: 2016 to 2017', local authority tables (SSDA903). "
            "https://www.gov.uk/government/statistics/children-looked-after-in-england-"
            "including-adoption-2016-to-2017. " + OGL_DFE + "."
        ),
        file="cla.csv.gz",
        what="Children looked after by the council at 31 March 2017, by major ethnic group.",
        ages="0-17",
        caveats=(CAVEAT_CLA_OLD, CAVEAT_CLA_MAJOR_ONLY),
        kind="independent",
    ),
    "mye2021": SourceSpec(
        key="mye2021",
        title="ONS mid-2021 population estimates by sex and single year of age (MYE2)",
        publisher=ONS,
        table_id="MYE2",
        url=MYE_UK_URL,
        attribution=OGL_ONS,
        citation=(
            "Office for National Statistics, 'Population estimates for the UK, England, "
            "Wales, Scotland and Northern Ireland: mid-2021', tables MYE2 (females, males), "
            "as first published on 21 December 2022; council areas of April 2023. "
            + MYE_UK_URL + ". " + OGL_ONS + "."
        ),
        file="mye2021.csv.gz",
        what="Everyone living in the area at 30 June 2021, by sex and single year of age.",
        ages="all ages",
        caveats=(
            CAVEAT_MYE_ORIGINAL.format(year="2021", published="21 December 2022"),
            CAVEAT_NEW_COUNCILS,
        ),
        has_age_bands=True,
        has_sex=True,
        has_ethnicity=False,
        vintage="original release, 21 December 2022 (Census 2021-based; later revised)",
        boundaries="April 2023 councils; the four councils created then are sums of 2021 districts",
    ),
    "mye2022": SourceSpec(
        key="mye2022",
        title="ONS mid-2022 population estimates by sex and single year of age (MYE2)",
        publisher=ONS,
        table_id="MYE2",
        url=MYE_UK_URL,
        attribution=OGL_ONS,
        citation=(
            "Office for National Statistics, 'Population estimates for the UK, England, "
            "Wales, Scotland and Northern Ireland: mid-2022', tables MYE2 (females, males), "
            "as first published on 26 March 2024; council areas of April 2023. "
            + MYE_UK_URL + ". " + OGL_ONS + "."
        ),
        file="mye2022.csv.gz",
        what="Everyone living in the area at 30 June 2022, by sex and single year of age.",
        ages="all ages",
        caveats=(CAVEAT_MYE_ORIGINAL.format(year="2022", published="26 March 2024"),),
        has_age_bands=True,
        has_sex=True,
        has_ethnicity=False,
        vintage="original release, 26 March 2024 (later revised)",
        boundaries="April 2023 councils (as published)",
    ),
    "mye2024": SourceSpec(
        key="mye2024",
        title="ONS mid-2024 population estimates by single year of age, persons (MYE2)",
        publisher=ONS,
        table_id="MYE2",
        url=MYE_EW_URL,
        attribution=OGL_ONS,
        citation=(
            "Office for National Statistics, 'Estimates of the population for England and "
            "Wales: mid-2024', table MYE2 - Persons; council areas of April 2023. "
            + MYE_EW_URL + ". " + OGL_ONS + "."
        ),
        file="mye2024.csv.gz",
        what="Everyone living in the area at 30 June 2024, by single year of age (no sex).",
        ages="all ages",
        caveats=(CAVEAT_MYE2024_PERSONS,),
        has_age_bands=True,
        has_ethnicity=False,
        vintage="first release (2025); the same vintage as the child-population totals",
        boundaries="April 2023 councils (as published)",
    ),
    "census2021-age": SourceSpec(
        key="census2021-age",
        title="Census 2021: Age by five-year age bands (TS007A), all usual residents",
        publisher=ONS,
        table_id="TS007A",
        url=TS007A_URL,
        attribution=OGL_ONS,
        citation=(
            "Office for National Statistics, Census 2021, table TS007A 'Age by five-year age "
            "bands', all usual residents, via Nomis bulk download (NM_2020_1); council areas "
            "of April 2023. " + TS007A_URL + ". " + OGL_ONS + "."
        ),
        file="census2021-age.csv.gz",
        what="Everyone living in the area on Census Day, 21 March 2021, by five-year age band.",
        ages="all ages",
        caveats=(CAVEAT_TS007A_BANDS, CAVEAT_C21_SDC, CAVEAT_NEW_COUNCILS),
        has_age_bands=True,
        has_ethnicity=False,
        vintage="Census 2021 first results (TS007A)",
        boundaries="April 2023 councils; the four councils created then are sums of 2022 districts",
    ),
}

#: sources that give sex and age but no ethnicity
AGE_SOURCES: Final = ("mye2022", "mye2021", "mye2024", "census2021-age")
#: every source that can be a comparator (child-population is context only)
COMPARATOR_SOURCES: Final = ("census2021", "census2011", "school-census", "fsm", "cla",
                             *AGE_SOURCES)

#: sources that give an ethnic breakdown (child-population is totals only)
ETHNICITY_SOURCES: Final = ("census2021", "census2011", "school-census", "fsm", "cla")

#: the default comparator for children's services, and the fall-back where it has no
#: figures (Wales); the reasons are in docs/population.md
DEFAULT_SOURCE: Final = "school-census"
FALLBACK_SOURCE: Final = "census2021"
#: with no source named but an age range or sex asked for: the only source that has them
AGE_SEX_SOURCE: Final = "census2011"
CAVEAT_AGE_SEX_DEFAULT: Final = (
    "An age range or sex was asked for and only Census 2011 has ethnicity by age and sex, "
    "so Census 2011 was used instead of the school census."
)
CAVEAT_FALLBACK: Final = (
    "There are no school census figures for {place}, so Census 2021 (all ages) was used "
    "instead."
)
