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

import numpy as np
import numpy.typing as npt

#: whole floats below this magnitude are formatted by numpy as integers
_EXACT_INT = 2.0**53


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


def _each_distinct_once(values: list[object]) -> list[str]:
    """``values`` (all of one type) as text, each distinct value converted once: a
    column of 200,000 ages or dates holds a few hundred distinct values at most. One
    type only, so ``True``, ``1`` and ``1.0`` never share an entry."""
    try:
        texts = {value: value_text(value) for value in set(values)}
    except TypeError:  # unhashable: never produced by calamine, but be safe
        return [value_text(value) for value in values]
    return list(map(texts.__getitem__, values))


def cells_text(rows: Sequence[Sequence[object]]) -> npt.NDArray[np.object_]:
    """A rectangular sheet as a 2-D object array of text, converted column by column.

    Strings (most cells) are left alone; whole-number floats, the next most common, are
    formatted by numpy in bulk; everything else goes through `value_text` once per
    distinct value.
    """
    if not rows:
        return np.empty((0, 0), dtype=object)
    width = max(len(row) for row in rows)
    grid = np.empty((len(rows), width), dtype=object)
    if all(len(row) == width for row in rows):
        grid[:, :] = rows
    else:
        grid[:, :] = ""
        for i, row in enumerate(rows):  # ragged rows: rare, from unusual writers
            grid[i, : len(row)] = row
    for col in range(width):
        grid[:, col] = _column_text(grid[:, col])
    return grid


def _column_text(column: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    is_text = np.fromiter((type(v) is str for v in column), dtype=bool, count=column.size)
    if is_text.all():
        return column
    others = np.flatnonzero(~is_text)
    values = column[others]
    if len(set(map(type, values))) == 1:  # one type besides text: dates, or numbers
        column[others] = _each_distinct_once(values.tolist())
        return column
    is_float = np.fromiter((type(v) is float for v in values), dtype=bool, count=values.size)
    if is_float.any():
        numbers = values[is_float].astype(np.float64)
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        whole &= np.abs(numbers) < _EXACT_INT
        text = np.empty(numbers.size, dtype=object)
        text[whole] = numbers[whole].astype(np.int64).astype(str).astype(object)
        text[~whole] = [_float_text(float(x)) for x in numbers[~whole]]
        column[others[is_float]] = text
    rest = others[~is_float]
    if rest.size:
        column[rest] = rows_text([column[rest].tolist()])[0]
    return column
