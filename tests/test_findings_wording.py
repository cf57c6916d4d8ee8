"""Findings a statistician would sign: a clear difference is never "in proportion", the
summary never contradicts the findings, thresholds tolerate floating error, and the
actions follow what the service is for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commissioning.analysis.compare import analyse
from commissioning.cli import main
from commissioning.drafting.draft import draft
from commissioning.model.categories import MAJOR_GROUPS, NOT_KNOWN
from commissioning.model.counts import Counts
from commissioning.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "provider_returns").iterdir())
KC_YOUTH = ROOT / "provider_returns" / "kensington_chelsea_youth_2024q2.csv"
HAF = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"


def _counts(groups: dict[str, int]) -> Counts:
    return Counts.from_records(
        {"major": g, "detailed": NOT_KNOWN, "count": n} for g, n in groups.items()
    )


def _draft_md(path: Path, authority: str, service: str, capsys: pytest.CaptureFixture[str],
              *extra: str) -> str:
    assert main(["draft", str(path), "--authority", authority, "--service", service,
                 *extra]) == 0
    return capsys.readouterr().out


def test_a_clear_difference_inside_the_thresholds_is_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """K&C youth: Other 0.57 (0.40 to 0.80), adjusted p < 0.01. It was "In proportion"
    under a "No concern found" summary while the overall test said the mix differs."""
    text = _draft_md(KC_YOUTH, "Kensington and Chelsea", "Youth Club", capsys)
    other = next(line for line in text.splitlines() if line.startswith("| Other |"))
    assert "0.57" in other and "In proportion" not in other
    assert "Lower than expected: clear difference, inside the thresholds" in other
    assert "No concern found" not in text
    summary = text.split("## 2 ")[0]
    assert "served at a clearly different rate" in summary and "lower than expected" in summary


def test_a_summary_never_says_no_concern_when_the_overall_test_disagrees() -> None:
    # No single group differs clearly at these sizes, but taken together the mix does.
    service = _counts({"Asian": 28, "Black": 30, "Mixed": 18, "White": 70, "Other": 24})
    local = _counts({"Asian": 3380, "Black": 4176, "Mixed": 2546, "White": 5688, "Other": 5679})
    analysis = analyse(service, local, mode="fixed")
    section = draft(analysis, authority="Camden", service="Youth Club")
    text = render_markdown(section)
    if analysis.omnibus is not None and analysis.omnibus.p_value < 0.05:
        assert "No concern found" not in text
    bands = set(analysis.table["band"])
    if bands <= {"proportionate"}:
        assert analysis.omnibus is not None and analysis.omnibus.p_value < 0.05
        assert "taken together, the mix of groups" in text


def test_an_rri_of_exactly_one_and_a_half_is_over_represented() -> None:
    """6 of 20 against a 20% share is 1.4999999999999998 in binary."""
    service = _counts(dict(zip(MAJOR_GROUPS, (6, 4, 4, 3, 3), strict=True)))
    local = _counts(dict.fromkeys(MAJOR_GROUPS, 1000))
    row = analyse(service, local, mode="fixed").table.set_index("group").loc["Asian"]
    assert row["rri"] < 1.5  # the binary value
    assert row["band"] == "over-represented"


def test_an_over_represented_group_in_a_service_people_should_reach_starts_from_need(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _draft_md(HAF, "Westminster", "Holiday Activities and Food", capsys)
    actions = text.split("Implications and actions")[1].split("\n## ")[0]
    part = actions.split("who were over-represented:")[1].split("\n\n6.")[0]
    first = re.search(r"^- (.+?)\.", part, re.M)
    assert first is not None and first.group(1) == "Check whether this matches need"
    assert "barrier" not in part and "outreach" not in part and "action plan on" not in part
    assert "People should be able to reach Holiday Activities and Food." in text


def test_an_intervention_treats_over_representation_as_the_concern() -> None:
    service = _counts({"Asian": 20, "Black": 90, "Mixed": 20, "White": 60, "Other": 10})
    local = _counts({"Asian": 3380, "Black": 4176, "Mixed": 2546, "White": 5688, "Other": 5679})
    analysis = analyse(service, local, mode="fixed")
    section = draft(analysis, authority="Camden", service="Youth Justice Service")
    assert section.findings.service_kind == "intervention"
    assert section.findings.concerns[0].direction == "over"
    text = render_markdown(section)
    assert "Review how decisions are made." in text
    assert "steps into people's lives" in text
    reach = draft(analysis, authority="Camden", service="Youth Justice Service",
                  service_kind="reach")
    assert reach.findings.concerns[0].direction == "under"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_no_published_text_is_addressed_to_officers(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    authority = "Kensington and Chelsea" if "kensington" in path.name else "Westminster"
    text = _draft_md(path, authority, "Family Support", capsys)
    assert not re.search(r"commissioning (analyse|check|draft|batch|serve)", text), path.name
    for instruction in ("run '", "full analysis", "not for publication,",
                        "[Contract manager", "[review date]", "Check them"):
        assert instruction not in text, (path.name, instruction)


def test_notes_for_the_author_go_to_the_terminal_and_the_audit_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    out = tmp_path / "section.md"
    assert main(["draft", str(KC_YOUTH), "--authority", "Kensington and Chelsea",
                 "--service", "Youth Club", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Note for the author: Name an owner and a review date" in printed
    record = json.loads((tmp_path / "section.audit.json").read_text("utf-8"))
    assert any("owner" in n for n in record["notes_for_the_author"])
    assert "Note for the author" not in out.read_text("utf-8")


def test_a_finding_the_unknowns_could_overturn_says_so() -> None:
    # 40 Other people against 18% locally is over-represented, but 60 people have no
    # recorded ethnicity: if they were all from other groups the RRI would fall below 1.5.
    service = _counts({"Asian": 20, "Black": 30, "Mixed": 20, "White": 30, "Other": 40,
                       NOT_KNOWN: 60})
    local = _counts({"Asian": 3380, "Black": 4176, "Mixed": 2546, "White": 5688, "Other": 3000})
    analysis = analyse(service, local, mode="fixed")
    row = analysis.table.set_index("group").loc["Other"]
    assert row["band"] == "over-represented" and row["rri_bound_low"] < 1.5
    text = render_markdown(draft(analysis, authority="Camden", service="Youth Club"))
    assert "This finding depends on the people with no recorded ethnicity" in text
    steady = analyse(_counts({"Asian": 20, "Black": 30, "Mixed": 20, "White": 30, "Other": 80}),
                     local, mode="fixed")
    text = render_markdown(draft(steady, authority="Camden", service="Youth Club"))
    assert "depends on the people with no recorded ethnicity" not in text


def test_the_section_counts_what_the_return_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "families.csv"
    source.write_text("Ethnic Group,Number of families\nWhite British,40\nBlack African,25\n"
                      "Indian,12\nMixed White and Asian,9\nAny other ethnic group,14\n",
                      encoding="utf-8")
    text = _draft_md(source, "Camden", "Family Hub", capsys)
    assert "The return covered 100 families, all with a recorded ethnicity." in text
    assert "We compared the families served by Family Hub" in text
    assert "100 people" not in text


@pytest.mark.parametrize(("heading", "unit"), [
    ("Number of families", "families"), ("Referrals received", "referrals"),
    ("Episodes", "episodes"), ("Number of young people", "young people"),
    ("Count", "people"), (None, "people"),
])
def test_counting_unit_from_the_count_heading(heading: str | None, unit: str) -> None:
    from commissioning.returns.unit import counting_unit

    assert counting_unit(heading) == unit
