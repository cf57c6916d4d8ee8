"""Output-side helpers: provider text can never run as a formula, script or escape code."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.model.sanitise import (
    FORMULA_GUARD,
    FORMULA_TRIGGERS,
    display_name,
    escape_html,
    neutralise_formula,
    safe_cell,
    strip_control_characters,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("-5", "-5"),
        ("+44", "+44"),
        ("-1.5e3", "-1.5e3"),
        ("White British", "White British"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_formula(text: str, expected: str) -> None:
    assert neutralise_formula(text) == expected


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text: str) -> None:
    out = neutralise_formula(text)
    assert (
        not out.startswith(FORMULA_TRIGGERS)
        or out.lstrip("+-").replace(".", "").isdigit()
        or (out == text and not text.startswith(("=", "@", "\t", "\r", "\n")))
    )
    assert out.removeprefix(FORMULA_GUARD) == text or out == text


def test_strip_control_characters() -> None:
    raw = "Whi\x00te\x1b[31m Brit\x07ish\u202e\u2066x\x9b\ufeff\tA\nB"
    assert strip_control_characters(raw) == "White[31m Britishx\tA\nB"
    assert strip_control_characters(raw, keep_layout=False) == "White[31m BritishxAB"


@given(st.text())
def test_stripped_text_has_no_controls(text: str) -> None:
    out = strip_control_characters(text, keep_layout=False)
    assert all(ch.isprintable() or ch == " " or ord(ch) > 0x9F for ch in out)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in out)


def test_escape_html_and_safe_cell() -> None:
    assert escape_html('<script>alert("x")</script>\x00') == html.escape(
        '<script>alert("x")</script>', quote=True
    )
    assert escape_html("O'Brien & Sons") == "O&#x27;Brien &amp; Sons"
    assert safe_cell("\x00=1+1") == "'=1+1"


def test_display_name_is_one_short_line() -> None:
    assert display_name("Data\n2024\x1b[2J\t Q1") == "Data 2024[2J Q1"
    assert display_name("x" * 100) == "x" * 57 + "..."
