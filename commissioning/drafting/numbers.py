"""Number formatting for the drafted section: the few pieces that are digits, not words.

Templates call these as Jinja2 filters. Everything that is a word lives in the
templates; these only decide how a number is written ("12.3%", "1.60 to 2.70",
"about 1 in 5").
"""

from __future__ import annotations

import math

#: The few words these filters write (the rest of every sentence is in templates/).
WORD_P_TINY = "less than 0.001"
WORD_NONE = "none"
WORD_ALMOST_ALL = "almost all"
WORD_TENTHS = "about {tenths} in 10"
WORD_UNDER_ONE_IN_100 = "fewer than 1 in 100"
WORD_ONE_IN = "about 1 in {n}"
_SMALL_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
#: Numbers the trend sentences write as words (up to twelve periods: a year of months).
_NUMBER_WORDS = (*_SMALL_WORDS, "ten", "eleven", "twelve")


def format_pct(value: float, digits: int = 1) -> str:
    """0.1234 -> "12.3%"."""
    return f"{value * 100:.{digits}f}%"


def format_rri(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def format_rri_short(value: float) -> str:
    """Two significant figures for prose: 1.67 -> "1.7", 0.14 -> "0.14"."""
    return f"{value:.2g}" if value < 10 else f"{value:.0f}"


def format_interval_short(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{format_rri_short(low)} to {format_rri_short(high)}"


def format_interval(low: float | None, high: float | None, digits: int = 2) -> str:
    if low is None or high is None:
        return ""
    return f"{low:.{digits}f} to {high:.{digits}f}"


def format_p(value: float) -> str:
    """p-values to three places; very small ones as "less than 0.001"."""
    if value < 0.001:
        return WORD_P_TINY
    return f"{value:.3f}"


def format_count(value: int) -> str:
    return f"{value:,}"


def count_words(value: int) -> str:
    """Numbers below ten as words, as plain-English guides advise."""
    return _SMALL_WORDS[value] if 0 <= value < 10 else f"{value:,}"


def number_words(value: int) -> str:
    """Small numbers as words ("four"), larger ones as digits."""
    return _NUMBER_WORDS[value] if 0 <= value < len(_NUMBER_WORDS) else str(value)


def one_in(share: float) -> str:
    """A share as "about 1 in 5" (under a quarter) or "about 4 in 10" (a quarter or more)."""
    if share <= 0:
        return WORD_NONE
    if share >= 0.25:
        tenths = math.floor(share * 10 + 0.5)
        return WORD_ALMOST_ALL if tenths >= 10 else WORD_TENTHS.format(tenths=tenths)
    if share < 0.01:
        return WORD_UNDER_ONE_IN_100
    return WORD_ONE_IN.format(n=round(1 / share))


def per_ten(rri: float) -> str:
    """How many people the service reached for every 10 expected: 2.1 -> "21"."""
    if rri <= 0 or math.isnan(rri):
        return WORD_NONE
    return str(max(1, round(rri * 10)))
