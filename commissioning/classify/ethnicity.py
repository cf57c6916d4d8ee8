"""Classify ethnicity labels into Census 2021 major and detailed groups.

Each distinct label is looked up once in a table built from
`commissioning.classify.ethnicity_tables`, then spread over every row with one numpy
take. A label is "classified", "not known" (refused, not stated, blank...) or "unmapped"
(not recognised; never guessed).
"""

from __future__ import annotations

from functools import cache
from typing import Final, Literal

import numpy as np
import pandas as pd

from commissioning.classify import ethnicity_tables as tables
from commissioning.classify.notknown import NOT_KNOWN_KEYS
from commissioning.classify.text import as_text, label_key, map_distinct, take_columns
from commissioning.model.categories import (
    DETAILED_ONS_WORDING,
    DETAILED_TO_MAJOR,
    NOT_KNOWN,
    UNMAPPED,
)

Status = Literal["classified", "not known", "unmapped"]
CLASSIFIED: Final = "classified"
STATUS_NOT_KNOWN: Final = "not known"
STATUS_UNMAPPED: Final = "unmapped"
STATUSES: Final = (CLASSIFIED, STATUS_NOT_KNOWN, STATUS_UNMAPPED)

ETHNICITY_COLUMNS: Final = ("major", "detailed", "status")

#: (major, detailed, status) for one label.
EthnicityResult = tuple[str, str, str]

_NOT_KNOWN_RESULT: Final[EthnicityResult] = (NOT_KNOWN, NOT_KNOWN, STATUS_NOT_KNOWN)
_UNMAPPED_RESULT: Final[EthnicityResult] = (UNMAPPED, UNMAPPED, STATUS_UNMAPPED)

#: The ONS 2021 list in full ONS wording, plus "Prefer not to say": the provider
#: template's dropdown. Every entry classifies.
ETHNICITY_DROPDOWN: Final[tuple[str, ...]] = (
    *DETAILED_ONS_WORDING.values(),
    "Prefer not to say",
)


class AliasConflictError(RuntimeError):
    """Two entries of the alias tables give one key different groups (a bug in the tables)."""


def _add(table: dict[str, tuple[str, str]], text: str, value: tuple[str, str]) -> None:
    key = label_key(text)
    if not key:
        raise AliasConflictError(f"empty alias for {value}")
    old = table.setdefault(key, value)
    if old != value:
        raise AliasConflictError(f"alias {text!r} means both {old} and {value}")


def build_table() -> dict[str, tuple[str, str]]:
    """Matching key -> (major, detailed), from every scheme's wording."""
    table: dict[str, tuple[str, str]] = {}
    for detailed, wording in DETAILED_ONS_WORDING.items():
        _add(table, wording, (DETAILED_TO_MAJOR[detailed], detailed))
    for major, prefixes in tables.MAJOR_PREFIXES.items():
        for prefix in prefixes:
            _add(table, prefix, (major, NOT_KNOWN))
        for detailed, names in tables.WITHIN_GROUP[major].items():
            for prefix in prefixes:
                for name in names:
                    _add(table, f"{prefix} {name}", (major, detailed))
                    _add(table, f"{name} {prefix}", (major, detailed))
    for detailed, names in tables.STANDALONE.items():
        for name in (detailed, *names):
            _add(table, name, (DETAILED_TO_MAJOR[detailed], detailed))
    for label, detailed in tables.EXTRA_LABELS.items():
        _add(table, label, (DETAILED_TO_MAJOR[detailed], detailed))
    for code, detailed in tables.DFE_CODES.items():
        _add(table, code, (DETAILED_TO_MAJOR[detailed], detailed))
    clash = NOT_KNOWN_KEYS.intersection(table)
    if clash:
        raise AliasConflictError(f"aliases also mean not known: {sorted(clash)}")
    return table


@cache
def _table() -> dict[str, tuple[str, str]]:
    return build_table()


@cache
def _not_known_keys() -> frozenset[str]:
    return NOT_KNOWN_KEYS | {label_key(c) for c in tables.NOT_KNOWN_CODES}


@cache
def _word_codes() -> frozenset[str]:
    return frozenset(label_key(c) for c in tables.CODES_THAT_ARE_WORDS)


@cache
def _instruction_keys() -> tuple[str, ...]:
    return tuple(label_key(i) for i in tables.FORM_INSTRUCTIONS)


def _without_instruction(key: str) -> str:
    for suffix in _instruction_keys():
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


@cache
def _total_keys() -> frozenset[str]:
    keys = {label_key(w) for w in tables.TOTAL_WORDINGS}
    for prefixes in tables.MAJOR_PREFIXES.values():
        keys.update(label_key(f"{p} total") for p in prefixes)
        keys.update(label_key(f"total {p}") for p in prefixes)
    return frozenset(keys)


def ethnicity_label(value: object) -> EthnicityResult:
    """Classify one label (any cell value). Called once per distinct label."""
    text = as_text(value)
    if text is None:
        return _NOT_KNOWN_RESULT
    key = _without_instruction(label_key(text))
    if key in _not_known_keys():
        return _NOT_KNOWN_RESULT
    found = _table().get(key)
    if found is None or (key in _word_codes() and text != text.upper()):
        return _UNMAPPED_RESULT
    major, detailed = found
    return (major, detailed, CLASSIFIED)


def classify_ethnicity(values: pd.Series) -> pd.DataFrame:
    """Columns ``major``, ``detailed``, ``status``; same index as ``values``."""
    # `ethnicity_label` is looked up at call time, so tests can wrap it and count calls.
    codes, results = map_distinct(values, ethnicity_label)
    return take_columns(codes, results, ETHNICITY_COLUMNS, values.index)


def is_total_label(values: pd.Series) -> np.ndarray:
    """True where a label names a total ("Total", "White: Total"), not a group of people."""
    totals = _total_keys()

    def is_total(value: object) -> bool:
        text = as_text(value)
        return text is not None and label_key(text) in totals

    codes, results = map_distinct(values, is_total)
    return np.asarray(results, dtype=bool).take(codes) if len(results) else np.zeros(0, bool)
