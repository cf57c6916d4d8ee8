"""The string enums keep the strings that tables, JSON and templates have always used."""

from __future__ import annotations

import json

import pytest

from commissioning.analysis.compare import BANDS, CONFIDENCE
from commissioning.model.bands import Band, Confidence, Status
from commissioning.model.quality import Issue, IssueCode


def test_bands_and_confidence_keep_their_strings() -> None:
    assert BANDS == ("over-represented", "under-represented", "not represented",
                     "proportionate", "higher than expected", "lower than expected")
    assert CONFIDENCE == ("significant", "indicative", "too few to judge", "")
    assert [s.value for s in Status] == [
        "unreliable", "too_small", "concern", "indicative", "difference", "no_concern"
    ]
    assert json.dumps([Band.OVER, Confidence.TOO_FEW]) == '["over-represented", "too few to judge"]'
    assert f"{Band.NOT_REPRESENTED}" == "not represented"


def test_table_cells_stay_plain_strings() -> None:
    """A band in an analysis table is a str, so it prints as it always did."""
    from commissioning.analysis.compare import analyse
    from commissioning.comparators import population
    from commissioning.model.counts import Counts

    counts = Counts.from_records(
        {"major": g, "detailed": "Not known", "count": c}
        for g, c in {"Asian": 30, "Black": 80, "Mixed": 20, "White": 40, "Other": 30}.items()
    )
    table = analyse(counts, population("Westminster")).table
    assert {type(v) for v in table["band"]} == {str}
    assert {type(v) for v in table["confidence"]} == {str}


def test_an_issue_code_given_as_text_is_stored_as_the_enum() -> None:
    issue = Issue("warning", "totals-mismatch", "m")
    assert issue.code is IssueCode.TOTALS_MISMATCH
    assert issue.as_dict()["code"] == "totals-mismatch"
    assert json.dumps(issue.as_dict()["code"]) == '"totals-mismatch"'


def test_an_unknown_issue_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        Issue("warning", "no-such-code", "m")
