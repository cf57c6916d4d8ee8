"""`population()`: an embedded comparator for an authority, as `Counts` plus its metadata.

The steps are: find the authority, choose the source and year, take the place's row(s),
keep the columns for the ages and sex asked for, and turn the source's labels into
canonical groups (already classified when the file was loaded). Bi-Borough sums its two
boroughs. Anything that cannot be done exactly as asked is refused with a message that
names what is available; nothing is silently widened.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
import pandas as pd

from commissioning.comparators.agerange import age_label, bands_within, parse_ages
from commissioning.comparators.authorities import Authority, Place, find_authority
from commissioning.comparators.info import Population, PopulationInfo
from commissioning.comparators.sources import (
    AGE_SEX_SOURCE,
    CAVEAT_AGE_SEX_DEFAULT,
    CAVEAT_C11_ADDED,
    CAVEAT_CLA_SUPPRESSED,
    CAVEAT_FALLBACK,
    CAVEAT_NO_ETHNICITY,
    COMPARATOR_SOURCES,
    DEFAULT_SOURCE,
    FALLBACK_SOURCE,
    SOURCES,
    SourceSpec,
)
from commissioning.comparators.store import CLA_LABELS, SourceTable, load, manifest
from commissioning.errors import ComparatorError
from commissioning.model.categories import NOT_KNOWN
from commissioning.model.counts import Counts

MSG_UNKNOWN_SOURCE: Final = (
    'There is no comparator source called "{source}". Choose one of: {choices}; or give '
    "your own comparator file."
)
MSG_NO_COMPARATOR_FILE: Final = (
    'The comparator file "{source}" was not found. Check the file name and the folder, or '
    "give a source name instead: {choices}."
)
#: Endings that make a --comparator value a file name rather than a source name.
FILE_ENDINGS: Final = (".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".txt")
MSG_NOT_IN_SOURCE: Final = (
    "There are no {title} figures for {place}. {coverage} {alternatives}"
)
MSG_ALTERNATIVES: Final = "Figures for {place} are available from: {sources}."
MSG_NO_ALTERNATIVES: Final = 'Run "commissioning authorities" to see what each source covers.'
MSG_BAD_YEAR: Final = (
    "There are no {title} figures for {year}. Years available for {place}: {years}."
)
MSG_ACADEMIC_YEAR: Final = (
    'School census years are academic years, such as "{latest}". Years available for '
    "{place}: {years}."
)
MSG_NO_COMMON_YEAR: Final = (
    "{title} has no year with figures for all of {places}. Ask for each one separately."
)
MSG_NO_AGES: Final = (
    '{title} has no age breakdown, so ages "{ages}" cannot be taken from it. Leave out the '
    "age range, or use the census2011 source, which has ethnicity by age (for example 0-17), "
    "or mye2022, which has sex by single year of age."
)
MSG_NO_SEX: Final = (
    "{title} has no breakdown by sex. Leave out the sex, or use the census2011 or mye2022 "
    "source."
)
MSG_BAD_SEX: Final = 'Sex must be "female" or "male" for {title} figures.'

COVERAGE: Final[dict[str, str]] = {
    "census2021": (
        "Census 2021 figures here are for the upper-tier councils of 2023 (counties, unitary "
        "authorities, metropolitan and London boroughs), regions and countries, not district "
        "councils or councils that no longer exist."
    ),
    "census2011": (
        "Census 2011 figures are for the council areas of 2011 (districts, unitary "
        "authorities and boroughs), today's upper-tier councils (as the sum of their 2011 "
        "areas), regions and countries; district councils created since 2011 are not among "
        "them."
    ),
    **dict.fromkeys(
        ("mye2021", "mye2022", "mye2024", "census2021-age"),
        "Mid-year estimate and Census 2021 age figures are for the councils of England and "
        "Wales as they are since April 2023 (districts, counties, unitary authorities and "
        "boroughs), regions and countries.",
    ),
    "school-census": (
        "School census figures are for councils in England (not Wales) as they were in each "
        "school year, with the English regions and England."
    ),
    "fsm": (
        "Free school meal figures are for councils in England (not Wales) as they were in "
        "each school year, with the English regions and England."
    ),
    "cla": (
        "Children looked after figures are for English councils at 31 March 2017, with the "
        "regions and England."
    ),
}
CAVEAT_FSM_PARTIAL: Final = (
    "In {year} DfE's free school meal figures by ethnicity cover fewer pupils than its "
    "free school meal total (about one in ten fewer), so use a later year if you can."
)
FSM_PARTIAL_YEARS: Final = ("2015/16", "2016/17")

_SOURCE_ALIASES: Final[dict[str, str]] = {
    "census2021": "census2021",
    "2021census": "census2021",
    "census21": "census2021",
    "ts021": "census2021",
    "census2011": "census2011",
    "2011census": "census2011",
    "census11": "census2011",
    "dc2101ew": "census2011",
    "schoolcensus": "school-census",
    "schools": "school-census",
    "pupils": "school-census",
    "spc": "school-census",
    "fsm": "fsm",
    "freeschoolmeals": "fsm",
    "cla": "cla",
    "childrenlookedafter": "cla",
    "lookedafter": "cla",
    "lookedafterchildren": "cla",
    "mye2021": "mye2021",
    "mid2021": "mye2021",
    "mye2022": "mye2022",
    "mid2022": "mye2022",
    "mye2024": "mye2024",
    "mid2024": "mye2024",
    "census2021age": "census2021-age",
    "ts007a": "census2021-age",
}
_SEXES: Final[dict[str, str]] = {
    "female": "Female",
    "females": "Female",
    "f": "Female",
    "girls": "Female",
    "male": "Male",
    "males": "Male",
    "m": "Male",
    "boys": "Male",
}
_ALL_SEXES: Final = frozenset({"", "all", "any", "both", "everyone"})
_ACADEMIC = re.compile(r"^(\d{4})\s*(?:/|-|–|to)?\s*(\d{2}|\d{4})$")
_MAX_ECHO = 30


def source_key(source: str) -> str:
    """The embedded source meant by ``source`` ("Census 2021", "school census", "FSM")."""
    compact = re.sub(r"[^0-9a-z]+", "", str(source).lower())
    key = _SOURCE_ALIASES.get(compact)
    if key is None:
        shown = str(source)[:_MAX_ECHO].replace('"', "'")
        looks_like_file = str(source).lower().endswith(FILE_ENDINGS) or any(
            sep in str(source) for sep in ("/", "\\")
        )
        message = MSG_NO_COMPARATOR_FILE if looks_like_file else MSG_UNKNOWN_SOURCE
        raise ComparatorError(
            message.format(source=shown, choices=", ".join(COMPARATOR_SOURCES))
        )
    return key


def population(
    authority: str,
    *,
    source: str | None = None,
    ages: str | None = None,
    sex: str | None = None,
    year: str | int | None = None,
) -> Population:
    """The embedded comparator for ``authority``: counts in the canonical classification,
    with the source, year, geography, ages, caveats and licence line.

    ``source=None`` means the default for children's services (school census, latest
    year; Census 2021 where there is no school census; Census 2011 when an age range or
    sex is asked for, as only it has them) — see docs/population.md.
    """
    where = find_authority(authority)
    extra_caveats: list[str] = []
    band = parse_ages(ages)
    wants_sex = sex is not None and str(sex).strip().lower() not in _ALL_SEXES
    if source is None and (band is not None or wants_sex):
        key = AGE_SEX_SOURCE
        extra_caveats.append(CAVEAT_AGE_SEX_DEFAULT)
    elif source is None:
        key = DEFAULT_SOURCE
        if not all(place.years_for(key) for place in where.places):
            key = FALLBACK_SOURCE
            extra_caveats.append(CAVEAT_FALLBACK.format(place=where.name))
    else:
        key = source_key(source)
    spec = SOURCES[key]
    _check_covered(where, spec)
    year_text = choose_year(where, spec, year)
    if band is not None and not spec.has_age_bands and band.label != spec.ages:
        raise ComparatorError(MSG_NO_AGES.format(title=spec.title, ages=band.label))
    sex_value = _sex(sex, spec)
    table = load(key)
    counts, codes, used_names, more = _counts(table, spec, where, year_text, band, sex_value)
    if key == "fsm" and year_text in FSM_PARTIAL_YEARS:
        extra_caveats.append(CAVEAT_FSM_PARTIAL.format(year=year_text))
    extra_caveats.extend(more)
    extra_caveats.extend(_added_caveats(key, codes, used_names))
    if not spec.has_ethnicity:
        extra_caveats.append(CAVEAT_NO_ETHNICITY.format(title=spec.title))
    geography = " + ".join(used_names)
    ages_text = age_label(band) if spec.has_age_bands else spec.ages
    characteristics = tuple(
        c
        for c, present in (
            ("ethnicity", spec.has_ethnicity),
            ("sex", counts.has("sex")),
            ("age_band", counts.has("age_band")),
        )
        if present
    )
    info = PopulationInfo(
        source=key,
        title=spec.title,
        publisher=spec.publisher,
        table_id=spec.table_id,
        year=year_text,
        geography=geography,
        geography_codes=codes,
        ages=ages_text,
        sex="all" if sex_value is None else sex_value,
        caveats=(*spec.caveats, *extra_caveats),
        attribution=spec.attribution,
        citation=spec.citation,
        kind=spec.kind,
        extra={"authority": where.name, "what": spec.what, "url": spec.url},
        characteristics=characteristics,
    )
    label = f"{where.name}, {spec.title}, {year_text}, {ages_text}"
    return Population(counts=counts.relabel(label), info=info)


def _added_caveats(key: str, codes: tuple[str, ...], names: list[str]) -> list[str]:
    """Census 2011 rows for today's councils are sums of 2011 areas: say which."""
    if key != "census2011":
        return []
    added = manifest()["sources"]["census2011"].get("councils_added_from_2011_areas", {})
    if not any(code in added for code in codes):
        return []
    area_names = _census2011_names()
    return [
        CAVEAT_C11_ADDED.format(
            place=name, n=len(added[code]), areas=", ".join(area_names[c] for c in added[code])
        )
        for code, name in zip(codes, names, strict=True)
        if code in added
    ]


