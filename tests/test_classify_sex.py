"""Sex / gender answers: words, letters, ISO/IEC 5218 digits, gender identity, not known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import commissioning.classify.sex as sex_module
from commissioning.classify import SEX_DROPDOWN, classify_sex
from commissioning.classify.notknown import NOT_KNOWN_KEYS
from commissioning.classify.text import label_key
from commissioning.model.categories import NOT_KNOWN, SEXES, UNMAPPED


def one(value: object) -> tuple[str, str]:
    row = classify_sex(pd.Series([value], dtype=object)).iloc[0]
    return (row["sex"], row["status"])


EXPECTED = {
    "F": "Female",
    "f": "Female",
    "Female": "Female",
    "FEMALE": "Female",
    "Girl": "Female",
    "girls": "Female",
    "Woman": "Female",
    "Young women": "Female",
    "2": "Female",
    2: "Female",
    "2.0": "Female",
    "Trans woman": "Female",
    "Female (including trans woman)": "Female",
    "M": "Male",
    "Male": "Male",
    " male ": "Male",
    "Boy": "Male",
    "Man": "Male",
    "1": "Male",
    1.0: "Male",
    "1.0": "Male",
    "Trans man": "Male",
    "Non-binary": "Other",
    "non binary": "Other",
    "NonBinary": "Other",
    "Other": "Other",
    "Prefer to self-describe": "Other",
    "In another way": "Other",
    "Genderfluid": "Other",
    "Agender": "Other",
}

NOT_KNOWN_ANSWERS = [
    "Prefer not to say",
    "Not known",
    "Unknown",
    "9",
    9,
    "0",
    "U",
    "Transgender",
    "Trans",
    "Intersex",
    "",
    " ",
    None,
    np.nan,
    "n/a",
    "Refused",
]

UNMAPPED_EXAMPLES = ["X", "3", "Mal", "Femal", "Yes", "Girlfriend", "Mr", "7"]


@pytest.mark.parametrize(("value", "sex"), list(EXPECTED.items()), ids=repr)
def test_accepted_answers(value: object, sex: str) -> None:
    assert one(value) == (sex, "classified")


@pytest.mark.parametrize("value", NOT_KNOWN_ANSWERS, ids=repr)
def test_not_known(value: object) -> None:
    assert one(value) == (NOT_KNOWN, "not known")


@pytest.mark.parametrize("value", UNMAPPED_EXAMPLES, ids=repr)
def test_unmapped(value: object) -> None:
    assert one(value) == (UNMAPPED, "unmapped")


def test_iso_5218_digits_one_male_two_female() -> None:
    result = classify_sex(pd.Series([1, 2, 9, 0]))
    assert result["sex"].tolist() == ["Male", "Female", NOT_KNOWN, NOT_KNOWN]


def test_no_alias_is_also_a_not_known_answer() -> None:
    for aliases in sex_module.SEX_ALIASES.values():
        for alias in aliases:
            assert label_key(alias) not in NOT_KNOWN_KEYS, alias
    assert set(sex_module.SEX_ALIASES) == set(SEXES)


def test_dropdown_classifies() -> None:
    result = classify_sex(pd.Series(SEX_DROPDOWN))
    assert result["sex"].tolist() == ["Female", "Male", "Other", NOT_KNOWN]
    assert set(result["status"]) <= {"classified", "not known"}


def test_index_kept_and_each_answer_mapped_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = sex_module.sex_label

    def counting(value: object) -> tuple[str, str]:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(sex_module, "sex_label", counting)
    values = pd.Series(["F", "M", "F", None, "F", "x"] * 1000, index=range(6000, 0, -1))
    result = classify_sex(values)
    assert len(calls) == 4
    assert result.index.equals(values.index)
    assert result["sex"].value_counts().to_dict() == {
        "Female": 3000,
        "Male": 1000,
        NOT_KNOWN: 1000,
        UNMAPPED: 1000,
    }


POOL = [*EXPECTED, *NOT_KNOWN_ANSWERS[:8], *UNMAPPED_EXAMPLES]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=30), st.lists(st.sampled_from(POOL), max_size=30))
def test_properties(values: list[object], others: list[object]) -> None:
    result = classify_sex(pd.Series(values, dtype=object))
    assert len(result) == len(values)
    assert result["status"].isin(["classified", "not known", "unmapped"]).all()
    assert result["sex"].isin([*SEXES, NOT_KNOWN, UNMAPPED]).all()
    both = classify_sex(pd.Series(values + others, dtype=object))
    pd.testing.assert_frame_equal(both.iloc[: len(values)], result)
