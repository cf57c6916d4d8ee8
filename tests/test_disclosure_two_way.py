"""Suppression in two dimensions (ethnic group by sex or age band), and an attacker.

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

from commissioning.drafting.disclosure import SECONDARY, SMALL, make_safe
from commissioning.drafting.draft import draft
from commissioning.drafting.two_way import (
    MSG_INTERSECTION_BY,
    MSG_INTERSECTION_GROUPS,
    make_safe_intersection,
    protect_two_way,
    unsafe_entries,
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
def test_a_lone_small_cell_in_its_row_is_exposed_and_a_rectangle_protects_it() -> None:
    cells = np.array([[3, 20], [30, 40]])
    values = _augmented(cells)
    reasons = np.full(values.shape, "", dtype=object)
    reasons[0, 0] = SMALL
    assert unsafe_entries(values, reasons, 5) == [(0, 0)]
    reasons[0, 1] = reasons[1, 0] = reasons[1, 1] = SECONDARY
    assert unsafe_entries(values, reasons, 5) == []


def test_a_bridge_between_two_protected_blocks_is_caught() -> None:
    """Every row and column has two hidden cells, yet the middle one can be worked out:
    the cells of the top-left block add up to a known number, so the bridge is the rest."""
    cells = np.array([
        [6, 7, 0, 0, 50],
        [8, 9, 6, 0, 50],
        [0, 0, 7, 8, 50],
        [0, 0, 9, 6, 50],
        [50, 50, 50, 50, 50],
    ])
    values = _augmented(cells)
    reasons = np.full(values.shape, "", dtype=object)
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]:
        reasons[i, j] = SECONDARY
    rows = (reasons[:-1, :-1] != "").sum(axis=1)
    cols = (reasons[:-1, :-1] != "").sum(axis=0)
    assert all(r in (0, 2, 3) for r in rows) and all(c in (0, 2, 3) for c in cols)
    assert (1, 2) in unsafe_entries(values, reasons, 5)


def test_protect_two_way_hides_a_rectangle_not_a_whole_table() -> None:
    cells = np.array([[18, 26, 9], [60, 55, 28], [27, 15, 8], [17, 12, 3], [60, 40, 17]])
    protected = protect_two_way(cells, cells.sum(axis=1).tolist(), [""] * 5, int(cells.sum()))
    assert protected is not None
    cell_reasons, total_reasons = protected
    assert cell_reasons[3, 2] == SMALL
    assert (cell_reasons != "").sum() == 4  # the small cell and three partners
    assert list(total_reasons) == ["", "", ""]


def test_a_group_hidden_in_table_1_cannot_be_rebuilt_from_its_cells() -> None:
    """Table 1 hides Asian (3) and Other (secondary); the two-way table must not add up
    Asian's cells to give its total back."""
    cells = np.array([[2, 1], [40, 45], [30, 35], [50, 60], [6, 7]])
    protected = protect_two_way(cells, cells.sum(axis=1).tolist(),
                                [SMALL, "", "", "", SECONDARY], int(cells.sum()))
    assert protected is not None
    cell_reasons, _ = protected
    assert cell_reasons[0, 0] == SMALL and cell_reasons[0, 1] == SMALL
    assert (cell_reasons[4] != "").any()


def test_when_nothing_can_protect_the_table_it_is_not_published() -> None:
    """Black: 1 girl and 5 boys, and Table 1 shows 6 Black children. A hidden "fewer
    than 5" beside a hidden "not shown" (0, or 5 and up) adding to 6 can only be 1 + 5,
    however much else is hidden, so the table cannot be published."""
    cells = np.array([[0, 6], [1, 5], [3, 6], [1, 9], [6, 0]])
    assert protect_two_way(cells, cells.sum(axis=1).tolist(), [""] * 5, 37) is None


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
    return (5, upper, True)  # "not shown": 0, or 5 and up


