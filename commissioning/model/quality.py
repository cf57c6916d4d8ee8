"""Data-quality findings: one complete list of what is wrong with a return.

Like pandera's failure cases, every problem found is collected (never raised one at a
time) into `DataQuality`, each with a stable reason ``code`` so a provider gets the whole
list of fixes at once. Messages never quote cell contents that could be personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

Severity = Literal["error", "warning", "info"]

#: Columns of `DataQuality.unmapped`: which dimension, the label as written (provider
#: text, escape it when rendering), how many people, and the first spreadsheet rows.
UNMAPPED_COLUMNS = ("dimension", "label", "count", "rows")


@dataclass(frozen=True)
class Issue:
    """One problem with a return. ``rows`` are 1-based spreadsheet row numbers."""

    severity: Severity
    code: str
    message: str
    rows: tuple[int, ...] = ()
    sheet: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "rows": list(self.rows),
            "sheet": self.sheet,
        }


def _empty_unmapped() -> pd.DataFrame:
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
