"""Small-number suppression: the rules, and an attacker who must fail.

The property test plays the reader of a published report: from every rendered table it
takes the shown counts, the total, and any share or RRI left beside a hidden count, and
works out every combination of hidden counts consistent with them. Each hidden count
must still have at least two possible values.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_draft_support import build_analysis

from commissioning.drafting.disclosure import (
    MSG_BAD_THRESHOLD,
    SECONDARY,
    SMALL,
    is_protected,
    make_safe,
    protect,
)
from commissioning.drafting.draft import draft
from commissioning.errors import AnalysisError
from commissioning.render.markdown import render_markdown

WESTMINSTER = [3380, 4176, 2546, 5688, 5679]


def test_primary_and_secondary_suppression() -> None:
    assert protect([3, 50, 60, 70]) == (SMALL, SECONDARY, "", "")
    # Two different small cells protect each other: 2+3 could be 1+4, 3+2 or 4+1.
    assert protect([2, 3, 60]) == (SMALL, SMALL, "")
    # Two cells of 1 could only be 1 and 1: a third cell is hidden.
    assert protect([1, 1, 40, 9]) == (SMALL, SMALL, "", SECONDARY)
    # 1 beside a hidden 5 could only be 1 (moving one person would make the 5 a 4).
    assert protect([1, 5, 40]) == (SMALL, SECONDARY, SECONDARY)
    assert protect([0, 10, 20]) == ("", "", "")


def test_when_hiding_every_cell_is_not_enough_the_total_must_go() -> None:
    reasons = protect([1, 1, 1, 1, 1])
    assert reasons == (SMALL,) * 5
    assert not is_protected([1, 1, 1, 1, 1], reasons, 5)
    safe = make_safe(build_analysis([1, 1, 1, 1, 1], WESTMINSTER))
    assert safe.n_known.hidden and safe.n_total.hidden


def test_zero_is_shown_and_a_hidden_total_hides_everything_else() -> None:
    assert protect([0, 12, 7], total_hidden=True) == ("", SECONDARY, SECONDARY)


def test_threshold_is_configurable_and_checked() -> None:
    assert protect([6, 50, 60], threshold=10) == (SMALL, SECONDARY, "")
    with pytest.raises(AnalysisError) as info:
        protect([1, 2], threshold=1)
    assert str(info.value) == MSG_BAD_THRESHOLD.format(value=1)


def test_hidden_rows_carry_no_numbers() -> None:
    analysis = build_analysis([3, 80, 60, 90, 40], WESTMINSTER, not_known=2)
    safe = make_safe(analysis)
    hidden = [r for r in safe.rows if r.hidden]
    assert {r.group for r in hidden} == {"Asian", "Other"}
    for row in hidden:
        assert (row.count, row.share, row.rri, row.rri_low, row.rri_high, row.p_value) == (
            None, None, None, None, None, None)
        assert row.band is None and row.expected is None
    # Unknown count 2 is small: the grand total would reveal it beside the known total.
    assert safe.n_unknown.hidden and safe.n_total.hidden
    assert not safe.omnibus_shown
    assert all(r.rri_bound_low is None for r in safe.rows)


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


def _feasible(
    rows: list[list[str]], total: int, n: int, pi: dict[str, float]
) -> dict[str, set[int]]:
    """Every value each hidden count can take, given what the table shows."""
    header = rows[0]
    col = {name: i for i, name in enumerate(header)}
    shown_sum = 0
    hidden: list[tuple[str, Sequence[int], list[str]]] = []
    for row in rows[1:]:
        group, people = row[0], row[col["People served"]]
        if group == "Total":
            continue
        value = _number(people)
        if value is not None:
            shown_sum += int(value)
            continue
        # A "not shown" cell is not small (or it would say "fewer than 5"): 0 or 5 and up.
        span = range(1, 5) if people.startswith("fewer than") else [0, *range(5, total + 1)]
        hidden.append((group, span, row))
    options: dict[str, set[int]] = {g: set() for g, _, _ in hidden}
    remaining = total - shown_sum
    candidates = []
    for group, span, row in hidden:
        allowed = []
        for x in span:
            ok = True
            share = _number(row[col["Share served"]])
            if share is not None and round(100 * x / n, 1) != share:
                ok = False
            rri_col = "RRI" if "RRI" in col else "RRI (likely range)"
            rri = _number(row[col[rri_col]].split(" ")[0])
            if rri is not None and round(x / n / pi[group], 2) != rri:
                ok = False
            if ok:
                allowed.append(x)
        candidates.append(allowed)
    if not hidden:
        return options
    *first, _last = candidates
    for combo in itertools.product(*first):
        last = remaining - sum(combo)
        if last in candidates[-1]:
            for (group, _, _), value in zip(hidden, (*combo, last), strict=True):
                options[group].add(value)
    return options


small_or_any = st.one_of(st.integers(0, 6), st.integers(0, 120))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    counts=st.lists(small_or_any, min_size=5, max_size=5).filter(lambda c: sum(c) >= 5),
    comparator=st.one_of(
        st.just(WESTMINSTER), st.lists(st.integers(50, 5000), min_size=5, max_size=5)
    ),
    not_known=st.integers(0, 6),
    unmapped=st.integers(0, 6),
)
def test_no_hidden_count_can_be_recovered(
    counts: list[int], comparator: list[int], not_known: int, unmapped: int
) -> None:
    analysis = build_analysis(counts, comparator, not_known=not_known, unmapped=unmapped)
    section = draft(analysis, authority="Westminster", service="Holiday Activities and Food")
    markdown = render_markdown(section)
    n = sum(counts)
    pi = {g: c / sum(comparator) for g, c in zip(("Asian", "Black", "Mixed", "White", "Other"),
                                                 comparator, strict=True)}
    tables = _tables(markdown)
    group_tables = [t for t in tables if t[0][:2] == ["Group", "People served"]]
    if section.safe.n_known.hidden:
        assert not group_tables, "tables shown although the total had to be hidden"
        assert not re.search(rf"(?<![\d.]){n:,} (people|had|with)|of the {n:,}\b", markdown)
        return
    assert len(group_tables) == 2, "the findings and full tables were not both rendered"
    assert all(len(t) == len(counts) + 1 + (t is group_tables[0]) for t in group_tables)
    for table in group_tables:
        shown = [_number(r[1]) for r in table[1:]]
        assert not any(v is not None and 0 < v < 5 for v in shown), "a small count is shown"
        total_cells = [r for r in table[1:] if r[0] == "Total"]
        total = int(_number(total_cells[0][1]) or 0) if total_cells else n
        for group, values in _feasible(table, total, n, pi).items():
            assert len(values) >= 2, f"{group} can be worked out: {sorted(values)}"
    # The grand total must not sit beside the known total when the unknowns are small.
    if 0 < not_known + unmapped < 5:
        assert not re.search(rf"covered {n + not_known + unmapped:,} people", markdown)
    # The chart shows no group whose count is hidden.
    chart = section.chart()
    hidden = {r.group for r in section.safe.rows if r.hidden}
    if chart is not None:
        assert not hidden & {p.group for p in chart.spec.points}


def test_the_attacker_succeeds_without_secondary_suppression(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Guards the property test itself: with primary suppression only, it finds the count."""
    import commissioning.drafting.disclosure as disclosure

    def primary_only(values, threshold=5, *, total_hidden=False):  # type: ignore[no-untyped-def]
        return tuple(SMALL if 0 < v < threshold else "" for v in values)

    monkeypatch.setattr(disclosure, "protect", primary_only)
    monkeypatch.setattr(disclosure, "is_protected", lambda *args: True)
    counts = [3, 50, 60, 70, 80]
    analysis = build_analysis(counts, WESTMINSTER)
    markdown = render_markdown(draft(analysis, authority="Westminster", service="X"))
    table = next(t for t in _tables(markdown) if t[0][:2] == ["Group", "People served"])
    pi = {g: c / sum(WESTMINSTER) for g, c in zip(("Asian", "Black", "Mixed", "White", "Other"),
                                                  WESTMINSTER, strict=True)}
    assert _feasible(table, sum(counts), sum(counts), pi) == {"Asian": {3}}
