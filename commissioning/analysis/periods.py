"""Monitoring period labels: which period comes first, and what one period is.

Labels are what providers write ("2024-25 Q1", "March 2024", "2023-24"); a label that
names a year is put in calendar order, anything else keeps the order given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from commissioning.classify.age import MONTH_NUMBERS

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_QUARTER = re.compile(r"\bq([1-4])\b", re.IGNORECASE)
_MONTH_WORD = re.compile(r"\b([a-z]{3,9})\b", re.IGNORECASE)
_MONTH_NUMBER = re.compile(r"(?<!\d)(?:19|20)\d\d[-/](0[1-9]|1[0-2])(?![\d])")


def period_key(label: str) -> tuple[int, int] | None:
    """(year, quarter or month) of a period label, or None when it names no year."""
    years = _YEAR.findall(label)
    if not years:
        return None
    quarter = _QUARTER.search(label)
    if quarter:
        return (int(years[0]), int(quarter.group(1)) * 3)
    numeric = _MONTH_NUMBER.search(label)
    if numeric:
        return (int(years[0]), int(numeric.group(1)))
    for word in _MONTH_WORD.findall(label):
        month = MONTH_NUMBERS.get(word.lower())
        if month:
            return (int(years[0]), month)
    return (int(years[0]), 0)


def order_periods(labels: Iterable[object]) -> list[str]:
    """Chronological order when every label names a year; otherwise as given."""
    values = [str(v) for v in dict.fromkeys(labels) if isinstance(v, str) and v.strip()]
    keyed: list[tuple[tuple[int, int], str]] = []
    for value in values:
        key = period_key(value)
        if key is None:
            return values
        keyed.append((key, value))
    return [v for _, v in sorted(keyed, key=lambda kv: kv[0])]


def period_unit(labels: Sequence[str]) -> str:
    """What one period is, for sentences: quarter, month, year or period."""
    if labels and all(_QUARTER.search(v) for v in labels):
        return "quarter"
    if labels and all((k := period_key(v)) is not None and k[1] > 0 for v in labels):
        return "month"
    if labels and all(
        re.fullmatch(r"\s*(?:19|20)\d\d(?:\s*[-/]\s*\d{2,4})?\s*", v) for v in labels
    ):
        return "year"
    return "period"



_PERIOD_TOKEN = re.compile(
    r"(?:fy)?(?:19|20)\d\d(?:[-/](?:\d{2}|(?:19|20)\d\d))?|(?:fy)?\d{2}|\d{1}|[qh]\d",
    re.IGNORECASE,
)
_PERIOD_WORDS = frozenset({"quarter", "half", "year", "month", "period", "to", "fy", "and"})


def public_period(label: str, index: int) -> str:
    """A period label fit to publish: the label itself when it is made only of years,
    quarters, months and such words ("2024-25 Q1", "March 2024"), else "period N".

    Labels come from providers' files (a period column, a file name), and a published
    section carries no text a provider typed.
    """
    text = " ".join(str(label).split())
    tokens = [t for t in re.split(r"[\s,_]+|(?<=[a-z])-(?=\d)|(?<=\d)-(?=[a-z])", text,
                                  flags=re.IGNORECASE) if t]

    def fits(token: str) -> bool:
        word = token.lower().rstrip(".")
        return bool(
            _PERIOD_TOKEN.fullmatch(word) or word in _PERIOD_WORDS or word in MONTH_NUMBERS
        )

    if tokens and len(text) <= 30 and _YEAR.search(text) and all(fits(t) for t in tokens):
        return text
    return f"period {index + 1}"
