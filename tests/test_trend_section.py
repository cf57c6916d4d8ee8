"""Trend paragraphs inside a drafted section: placement, numbering, suppression and a
council's own wording."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from commissioning.analysis.compare import analyse
from commissioning.analysis.trends import Trend, trend_from_frame
from commissioning.comparators import population
from commissioning.drafting.draft import Heading, Paragraph, Section, draft
from commissioning.model.counts import Counts

QUARTERS = ["2024-25 Q1", "2024-25 Q2", "2024-25 Q3"]


def _counts(people: dict[str, int]) -> Counts:
    return Counts.from_records(
        {"major": g, "detailed": "Not known", "count": c} for g, c in people.items()
    )


def _section(
    people: dict[str, int],
    threshold: int = 5,
    trend: Trend | None = None,
    template: Path | None = None,
) -> Section:
    analysis = analyse(_counts(people), population("Westminster"))
    return draft(
        analysis,
        authority="Westminster",
        service="Kooth",
        threshold=threshold,
        trend=trend,
        template=template,
    )


def _trend(series: dict[str, list[int]]) -> Trend:
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
    with_trend = _section(latest, trend=_trend(SERIES))
    after = _part_three(with_trend)
    assert after[: len(before)] == before
    added = after[len(before) :]
    last = int(before[-1][0].split(".")[1])
    assert [n for n, _ in added] == [f"3.{last + k}" for k in range(1, len(added) + 1)]
    assert added[0][1].startswith("Change over time: we compared the three quarters")
    assert any(t.startswith("Black: the RRI rose from") for _, t in added)
    assert len(section.blocks) + len(added) == len(with_trend.blocks)


def test_a_group_the_section_hides_gets_no_figures() -> None:
    series = {**SERIES, "Other": [40, 35, 3]}  # Other is small in the latest period
    latest = {g: v[-1] for g, v in series.items()}
    section = _section(latest)
    hidden = {r.group for r in section.safe.rows if r.hidden}
    assert hidden == {"Other"}  # the small one alone: no secondary cell to reverse
    texts = [t for _, t in _part_three(_section(latest, trend=_trend(series)))]
    assert any(t.startswith("Other:") for t in texts)  # its fall is significant
    for group in hidden:
        for text in texts:
            if text.startswith(f"{group}:"):
                assert "too small to describe a trend" in text
                assert not any(ch.isdigit() for ch in text)


def test_the_section_threshold_applies_to_the_trend() -> None:
    series = {**SERIES, "Mixed": [20, 20, 8]}  # 8 is shown at threshold 5, hidden at 10
    trend = _trend(series)
    latest = {g: v[-1] for g, v in series.items()}
    texts = [t for _, t in _part_three(_section(latest, threshold=10, trend=trend))]
    mixed = [t for t in texts if t.startswith("Mixed:")]
    assert all(not any(ch.isdigit() for ch in t) for t in mixed)


def test_trend_figures_do_not_move_with_a_hidden_count() -> None:
    """Each period is published like its own table: a count of 1 to 4 in any period may
    take any of those values without changing one word of the trend."""
    texts = set()
    for hidden in (1, 2, 3, 4):
        series = {**SERIES, "Other": [40, hidden, 35]}
        latest = {g: v[-1] for g, v in series.items()}
        texts.add(tuple(t for _, t in _part_three(_section(latest, trend=_trend(series)))))
    assert len(texts) == 1


def test_a_council_template_folder_rewords_the_trend(tmp_path: Path) -> None:
    """The trend sentences go through the section's Jinja2 environment, so a council's
    --template folder reaches them like every other sentence."""
    (tmp_path / "trend_sentence.md.j2").write_text(
        "{{ t.group }} went from {{ t.first_rri|rri(1) }} to {{ t.last_rri|rri(1) }} "
        "across {{ t.periods|words }} {{ t.unit }}s.\n",
        encoding="utf-8",
    )
    (tmp_path / "trend_intro.md.j2").write_text("How things moved.\n", encoding="utf-8")
    latest = {g: v[-1] for g, v in SERIES.items()}
    standard = [t for _, t in _part_three(_section(latest, trend=_trend(SERIES)))]
    own = [t for _, t in _part_three(_section(latest, trend=_trend(SERIES), template=tmp_path))]
    assert any(t.startswith("Black: the RRI rose from") for t in standard)
    assert "How things moved." in own and "How things moved." not in standard
    black = next(t for t in own if t.startswith("Black went"))
    assert black.endswith(" across three quarters.")
    assert not any(t.startswith("Black: the RRI") for t in own)
