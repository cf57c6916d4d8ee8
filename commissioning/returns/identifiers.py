"""Spot direct identifiers in a records return so they can be dropped at once.

A monitoring return needs ethnic group, gender and age, nothing that identifies a child.
Columns of names, NHS numbers, unique pupil numbers (UPNs), postcodes, addresses, contact
details, full dates of birth and free-text notes are found from their headers ("Born",
"D.O.B", "Notes" too, see `personal.personal_header`), and NHS numbers, UPNs, postcodes and
names also from what the cells look like (a sample, so cost does not grow with rows).
They are never copied into a result, an output or a message; only the kind and the
column letter are reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from commissioning.model.quality import Issue, IssueCode
from commissioning.returns import personal
from commissioning.returns.header import IDENTIFIER_ROLES, Header, column_letter

#: How many non-empty cells of a column are looked at to recognise identifiers.
SAMPLE_SIZE: Final = 200
#: Share of the sample that must look like an identifier for the column to count.
MATCH_SHARE: Final = 0.5

KIND_NAMES: Final[dict[str, str]] = {
    "name": "names",
    "nhs_number": "NHS numbers",
    "upn": "unique pupil numbers",
    "postcode": "postcodes",
    "address": "addresses",
    "contact": "contact details",
    "dob": "full dates of birth",
    "notes": "free-text notes",
}

MSG_PERSONAL_DATA = (
    "The return contains personal data ({kinds}) in {columns}. It was used only to work "
    "out ages where needed and was not copied into any result or output. Providers should "
    "send only what is needed: ask them to remove it and send ethnic group, gender and "
    "age or age band instead."
)

_UPN = re.compile(r"[A-Z]\d{11}[0-9A-Z]")
_POSTCODE = re.compile(r"(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})")


@dataclass(frozen=True)
class Identifier:
    """A column (0-based position) holding a kind of direct identifier."""

    column: int
    kind: str


def is_nhs_number(text: str) -> bool:
    """Ten digits, however spaced or punctuated, whose last is the modulus-11 check
    digit of the first nine (see `personal.is_nhs_number`)."""
    return personal.is_nhs_number(text)


def may_be_personal(label: str, *, any_digit: bool = True) -> bool:
    """Whether a label we could not recognise might be personal data (a name, date of
    birth, NHS number, UPN, postcode or e-mail typed into the wrong column), and so must
    not be shown: any detector of `personal.personal_kinds` fires (an ``@``, many words
    or a long label count too: a real category label is short). Any digit counts as
    well, unless ``any_digit`` is False (then "Other 2" is not personal)."""
    text = label.strip()
    if personal.personal_kinds(text):
        return True
    return any_digit and any(ch.isdigit() for ch in text)


def _looks_like(sample: list[str]) -> str | None:
    if not sample:
        return None
    upper = [s.strip().upper() for s in sample]
    for kind, test in (
        ("nhs_number", is_nhs_number),
        ("upn", lambda s: _UPN.fullmatch(s) is not None),
        ("postcode", lambda s: _POSTCODE.fullmatch(s) is not None),
        ("name", personal.looks_like_forename_name),
    ):
        if sum(1 for s in upper if test(s)) >= MATCH_SHARE * len(upper):
            return kind
    return None


def find_identifiers(
    body: pd.DataFrame,
    header: Header,
    dob_column: int | None,
    headings: Sequence[object] = (),
) -> list[Identifier]:
    """Identifier columns of a records table: by header (the recognised roles, then
    ``headings``, the header row as written, for "Born", "Notes" and the like), then by
    content for columns whose header says nothing about people."""
    found = [
        Identifier(col, role) for col, role in header.roles.items() if role in IDENTIFIER_ROLES
    ]
    if dob_column is not None:
        found.append(Identifier(dob_column, "dob"))
    known = set(header.roles) | set(header.duplicates)
    for col, heading in enumerate(headings):
        kind = None if col in header.roles else personal.personal_header(heading)
        if kind is not None:
            found.append(Identifier(col, kind))
            known.add(col)
    for col in range(body.shape[1]):
        if col in known:
            continue
        kind = _looks_like(_sample(body.iloc[:, col]))
        if kind is not None:
            found.append(Identifier(col, kind))
    return sorted({i.column: i for i in found}.values(), key=lambda i: i.column)


def _sample(column: pd.Series, chunk: int = 2_000) -> list[str]:
    """The first `SAMPLE_SIZE` non-blank cells, reading the column a chunk at a time (a
    records sheet may have a million rows; the sample is nearly always in the first)."""
    sample: list[str] = []
    for start in range(0, len(column), chunk):
        part = column.iloc[start:start + chunk]
        sample += part[part.str.strip() != ""].tolist()
        if len(sample) >= SAMPLE_SIZE:
            break
    return sample[:SAMPLE_SIZE]


def personal_data_issue(identifiers: list[Identifier], sheet: str | None) -> Issue | None:
    """One warning naming the kinds and columns found (never the values)."""
    if not identifiers:
        return None
    kinds = list(dict.fromkeys(KIND_NAMES[i.kind] for i in identifiers))
    letters = [column_letter(i.column) for i in identifiers]
    columns = ("column " if len(letters) == 1 else "columns ") + ", ".join(letters)
    message = MSG_PERSONAL_DATA.format(kinds=", ".join(kinds), columns=columns)
    return Issue("warning", IssueCode.PERSONAL_DATA, message, sheet=sheet)