def _census2011_names() -> dict[str, str]:
    rows = load("census2011").rows
    return dict(zip(rows["code"], rows["name"], strict=True))


def _check_covered(where: Authority, spec: SourceSpec) -> None:
    for place in where.places:
        if place.years_for(spec.key):
            continue
        others = [SOURCES[s].key for s in COMPARATOR_SOURCES if place.years_for(s)]
        alternatives = (
            MSG_ALTERNATIVES.format(place=place.name, sources=", ".join(others))
            if others
            else MSG_NO_ALTERNATIVES
        )
        raise ComparatorError(
            MSG_NOT_IN_SOURCE.format(
                title=spec.title,
                place=place.name,
                coverage=COVERAGE[spec.key],
                alternatives=alternatives,
            )
        )


def choose_year(where: Authority, spec: SourceSpec, year: str | int | None) -> str:
    """The year asked for (normalised), or the latest year every place has."""
    common = set(where.places[0].years_for(spec.key))
    for place in where.places[1:]:
        common &= set(place.years_for(spec.key))
    if not common:
        names = " and ".join(p.name for p in where.places)
        raise ComparatorError(MSG_NO_COMMON_YEAR.format(title=spec.title, places=names))
    available = sorted(common)
    listed = ", ".join(available)
    if year is None:
        return available[-1]
    text = str(year).strip()
    if spec.academic_years:
        match = _ACADEMIC.match(text)
        if match is None or len(text) == 4:
            raise ComparatorError(
                MSG_ACADEMIC_YEAR.format(latest=available[-1], place=where.name, years=listed)
            )
        start, end = match.group(1), match.group(2)
        text = f"{start}/{end[-2:]}"
        if int(end[-2:]) != (int(start) + 1) % 100:
            text = "?"
    if text not in common:
        shown = str(year)[:_MAX_ECHO]
        raise ComparatorError(
            MSG_BAD_YEAR.format(title=spec.title, year=shown, place=where.name, years=listed)
        )
    return text


