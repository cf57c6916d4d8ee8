"""Rules that turn a (suppressed) analysis into ordered findings and actions.

The rules read only a `SafeAnalysis`, so a finding can never quote a number the
disclosure rules removed. Order is what a reader needs first: clear concerns, then
possible (indicative) ones, then groups too small to judge. Two conditions override
everything: too many people with no recorded ethnicity (the analysis cannot be relied
on) and too few people overall (the numbers are too small to judge).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

from commissioning.analysis.compare import Analysis
from commissioning.drafting.disclosure import SafeAnalysis, SafeRow
from commissioning.model.bands import Band, Confidence, Status

CONCERN_BANDS: Final = (Band.OVER, Band.UNDER, Band.NOT_REPRESENTED)
Kind = Literal["concern", "difference", "indicative", "too_few", "hidden"]
Direction = Literal["over", "under", ""]
#: What a service is for, which decides the direction that is the concern: people should
#: be able to reach it (under-representation suggests a barrier; over-representation is
#: first checked against need), or it is an intervention in people's lives (exclusion,
#: youth justice, care: over-representation is the concern).
ServiceKind = Literal["reach", "intervention"]
PRIMARY: Final[dict[str, Direction]] = {"reach": "under", "intervention": "over"}


@dataclass(frozen=True)
class Finding:
    """One group's result worth a sentence."""

    group: str
    kind: Kind
    direction: Direction
    row: SafeRow

    @property
    def strength(self) -> float:
        """Distance from proportionate on a log scale; "not represented" is the largest."""
        rri = self.row.rri
        if rri is None:
            return 0.0
        return math.inf if rri <= 0 else abs(math.log(rri))


@dataclass(frozen=True)
class Findings:
    """Ordered findings for one analysis, and the overall status the summary leads with."""

    status: Status
    concerns: tuple[Finding, ...]
    indicative: tuple[Finding, ...]
    too_few: tuple[Finding, ...]
    hidden: tuple[Finding, ...]
    unknown_share: float  # the most the published counts allow
    unreliable_share: float
    warn_share: float
    minimum_n: int
    n_known: int  # the fewest the published counts allow
    #: Clear differences inside the thresholds ("higher/lower than expected").
    differences: tuple[Finding, ...] = ()
    service_kind: ServiceKind = "reach"

    @property
    def ordered(self) -> tuple[Finding, ...]:
        return (*self.concerns, *self.differences, *self.indicative, *self.too_few,
                *self.hidden)

    @property
    def reliable(self) -> bool:
        return self.status not in (Status.UNRELIABLE, Status.TOO_SMALL)

    @property
    def warn_unknown(self) -> bool:
        return self.unknown_share >= self.warn_share


def _direction(band: str | None) -> Direction:
    if band in (Band.OVER, Band.HIGHER):
        return "over"
    if band in (Band.UNDER, Band.NOT_REPRESENTED, Band.LOWER):
        return "under"
    return ""


def find(
    analysis: Analysis,
    safe: SafeAnalysis,
    *,
    unreliable_share: float | None = None,
    warn_share: float | None = None,
    minimum_n: int | None = None,
    service_kind: ServiceKind = "reach",
) -> Findings:
    """Classify each group and decide what the summary leads with. Concerns in the
    direction the ``service_kind`` cares about come first."""
    concerns: list[Finding] = []
    differences: list[Finding] = []
    indicative: list[Finding] = []
    too_few: list[Finding] = []
    hidden: list[Finding] = []
    for row in safe.rows:
        if not row.shown:
            hidden.append(Finding(row.group, "hidden", "", row))
            continue
        direction = _direction(row.band)
        if row.confidence == Confidence.TOO_FEW:
            too_few.append(Finding(row.group, "too_few", direction, row))
        elif row.band in (Band.HIGHER, Band.LOWER) and row.confidence == Confidence.SIGNIFICANT:
            differences.append(Finding(row.group, "difference", direction, row))
        elif direction and row.confidence == Confidence.SIGNIFICANT:
            concerns.append(Finding(row.group, "concern", direction, row))
        elif direction and row.confidence == Confidence.INDICATIVE:
            indicative.append(Finding(row.group, "indicative", direction, row))

    primary = PRIMARY[service_kind]

    def by_strength(item: Finding) -> tuple[bool, float]:
        return (item.direction != primary, -item.strength)

    concerns.sort(key=by_strength)
    differences.sort(key=by_strength)
    indicative.sort(key=by_strength)
    settings = analysis.settings
    minimum = settings.min_n if minimum_n is None else int(minimum_n)
    if unreliable_share is None:
        unreliable_share = settings.unknown_refusal
    if warn_share is None:
        warn_share = settings.unknown_warning
    # Decided from published figures only, so the wording gives nothing away: "cannot be
    # relied on" when even the fewest people the published counts allow with no usable
    # ethnicity are too many; "too small" when the fewest people allowed are too few.
    share_low, share_high = safe.unknown_share_low, safe.unknown_share_high
    status: Status
    if safe.n_total.high and share_low >= unreliable_share - 1e-12:
        status = Status.UNRELIABLE
    elif safe.n_known.low < minimum:
        status = Status.TOO_SMALL
    elif concerns:
        status = Status.CONCERN
    elif indicative:
        status = Status.INDICATIVE
    elif differences:
        status = Status.DIFFERENCE
    else:
        status = Status.NO_CONCERN
    return Findings(
        status=status,
        concerns=tuple(concerns),
        indicative=tuple(indicative),
        too_few=tuple(too_few),
        hidden=tuple(hidden),
        unknown_share=share_high,
        unreliable_share=unreliable_share,
        warn_share=warn_share,
        minimum_n=minimum,
        n_known=int(safe.n_known.low),
        differences=tuple(differences),
        service_kind=service_kind,
    )
