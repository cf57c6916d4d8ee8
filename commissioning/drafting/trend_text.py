"""Words for a trend: the sentences about each group's change over time.

The numbers come from `commissioning.analysis.trends`; the words come from the editable
templates ``trend_intro.md.j2``, ``trend_sentence.md.j2`` and ``trend_none.md.j2``,
rendered through the same Jinja2 environment as the section, so a council's
``--template`` folder can reword them too.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Final

from commissioning.analysis.periods import public_period
from commissioning.analysis.trends import Trend, trend_from_frame
from commissioning.drafting.disclosure import SafeAnalysis
from commissioning.drafting.wording import render_template

TEMPLATE_SENTENCE: Final = "trend_sentence.md.j2"
TEMPLATE_NONE: Final = "trend_none.md.j2"
TEMPLATE_INTRO: Final = "trend_intro.md.j2"

#: The few words of a portfolio table's trend column.
SUMMARY_MOVING: Final = "{group} {direction}"
SUMMARY_PERSISTENT: Final = "{group} persistently over-represented"
SUMMARY_NONE: Final = "no significant change"
SUMMARY_JOIN: Final = "; "


def render_trend(name: str, template: str | Path | None = None, **values: object) -> str:
    """Render one trend template to a single line of text."""
    _, text = render_template(name, values, template)
    return " ".join(text.split())


def sentences(
    trend: Trend, *, concerns_only: bool = True, template: str | Path | None = None
) -> list[str]:
    """Plain-English sentences, one per group of concern (or one saying none)."""
    inputs = trend.sentence_inputs(concerns_only=concerns_only)
    if not inputs:
        return [
            render_trend(
                TEMPLATE_NONE,
                template,
                periods=len(trend.periods),
                unit=trend.unit,
                required=trend.options.persistence,
            )
        ]
    return [render_trend(TEMPLATE_SENTENCE, template, t=t) for t in inputs]


def paragraphs(trend: Trend, template: str | Path | None = None) -> list[str]:
    """The opening line and the sentences, as a drafted section shows them."""
    intro = render_trend(
        TEMPLATE_INTRO,
        template,
        periods=len(trend.periods),
        unit=trend.unit,
        first=trend.periods[0],
        last=trend.periods[-1],
    )
    return [intro, *sentences(trend, template=template)]


def summary(trend: Trend) -> str:
    """A few words for a portfolio table: the groups with a significant trend."""
    moving = trend.groups.loc[trend.groups["significant"]]
    persistent = trend.groups.loc[trend.groups["persistent"], "group"].tolist()
    parts = [
        SUMMARY_MOVING.format(group=r.group, direction=r.direction)
        for r in moving.itertuples(index=False)
    ]
    parts += [SUMMARY_PERSISTENT.format(group=g) for g in persistent]
    return SUMMARY_JOIN.join(parts) if parts else SUMMARY_NONE


def as_safe_as(trend: Trend, safe: SafeAnalysis) -> Trend:
    """The trend as a published section may show it.

    Each period is treated as its own published table: a count from 1 to the threshold
    is hidden, and the period's total and comparator shares are of the groups shown, so
    no trend figure depends on a hidden count. A group hidden in any period, or in the
    section, gets no figures. Period labels that are not plain dates become "period N".
    """
    threshold = max(int(safe.threshold), trend.options.suppress_below)
    frame = trend.table[["period", "group", "count", "known_total", "comparator_share"]].copy()
    count = frame["count"].to_numpy(dtype="int64")
    small = (count > 0) & (count < threshold)
    hidden = set(frame.loc[small, "group"]) | {
        row.group for row in safe.rows if row.hidden or row.comparator_hidden
    }
    frame.loc[small, "count"] = 0
    comp = frame["comparator_share"].where(~small)
    frame["comparator_share"] = comp / comp.groupby(frame["period"]).transform("sum")
    frame["known_total"] = frame.groupby("period")["count"].transform("sum")
    labels = {p: public_period(p, i) for i, p in enumerate(trend.periods)}
    frame["period"] = frame["period"].map(labels)
    options = replace(trend.options, suppress_below=threshold)
    out = trend_from_frame(
        frame, level=trend.level, periods=[labels[p] for p in trend.periods], options=options
    )
    if not hidden:
        return out
    groups = out.groups.copy()
    groups.loc[groups["group"].isin(hidden), "suppressed"] = True
    return replace(out, groups=groups)
