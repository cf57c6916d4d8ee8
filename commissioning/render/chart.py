"""The RRI chart: one row per group, the RRI with its likely range on a log scale.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, faster to
import). Readable in black and white: the kind of finding is shown by marker shape and
fill, and the reference lines differ by style (solid at 1, dashed at the thresholds, each
threshold labelled). The figure is drawn at the width it is printed at, so every piece
of text prints at 9 pt or more; the legend and the note are given the rows they need, so
nothing is cut off. Only values that passed small-number suppression are in the
`ChartSpec`.
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import Final

from commissioning.drafting.section import ChartSpec
from commissioning.model.bands import Band, Confidence

_MARKERS: dict[str, tuple[str, str]] = {
    Confidence.SIGNIFICANT: ("s", "black"),  # filled square
    Confidence.INDICATIVE: ("o", "white"),  # open circle
    Confidence.TOO_FEW: ("^", "white"),  # open triangle
    Band.PROPORTIONATE: ("o", "0.55"),  # grey circle
}
_FLOOR = 0.05  # where "not represented" (RRI 0) is drawn on the log axis
#: The smallest text on the chart, in points when printed at ``width_in``.
FONT_PT: Final = 9.0
_ROW_IN: Final = 0.32
_LINE_IN: Final = FONT_PT * 1.45 / 72  # one line of 9 pt text with its spacing


def _text_in(text: str) -> float:
    from commissioning.render.wordparts import text_width_pt

    return text_width_pt(text, FONT_PT) / 72


def _legend_rows(labels: list[str], width_in: float) -> int:
    """How many columns fit across, as rows needed (each entry: marker, gap, words)."""
    entries = [0.45 + _text_in(label) for label in labels]
    for ncol in range(len(entries), 0, -1):
        rows = math.ceil(len(entries) / ncol)
        widths = [max(entries[c::ncol]) for c in range(ncol)]
        if sum(widths) <= width_in - 0.1:
            return rows
    return len(entries)


def _wrap(text: str, width_in: float) -> list[str]:
    chars = max(int(width_in / (_text_in("abcdefghij") / 10)) - 2, 20)
    return textwrap.wrap(text, chars)


def render_chart_png(spec: ChartSpec, *, dpi: int = 150, width_in: float = 6.1) -> bytes:
    """PNG bytes of the chart, drawn to be printed ``width_in`` inches wide."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    points = list(spec.points)
    kinds = list(dict.fromkeys(p.kind for p in points))
    legend = [spec.labels.get(k) or k for k in kinds]
    note_lines: list[str] = []
    if spec.not_shown:
        note = (spec.labels.get("not shown") or "") + ": " + ", ".join(spec.not_shown)
        note_lines = _wrap(note, width_in)
    legend_rows = _legend_rows(legend, width_in) if legend else 0
    top_in = 0.2 + 2 * _LINE_IN  # the threshold labels, two lines each
    axis_in = 0.25 + 2 * _LINE_IN  # tick labels and the axis title
    bottom_in = axis_in + legend_rows * _LINE_IN * 1.3 + len(note_lines) * _LINE_IN + 0.15
    height = top_in + _ROW_IN * max(len(points), 1) + 0.3 + bottom_in
    fig = Figure(figsize=(width_in, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xscale("log")
    values = [p.rri for p in points if p.rri > 0]
    values += [v for p in points for v in (p.low, p.high) if v is not None and v > 0]
    lo = max(min([*values, *spec.lines, 0.25]) / 1.3, _FLOOR / 1.5)
    hi = max([*values, *spec.lines, 4.0]) * 1.3
    _lines(ax, spec)
    ys = list(range(len(points)))[::-1]
    for y, point in zip(ys, points, strict=True):
        marker, face = _MARKERS.get(point.kind, _MARKERS[Band.PROPORTIONATE])
        x = point.rri if point.rri > 0 else max(lo * 1.1, _FLOOR)
        if point.low is not None and point.high is not None and point.rri > 0:
            ax.plot([max(point.low, lo), point.high], [y, y], color="black", linewidth=1.2)
        ax.plot([x], [y], marker=marker, markersize=7, markerfacecolor=face,
                markeredgecolor="black", linestyle="none")
        if point.rri <= 0:
            ax.annotate("0", (x, y), textcoords="offset points", xytext=(6, -3),
                        fontsize=FONT_PT)
    ax.set_yticks(ys)
    ax.set_yticklabels([p.group for p in points], fontsize=FONT_PT)
    ax.set_ylim(-0.7, len(points) - 0.3)
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.1, 0.25, 0.5, 1, 1.5, 2, 4, 8, 16) if lo <= t <= hi]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:g}" for t in ticks], fontsize=FONT_PT)
    ax.minorticks_off()
    ax.set_xlabel(spec.labels.get("axis", ""), fontsize=FONT_PT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = []
    for kind, label in zip(kinds, legend, strict=True):
        marker, face = _MARKERS.get(kind, _MARKERS[Band.PROPORTIONATE])
        handles.append(Line2D([], [], marker=marker, markerfacecolor=face,
                              markeredgecolor="black", linestyle="none", label=label))
    if handles:
        ncol = math.ceil(len(handles) / legend_rows)
        fig.legend(handles=handles, fontsize=FONT_PT, loc="upper center", frameon=False,
                   bbox_to_anchor=(0.5, (bottom_in - axis_in + 0.05) / height), ncol=ncol,
                   handletextpad=0.3, columnspacing=1.0, borderaxespad=0)
    for i, line in enumerate(note_lines):
        fig.text(0.02, (0.1 + (len(note_lines) - 1 - i) * _LINE_IN) / height, line,
                 fontsize=FONT_PT)
    longest = max((_text_in(p.group) for p in points), default=0.5)
    left = min(0.5, (longest + 0.2) / width_in)
    fig.subplots_adjust(left=left, right=1 - 0.15 / width_in, top=1 - top_in / height,
                        bottom=bottom_in / height)
    _keep_inside(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _lines(ax: object, spec: ChartSpec) -> None:
    """The reference lines: solid at 1, dashed at the thresholds, each labelled above."""
    from matplotlib.transforms import blended_transform_factory

    transform = blended_transform_factory(ax.transData, ax.transAxes)  # type: ignore[attr-defined]
    under, over = min(spec.lines), max(spec.lines)
    for x in spec.lines:
        solid = math.isclose(x, 1.0)
        ax.axvline(x, color="black", linestyle="-" if solid else "--",  # type: ignore[attr-defined]
                   linewidth=0.9 if solid else 0.8)
        key = "under line" if x == under and not solid else "over line" if x == over else ""
        label = spec.labels.get(key, "") if key else ""
        if label:
            under_side = key == "under line"
            ax.annotate(label.replace(": ", ":\n", 1), (x, 1.0), xycoords=transform,  # type: ignore[attr-defined]
                        xytext=(-3 if under_side else 3, 3), textcoords="offset points",
                        fontsize=FONT_PT, ha="right" if under_side else "left", va="bottom",
                        multialignment="right" if under_side else "left", gid="threshold",
                        annotation_clip=False)


def _keep_inside(fig: object) -> None:
    """Move a threshold label that would run off the figure back inside its edge."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width = fig.bbox.width  # type: ignore[attr-defined]
    for text in fig.axes[0].texts:  # type: ignore[attr-defined]
        if text.get_gid() != "threshold":
            continue
        box = text.get_window_extent(renderer)
        shift = (width - 2 - box.x1) if box.x1 > width - 2 else (2 - box.x0 if box.x0 < 2 else 0)
        if shift:  # in points, as the label's own offset is
            x, y = text.xyann
            text.xyann = (x + shift * 72 / fig.dpi, y)  # type: ignore[attr-defined]
