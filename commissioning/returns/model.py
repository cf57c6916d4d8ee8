"""The result of reading a provider return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from commissioning.model.counts import Counts
from commissioning.model.quality import DataQuality

Layout = Literal["records", "counts"]


@dataclass(frozen=True)
class ProviderReturn:
    """A provider's monitoring return, read and classified.

    ``counts`` holds every person read (unclassifiable values stay as ``NOT_KNOWN`` /
    ``UNMAPPED``), so ``counts.total`` is the number of people in the return. No names,
    dates of birth or other identifiers are kept.

    ``marginals`` holds gender or age-band totals that a return gave only in separate
    tables (they cannot be crossed with ethnicity, so they are not in ``counts``); each
    is a Series of people indexed by canonical value. ``columns`` maps what was read
    (ethnicity, sex, age, age_band, dob, period, stage, count) to its column letter.
    """

    path: str  # file name as given (for the audit trail)
    sha256: str  # of the file's bytes
    file_format: str  # "xlsx", "xls", "ods", "csv"
    encoding: str | None  # for text files
    sheet: str | None
    layout: Layout
    counts: Counts
    quality: DataQuality
    layout_detail: str = ""  # plain English, e.g. "a cross-tab of ethnicity by gender"
    columns: Mapping[str, str] = field(default_factory=dict)
    marginals: Mapping[str, pd.Series] = field(default_factory=dict)
    #: What the counts count ("people", "families", "referrals"), from the count column.
    unit: str = "people"

    @property
    def total(self) -> int:
        return self.counts.total
