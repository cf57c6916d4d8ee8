"""Age ranges asked of a comparator: parse them, and refuse ranges that cut a band.

Census 2011 counts people in fixed bands (0-4, 5-7, 8-9, 10-14, 15, 16-17, ...). An age
range is taken from it only when it starts and ends on band edges; otherwise we would be
guessing how many people of each ethnic group are in part of a band, so we refuse and
name the bands that are available.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np

from commissioning.errors import ComparatorError
from commissioning.model.ages import AgeBand

ALL_AGES: Final = "all ages"
MSG_BAD_AGES: Final = (
    'The age range "{ages}" is not one we can read. Write it like "0-17", "5-17" or "18+", '
    "or leave it out for all ages."
)
MSG_AGES_CUT: Final = (
    "{title} counts people in the age bands {bands}, so ages {ages} cannot be taken from it "
    "without guessing. Choose an age range that starts and ends on these bands, such as "
    '"0-17" or "5-17".'
)

_ALL = frozenset({"all", "all ages", "any", "everyone", "0+", "0 and over"})
_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|to|–|—)\s*(\d{1,3})$")
_OPEN = re.compile(r"^(\d{1,3})\s*(?:\+|and over|and older|or over|or older|plus)$")
_UNDER = re.compile(r"^(?:under|below|younger than|less than)\s*(\d{1,3})$")
_MAX_ECHO = 30


def parse_ages(ages: str | None) -> AgeBand | None:
    """None (all ages) or the `AgeBand` asked for; `ComparatorError` if unreadable."""
    if ages is None:
        return None
    text = " ".join(str(ages).strip().lower().removeprefix("ages ").removeprefix("age ").split())
    if text in _ALL or not text:
        return None
    match = _RANGE.match(text)
    try:
        if match:
            return AgeBand(int(match.group(1)), int(match.group(2)))
        match = _OPEN.match(text)
        if match:
            return AgeBand(int(match.group(1)), None)
        match = _UNDER.match(text)
        if match and int(match.group(1)) > 0:
            return AgeBand(0, int(match.group(1)) - 1)
    except ValueError:
        pass
    shown = str(ages)[:_MAX_ECHO].replace('"', "'")
    raise ComparatorError(MSG_BAD_AGES.format(ages=shown))


def age_label(band: AgeBand | None) -> str:
    return ALL_AGES if band is None else band.label


def readable_band(band: AgeBand) -> str:
    """"15" rather than "15-15" for one-year bands, for messages."""
    return str(band.lo) if band.hi == band.lo else band.label


def bands_within(bands: Sequence[AgeBand], wanted: AgeBand | None, title: str) -> np.ndarray:
    """Boolean mask of ``bands`` inside ``wanted``; refuse a range that cuts a band."""
    mask = np.ones(len(bands), dtype=bool)
    if wanted is None:
        return mask
    mask = np.array([wanted.contains(band) for band in bands], dtype=bool)
    cut = any(wanted.overlaps(band) and not wanted.contains(band) for band in bands)
    if cut or not mask.any():
        distinct = sorted(set(bands))
        listed = ", ".join(readable_band(b) for b in distinct)
        raise ComparatorError(MSG_AGES_CUT.format(title=title, bands=listed, ages=wanted.label))
    return mask
