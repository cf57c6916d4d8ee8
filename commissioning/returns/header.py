"""Find the header row of a return and say what each column holds.

Providers put titles, notes and blank rows above their tables, merge header cells and
spell headers every way ("Ethnic Group", "ETHNICITY", "Ethnicity (please select)"). A
header cell is recognised from a few key words in a short text; a long sentence is an
instruction, not a header, so the template's notes are never mistaken for columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

from commissioning.loading.rawtypes import RawSheet

Role = Literal[
    "ethnicity",
    "sex",
    "age",
    "age_band",
    "dob",
    "period",
    "stage",
    "service",
    "site",
    "count",
    "name",
    "nhs_number",
    "upn",
    "postcode",
    "address",
    "contact",
]

#: Roles that describe people (what a return is about).
DIMENSION_ROLES: Final = frozenset({"ethnicity", "sex", "age", "age_band", "dob"})
#: Roles that are direct identifiers: never copied anywhere.
IDENTIFIER_ROLES: Final = frozenset({"name", "nhs_number", "upn", "postcode", "address", "contact"})

#: Only the first rows are searched for a header: titles and notes are short.
HEADER_SCAN_ROWS: Final = 40
#: A header is a few words; anything longer is a sentence (an instruction or a note).
MAX_HEADER_WORDS: Final = 6

_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
#: Words that make a cell an ethnic group *value* ("Other ethnic group: Arab"), not a header.
_GROUP_WORDS: Final = frozenset(
    {"white", "black", "asian", "mixed", "arab", "other", "british", "irish", "chinese",
     "african", "caribbean", "any", "indian", "pakistani", "bangladeshi"}
)
_PERIOD_WORDS: Final = frozenset({"period", "quarter", "month", "term", "qtr"})
_SERVICE_WORDS: Final = frozenset(
    {"service", "programme", "program", "project", "activity", "provision", "scheme"}
)
_SITE_WORDS: Final = frozenset({"site", "venue", "location", "centre", "center", "setting"})
_NAME_WORDS: Final = frozenset(
    {"name", "names", "forename", "forenames", "surname", "firstname", "lastname",
     "fullname", "initials"}
)
_COUNT_FIRST_WORDS: Final = frozenset(
    {"number", "numbers", "count", "counts", "no", "n", "nos", "total", "totals",
     "frequency", "headcount", "participants", "attendees", "children", "people",
     "families", "referrals", "clients", "users", "young"}
)
_CONTACT_WORDS: Final = frozenset({"email", "phone", "telephone", "mobile", "tel"})
_BAND_WORDS: Final = frozenset({"band", "bands", "group", "groups", "range", "category",
                                "bracket"})


def normalise_header(text: str) -> str:
    """Lower case, no bracketed asides, punctuation as spaces: "Ethnicity (please
    select)" and " ETHNICITY:" both become "ethnicity"."""
    lowered = _PARENTHESES.sub(" ", str(text).lower().replace("&", " and "))
    lowered = lowered.replace("d.o.b", "dob").replace("e-mail", "email").replace("no.", "no ")
    return " ".join(_NOT_WORD.sub(" ", lowered).split())


def header_role(text: str) -> Role | None:
    """What a header cell says its column holds, or None when it is not a header."""
    norm = normalise_header(text)
    words = norm.split()
    if not words or len(words) > MAX_HEADER_WORDS:
        return None
    wordset = set(words)
    joined = f" {norm} "
    if " date of birth " in joined or wordset & {"dob", "birthdate"} or " birth date " in joined:
        return "dob"
    if "nhs" in wordset:
        return "nhs_number"
    if "upn" in wordset or " pupil number " in joined:
        return "upn"
    if "postcode" in wordset or " post code " in joined or " postal code " in joined:
        return "postcode"
    if "address" in wordset:
        return "address"
    if wordset & _CONTACT_WORDS or " contact number " in joined:
        return "contact"
    if any(w.startswith("ethnic") for w in words):
        return None if wordset & _GROUP_WORDS else "ethnicity"
    if wordset & {"gender", "sex"}:
        return "sex"
    if "age" in wordset or "ages" in wordset or "ageband" in wordset:
        return "age_band" if wordset & _BAND_WORDS or "ageband" in wordset else "age"
    if "stage" in wordset:
        return "stage"
    if words[0] in _PERIOD_WORDS or norm in {"reporting period", "monitoring period"}:
        return "period"
    if wordset & _SERVICE_WORDS:
        return "service"
    if wordset & _SITE_WORDS:
        return "site"
    if wordset & _NAME_WORDS:
        return "name"
    if words[0] in _COUNT_FIRST_WORDS or norm.startswith(("number of", "no of")):
        return "count"
    return None


