"""Protection in two dimensions (ethnic group by sex or age band), and an attacker.

The property test reads the published Markdown like a determined reader: Table 1 gives
each group's total and the grand total, the two-way table gives the cells, the stratum
totals and any RRI. From these the attacker sets up every equation the tables imply
(rows add up to Table 1, columns to their totals) and what each hidden cell is known
to be ("fewer than 5" is 1 to 4; "not shown" is 0 or 5 and up), uses any RRI to pin a
hidden stratum total (RRI x comparator share x stratum total = count), and then finds
the smallest and largest value each hidden number can take with an integer programme
(scipy's HiGHS solver, not the package's own loop search). Every hidden number must
have at least two possible values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from test_disclosure import _number, _tables
from test_draft_support import build_analysis, build_split_analysis

from commissioning.drafting.disclosure import make_safe
from commissioning.drafting.draft import draft
from commissioning.drafting.two_way import (
    MSG_INTERSECTION_BY,
    MSG_INTERSECTION_GROUPS,
    make_safe_intersection,
)
from commissioning.errors import AnalysisError
from commissioning.model.categories import MAJOR_GROUPS
from commissioning.render.markdown import render_markdown

SEXES = ("Female", "Male", "Other")
# The test comparator covers all ages, so the columns are headed with adult words.
COLUMN_WORDS = {"Female": "Women", "Male": "Men", "Other": "People of another gender"}


def _augmented(cells: np.ndarray) -> np.ndarray:
    out = np.zeros((cells.shape[0] + 1, cells.shape[1] + 1), dtype=np.int64)
    out[:-1, :-1] = cells
    out[:-1, -1] = cells.sum(axis=1)
    out[-1, :-1] = cells.sum(axis=0)
    out[-1, -1] = cells.sum()
    return out


# -- the loop search on worked examples --------------------------------------------------
def test_intersection_must_be_split_by_one_dimension_of_the_same_groups() -> None:
    main = build_analysis([40, 50, 30, 60, 20], [100] * 5)
    safe = make_safe(main)
    with pytest.raises(AnalysisError) as info:
        make_safe_intersection(main, main, safe)
    assert str(info.value) == MSG_INTERSECTION_BY.format(by="nothing")
    detailed = ("Indian", "Pakistani", "African", "Caribbean", "Irish")
    split = build_split_analysis([[20, 20]] * 5, [[50, 50]] * 5, SEXES[:2], groups=detailed)
    with pytest.raises(AnalysisError) as info:
        make_safe_intersection(split, main, safe)
    assert str(info.value) == MSG_INTERSECTION_GROUPS.format(by="sex")


# -- the attacker ---------------------------------------------------------------------------
def _text_domain(text: str, upper: int) -> tuple[int, int, bool] | None:
    """(low, high, may be zero) for a hidden count, or None when it is shown."""
    if _number(text) is not None:
        return None
    if text.lower().startswith("fewer than"):
        return (1, 4, False)
    return (0, upper, False)  # "not shown": a row hidden whole, so any value at all


def _attack(
    markdown: str,
    strata: Sequence[str],
    pi: dict[tuple[str, str], float],
) -> dict[str, set[int] | tuple[int, int]]:
    """For each hidden number, the smallest and largest value it can take."""
    tables = _tables(markdown)
    main = next(t for t in tables if t[0][:2] == ["Group", "People served"])
    two_way = next(t for t in tables if t[0][0] == "Group" and t[0][1].endswith("people served"))
    total_rows = [r for r in main if r[0] == "Total"]
    groups = [r[0] for r in main[1:] if not r[0].startswith("Total")]
    if total_rows:
        total = int(_number(total_rows[0][1]) or 0)
    else:  # Table 1 gives the total of the groups shown; each hidden group adds 1 to 4
        shown = next(r for r in main if r[0] == "Total of the groups shown")
        total = int(_number(shown[1]) or 0) + 4 * sum(
            1 for r in main[1:] if r[1].startswith("fewer than"))
    shown_strata = [h.split(":")[0] for h in two_way[0][1::2]]
    names = [s for s in strata if COLUMN_WORDS[s] in shown_strata]
    assert [COLUMN_WORDS[s] for s in names] == shown_strata

    # Variables: hidden cells, hidden group totals, hidden stratum totals.
    index: dict[str, int] = {}
    domains: list[tuple[int, int, bool]] = []
    fixed: dict[str, int] = {}

    def add(name: str, text: str) -> None:
        domain = _text_domain(text, total)
        if domain is None:
            fixed[name] = int(_number(text) or 0)
        else:
            index[name] = len(domains)
            domains.append(domain)

    for row in main[1:]:
        if row[0] != "Total":
            add(f"row:{row[0]}", row[1])
    cells = {r[0]: r for r in two_way[1:]}
    for g in groups:
        for k, s in enumerate(names):
            add(f"cell:{g}:{s}", cells[g][1 + 2 * k])
            rri_text = cells[g][2 + 2 * k]
            if f"cell:{g}:{s}" in index:
                # An RRI beside a hidden count gives the count back (RRI x share x n).
                assert _number(rri_text.split(" ")[0]) is None, f"RRI shown for hidden {g} {s}"
    for k, s in enumerate(names):
        add(f"col:{s}", cells["Total"][1 + 2 * k])
    # A hidden row may have people in a column that is not shown (a column appears only
    # when someone in a shown row is in it): one more unknown, 0 or more, per hidden row.
    for g in groups:
        if any(f"cell:{g}:{s}" in index for s in names):
            index[f"rest:{g}"] = len(domains)
            domains.append((0, total, False))

    # Every RRI shown is worked out from the shown rows alone, so it carries nothing about
    # a hidden one: recompute it from the table and the comparator, and it must match.
    narrowed: dict[str, set[int]] = {}
    for k, s in enumerate(names):
        shown_rows = [g for g in groups if _number(cells[g][1 + 2 * k]) is not None
                      and _number(cells[g][2 + 2 * k].split(" ")[0]) is not None]
        n_shown = sum(int(_number(cells[g][1 + 2 * k]) or 0) for g in shown_rows)
        local = sum(pi[(g, s)] for g in shown_rows)
        for g in shown_rows:
            rri = _number(cells[g][2 + 2 * k].split(" ")[0])
            count = int(_number(cells[g][1 + 2 * k]) or 0)
            exact = count / n_shown / (pi[(g, s)] / local)
            # Shown to two decimals (a value such as 1.775 may round either way).
            assert rri is not None and abs(rri - exact) <= 0.005 + 1e-9, (g, s, rri, exact)

    n_vars = len(domains)
    if not n_vars:
        return {}
    # Each "not shown" number has a switch b: value <= total * b and value >= 5 * b.
    switches = [i for i, d in enumerate(domains) if d[2]]
    width = n_vars + len(switches)
    rows_a: list[np.ndarray] = []
    lows: list[float] = []
    highs: list[float] = []

    def equation(terms: dict[str, int], rhs_names: dict[str, int]) -> None:
        """sum(coef * name) == 0 with shown names moved to the right-hand side."""
        a = np.zeros(width)
        rhs = 0.0
        for name, coef in {**terms, **rhs_names}.items():
            if name in index:
                a[index[name]] += coef
            else:
                rhs -= coef * fixed[name]
        rows_a.append(a)
        lows.append(rhs)
        highs.append(rhs)

    for g in groups:
        rest = {f"rest:{g}": 1} if f"rest:{g}" in index else {}
        equation({f"cell:{g}:{s}": 1 for s in names} | rest, {f"row:{g}": -1})
    for s in names:
        equation({f"cell:{g}:{s}": 1 for g in groups}, {f"col:{s}": -1})
    a = np.zeros(width)
    rhs = float(total)
    for g in groups:
        if f"row:{g}" in index:
            a[index[f"row:{g}"]] = 1
        else:
            rhs -= fixed[f"row:{g}"]
    if total_rows:
        rows_a.append(a)
        lows.append(rhs)
        highs.append(rhs)
    for k, i in enumerate(switches):
        for coef_b, low, high in ((-total, -np.inf, 0.0), (-5, 0.0, np.inf)):
            a = np.zeros(width)
            a[i], a[n_vars + k] = 1, coef_b
            rows_a.append(a)
            lows.append(low)
            highs.append(high)
    lower = np.array([0.0 if d[2] else d[0] for d in domains] + [0.0] * len(switches))
    upper = np.array([float(d[1]) for d in domains] + [1.0] * len(switches))
    for name, options in narrowed.items():
        lower[index[name]] = max(lower[index[name]], min(options))
        upper[index[name]] = min(upper[index[name]], max(options))
    constraints = LinearConstraint(np.array(rows_a), np.array(lows), np.array(highs))
    integrality = np.ones(width)
    out: dict[str, set[int] | tuple[int, int]] = {}
    for name, i in index.items():
        ends = []
        for sign in (1, -1):
            c = np.zeros(width)
            c[i] = sign
            res = milp(c, constraints=constraints, integrality=integrality,
                       bounds=Bounds(lower, upper))
            assert res.status == 0, "the published tables are inconsistent"
            ends.append(round(res.x[i]))
        out[name] = (ends[0], ends[1])
    return out


def _draft_split(cells: list[list[int]], comparator: list[list[int]], strata: Sequence[str]) -> str:
    main = build_analysis([sum(r) for r in cells], [sum(r) for r in comparator])
    split = build_split_analysis(cells, comparator, strata)
    section = draft(main, authority="Westminster", service="Holiday Activities and Food",
                    intersections=[split])
    return render_markdown(section)


def _pi(comparator: list[list[int]], strata: Sequence[str]) -> dict[tuple[str, str], float]:
    totals = np.asarray(comparator).sum(axis=0)
    return {(g, s): comparator[i][j] / totals[j]
            for i, g in enumerate(MAJOR_GROUPS) for j, s in enumerate(strata)}


cell_value = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 80))


@st.composite
def two_way(draw: st.DrawFn) -> tuple[list[list[int]], list[list[int]], tuple[str, ...]]:
    width = draw(st.sampled_from((2, 3)))
    cells = draw(st.lists(st.lists(cell_value, min_size=width, max_size=width),
                          min_size=5, max_size=5))
    comparator = draw(st.lists(st.lists(st.integers(50, 3000), min_size=width,
                                        max_size=width), min_size=5, max_size=5))
    return cells, comparator, SEXES[:width]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=two_way())
def test_no_hidden_count_in_a_two_way_table_can_be_recovered(
    case: tuple[list[list[int]], list[list[int]], tuple[str, ...]],
) -> None:
    cells, comparator, strata = case
    if sum(map(sum, cells)) < 5 or not all(sum(r[j] for r in cells) for j in range(len(strata))):
        return
    markdown = _draft_split(cells, comparator, strata)
    # Only strata with someone in a shown row are columns, so the table may start with Men.
    if not re.search(r"\| Group \| (Women|Men|People of another gender): people served",
                     markdown):
        # Not published: the section must say so, and show no cell of it.
        assert re.search(r"not show the numbers by sex|too few people", markdown), markdown
        return
    for line in markdown.splitlines():
        if line.startswith("| ") and "people served" not in line:
            for cell in line.split(" | "):
                value = _number(cell.strip("| "))
                assert not (value is not None and 0 < value < 5 and "." not in cell
                            and "%" not in cell), f"a small count is shown: {line}"
    for name, values in _attack(markdown, strata, _pi(comparator, strata)).items():
        if name.startswith("rest:"):  # the attacker's own unknown, not a published count
            continue
        if isinstance(values, set):
            assert len(values) >= 2, f"{name} can be worked out: {sorted(values)}"
        else:
            assert values[0] < values[1], f"{name} can be worked out: {values[0]}"


def test_a_comparator_that_is_a_list_of_people_is_protected_too() -> None:
    """In modes independent and nested the comparator's small cells are hidden as well,
    so no RRI beside them (it would give the comparator count back)."""
    import dataclasses

    cells = [[20, 18], [22, 60], [21, 19], [110, 80], [27, 23]]
    comparator = [[300, 3], [100, 100], [100, 100], [600, 600], [100, 100]]
    main = build_analysis([sum(r) for r in cells], [sum(r) for r in comparator])
    main = dataclasses.replace(main, settings=main.settings.replace(mode="independent"))
    split = build_split_analysis(cells, comparator, SEXES[:2])
    split = dataclasses.replace(split, settings=split.settings.replace(mode="independent"))
    made = make_safe_intersection(split, main, make_safe(main))
    asian_boys = made.cell("Asian", "Male")
    assert asian_boys.count is None and asian_boys.rri is None and asian_boys.withheld
    # the row with the small comparator cell is hidden whole, and only that row
    assert {c.group for c in made.cells if c.withheld} == {"Asian"}
    fixed = make_safe_intersection(
        build_split_analysis(cells, comparator, SEXES[:2]),
        build_analysis([sum(r) for r in cells], [sum(r) for r in comparator]),
        make_safe(build_analysis([sum(r) for r in cells], [sum(r) for r in comparator])))
    assert fixed.cell("Asian", "Male").rri is not None
