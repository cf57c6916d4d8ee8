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
    """The trend suppressed at least as strictly as the section it goes into: the
    section's threshold applies, and a group the section hides (small, or hidden so a
    small one cannot be worked out) gets no figures."""
    threshold = max(int(safe.threshold), trend.options.suppress_below)
    if threshold != trend.options.suppress_below:
        frame = trend.table[["period", "group", "count", "known_total", "comparator_share"]]
        options = replace(trend.options, suppress_below=threshold)
        trend = trend_from_frame(frame, level=trend.level, periods=trend.periods, options=options)
    hidden = {row.group for row in safe.rows if row.hidden}
    if not hidden:
        return trend
    groups = trend.groups.copy()
    groups.loc[groups["group"].isin(hidden), "suppressed"] = True
    return replace(trend, groups=groups)
