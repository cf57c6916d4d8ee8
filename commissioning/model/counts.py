"""The `Counts` value: tidy counts of people by ethnicity, sex and age band.

Provider returns and comparator populations are both expressed as `Counts`, so the
analysis never cares where numbers came from. Every person read is in a `Counts` value:
labels we could not classify stay in it as ``NOT_KNOWN`` or ``UNMAPPED`` rather than being
dropped, and shares are computed over the known groups only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from commissioning.model.ages import band_sort_key
from commissioning.model.categories import (
    DETAILED_GROUPS,
    DETAILED_TO_MAJOR,
    MAJOR_GROUPS,
    NOT_CLASSIFIED,
    NOT_KNOWN,
    UNMAPPED,
    Level,
)

#: Columns that may describe a cell, in display order. ``major`` and ``detailed`` are
#: always present; the others only when the source has that dimension.
OPTIONAL_DIMENSIONS = ("sex", "age_band", "period", "stage")
ETHNICITY_COLUMNS = ("major", "detailed")

_VALID_MAJOR = frozenset((*MAJOR_GROUPS, *NOT_CLASSIFIED))
_VALID_DETAILED = frozenset((*DETAILED_GROUPS, *NOT_CLASSIFIED))


@dataclass(frozen=True)
class Counts:
    """Counts of people; immutable (every accessor returns a copy).

    ``frame`` columns: ``major``, ``detailed``, any of ``sex``, ``age_band``, ``period``,
    ``stage``, and ``count`` (int64). ``detailed`` is ``NOT_KNOWN`` where only the major
    group is known (for example a provider wrote just "Asian").
    """

    _frame: pd.DataFrame = field(repr=False)
    label: str = ""

    def __post_init__(self) -> None:
        frame = self._frame
        missing = [c for c in (*ETHNICITY_COLUMNS, "count") if c not in frame.columns]
        if missing:
            raise ValueError(f"Counts frame lacks columns {missing}")
        extra = set(frame.columns) - {*ETHNICITY_COLUMNS, *OPTIONAL_DIMENSIONS, "count"}
        if extra:
            raise ValueError(f"Counts frame has unknown columns {sorted(extra)}")
        bad_major = set(frame["major"].unique()) - _VALID_MAJOR
        bad_detailed = set(frame["detailed"].unique()) - _VALID_DETAILED
        if bad_major or bad_detailed:
            raise ValueError(f"non-canonical ethnicity values: {sorted(bad_major | bad_detailed)}")
        inconsistent = frame.loc[
            frame["detailed"].isin(DETAILED_GROUPS)
            & (frame["detailed"].map(DETAILED_TO_MAJOR) != frame["major"])
        ]
        if len(inconsistent):
            raise ValueError("detailed group does not belong to its major group")
        counts = frame["count"].to_numpy()
        if len(counts) and (counts < 0).any():
            raise ValueError("counts must not be negative")
        cols = [c for c in (*ETHNICITY_COLUMNS, *OPTIONAL_DIMENSIONS) if c in frame.columns]
        tidy = (
            frame[[*cols, "count"]]
            .astype({c: "object" for c in cols})
            .astype({"count": "int64"})
            .groupby(cols, sort=False, dropna=False, observed=True)["count"]
            .sum()
            .reset_index()
        )
        object.__setattr__(self, "_frame", tidy)

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_records(cls, rows: Iterable[Mapping[str, object]], *, label: str = "") -> Counts:
        frame = pd.DataFrame(list(rows))
        if frame.empty:
            return cls.empty(label=label)
        return cls(frame, label=label)

    @classmethod
    def empty(cls, dimensions: Sequence[str] = (), *, label: str = "") -> Counts:
        cols = [*ETHNICITY_COLUMNS, *[d for d in OPTIONAL_DIMENSIONS if d in dimensions]]
        frame = pd.DataFrame({c: pd.Series([], dtype="object") for c in cols})
        frame["count"] = pd.Series([], dtype="int64")
        return cls(frame, label=label)

    # -- reading ----------------------------------------------------------------------
    @property
    def frame(self) -> pd.DataFrame:
        return self._frame.copy()

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The optional dimensions this value carries (``sex``, ``age_band``, ...)."""
        return tuple(d for d in OPTIONAL_DIMENSIONS if d in self._frame.columns)

    @property
    def total(self) -> int:
        return int(self._frame["count"].sum())

    def has(self, dimension: str) -> bool:
        return dimension in self._frame.columns

    def ethnicity_column(self, level: Level) -> str:
        return "major" if level == "major" else "detailed"

    def known_total(self, level: Level = "major") -> int:
        col = self.ethnicity_column(level)
        known = ~self._frame[col].isin(NOT_CLASSIFIED)
        return int(self._frame.loc[known, "count"].sum())

    def tally(self, column: str) -> pd.Series:
        """Counts by one column, canonical values first (zeros included), then not
        known and unmapped. Index named after the column."""
        if column not in self._frame.columns:
            raise KeyError(column)
        series = self._frame.groupby(column, sort=False)["count"].sum()
        order = _canonical_order(column, series.index)
        return series.reindex(order, fill_value=0).astype("int64").rename_axis(column)

    def groups(
        self, level: Level = "major", by: Sequence[str] = (), *, include_zero: bool = True
    ) -> pd.DataFrame:
        """Known-ethnicity counts as a tidy frame: ``[*by, group, count]``.

        Every canonical group of the level appears for every combination of ``by`` values
        when ``include_zero`` is true, so service and comparator align row for row.
        """
        col = self.ethnicity_column(level)
        for dim in by:
            if dim not in self._frame.columns:
                raise KeyError(dim)
        known = self._frame.loc[~self._frame[col].isin(NOT_CLASSIFIED)]
        keys = [*by, col]
        grouped = known.groupby(keys, sort=False)["count"].sum()
        names = MAJOR_GROUPS if level == "major" else DETAILED_GROUPS
        if include_zero:
            levels = [
                _canonical_order(d, self._frame[d].unique(), drop_unclassified=True) for d in by
            ]
            index = pd.MultiIndex.from_product([*levels, list(names)], names=keys)
            grouped = grouped.reindex(index, fill_value=0)
        out = grouped.astype("int64").reset_index().rename(columns={col: "group"})
        return out[[*by, "group", "count"]]

    # -- transforming -----------------------------------------------------------------
    def collapse(self, keep: Sequence[str] = ()) -> Counts:
        """Sum over every optional dimension not in ``keep``."""
        cols = [*ETHNICITY_COLUMNS, *[d for d in OPTIONAL_DIMENSIONS if d in keep]]
        return Counts(self._frame[[*cols, "count"]], label=self.label)

    def where(self, **values: object) -> Counts:
        """Keep rows whose dimension equals (or is in) the given value(s)."""
        mask = np.ones(len(self._frame), dtype=bool)
        for dim, value in values.items():
            if dim not in self._frame.columns:
                raise KeyError(dim)
            wanted = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
            mask &= self._frame[dim].isin(wanted).to_numpy()
        return Counts(self._frame.loc[mask], label=self.label)

    def relabel(self, label: str) -> Counts:
        return Counts(self._frame, label=label)

    def __add__(self, other: Counts) -> Counts:
        if set(self.dimensions) != set(other.dimensions):
            raise ValueError("cannot add counts with different dimensions")
        joined = pd.concat([self._frame, other._frame], ignore_index=True)
        label = " + ".join(x for x in (self.label, other.label) if x)
        return Counts(joined, label=label)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Counts):
            return NotImplemented
        if set(self._frame.columns) != set(other._frame.columns):
            return False
        cols = [c for c in self._frame.columns if c != "count"]
        left = self._frame.sort_values(cols).reset_index(drop=True)
        right = other._frame[list(self._frame.columns)].sort_values(cols).reset_index(drop=True)
        return left.equals(right)

    __hash__ = None  # type: ignore[assignment]


def _canonical_order(
    column: str, values: Iterable[object], *, drop_unclassified: bool = False
) -> list[object]:
    present = list(dict.fromkeys(values))
    if column == "major":
        canonical: list[object] = list(MAJOR_GROUPS)
    elif column == "detailed":
        canonical = list(DETAILED_GROUPS)
    elif column == "sex":
        canonical = ["Female", "Male", "Other"]
    elif column == "age_band":
        canonical = sorted(
            (v for v in present if v not in NOT_CLASSIFIED), key=lambda v: band_sort_key(str(v))
        )
    else:
        canonical = sorted(v for v in present if v not in NOT_CLASSIFIED)  # type: ignore[type-var]
    if column == "sex":
        others = [v for v in present if v not in canonical and v not in NOT_CLASSIFIED]
        canonical = [*canonical, *others]
    tail = [] if drop_unclassified else [v for v in (NOT_KNOWN, UNMAPPED) if v in present]
    return [*canonical, *tail]
