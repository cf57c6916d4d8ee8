"""Spot direct identifiers in a records return so they can be dropped at once.

A monitoring return needs ethnic group, gender and age, nothing that identifies a child.
Columns of names, NHS numbers, unique pupil numbers (UPNs), postcodes, addresses, contact
details and full dates of birth are found from their headers, and NHS numbers, UPNs and
postcodes also from what the cells look like (a sample, so cost does not grow with rows).
They are never copied into a result, an output or a message; only the kind and the
column letter are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import pandas as pd

from commissioning.model.quality import Issue, IssueCode
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
}

MSG_PERSONAL_DATA = (
    "The return contains personal data ({kinds}) in {columns}. It was used only to work "
    "out ages where needed and was not copied into any result or output. Providers should "
    "send only what is needed: ask them to remove it and send ethnic group, gender and "
    "age or age band instead."
)

_UPN = re.compile(r"[A-Z]\d{11}[0-9A-Z]")
_POSTCODE = re.compile(r"(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})")
_NHS = re.compile(r"\d{10}")
_NHS_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Identifier:
    """A column (0-based position) holding a kind of direct identifier."""

    column: int
    kind: str


def is_nhs_number(text: str) -> bool:
    """Ten digits whose last is the modulus-11 check digit of the first nine."""
    digits = re.sub(r"[\s-]", "", text)
    if not _NHS.fullmatch(digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_DATE_LIKE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def may_be_personal(label: str, *, any_digit: bool = True) -> bool:
    """Whether a label we could not recognise might be personal data (a name, date of
    birth, NHS number, UPN, postcode or e-mail typed into the wrong column), and so must
    not be shown. An ``@``, many words or a long label count (a real category label is
    short), and so does any digit, unless ``any_digit`` is False (the check report, read
    inside the council, where "Other 2" helps the provider fix it): then only a date, an
    NHS number, a UPN or a postcode does."""
    text = label.strip()
    upper = text.upper()
    if "@" in text or len(text) > 40 or len(text.split()) > 5:
        return True
    if any_digit:
        return any(ch.isdigit() for ch in text)
    return (
        _DATE_LIKE.search(text) is not None
        or is_nhs_number(text)
        or _UPN.fullmatch(upper) is not None
        or _POSTCODE.fullmatch(upper) is not None
    )


def _looks_like(sample: list[str]) -> str | None:
    if not sample:
        return None
    upper = [s.strip().upper() for s in sample]
    for kind, test in (
        ("nhs_number", is_nhs_number),
        ("upn", lambda s: _UPN.fullmatch(s) is not None),
        ("postcode", lambda s: _POSTCODE.fullmatch(s) is not None),
    ):
        if sum(1 for s in upper if test(s)) >= MATCH_SHARE * len(upper):
            return kind
    return None


def find_identifiers(
    body: pd.DataFrame, header: Header, dob_column: int | None
) -> list[Identifier]:
    """Identifier columns of a records table: by header, then by content for columns
    whose header says nothing about people."""
    found = [
        Identifier(col, role) for col, role in header.roles.items() if role in IDENTIFIER_ROLES
    ]
    if dob_column is not None:
        found.append(Identifier(dob_column, "dob"))
    known = set(header.roles) | set(header.duplicates)
    for col in range(body.shape[1]):
        if col in known:
            continue
        column = body.iloc[:, col]
        sample = column[column.str.strip() != ""].head(SAMPLE_SIZE).tolist()
        kind = _looks_like(sample)
        if kind is not None:
            found.append(Identifier(col, kind))
    return sorted(found, key=lambda i: i.column)


def personal_data_issue(identifiers: list[Identifier], sheet: str | None) -> Issue | None:
    """One warning naming the kinds and columns found (never the values)."""
    if not identifiers:
        return None
    kinds = list(dict.fromkeys(KIND_NAMES[i.kind] for i in identifiers))
    letters = [column_letter(i.column) for i in identifiers]
    columns = ("column " if len(letters) == 1 else "columns ") + ", ".join(letters)
    message = MSG_PERSONAL_DATA.format(kinds=", ".join(kinds), columns=columns)
    return Issue("warning", IssueCode.PERSONAL_DATA, message, sheet=sheet)
