"""Finding the authority a user means, by name, code, old DfE code or nickname.

"Westminster", "westminster", "City of Westminster", "WCC", "E09000033" and "213" all
mean one place; "Bi-Borough" means Westminster and Kensington and Chelsea together. An
unknown name raises `UnknownAuthorityError` with up to three close matches.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from typing import Final

import pandas as pd

from commissioning.comparators.names import QUERY_ALIASES, name_key, normalise, query_keys
from commissioning.comparators.sources import SOURCES
from commissioning.comparators.store import authority_index
from commissioning.errors import UnknownAuthorityError

MSG_UNKNOWN_AUTHORITY: Final = (
    'No local authority called "{name}". Did you mean: {matches}? '
    'Run "commissioning authorities" to see them all.'
)
MSG_UNKNOWN_AUTHORITY_NO_MATCH: Final = (
    'No local authority called "{name}". Run "commissioning authorities" to see them all, '
    'or give its ONS code, such as E09000033 for Westminster.'
)
MSG_NO_AUTHORITY: Final = (
    'No local authority was given. Name one, such as "Westminster", or run '
    '"commissioning authorities" to see them all.'
)

BI_BOROUGH: Final = "Bi-Borough"
BI_BOROUGH_KEYS: Final = frozenset({"bi borough", "biborough", "bi boroughs", "the bi borough"})
BI_BOROUGH_MEMBERS: Final = ("westminster", "kensington and chelsea")
_MAX_ECHO = 60


@dataclass(frozen=True)
class Place:
    """One geography as the sources know it (an authority, region or country)."""

    key: str
    level: str  # "authority", "region" or "country"
    name: str
    codes: tuple[str, ...]
    old_la_codes: tuple[str, ...]
    years: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)

    def years_for(self, source: str) -> tuple[str, ...]:
        return self.years.get(source, ())


@dataclass(frozen=True)
class Authority:
    """What the user asked for: one place, or several summed (Bi-Borough)."""

    name: str
    places: tuple[Place, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for place in self.places for code in place.codes)


def _place(row: pd.Series) -> Place:
    split = lambda text: tuple(x for x in str(text).split("|") if x)  # noqa: E731
    return Place(
        key=row["key"],
        level=row["level"],
        name=row["name"],
        codes=split(row["codes"]),
        old_la_codes=split(row["old_la_codes"]),
        years={source: split(row[source]) for source in SOURCES if source in row.index},
    )


@cache
def all_places() -> tuple[Place, ...]:
    """Every place in the embedded data: countries, then regions, then authorities."""
    return tuple(_place(row) for _, row in authority_index().iterrows())


@cache
def _lookup() -> tuple[dict[str, Place], dict[str, Place]]:
    """(code -> place, name key -> place)."""
    by_code: dict[str, Place] = {}
    by_name: dict[str, Place] = {}
    index = authority_index()
    for place, spellings in zip(all_places(), index["spellings"], strict=True):
        for code in (*place.codes, *place.old_la_codes):
            by_code[code.upper()] = place
        by_name.setdefault(place.key, place)
        for spelling in str(spellings).split("|"):
            by_name.setdefault(normalise(spelling), place)
            by_name.setdefault(name_key(spelling), place)
    return by_code, by_name


def find_authority(query: str) -> Authority:
    """The authority (or Bi-Borough) a user means; `UnknownAuthorityError` if none."""
    text = " ".join(str(query).split())
    if not text:
        raise UnknownAuthorityError(MSG_NO_AUTHORITY)
    by_code, by_name = _lookup()
    if normalise(text) in BI_BOROUGH_KEYS:
        return Authority(BI_BOROUGH, tuple(by_name[k] for k in BI_BOROUGH_MEMBERS))
    code = text.upper().replace(" ", "")
    if code in by_code:
        place = by_code[code]
        return Authority(place.name, (place,))
    for key in query_keys(text):
        if key in BI_BOROUGH_KEYS:
            return Authority(BI_BOROUGH, tuple(by_name[k] for k in BI_BOROUGH_MEMBERS))
        if key in by_name:
            place = by_name[key]
            return Authority(place.name, (place,))
    raise UnknownAuthorityError(_unknown_message(text))


def _unknown_message(text: str) -> str:
    shown = text if len(text) <= _MAX_ECHO else text[: _MAX_ECHO - 3] + "..."
    shown = shown.replace('"', "'")
    matches = closest_names(text)
    if not matches:
        return MSG_UNKNOWN_AUTHORITY_NO_MATCH.format(name=shown)
    return MSG_UNKNOWN_AUTHORITY.format(name=shown, matches=", ".join(matches))


def closest_names(text: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` display names that look like ``text`` (difflib ratio >= 0.6)."""
    choices: dict[str, str] = {}
    for place in all_places():
        choices.setdefault(name_key(place.name), place.name)
    for alias, key in QUERY_ALIASES.items():
        if key in _lookup()[1]:
            choices.setdefault(alias, _lookup()[1][key].name)
    choices.setdefault("bi borough", BI_BOROUGH)
    wanted = name_key(text)
    found = difflib.get_close_matches(wanted, list(choices), n=limit * 2, cutoff=0.6)
    return list(dict.fromkeys(choices[f] for f in found))[:limit]


def list_authorities(source: str | None = None, search: str | None = None) -> pd.DataFrame:
    """Places with their codes and years per source, for people choosing a comparator.

    Columns: ``name``, ``level``, ``codes``, ``old_la_codes`` and one column per source
    (years joined by ", "). ``source`` keeps places that source covers; ``search`` keeps
    places whose name or code contains the text (case- and punctuation-insensitive).
    """
    index = authority_index()
    out = pd.DataFrame(
        {
            "name": index["name"],
            "level": index["level"],
            "codes": index["codes"].str.replace("|", ", "),
            "old_la_codes": index["old_la_codes"].str.replace("|", ", "),
        }
    )
    for key in SOURCES:
        out[key] = index[key].str.replace("|", ", ")
    keep = pd.Series(True, index=index.index)
    if source is not None:
        keep &= index[source] != ""
    if search:
        wanted = normalise(search)
        compact = wanted.replace(" ", "")
        names = index["spellings"].map(normalise)
        codes = (index["codes"] + "|" + index["old_la_codes"]).str.lower()
        keep &= names.str.contains(wanted, regex=False) | codes.str.contains(compact, regex=False)
        if wanted in BI_BOROUGH_KEYS:
            keep |= index["key"].isin(BI_BOROUGH_MEMBERS)
    return out.loc[keep].reset_index(drop=True)
