"""The fixed vocabulary of results: representation bands, confidence and section status.

Each is a string enum whose values are the strings the tables, JSON and templates have
always used ("over-represented", "significant", "no_concern"), so a column or a JSON
field is unchanged and a template compares with the same string. The words a reader
sees for them are in templates/, never here.
"""

from __future__ import annotations

from enum import StrEnum


class Band(StrEnum):
    """Where a group's RRI falls against the thresholds (1.5 and 0.5 by default)."""

    OVER = "over-represented"
    UNDER = "under-represented"
    NOT_REPRESENTED = "not represented"
    PROPORTIONATE = "proportionate"
    #: A clear (significant) difference that stays inside the thresholds: named, so a
    #: table never calls it "in proportion", but not over- or under-representation.
    HIGHER = "higher than expected"
    LOWER = "lower than expected"
    NONE = ""  # no RRI: the comparator has nobody in this group


class Confidence(StrEnum):
    """How sure the comparison is about a group's band."""

    SIGNIFICANT = "significant"
    INDICATIVE = "indicative"
    TOO_FEW = "too few to judge"
    NONE = ""  # proportionate, or no comparator: nothing to flag


class Status(StrEnum):
    """What the drafted section can say about the service as a whole."""

    UNRELIABLE = "unreliable"
    TOO_SMALL = "too_small"
    CONCERN = "concern"
    INDICATIVE = "indicative"
    #: No group crosses a threshold, but some differ clearly inside them.
    DIFFERENCE = "difference"
    NO_CONCERN = "no_concern"