def _attack(
    markdown: str,
    strata: Sequence[str],
    pi: dict[tuple[str, str], float],
) -> dict[str, set[int] | tuple[int, int]]:
    """For each hidden number, the smallest and largest value it can take."""
    tables = _tables(markdown)
    main = next(t for t in tables if t[0][:2] == ["Group", "People served"])
    two_way = next(t for t in tables if t[0][0] == "Group" and t[0][1].endswith("people served"))
    total = int(_number(next(r for r in main if r[0] == "Total")[1]) or 0)
    groups = [r[0] for r in main[1:] if r[0] != "Total"]
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

    # A stratum total that is hidden but has an RRI beside a shown count in its column:
    # n = count / (RRI x comparator share), to two decimal places of the RRI.
    narrowed: dict[str, set[int]] = {}
    for k, s in enumerate(names):
        if f"col:{s}" not in index:
            continue
        options = set(range(1, total + 1))
        for g in groups:
            rri = _number(cells[g][2 + 2 * k].split(" ")[0])
            count = fixed.get(f"cell:{g}:{s}")
            if rri is not None and count:
                options &= {n for n in options if round(count / n / pi[(g, s)], 2) == rri}
        narrowed[f"col:{s}"] = options
        if len(options) < 2:
            return {f"col:{s}": options}

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
        equation({f"cell:{g}:{s}": 1 for s in names}, {f"row:{g}": -1})
    for s in names:
        equation({f"cell:{g}:{s}": 1 for g in groups}, {f"col:{s}": -1})
    a = np.zeros(width)
    rhs = float(total)
    for g in groups:
        if f"row:{g}" in index:
            a[index[f"row:{g}"]] = 1
        else:
            rhs -= fixed[f"row:{g}"]
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
    if "| Group | Women: people served" not in markdown:
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
        if isinstance(values, set):
            assert len(values) >= 2, f"{name} can be worked out: {sorted(values)}"
        else:
            assert values[0] < values[1], f"{name} can be worked out: {values[0]}"


def test_the_attacker_succeeds_without_secondary_suppression(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Guards the property test: with primary suppression only, it finds the count."""
    import commissioning.drafting.two_way as two_way

    def primary_only(cells, row_totals, row_reasons, grand_total, threshold=5):  # type: ignore[no-untyped-def]
        small = (cells > 0) & (cells < threshold)
        totals = cells.sum(axis=0)
        return (np.where(small, SMALL, "").astype(object),
                np.where((totals > 0) & (totals < threshold), SMALL, "").astype(object))

    monkeypatch.setattr(two_way, "protect_two_way", primary_only)
    cells = [[3, 20], [40, 45], [30, 35], [50, 60], [20, 25]]
    comparator = [[500, 500]] * 5
    found = _attack(_draft_split(cells, comparator, SEXES[:2]), SEXES[:2],
                    _pi(comparator, SEXES[:2]))
    assert found["cell:Asian:Female"] == (3, 3)


def test_the_attacker_uses_an_rri_to_find_a_hidden_stratum_total() -> None:
    """Guards the RRI x share x n step: a hidden total beside a shown RRI comes back."""
    pi = {(g, s): 0.2 for g in MAJOR_GROUPS for s in SEXES[:2]}
    rri = round(30 / 150 / 0.2, 2)  # Asian girls: 30 of 150 girls, 20% locally
    markdown = "\n".join([
        "| Group | People served | Share served |",
        "|---|---|---|",
        *[f"| {g} | 60 | 20% |" for g in MAJOR_GROUPS],
        "| Total | 300 | 100% |",
        "",
        "| Group | Women: people served | Women: RRI | Men: people served | Men: RRI |",
        "|---|---|---|---|---|",
        f"| Asian | 30 | {rri:.2f} (in proportion) | 30 | 1.00 (in proportion) |",
        *[f"| {g} | not shown | Not shown | not shown | Not shown |" for g in MAJOR_GROUPS[1:]],
        "| Total | not shown |  | not shown |  |",
    ])
    found = _attack(markdown, SEXES[:2], pi)
    assert found == {"col:Female": {150}}


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
    assert asian_boys.count == 18 and asian_boys.rri is None and asian_boys.withheld
    withheld = [c for c in made.cells if c.withheld]
    assert len(withheld) >= 4  # the small comparator cell needs partners too
    fixed = make_safe_intersection(
        build_split_analysis(cells, comparator, SEXES[:2]),
        build_analysis([sum(r) for r in cells], [sum(r) for r in comparator]),
        make_safe(build_analysis([sum(r) for r in cells], [sum(r) for r in comparator])))
    assert fixed.cell("Asian", "Male").rri is not None
