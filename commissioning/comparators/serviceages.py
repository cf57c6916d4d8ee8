"""Comparator ages that follow the service's ages.

A service for 11-19-year-olds should be compared with the people aged 11 to 19 in the
area, not with all children. `match_ages` finds the ages a comparator can give for the
service's age range: the same range when the comparator's single years or bands line up
with it, otherwise the nearest wider range it has, with a one-line message saying so (a
band is never split, because that would mean guessing). `comparator_ages` is the strict
form, for callers that must refuse rather than widen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from commissioning.comparators.agerange import parse_ages, readable_band
from commissioning.comparators.embedded import source_key
from commissioning.comparators.sources import SOURCES
from commissioning.comparators.store import load
from commissioning.errors import ComparatorError
from commissioning.model.ages import AgeBand
from commissioning.model.categories import NOT_CLASSIFIED

MSG_SOURCE_HAS_NO_AGES: Final = (
    "{title} has no age breakdown, so it cannot be matched to the service's ages {ages}. "
    "Use mye2022 (sex by single year of age) or census2011 (ethnicity by age band)."
)
MSG_AGES_WIDENED: Final = (
    "The service is for ages {ages}, but {title} counts those ages in the bands {bands}, so "
    "the nearest ages it has are {wider}; use those, or mye2022, which has single years."
)
@dataclass(frozen=True)
class AgeMatch:
    """The ages to ask the comparator for (None: all ages) and how well they match."""

    ages: AgeBand | None
    exact: bool
    message: str | None = None  # one line for the report when not exact

    @property
    def label(self) -> str | None:
        """The ``ages=`` text for `population()` ("11-19"), or None for all ages."""
        return None if self.ages is None else self.ages.label


def service_range(service: str | AgeBand | Iterable[str] | None) -> AgeBand | None:
    """The age range a service covers: a range ("11-19"), an `AgeBand`, or the age-band
    labels in its return (["11-15", "16-19", "Not known"] -> 11-19); None = all ages."""
    if service is None or isinstance(service, AgeBand):
        return service
    if isinstance(service, str):
        return parse_ages(service)
    bands = [AgeBand.parse(str(b)) for b in service if str(b) not in NOT_CLASSIFIED]
    if not bands:
        return None
    his = [b.hi for b in bands]
    hi = None if None in his else max(h for h in his if h is not None)
    return AgeBand(min(b.lo for b in bands), hi)


def match_ages(service: str | AgeBand | Iterable[str] | None, source: str) -> AgeMatch:
    """The comparator ages of ``source`` that match the service's ages (see module doc)."""
    wanted = service_range(service)
    if wanted is None:
        return AgeMatch(None, exact=True)
    spec = SOURCES[source_key(source)]
    if not spec.has_age_bands:
        raise ComparatorError(MSG_SOURCE_HAS_NO_AGES.format(title=spec.title, ages=wanted.label))
    bands = sorted(set(load(spec.key).age or ()))
    wider = _nearest_cover(bands, wanted)
    if wider == wanted:
        return AgeMatch(wanted, exact=True)
    listed = ", ".join(readable_band(b) for b in bands if wider.overlaps(b))
    message = MSG_AGES_WIDENED.format(
        ages=wanted.label, title=spec.title, bands=listed, wider=wider.label
    )
    return AgeMatch(wider, exact=False, message=message)


def comparator_ages(service: str | AgeBand | Iterable[str] | None, source: str) -> AgeBand | None:
    """Like `match_ages`, but a range the comparator cannot give exactly is refused."""
    match = match_ages(service, source)
    if not match.exact:
        raise ComparatorError(str(match.message))
    return match.ages


def _nearest_cover(bands: list[AgeBand], wanted: AgeBand) -> AgeBand:
    """The smallest run of whole bands that covers ``wanted``."""
    lo = max((b.lo for b in bands if b.lo <= wanted.lo), default=bands[0].lo)
    if wanted.hi is None:
        return AgeBand(lo, None)
    ends = [b.hi for b in bands if b.hi is None or b.hi >= wanted.hi]
    finite = [h for h in ends if h is not None]
    hi = min(finite) if finite else None
    return AgeBand(lo, hi)
