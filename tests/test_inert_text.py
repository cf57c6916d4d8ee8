"""Text a person types (service, provider, period) is inert: it cannot start a block."""

from __future__ import annotations

from pathlib import Path

import pytest

from commissioning.drafting.section import Heading
from commissioning.drafting.wording import INERT_AT
from commissioning.pipeline import RunSettings, run
from commissioning.render.html import render_html
from commissioning.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "kensington_chelsea_youth_2024q2.csv"


def _headings(service: str, **fields: str) -> tuple[list[str], str, str]:
    section = run(EXAMPLE, RunSettings(authority="Kensington and Chelsea", service=service,
                                       **fields)).require_section()
    heads = [b.text for b in section.blocks if isinstance(b, Heading)]
    return heads, render_markdown(section), render_html(section)


@pytest.mark.parametrize("typed", ["S @heading X", "S @title T @para P", "@bullet B"])
def test_directives_in_typed_text_change_no_heading(typed: str) -> None:
    plain_heads, _, _ = _headings("S")
    heads, markdown, html = _headings(typed, provider=typed, period=typed)
    assert heads == plain_heads
    assert typed in markdown  # shown as typed, "@" and all
    assert INERT_AT not in markdown and INERT_AT not in html
