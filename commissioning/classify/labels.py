"""Classify a short list of labels (a dropdown, a comparator's category column) at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final, Literal

import pandas as pd

from commissioning.classify.bands import normalise_age_band
from commissioning.classify.ethnicity import classify_ethnicity
from commissioning.classify.sex import classify_sex

Kind = Literal["ethnicity", "sex", "age_band"]

_CLASSIFIERS: Final[dict[str, Callable[[pd.Series], pd.DataFrame]]] = {
    "ethnicity": classify_ethnicity,
    "sex": classify_sex,
    "age_band": normalise_age_band,
}


def classify_labels(kind: Kind, labels: Iterable[object]) -> pd.DataFrame:
    """One row per label, in order: ``label`` then the classifier's columns.

    ``kind`` "ethnicity" gives ``major``, ``detailed``, ``status``; "sex" gives ``sex``,
    ``status``; "age_band" gives ``age_band``, ``status``.
    """
    classifier = _CLASSIFIERS.get(kind)
    if classifier is None:
        raise ValueError(f"kind must be one of {sorted(_CLASSIFIERS)}, not {kind!r}")
    values = pd.Series(list(labels), dtype=object)
    result = classifier(values)
    result.insert(0, "label", values)
    return result.reset_index(drop=True)
