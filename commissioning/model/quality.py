"""Data-quality findings: one complete list of what is wrong with a return.

Like pandera's failure cases, every problem found is collected (never raised one at a
time) into `DataQuality`, each with a stable reason ``code`` so a provider gets the whole
list of fixes at once. Messages never quote cell contents that could be personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # imported on first use: the file checks run before pandas is needed
    import pandas as pd

Severity = Literal["error", "warning", "info"]

#: Columns of `DataQuality.unmapped`: which dimension, the label as written (provider
#: text, escape it when rendering), how many people, and the first spreadsheet rows.
UNMAPPED_COLUMNS = ("dimension", "label", "count", "rows")


class IssueCode(StrEnum):
    """The stable reason of an `Issue` (its ``code`` in JSON and in the check report)."""

    # the file
    FILE_TYPE_MISMATCH = "file-type-mismatch"
    MACROS = "macros"
    EXTERNAL_LINKS = "external-links"
    DATA_CONNECTIONS = "data-connections"
    TEXT_ENCODING = "text-encoding"
    TEXT_DELIMITER = "text-delimiter"
    # the sheets and cells
    HIDDEN_SHEET = "hidden-sheet"
    HIDDEN_ROWS = "hidden-rows"
    SKIPPED_SHEETS = "skipped-sheets"
    ERROR_CELLS = "error-cells"
    FORMULA_NO_VALUE = "formula-no-value"
    # the layout
    DUPLICATE_COLUMN = "duplicate-column"
    NOTE_ROWS = "note-rows"
    EXTRA_TABLES = "extra-tables"
    SEPARATE_TABLES = "separate-tables"
    TABLES_DISAGREE = "tables-disagree"
    COUNT_NOT_NUMBER = "count-not-number"
    COUNT_IMPLAUSIBLE = "count-implausible"
    TOTALS_LEFT_OUT = "totals-left-out"
    TOTALS_MISMATCH = "totals-mismatch"
    # the columns and labels
    NO_ETHNICITY_COLUMN = "no-ethnicity-column"
    NO_SEX_COLUMN = "no-sex-column"
    NO_AGE_COLUMN = "no-age-column"
    NO_PEOPLE = "no-people"
    AGES_AS_OF = "ages-as-of"
    UNMAPPED_ETHNICITY = "unmapped-ethnicity"
    UNMAPPED_SEX = "unmapped-sex"
    UNMAPPED_AGE_BAND = "unmapped-age-band"
    MOSTLY_UNMAPPED = "mostly-unmapped"
    ETHNICITY_NOT_KNOWN = "ethnicity-not-known"
    PERSONAL_DATA = "personal-data"


@dataclass(frozen=True)
class Issue:
    """One problem with a return. ``rows`` are 1-based spreadsheet row numbers.

    ``code`` may be given as its string; it is stored as the `IssueCode`, and a code
    that is not one is a programming error (ValueError), so the list above is complete.
    """

    severity: Severity
    code: IssueCode | str
    message: str
    rows: tuple[int, ...] = ()
    sheet: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", IssueCode(self.code))

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": str(self.code),
            "message": self.message,
            "rows": list(self.rows),
            "sheet": self.sheet,
        }


def _empty_unmapped() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series([], dtype="object") for c in UNMAPPED_COLUMNS})


@dataclass(frozen=True)
class DataQuality:
    """Everything we noticed while reading a return."""

    issues: tuple[Issue, ...] = ()
    unmapped: pd.DataFrame = field(default_factory=_empty_unmapped, repr=False)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    def has_code(self, code: str) -> bool:
        return any(i.code == code for i in self.issues)

    def with_issues(self, *more: Issue) -> DataQuality:
        return DataQuality(issues=(*self.issues, *more), unmapped=self.unmapped)
