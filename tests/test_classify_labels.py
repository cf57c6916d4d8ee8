"""classify_labels: one call for a short list of labels of any kind; the package exports."""

from __future__ import annotations

import pandas as pd
import pytest

import commissioning
import commissioning.classify as classify
from commissioning.model.categories import NOT_KNOWN, UNMAPPED


def test_ethnicity_labels_in_order_with_duplicates() -> None:
    result = classify.classify_labels("ethnicity", ["WBRI", "Asian", "WBRI", "??x", None])
    assert list(result.columns) == ["label", "major", "detailed", "status"]
    assert result["label"].tolist()[:4] == ["WBRI", "Asian", "WBRI", "??x"]
    assert result["major"].tolist() == ["White", "Asian", "White", UNMAPPED, NOT_KNOWN]
    assert result["detailed"].tolist()[:2] == ["White British", NOT_KNOWN]
    assert result.index.tolist() == [0, 1, 2, 3, 4]


def test_sex_and_age_band_labels() -> None:
    sex = classify.classify_labels("sex", ("F", "m", "Non-binary"))
    assert sex["sex"].tolist() == ["Female", "Male", "Other"]
    bands = classify.classify_labels("age_band", ["Under 5", "18 and over"])
    assert bands["age_band"].tolist() == ["0-4", "18+"]
    assert list(bands.columns) == ["label", "age_band", "status"]


@pytest.mark.parametrize(
    ("kind", "dropdown"),
    [
        ("ethnicity", classify.ETHNICITY_DROPDOWN),
        ("sex", classify.SEX_DROPDOWN),
        ("age_band", classify.AGE_BAND_DROPDOWN),
    ],
)
def test_every_dropdown_classifies_back(kind: str, dropdown: tuple[str, ...]) -> None:
    result = classify.classify_labels(kind, dropdown)  # type: ignore[arg-type]
    assert result["status"].isin(["classified", "not known"]).all()
    assert (result["status"] == "classified").sum() == len(dropdown) - 1


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        classify.classify_labels("colour", ["red"])  # type: ignore[arg-type]


def test_public_names() -> None:
    for name in classify.__all__:
        assert hasattr(classify, name), name
    assert commissioning.classify_ethnicity is classify.classify_ethnicity
    assert commissioning.classify_sex is classify.classify_sex
    assert commissioning.normalise_age_band is classify.normalise_age_band
    frame = classify.classify_ethnicity(pd.Series(["Asian - Indian"]))
    assert frame.iloc[0].tolist() == ["Asian", "Indian", "classified"]


@pytest.mark.parametrize("dtype", ["object", "category", "string", "str"])
def test_any_text_dtype(dtype: str) -> None:
    values = pd.Series(["WBRI", None, "Asian", "WBRI"], dtype=dtype, index=[3, 2, 1, 0])
    result = classify.classify_ethnicity(values)
    assert result.index.tolist() == [3, 2, 1, 0]
    assert result["major"].tolist() == ["White", NOT_KNOWN, "Asian", "White"]


def test_nullable_integer_sex_codes() -> None:
    result = classify.classify_sex(pd.Series([1, 2, None, 9], dtype="Int64"))
    assert result["sex"].tolist() == ["Male", "Female", NOT_KNOWN, NOT_KNOWN]
