"""Forgiving matching of place names: one key per place, however people spell it.

Sources spell the same authority differently ("Bristol, City of" / "Bristol", "Rhondda
Cynon Taff" / "Rhondda Cynon Taf", "East" / "East of England"); users add "Council",
"Royal Borough of", "&". `name_key` gives the key the build script stores; `query_keys`
gives the keys worth trying for what a user typed, most literal first.
"""

from __future__ import annotations

import re
import unicodedata

#: source spellings that differ by more than punctuation (key -> key)
KEY_ALIASES: dict[str, str] = {
    "rhondda cynon taff": "rhondda cynon taf",
    "east": "east of england",
    "durham": "county durham",
}

#: nicknames and abbreviations users type (normalised text -> key)
QUERY_ALIASES: dict[str, str] = {
    "rbkc": "kensington and chelsea",
    "k and c": "kensington and chelsea",
    "kandc": "kensington and chelsea",
    "wcc": "westminster",
    "lbhf": "hammersmith and fulham",
    "h and f": "hammersmith and fulham",
    "hull": "kingston upon hull",
    "bcp": "bournemouth christchurch and poole",
}

_PREFIXES = (
    "the ",
    "royal borough of ",
    "london borough of ",
    "metropolitan borough of ",
    "borough of ",
    "city and county of ",
    "county borough of ",
    "city of ",
    "county of ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " county borough council",
    " borough council",
    " district council",
    " county council",
    " city council",
    " council",
    " local authority",
    " la",
)


def normalise(text: str) -> str:
    """Lower case, '&' as 'and', punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def name_key(name: str) -> str:
    """The key a source's place name is stored under ("Bristol, City of" -> "bristol")."""
    key = normalise(name)
    for tail in (" city of", " county of"):
        if key.endswith(tail):
            key = key[: -len(tail)]
    return KEY_ALIASES.get(key, key)


def query_keys(text: str) -> list[str]:
    """Keys to try for what a user typed, most literal first."""
    base = normalise(text)
    keys = [base, name_key(base)]
    if base in QUERY_ALIASES:
        keys.append(QUERY_ALIASES[base])
    stripped = base
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if stripped.startswith(prefix) and len(stripped) > len(prefix):
                stripped = stripped[len(prefix) :]
                changed = True
        for suffix in _SUFFIXES:
            if stripped.endswith(suffix) and len(stripped) > len(suffix):
                stripped = stripped[: -len(suffix)]
                changed = True
        keys.append(stripped)
    keys.append(name_key(stripped))
    if stripped in QUERY_ALIASES:
        keys.append(QUERY_ALIASES[stripped])
    keys.append(stripped.replace(" ", ""))
    return list(dict.fromkeys(k for k in keys if k))
