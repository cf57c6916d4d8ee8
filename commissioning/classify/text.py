"""Turn any cell value into a matching key, so that case, spaces and punctuation never matter.

Providers type the same category many ways ("White - British", "white british",
"WHITE/BRITISH"). Every label is reduced to a key of lower-case letters and digits only
("&" counts as "and", accents are dropped) before it is looked up, so one table entry
covers every spelling that differs only in those ways.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
#: "1.0" as written by a spreadsheet export reads as "1".
_WHOLE_NUMBER_TEXT = re.compile(r"^\d+\.0+$")
_DASH_CHARACTERS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASHES = str.maketrans(dict.fromkeys(_DASH_CHARACTERS, "-"))

T = TypeVar("T")


def as_text(value: object) -> str | None:
    """The cell as text, or None when the cell is empty (NaN, None, NaT, blank).

    Whole numbers read the same however they were stored: 1, 1.0 and "1.0" are all "1".
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        text = value.strip()
        if _WHOLE_NUMBER_TEXT.match(text):
            text = text.split(".", 1)[0]
        return text or None
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return None
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    if isinstance(value, dt.date | np.datetime64):
        return str(value)
    text = str(value).strip()
    return text or None


def fold(text: str) -> str:
    """Lower case, accents removed, dashes unified and "&" spelt "and"; spacing collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_DASHES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = plain.replace("&", " and ")
    return _SPACES.sub(" ", plain).strip()


def label_key(text: str) -> str:
    """The matching key: letters and digits only ("Mixed - W&BC" -> "mixedwandbc")."""
    return _NOT_ALNUM.sub("", fold(text))


def map_distinct(values: pd.Series, mapper: Callable[[object], T]) -> tuple[np.ndarray, list[T]]:
    """Call ``mapper`` once per distinct value; return (codes, results).

    ``codes[i]`` indexes ``results`` for row i. Empty cells (NaN/None) share one code,
    and ``mapper`` is called with None for them, so every row gets a result.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results: list[T] = [mapper(u) for u in _as_objects(uniques)]
    if (codes < 0).any():
        results.append(mapper(None))
        codes = np.where(codes < 0, len(results) - 1, codes)
    return codes, results


def _as_objects(uniques: pd.Index | np.ndarray) -> list[Hashable]:
    return list(np.asarray(uniques, dtype=object))


def take_columns(
    codes: np.ndarray, results: Sequence[tuple[str, ...]], names: tuple[str, ...], index: pd.Index
) -> pd.DataFrame:
    """Spread per-distinct-label result tuples over every row (one numpy take per column)."""
    table = np.empty((len(results), len(names)), dtype=object)
    for i, row in enumerate(results):
        table[i, :] = row
    if len(results) == 0:
        return pd.DataFrame({n: pd.Series([], dtype="str") for n in names}, index=index)
    return pd.DataFrame(
        {n: pd.array(table[:, j].take(codes), dtype="str") for j, n in enumerate(names)},
        index=index,
    )
