"""Golden files: the Markdown drafted from each shipped example return.

A change to the wording, the statistics or the suppression shows up here as a diff to
read. When the change is intended, regenerate deliberately and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_draft_golden.py

The date is fixed and the tool version and file fingerprint are replaced by
placeholders, so the files only change when the section does.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from commissioning.analysis.compare import analyse
from commissioning.comparators import population
from commissioning.drafting.draft import draft
from commissioning.render.markdown import render_markdown
from commissioning.returns import read_return

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = {
    "westminster_holiday_activities": (
        "westminster_holiday_activities_2024q2.xlsx", "Westminster",
        "Holiday Activities and Food"),
    "kensington_chelsea_youth": (
        "kensington_chelsea_youth_2024q2.csv", "Kensington and Chelsea", "Youth Services"),
    "bibrough_mental_health": (
        "bibrough_mental_health_2024q2.xlsx", "Bi-Borough", "Mental Health and Wellbeing"),
    # With --comparator census2011 --ages 0-17 --by sex: the two-way table and its wording.
    "westminster_holiday_activities_by_sex": (
        "westminster_holiday_activities_2024q2.xlsx", "Westminster",
        "Holiday Activities and Food"),
}
#: Examples drafted with an intersection: (comparator source, ages, by).
SPLIT = {"westminster_holiday_activities_by_sex": ("census2011", "0-17", "sex")}


def stable(markdown: str) -> str:
    markdown = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", markdown)
    return re.sub(r"commissioning \d+\.\d+\.\d+\S*", "commissioning <version>", markdown)


def drafted(name: str) -> str:
    file_name, authority, service = EXAMPLES[name]
    provider_return = read_return(ROOT / "provider_returns" / file_name)
    source, ages, by = SPLIT.get(name, (None, None, None))
    comparator = population(authority, source=source, ages=ages)
    analysis = analyse(provider_return.counts, comparator)
    splits = [analyse(provider_return.counts, comparator, by=by)] if by else []
    section = draft(analysis, authority=authority, service=service, period="2024-25 Q2",
                    source_return=provider_return, produced=dt.date(2026, 11, 28),
                    intersections=splits)
    return stable(render_markdown(section))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_drafted_markdown_matches_golden(name: str) -> None:
    golden = GOLDEN / f"{name}.md"
    text = drafted(name)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file: run with UPDATE_GOLDEN=1 to create {golden.name}"
    assert text == golden.read_text(encoding="utf-8")


def test_stable_replaces_only_the_moving_lines() -> None:
    line = f"| Tool | commissioning 0.1.0 |\n| Input file fingerprint (SHA-256) | {'a1' * 32} |"
    assert stable(line) == (
        "| Tool | commissioning <version> |\n| Input file fingerprint (SHA-256) | <sha256> |")
