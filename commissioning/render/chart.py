"""The RRI chart: one row per group, the RRI with its likely range on a log scale.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, faster to
import). Readable in black and white: the kind of finding is shown by marker shape and
fill, and the reference lines differ by style (solid at 1, dashed at the thresholds).
Only values that passed small-number suppression are in the `ChartSpec`.
"""

from __future__ import annotations

import io
import math

from commissioning.drafting.section import ChartSpec
from commissioning.model.bands import Band, Confidence

_MARKERS: dict[str, tuple[str, str]] = {
    Confidence.SIGNIFICANT: ("s", "black"),  # filled square
    Confidence.INDICATIVE: ("o", "white"),  # open circle
    Confidence.TOO_FEW: ("^", "white"),  # open triangle
    Band.PROPORTIONATE: ("o", "0.55"),  # grey circle
}
_FLOOR = 0.05  # where "not represented" (RRI 0) is drawn on the log axis


def render_chart_png(spec: ChartSpec, *, dpi: int = 150) -> bytes:
    """PNG bytes of the chart."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    points = list(spec.points)
    height = 1.4 + 0.42 * max(len(points), 1)
    fig = Figure(figsize=(6.5, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xscale("log")
    values = [p.rri for p in points if p.rri > 0]
    values += [v for p in points for v in (p.low, p.high) if v is not None and v > 0]
    lo = min([*values, *spec.lines, 0.25]) / 1.3
    hi = max([*values, *spec.lines, 4.0]) * 1.3
    lo = max(lo, _FLOOR / 1.5)
    for x in spec.lines:
        style = "-" if math.isclose(x, 1.0) else "--"
        ax.axvline(x, color="black", linestyle=style, linewidth=0.9 if style == "-" else 0.8)
    ys = list(range(len(points)))[::-1]
    kinds_used: list[str] = []
    for y, point in zip(ys, points, strict=True):
        marker, face = _MARKERS.get(point.kind, _MARKERS[Band.PROPORTIONATE])
        x = point.rri if point.rri > 0 else max(lo * 1.1, _FLOOR)
        if point.low is not None and point.high is not None and point.rri > 0:
            low = max(point.low, lo)
            ax.plot([low, point.high], [y, y], color="black", linewidth=1.2)
        ax.plot([x], [y], marker=marker, markersize=7, markerfacecolor=face,
                markeredgecolor="black", linestyle="none")
        if point.rri <= 0:
            ax.annotate("0", (x, y), textcoords="offset points", xytext=(6, -3), fontsize=8)
        if point.kind not in kinds_used:
            kinds_used.append(point.kind)
    ax.set_yticks(ys)
    ax.set_yticklabels([p.group for p in points], fontsize=9)
    ax.set_ylim(-0.7, len(points) - 0.3)
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.1, 0.25, 0.5, 1, 1.5, 2, 4, 8, 16) if lo <= t <= hi]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:g}" for t in ticks], fontsize=8)
    ax.minorticks_off()
    ax.set_xlabel(spec.labels.get("axis", ""), fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = []
    for kind in kinds_used:
        marker, face = _MARKERS.get(kind, _MARKERS[Band.PROPORTIONATE])
        label = spec.labels.get(kind, kind)
        handles.append(Line2D([], [], marker=marker, markerfacecolor=face, markeredgecolor="black",
                              linestyle="none", label=label))
    if handles:
        ax.legend(handles=handles, fontsize=8, loc="upper center", frameon=False,
                  bbox_to_anchor=(0.5, -0.55 / (height - 1.2)), ncol=len(handles))
    if spec.not_shown:
        note = spec.labels.get("not shown", "") + ": " + ", ".join(spec.not_shown)
        fig.text(0.01, 0.005, note, fontsize=7)
    # Margins in inches, set by hand: tight_layout would draw the figure twice.
    longest = max((len(p.group) for p in points), default=5)
    left = min(0.45, (0.25 + 0.075 * longest) / 6.5)
    fig.subplots_adjust(left=left, right=0.97, top=1 - 0.15 / height,
                        bottom=min(0.5, 1.05 / height))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