@dataclass(frozen=True)
class Header:
    """A header row: its 0-based frame row and the role of each recognised column."""

    row: int
    roles: dict[int, Role]  # column position -> role (first column wins for each role)
    labels: dict[int, str]  # column position -> header text as written
    duplicates: tuple[int, ...] = ()  # columns whose role was already taken

    def column(self, role: Role) -> int | None:
        for col, found in self.roles.items():
            if found == role:
                return col
        return None

    def has(self, role: Role) -> bool:
        return role in self.roles.values()


def fill_merged(sheet: RawSheet, last_row: int) -> pd.DataFrame:
    """The sheet's cells with each merged range (starting above ``last_row``) filled
    with its top-left value, so a merged header reads the same in every column it spans."""
    cells = sheet.cells
    ranges = [m for m in sheet.merged if m[0] < last_row]
    if not ranges:
        return cells
    cells = cells.copy()
    for first_row, first_col, end_row, end_col in ranges:
        if first_row >= len(cells) or first_col >= cells.shape[1]:
            continue
        value = str(cells.iat[first_row, first_col])
        rows = slice(first_row, min(end_row, len(cells) - 1) + 1)
        cols = list(range(first_col, min(end_col, cells.shape[1] - 1) + 1))
        cells.iloc[rows, cols] = value
    return cells


def roles_of(cells: pd.DataFrame) -> pd.DataFrame:
    """The role of every cell (None when it is not a header word), mapping each
    distinct text once."""
    values = cells.to_numpy(dtype=object).ravel()
    codes, uniques = pd.factorize(values)
    mapped = [header_role(u) for u in uniques]
    out = pd.Series(mapped, dtype=object).take(codes).to_numpy().reshape(cells.shape)
    return pd.DataFrame(out, index=cells.index, columns=cells.columns, dtype=object)


def find_header(cells: pd.DataFrame, *, scan_rows: int = HEADER_SCAN_ROWS) -> Header | None:
    """The first row with the most recognised columns that names at least one thing
    about people (ethnicity, sex, age or date of birth). None when there is none."""
    top = cells.iloc[:scan_rows]
    if top.empty:
        return None
    roles = roles_of(top)
    best: tuple[int, int] | None = None  # (score, row)
    for row in range(len(top)):
        found = [r for r in roles.iloc[row] if r is not None]
        if not set(found) & DIMENSION_ROLES:
            continue
        score = len(set(found))
        if best is None or score > best[0]:
            best = (score, row)
    if best is None:
        return None
    return header_at(cells, best[1], roles.iloc[best[1]].tolist())


def header_at(cells: pd.DataFrame, row: int, row_roles: list[Role | None] | None = None) -> Header:
    """Build the `Header` for one row (the first column with each role wins)."""
    if row_roles is None:
        row_roles = [header_role(v) for v in cells.iloc[row]]
    roles: dict[int, Role] = {}
    labels: dict[int, str] = {}
    duplicates: list[int] = []
    seen: set[str] = set()
    for col, role in enumerate(row_roles):
        if role is None:
            continue
        if role in seen and role != "count" and role not in IDENTIFIER_ROLES:
            duplicates.append(col)
            continue
        seen.add(role)
        roles[col] = role
        labels[col] = str(cells.iat[row, col]).strip()
    return Header(row=row, roles=roles, labels=labels, duplicates=tuple(duplicates))


def column_letter(col: int) -> str:
    """Spreadsheet column letter of a 0-based position (0 -> "A", 27 -> "AB")."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
