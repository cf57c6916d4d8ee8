"""HTML layout of a drafted `Section`, through a Jinja2 template with autoescape on.

Every piece of text (including provider-supplied labels) is escaped by Jinja2; the chart
is embedded as a PNG data URI with its alt text, so the file stands alone.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from importlib import resources
from typing import Final

import jinja2

from commissioning.drafting.section import BulletList, Chart, Heading, Paragraph, Section, Table
from commissioning.errors import TemplateProblemError
from commissioning.render.clean import clean_section

HTML_TEMPLATE: Final = "draft_section.html.j2"

MSG_HTML_TEMPLATE = (
    "The web page template {name} is missing or broken ({problem}). Put it back from the "
    "commissioning templates folder."
)


def _chart_png(chart: Chart) -> bytes:
    from commissioning.render.chart import render_chart_png

    return render_chart_png(chart.spec)


def render_html(
    section: Section, *, chart_png: Callable[[Chart], bytes] | None = _chart_png
) -> str:
    """The section as one self-contained HTML page."""
    section = clean_section(section)
    try:
        source = resources.files("commissioning.templates").joinpath(HTML_TEMPLATE)
        text = source.read_text("utf-8")
        env = jinja2.Environment(
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
        )
        template = env.from_string(text)
    except (OSError, jinja2.TemplateError) as exc:
        raise TemplateProblemError(
            MSG_HTML_TEMPLATE.format(name=HTML_TEMPLATE, problem=type(exc).__name__)
        ) from exc
    blocks = []
    for block in section.blocks:
        if isinstance(block, Heading):
            blocks.append({"kind": "heading", "block": block})
        elif isinstance(block, Paragraph):
            blocks.append({"kind": "paragraph", "block": block})
        elif isinstance(block, BulletList):
            blocks.append({"kind": "bullets", "block": block})
        elif isinstance(block, Table):
            blocks.append({"kind": "table", "block": block})
        elif isinstance(block, Chart):
            data = ""
            if chart_png is not None:
                data = "data:image/png;base64," + base64.b64encode(chart_png(block)).decode()
            blocks.append({"kind": "chart", "block": block, "src": data})
    try:
        return template.render(title=section.title, blocks=blocks)
    except jinja2.TemplateError as exc:
        raise TemplateProblemError(
            MSG_HTML_TEMPLATE.format(name=HTML_TEMPLATE, problem=type(exc).__name__)
        ) from exc
