"""Classify sex / gender answers into Female, Male, Other (another gender identity).

Monitoring forms ask "sex" or "gender" and people answer either; the canonical
categories record how a person describes themselves, so a trans woman is Female and a
non-binary person is Other. Answers that say only that someone is trans, without which
category, are not known. Numeric codes follow ISO/IEC 5218 as used by DfE (SSDA903) and
the NHS: 1 = male, 2 = female, 0 and 9 = not known. See docs/classification.md.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import pandas as pd

from commissioning.classify.ethnicity import CLASSIFIED, STATUS_NOT_KNOWN, STATUS_UNMAPPED
from commissioning.classify.notknown import NOT_KNOWN_KEYS
from commissioning.classify.text import as_text, label_key, map_distinct, take_columns
from commissioning.model.categories import NOT_KNOWN, UNMAPPED

SEX_COLUMNS: Final = ("sex", "status")

#: Canonical category -> the answers that mean it.
SEX_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "Female": (
        "Female",
        "F",
        "Females",
        "Girl",
        "Girls",
        "Woman",
        "Women",
        "Young woman",
        "Young women",
        "2",
        "Trans woman",
        "Trans female",
        "Transgender woman",
        "Transgender female",
        "Female (including trans woman)",
        "Female including trans women",
    ),
    "Male": (
        "Male",
        "M",
        "Males",
        "Boy",
        "Boys",
        "Man",
        "Men",
        "Young man",
        "Young men",
        "1",
        "Trans man",
        "Trans male",
        "Transgender man",
        "Transgender male",
        "Male (including trans man)",
        "Male including trans men",
    ),
    "Other": (
        "Other",
        "Non-binary",
        "Nonbinary",
        "Non binary",
        "Enby",
        "Genderqueer",
        "Gender queer",
        "Genderfluid",
        "Gender fluid",
        "Agender",
        "Another gender",
        "Another gender identity",
        "Other gender",
        "Other gender identity",
        "In another way",
        "Prefer to self-describe",
        "Prefer to self describe",
        "Self-describe",
        "Self-described",
        "Prefer to use my own term",
        "Identifies in another way",
    ),
}

#: Answers that are real answers but do not say which category: not known.
SEX_NOT_KNOWN: Final[tuple[str, ...]] = (
    "0",
    "9",
    "U",
    "Transgender",
    "Trans",
    "Indeterminate",
    "Intersex",
    "Not specified",
    "Unborn",
)

SEX_DROPDOWN: Final[tuple[str, ...]] = ("Female", "Male", "Other", "Prefer not to say")


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for sex, aliases in SEX_ALIASES.items():
        for alias in aliases:
            key = label_key(alias)
            if table.setdefault(key, sex) != sex:
                raise RuntimeError(f"sex alias {alias!r} is listed twice")
    return table


@cache
def _not_known() -> frozenset[str]:
    return NOT_KNOWN_KEYS | {label_key(a) for a in SEX_NOT_KNOWN}


def sex_label(value: object) -> tuple[str, str]:
    """(sex, status) for one answer. Called once per distinct answer."""
    text = as_text(value)
    if text is None:
        return (NOT_KNOWN, STATUS_NOT_KNOWN)
    key = label_key(text)
    found = _table().get(key)
    if found is not None:
        return (found, CLASSIFIED)
    if key in _not_known():
        return (NOT_KNOWN, STATUS_NOT_KNOWN)
    return (UNMAPPED, STATUS_UNMAPPED)


def classify_sex(values: pd.Series) -> pd.DataFrame:
    """Columns ``sex`` and ``status``; same index as ``values``."""
    codes, results = map_distinct(values, sex_label)
    return take_columns(codes, results, SEX_COLUMNS, values.index)
