"""Lining up the comparator's age bands with the service's.

Census 2011 publishes finer bands (0-4, 5-7, 8-9, 10-14, 15, 16-17, 18-19, 20-24, ...) than
a service usually records (0-4, 5-9, 10-14, 15-17, 18-24, 25+). Each comparator band that
lies inside a service band is added into it; comparator bands outside every service band
are left out (the service has no one there to compare). A comparator band that straddles
the edge of a service band cannot be split without inventing numbers, so that is refused,
as is a service band that the comparator covers only in part.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from commissioning.errors import AnalysisError
from commissioning.model.ages import AgeBand
from commissioning.model.categories import NOT_CLASSIFIED
from commissioning.model.counts import Counts

MSG_BAND_CUTS_ACROSS: Final = (
    "The comparator's age band {comparator} cuts across the service's age band {service}, so "
    "the two cannot be lined up. Record the service's ages in bands that match the "
    "comparator's (for Census 2011: 0-4, 5-9, 10-14, 15-17, 18-24, 25+), or compare "
    "without --by age_band."
)
MSG_BAND_PART_COVERED: Final = (
    "The comparator covers only part of the service's age band {service}. Choose a "
    "comparator that covers those ages, or compare without --by age_band."
)
MSG_NOT_A_BAND: Final = (
    "An age band label is not in the standard form (for example 5-9 or 25+). Check the "
    "comparator file's age_band column."
)


def _parse(label: str) -> AgeBand:
    try:
        return AgeBand.parse(label)
    except ValueError as exc:
        raise AnalysisError(MSG_NOT_A_BAND) from exc


def _covered(band: AgeBand, parts: list[AgeBand]) -> bool:
    """True when ``parts`` (each inside ``band``, no overlaps) fill it exactly."""
    ordered = sorted(parts, key=lambda b: b.lo)
    edge = band.lo
    for part in ordered:
        if part.lo != edge:
            return False
        if part.hi is None:
            return band.hi is None
        edge = part.hi + 1
    return band.hi is not None and edge == band.hi + 1


def age_band_map(service_bands: Iterable[str], comparator_bands: Iterable[str]) -> dict[str, str]:
    """Map each usable comparator band label to the service band label it falls in."""
    services = {s: _parse(s) for s in service_bands if s not in NOT_CLASSIFIED}
    comparators = {c: _parse(c) for c in comparator_bands if c not in NOT_CLASSIFIED}
    mapping: dict[str, str] = {}
    parts: dict[str, list[AgeBand]] = {s: [] for s in services}
    for c_label, c_band in comparators.items():
        for s_label, s_band in services.items():
            if s_band.contains(c_band):
                mapping[c_label] = s_label
                parts[s_label].append(c_band)
                break
            if s_band.overlaps(c_band):
                raise AnalysisError(
                    MSG_BAND_CUTS_ACROSS.format(comparator=c_label, service=s_label)
                )
    for s_label, s_band in services.items():
        if parts[s_label] and not _covered(s_band, parts[s_label]):
            raise AnalysisError(MSG_BAND_PART_COVERED.format(service=s_label))
    return mapping


def align_age_bands(service: Counts, comparator: Counts) -> Counts:
    """The comparator with its age bands added up into the service's bands."""
    mapping = age_band_map(service.tally("age_band").index, comparator.tally("age_band").index)
    frame = comparator.frame
    frame["age_band"] = frame["age_band"].map(mapping)
    frame = frame.loc[frame["age_band"].notna()]
    return Counts(frame, label=comparator.label)
