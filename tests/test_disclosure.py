"""Small-number protection: the rules on worked examples.

tests/test_disclosure_attack.py is the attacker: it re-drafts every return consistent
with a published section and must find that no hidden count is pinned down.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_draft_support import build_analysis

from commissioning.drafting.disclosure import (
    MSG_BAD_THRESHOLD,
    SECONDARY,
    SMALL,
    SafeCount,
    make_safe,
)
from commissioning.errors import AnalysisError

WESTMINSTER = [3380, 4176, 2546, 5688, 5679]


def test_threshold_is_configurable_and_checked() -> None:
    analysis = build_analysis([6, 50, 60, 70, 80], WESTMINSTER)
    assert [r.reason for r in make_safe(analysis, threshold=10).rows] == [SMALL, "", "", "", ""]
    assert not any(r.reason for r in make_safe(analysis).rows)
    with pytest.raises(AnalysisError) as info:
        make_safe(analysis, threshold=1)
    assert str(info.value) == MSG_BAD_THRESHOLD.format(value=1)


def test_hidden_rows_carry_no_numbers_and_nothing_else_is_hidden() -> None:
    analysis = build_analysis([3, 80, 60, 90, 40], WESTMINSTER, not_known=2)
    safe = make_safe(analysis)
    hidden = [r for r in safe.rows if r.hidden]
    assert [r.group for r in hidden] == ["Asian"]  # no secondary cell
    for row in hidden:
        assert (row.count, row.share, row.rri, row.rri_low, row.rri_high, row.p_value) == (
            None, None, None, None, None, None)
        assert row.band is None and row.expected is None
    # Totals over a hidden count are ranges the shown counts allow.
    assert safe.n_known == SafeCount(None, SECONDARY, 271, 274)
    assert safe.n_unknown == SafeCount(None, SMALL, 1, 4)
    assert (safe.n_total.low, safe.n_total.high) == (272, 278)
    assert safe.unknown_share is None
    assert safe.unknown_share_low == pytest.approx(1 / 275)
    assert safe.unknown_share_high == pytest.approx(4 / 275)
    assert all(r.rri_bound_low is None for r in safe.rows)


def test_published_figures_are_of_the_groups_shown() -> None:
    """Shares, RRIs and the overall test are worked out again without the hidden group,
    on both sides: the shown groups' shares add up to 100%."""
    analysis = build_analysis([3, 80, 60, 90, 40], WESTMINSTER)
    safe = make_safe(analysis)
    shown = [r for r in safe.rows if not r.hidden]
    assert sum(r.share or 0 for r in shown) == pytest.approx(1.0)
    assert sum(r.comparator_share or 0 for r in shown) == pytest.approx(1.0)
    black = safe.row("Black")
    local = 4176 / sum(WESTMINSTER[1:])
    assert black.share == pytest.approx(80 / 270)
    assert black.rri == pytest.approx((80 / 270) / local)
    assert safe.n_shown == 270 and safe.omnibus is not None


@given(hidden=st.integers(1, 4))
def test_a_hidden_count_changes_nothing_published(hidden: int) -> None:
    base = make_safe(build_analysis([2, 80, 60, 90, 40], WESTMINSTER, not_known=1))
    other = make_safe(build_analysis([hidden, 80, 60, 90, 40], WESTMINSTER, not_known=1))
    assert other.rows == base.rows
    assert (other.n_known, other.n_total, other.n_unknown) == (
        base.n_known, base.n_total, base.n_unknown)
    assert other.omnibus == base.omnibus


def test_without_a_hidden_count_everything_is_exact() -> None:
    analysis = build_analysis([30, 80, 60, 90, 40], WESTMINSTER, not_known=7)
    safe = make_safe(analysis)
    assert safe.n_known == SafeCount.exact(300) and safe.n_total == SafeCount.exact(307)
    assert safe.unknown_share == pytest.approx(7 / 307)
    assert safe.row("Asian").rri == pytest.approx(float(
        analysis.table.set_index("group").loc["Asian", "rri"]))


_CELL = re.compile(r"^\| (.+) \|$")


def _tables(markdown: str) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in markdown.splitlines():
        if re.fullmatch(r"\|(?:---\|)+", line):
            continue
        match = _CELL.match(line)
        if match:
            cells = [c.strip() for c in re.split(r"(?<!\\) \| ", match.group(1))]
            if not all(set(c) <= {"-"} for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _number(text: str) -> float | None:
    match = re.fullmatch(r"([\d,]+(?:\.\d+)?)%?", text)
    return float(match.group(1).replace(",", "")) if match else None


