"""Comparing a service with its comparator population: the `Analysis` result.

The table's column names are API (documented in docs/cli.md): renderers, the CLI and
users' own scripts depend on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

import pandas as pd

from commissioning.population.info import PopulationInfo

Mode = Literal["fixed", "independent", "nested"]
Adjustment = Literal["holm", "fdr_bh", "none"]

BANDS: Final = ("over-represented", "under-represented", "not represented", "proportionate")
CONFIDENCE: Final = ("significant", "indicative", "too few to judge", "")
NO_COMPARATOR: Final = "no comparator population"

#: Columns of `Analysis.table`, in order. ``sex`` / ``age_band`` are inserted after
#: ``group`` when the analysis is ``by`` that dimension.
TABLE_COLUMNS: Final = (
    "group",
    "count",
    "share",
    "comparator_count",
    "comparator_share",
    "expected",
    "rri",
    "rri_low",
    "rri_high",
    "p_value",
    "p_adjusted",
    "band",
    "confidence",
    "rri_bound_low",
    "rri_bound_high",
    "note",
)


@dataclass(frozen=True)
class Omnibus:
    """Test of "the service mix matches the comparator mix" across all groups at once."""

    statistic: float
    df: int
    p_value: float
    method: str  # "chi-square goodness of fit" / "Monte Carlo (seed 2024, 100,000 draws)"


@dataclass(frozen=True)
class Analysis:
    """Per-group results of one comparison, plus everything needed to explain it."""

    table: pd.DataFrame = field(repr=False)
    level: Literal["major", "detailed"]
    by: str | None
    mode: Mode
    comparator: PopulationInfo
    n_total: int  # everyone in the service counts, whatever their ethnicity
    n_known: int  # with a known (classified) ethnicity: the base of shares
    n_not_known: int
    n_unmapped: int
    omnibus: Omnibus | None
    parameters: dict[str, object] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    reference: str | None = None  # group used for the optional rate ratio

    @property
    def unknown_share(self) -> float:
        unknown = self.n_not_known + self.n_unmapped
        return unknown / self.n_total if self.n_total else 0.0
