"""`AnalysisSettings`: the one home of every default the comparison and the findings use.

The command line, the web page, `batch` and a user's own script all build one of these (or
take the defaults), so the same return and options give the same tests everywhere. It is
frozen: an `Analysis` carries the settings it was made with, and the drafted section's
method and audit trail read them from there.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Final, Literal

from commissioning.errors import AnalysisError
from commissioning.stats.goodness import DRAWS, SEED

Mode = Literal["fixed", "independent", "nested"]
Adjustment = Literal["holm", "fdr_bh", "none"]
Level = Literal["major", "detailed"]
ByDimension = Literal["sex", "age_band"]
MODES: Final[tuple[Mode, ...]] = ("fixed", "independent", "nested")
ADJUSTMENTS: Final[tuple[Adjustment, ...]] = ("holm", "fdr_bh", "none")
LEVELS: Final[tuple[Level, ...]] = ("major", "detailed")
BY_DIMENSIONS: Final[tuple[ByDimension, ...]] = ("sex", "age_band")

MSG_BAD_OPTION: Final = "{name} must be one of {choices}; it was given as {value}."
MSG_BAD_THRESHOLDS: Final = (
    "The thresholds must satisfy 0 < under < 1 < over (the plan uses under 0.5, over 1.5)."
)
MSG_BAD_ALPHA: Final = "alpha must be between 0 and 1 (the usual choice is 0.05)."
MSG_BAD_CONFIDENCE: Final = (
    "The confidence level must be between 0 and 1 (the usual choice is 0.95)."
)
MSG_BAD_MINIMUMS: Final = "min_n, min_expected and draws must not be negative."
MSG_BAD_UNKNOWN_WARNING: Final = "unknown_warning must be between 0 and 1 (default 0.10)."
MSG_BAD_UNKNOWN_REFUSAL: Final = (
    "unknown_refusal must be between unknown_warning and 1 (default 0.40)."
)
MSG_BAD_THRESHOLD: Final = "The small-number threshold must be 2 or more (the default is 5)."
MSG_BAD_PERSISTENCE: Final = "persistence must be 1 or more periods (the default is 3)."


@dataclass(frozen=True, kw_only=True)
class AnalysisSettings:
    """How a return is compared with its comparator and judged.

    ``mode=None`` means "the comparison the comparator calls for" (`suggested_mode`); an
    `Analysis` always carries the mode it actually used.
    """

    level: Level = "major"
    mode: Mode | None = None
    reference: str | None = None
    adjust: Adjustment = "holm"
    #: Significance level for each (adjusted) test.
    alpha: float = 0.05
    #: The action plan's RRI thresholds: over-represented at or above, under at or below.
    over: float = 1.5
    under: float = 0.5
    #: Fewer people than this with a known ethnicity: too few to judge any group.
    min_n: int = 20
    #: A group expected to have fewer people than this is too few to judge.
    min_expected: float = 5.0
    #: Warn when more than this share of people have no known ethnicity ...
    unknown_warning: float = 0.10
    #: ... and say the findings cannot be relied on at or above this share.
    unknown_refusal: float = 0.40
    confidence_level: float = 0.95
    #: Monte Carlo overall test: fixed seed (results repeat) and number of draws.
    seed: int = SEED
    draws: int = DRAWS
    #: Counts below this are hidden in anything published ("fewer than 5").
    threshold: int = 5
    #: A group over-represented in each of the latest N periods is a persistent concern.
    persistence: int = 3
    #: Compare with a user's comparator file even when it has no figure for a group the
    #: service has people in (a caveat then names those groups); otherwise refused.
    allow_missing_groups: bool = False

    def __post_init__(self) -> None:
        _check_choice("level", self.level, LEVELS)
        if self.mode is not None:
            _check_choice("mode", self.mode, MODES)
        _check_choice("adjust", self.adjust, ADJUSTMENTS)
        if not 0 < self.alpha < 1:
            raise AnalysisError(MSG_BAD_ALPHA)
        if not 0 < self.confidence_level < 1:
            raise AnalysisError(MSG_BAD_CONFIDENCE)
        if not 0 < self.under < 1 < self.over:
            raise AnalysisError(MSG_BAD_THRESHOLDS)
        if self.min_n < 0 or self.min_expected < 0 or self.draws < 0:
            raise AnalysisError(MSG_BAD_MINIMUMS)
        if not 0 <= self.unknown_warning <= 1:
            raise AnalysisError(MSG_BAD_UNKNOWN_WARNING)
        if not self.unknown_warning <= self.unknown_refusal <= 1:
            raise AnalysisError(MSG_BAD_UNKNOWN_REFUSAL)
        if self.threshold < 2:
            raise AnalysisError(MSG_BAD_THRESHOLD)
        if self.persistence < 1:
            raise AnalysisError(MSG_BAD_PERSISTENCE)

    def replace(self, **changes: object) -> AnalysisSettings:
        """A copy with ``changes``; a value of None keeps the current setting, so an option
        a user did not give never overrides one they set elsewhere."""
        kept = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **kept)  # type: ignore[arg-type]

    def as_parameters(self) -> dict[str, object]:
        """Every setting by name: the ``parameters`` of the JSON output and the audit trail."""
        return dataclasses.asdict(self)


def _check_choice(name: str, value: object, choices: tuple[object, ...]) -> None:
    if value not in choices:
        raise AnalysisError(
            MSG_BAD_OPTION.format(
                name=name, choices=", ".join(str(c) for c in choices), value=value
            )
        )


def by_tuple(by: ByDimension | tuple[ByDimension, ...] | list[ByDimension] | None,
             ) -> tuple[ByDimension, ...]:
    """``by`` as a tuple in the fixed order (sex, then age band), each checked."""
    dims = () if by is None else (by,) if isinstance(by, str) else tuple(by)
    for dim in dims:
        _check_choice("by", dim, BY_DIMENSIONS)
    return tuple(d for d in BY_DIMENSIONS if d in dims)
