"""Turn the values a spreadsheet reader returns into the text a person would have typed.

The reader downstream sees only text, so that "007" keeps its zeros, "NA" stays "NA", a
whole number is "12" (not "12.0") and a date is ISO "2012-03-04" whatever the locale.
Strings are by far the commonest cell, so they take a fast path and everything else is
converted by type.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence


def value_text(value: object) -> str:
    """One cell as text (see the module docstring for the rules)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if value is None:
        return ""
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is float:
        return _float_text(value)  # type: ignore[arg-type]
    if kind is int:
        return str(value)
    if kind is dt.datetime:
        moment: dt.datetime = value  # type: ignore[assignment]
        if moment.time() == dt.time(0) and moment.tzinfo is None:
            return moment.date().isoformat()
        return moment.isoformat(sep=" ")
    if kind is dt.date or kind is dt.time:
        return value.isoformat()  # type: ignore[attr-defined, no-any-return]
    if kind is dt.timedelta:
        return _duration_text(value)  # type: ignore[arg-type]
    if isinstance(value, float):  # numpy floats and other subclasses
        return _float_text(float(value))
    if isinstance(value, int):
        return str(int(value))
    return str(value)


def _float_text(number: float) -> str:
    if math.isnan(number) or math.isinf(number):
        return ""
    if number.is_integer():
        return str(int(number))
    return repr(number)


def _duration_text(span: dt.timedelta) -> str:
    seconds = span.total_seconds()
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}"


def rows_text(rows: Iterable[Sequence[object]]) -> list[list[str]]:
    """Every row as a list of text cells (strings pass through untouched).

    Returns hold few distinct numbers and dates (ages, counts, a year of dates), so each
    distinct (type, value) is converted once; the type is part of the key because
    ``True == 1 == 1.0`` would otherwise share one entry.
    """
    memo: dict[tuple[type, object], str] = {}

    def convert(value: object) -> str:
        key = (type(value), value)
        try:
            return memo[key]
        except KeyError:
            text = memo[key] = value_text(value)
            return text
        except TypeError:  # unhashable: never produced by calamine, but be safe
            return value_text(value)

    return [[v if type(v) is str else convert(v) for v in row] for row in rows]
