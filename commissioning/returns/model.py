"""The result of reading a provider return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from commissioning.counts import Counts
from commissioning.quality import DataQuality

Layout = Literal["records", "counts"]


@dataclass(frozen=True)
class ProviderReturn:
    """A provider's monitoring return, read and classified.

    ``counts`` holds every person read (unclassifiable values stay as ``NOT_KNOWN`` /
    ``UNMAPPED``), so ``counts.total`` is the number of people in the return. No names,
    dates of birth or other identifiers are kept.
    """

    path: str  # file name as given (for the audit trail)
    sha256: str  # of the file's bytes
    file_format: str  # "xlsx", "xls", "ods", "csv"
    encoding: str | None  # for text files
    sheet: str | None
    layout: Layout
    counts: Counts
    quality: DataQuality

    @property
    def total(self) -> int:
        return self.counts.total