def _sex(sex: str | None, spec: SourceSpec) -> str | None:
    if sex is None or str(sex).strip().lower() in _ALL_SEXES:
        return None
    if not spec.has_sex:
        raise ComparatorError(MSG_NO_SEX.format(title=spec.title))
    value = _SEXES.get(str(sex).strip().lower())
    if value is None:
        raise ComparatorError(MSG_BAD_SEX.format(title=spec.title))
    return value


def _counts(
    table: SourceTable,
    spec: SourceSpec,
    where: Authority,
    year: str,
    band: object,
    sex: str | None,
) -> tuple[Counts, tuple[str, ...], list[str], list[str]]:
    """Summed counts over the places, the codes and names used, and extra caveats."""
    positions: list[int] = []
    for place in where.places:
        found = table.row_positions(place.key, place.level, year)
        if len(found) != 1:  # the index said this year exists: the data disagree
            raise ComparatorError(_missing_year(spec, place, year))
        positions.extend(found.tolist())
    rows = table.rows.iloc[positions]
    values = table.values[positions]
    caveats: list[str] = []
    columns = np.ones(values.shape[1], dtype=bool)
    if table.age is not None:
        columns &= bands_within(table.age, band, spec.title)  # type: ignore[arg-type]
    if table.sex is not None and sex is not None:
        columns &= table.sex == sex
    frame = {
        "major": table.major[columns],
        "detailed": table.detailed[columns],
    }
    if table.sex is not None:
        frame["sex"] = table.sex[columns]
    if table.age is not None:
        frame["age_band"] = np.array([b.label for b in table.age], dtype=object)[columns]
    if table.totals is not None:
        values, caveats = _unsuppress(table, values, rows)
    frame["count"] = values[:, columns].sum(axis=0)
    result = pd.DataFrame(frame)
    if table.totals is not None:
        remainder = int(table.totals[positions].sum() - result["count"].sum())
        if remainder:
            hidden = pd.DataFrame(
                {"major": [NOT_KNOWN], "detailed": [NOT_KNOWN], "count": [remainder]}
            )
            result = pd.concat([result, hidden], ignore_index=True)
    codes = tuple(rows["code"])
    return Counts(result), codes, list(rows["name"]), caveats


def _unsuppress(
    table: SourceTable, values: np.ndarray, rows: pd.DataFrame
) -> tuple[np.ndarray, list[str]]:
    """Suppressed cells (-1) count as 0 here; the caller adds the remainder as not known."""
    suppressed = values < 0
    caveats = []
    for i, name in enumerate(rows["name"]):
        hidden = [CLA_LABELS[table.labels[j]] for j in np.flatnonzero(suppressed[i])]
        if hidden:
            shown = np.where(suppressed[i], 0, values[i]).sum()
            count = int(table.totals[int(rows.index[i])] - shown)  # type: ignore[index]
            groups = " and ".join(g.lower() if g == NOT_KNOWN else g for g in hidden)
            caveats.append(
                f"{name}: " + CAVEAT_CLA_SUPPRESSED.format(groups=groups, count=count)
            )
    return np.where(suppressed, 0, values), caveats


def _missing_year(spec: SourceSpec, place: Place, year: str) -> str:
    years = ", ".join(place.years_for(spec.key))
    return MSG_BAD_YEAR.format(title=spec.title, year=year, place=place.name, years=years)
