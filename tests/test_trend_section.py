"""Trend paragraphs inside a drafted section: placement, numbering and suppression."""

from __future__ import annotations

import pandas as pd

from commissioning.analysis.compare import analyse
from commissioning.analysis.trends import add_to_section, trend_from_frame
from commissioning.comparators import population
from commissioning.drafting.draft import Heading, Paragraph, Section, draft
from commissioning.model.counts import Counts

QUARTERS = ["2024-25 Q1", "2024-25 Q2", "2024-25 Q3"]


def _counts(people: dict[str, int]) -> Counts:
    return Counts.from_records(
        {"major": g, "detailed": "Not known", "count": c} for g, c in people.items()
    )


def _section(people: dict[str, int], threshold: int = 5) -> Section:
    analysis = analyse(_counts(people), population("Westminster"))
    return draft(analysis, authority="Westminster", service="Kooth", threshold=threshold)


def _trend(series: dict[str, list[int]]):  # type: ignore[no-untyped-def]
    comp = population("Westminster").counts.groups("major").set_index("group")["count"]
    rows = []
    for i, period in enumerate(QUARTERS):
        known = sum(v[i] for v in series.values())
        for group, values in series.items():
            rows.append(
                {
                    "period": period,
                    "group": group,
                    "count": values[i],
                    "known_total": known,
                    "comparator_share": comp[group] / comp.sum(),
                }
            )
    return trend_from_frame(pd.DataFrame(rows))


SERIES = {
    "Asian": [30, 30, 30],
    "Black": [20, 45, 80],
    "Mixed": [20, 20, 20],
    "White": [60, 50, 40],
    "Other": [40, 35, 30],
}


def _part_three(section: Section) -> list[tuple[str, str]]:
    blocks = list(section.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.number == "3")
    end = next(i for i in range(start + 1, len(blocks)) if isinstance(blocks[i], Heading))
    return [(b.number, b.text) for b in blocks[start:end] if isinstance(b, Paragraph)]


def test_trend_paragraphs_close_part_three_and_are_numbered_on() -> None:
    latest = {g: v[-1] for g, v in SERIES.items()}
    section = _section(latest)
    before = _part_three(section)
    after = _part_three(add_to_section(section, _trend(SERIES)))
    assert after[: len(before)] == before
    added = after[len(before) :]
    last = int(before[-1][0].split(".")[1])
    assert [n for n, _ in added] == [f"3.{last + k}" for k in range(1, len(added) + 1)]
    assert added[0][1].startswith("Change over time: we compared the three quarters")
    assert any(t.startswith("Black: the RRI rose from") for _, t in added)
    assert len(section.blocks) + len(added) == len(add_to_section(section, _trend(SERIES)).blocks)


def test_a_group_the_section_hides_gets_no_figures() -> None:
    series = {**SERIES, "Other": [40, 35, 3]}  # Other is small in the latest period
    latest = {g: v[-1] for g, v in series.items()}
    section = _section(latest)
    hidden = {r.group for r in section.safe.rows if r.hidden}
    assert "Other" in hidden and len(hidden) >= 2  # the small one and a secondary one
    texts = [t for _, t in _part_three(add_to_section(section, _trend(series)))]
    assert any(t.startswith("Other:") for t in texts)  # its fall is significant
    for group in hidden:
        for text in texts:
            if text.startswith(f"{group}:"):
                assert "too small to describe a trend" in text
                assert not any(ch.isdigit() for ch in text)


def test_the_section_threshold_applies_to_the_trend() -> None:
    series = {**SERIES, "Mixed": [20, 20, 8]}  # 8 is shown at threshold 5, hidden at 10
    trend = _trend(series)
    assert not bool(trend.groups.set_index("group").loc["Black", "suppressed"])
    latest = {g: v[-1] for g, v in series.items()}
    strict = add_to_section(_section(latest, threshold=10), trend)
    black = next(t for _, t in _part_three(strict) if t.startswith("Black:"))
    assert "too small to describe a trend" in black
