"""Age bands as values: ``AgeBand(lo, hi)`` with inclusive whole-year ends.

The canonical text form is ``"11-15"`` or ``"18+"`` (``hi`` is None). Every age band in a
`Counts` value is either this text form or ``NOT_KNOWN`` / ``UNMAPPED``. Turning the many
ways providers write ages into these bands is the job of `commissioning.classify`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_CANONICAL = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")


@dataclass(frozen=True, order=True)
class AgeBand:
    """Whole years from ``lo`` to ``hi`` inclusive; ``hi=None`` means "and over"."""

    lo: int
    hi: int | None

    def __post_init__(self) -> None:
        if self.lo < 0 or (self.hi is not None and self.hi < self.lo):
            raise ValueError(f"not an age band: {self.lo} to {self.hi}")

    @property
    def label(self) -> str:
        return f"{self.lo}+" if self.hi is None else f"{self.lo}-{self.hi}"

    def __str__(self) -> str:
        return self.label

    def contains(self, other: AgeBand) -> bool:
        """True when every age in ``other`` lies in this band."""
        if other.lo < self.lo:
            return False
        if self.hi is None:
            return True
        return other.hi is not None and other.hi <= self.hi

    def overlaps(self, other: AgeBand) -> bool:
        self_hi = float("inf") if self.hi is None else self.hi
        other_hi = float("inf") if other.hi is None else other.hi
        return self.lo <= other_hi and other.lo <= self_hi

    @classmethod
    def parse(cls, text: str) -> AgeBand:
        """Parse the canonical form only (``"5-10"``, ``"18+"``)."""
        match = _CANONICAL.match(text.strip())
        if not match:
            raise ValueError(f"not a canonical age band: {text!r}")
        lo = int(match.group(1))
        hi = int(match.group(2)) if match.group(2) is not None else None
        return cls(lo, hi)


def band_sort_key(label: str) -> tuple[int, int]:
    """Sort canonical bands by age, with not-known labels last."""
    try:
        band = AgeBand.parse(label)
    except ValueError:
        return (10_000, 0)
    return (band.lo, 999 if band.hi is None else band.hi)


#: The bands used when a return gives ages or dates of birth. Their edges line up with
#: Census 2011 DC2101EW (0-4, 5-7 + 8-9, 10-14, 15 + 16-17, 18-19 + 20-24, 25 and over),
#: so the census can be cut to match exactly.
DEFAULT_AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand(0, 4),
    AgeBand(5, 9),
    AgeBand(10, 14),
    AgeBand(15, 17),
    AgeBand(18, 24),
    AgeBand(25, None),
)


def check_bands(bands: tuple[AgeBand, ...]) -> None:
    """Raise ValueError unless ``bands`` are in age order and do not overlap."""
    if not bands:
        raise ValueError("no age bands given")
    for before, after in itertools.pairwise(bands):
        if before.hi is None or after.lo <= before.hi:
            raise ValueError(f"age bands {before} and {after} overlap or are out of order")
