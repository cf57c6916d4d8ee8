"""An attacker against the section for a return with no ethnicity (sex and age only).

The attacker holds the published section and knows how the tables are built. The
unknowns are the return itself: people by sex (female, male, another gender, not
recorded) and age band (each band, not recorded). Everything the section states is an
equation or a bound on them: each count in a table by sex or by age ("fewer than 5" is
1 to 4), the people of another gender, the people with no usable sex or age, and the
people the return covered (exact, or a range). The attacker then finds the smallest and
largest value each hidden number can take with an integer programme (scipy's HiGHS
solver) and must find at least two for every one. The RRIs, shares and intervals add no
equation: they are worked out from the counts shown (`make_safe`), which are in the
equations already.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from commissioning.drafting.draft import Section
from commissioning.pipeline import RunSettings, run

SEXES = ("Female", "Male", "Non-binary", "")  # "" = not recorded
BANDS = ("0-4", "5-9", "10-14", "15-17", "")
LABELS = {"0-4": "Aged 0 to 4", "5-9": "Aged 5 to 9", "10-14": "Aged 10 to 14",
          "15-17": "Aged 15 to 17"}
UPPER = 400


def _section(folder: Path, cells: np.ndarray) -> Section:
    lines = ["Gender,Age band,Count"]
    for i, sex in enumerate(SEXES):
        for j, band in enumerate(BANDS):
            if cells[i, j]:
                lines.append(f"{sex},{band},{cells[i, j]}")
    path = folder / "return.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run(path, RunSettings(authority="Westminster", service="Youth club")).require_section()


def _count(text: str) -> tuple[int, int, bool]:
    """(low, high, hidden) for a published count."""
    if text.startswith(("Fewer than", "fewer than")):
        return 1, 4, True
    value = int(text.replace(",", ""))
    return value, value, False


def _equations(section: Section) -> tuple[list[tuple[np.ndarray, int, int]], list[str]]:
    """(coefficients over the 4 x 5 cells, low, high) for everything published, and the
    names of the hidden quantities (as 'row:LABEL')."""
    eqs: list[tuple[np.ndarray, int, int]] = []
    hidden: list[str] = []

    def mask(rows: tuple[int, ...], cols: tuple[int, ...]) -> np.ndarray:
        m = np.zeros((len(SEXES), len(BANDS)))
        m[np.ix_(rows, cols)] = 1
        return m.ravel()

    everyone = mask(tuple(range(4)), tuple(range(5)))
    tables = {t.name: t for t in section.tables()}
    sex_table = tables.get("characteristic_sex")
    if sex_table is not None:
        for row in sex_table.rows:
            low, high, is_hidden = _count(row[1])
            eqs.append((mask((SEXES.index(row[0]),), tuple(range(5))), low, high))
            if is_hidden:
                hidden.append(f"sex:{row[0]}")
    age_table = tables.get("characteristic_age_band")
    if age_table is not None:
        for row in age_table.rows:
            band = next(b for b, label in LABELS.items() if label == row[0])
            low, high, is_hidden = _count(row[1])
            eqs.append((mask(tuple(range(4)), (BANDS.index(band),)), low, high))
            if is_hidden:
                hidden.append(f"age:{band}")
    text = section.text()
    if sex_table is not None:
        other = re.search(r"(\w[\w ]*?) people described their gender in another way", text)
        if other is None:
            eqs.append((mask((2,), tuple(range(5))), 0, 0))
        else:
            low, high, is_hidden = _count(other.group(1))
            eqs.append((mask((2,), tuple(range(5))), low, high))
            if is_hidden:
                hidden.append("other gender")
    for word, rows, cols in (("sex", (2, 3), tuple(range(5))), ("age", tuple(range(4)), (4,))):
        found = re.search(rf"For ([\w ,]+?) people, the return gave no {word} we", text)
        if found is not None:
            spans = re.fullmatch(r"([\d,]+) to ([\d,]+)", found.group(1))
            if spans:
                eqs.append((mask(rows, cols), int(spans.group(1).replace(",", "")),
                            int(spans.group(2).replace(",", ""))))
            else:
                low, high, _ = _count(found.group(1))
                eqs.append((mask(rows, cols), low, high))
        elif f"Everyone in the return had {'a sex' if word == 'sex' else 'an age'}" in text:
            eqs.append((mask(rows, cols), 0, 0))
    covered = re.search(r"The return covered ([\d,]+)(?: to ([\d,]+))? people", text)
    assert covered is not None, text
    low = int(covered.group(1).replace(",", ""))
    high = int((covered.group(2) or covered.group(1)).replace(",", ""))
    eqs.append((everyone, low, high))
    return eqs, hidden


def _range(eqs: list[tuple[np.ndarray, int, int]], target: np.ndarray) -> tuple[int, int]:
    a = np.array([e[0] for e in eqs])
    constraints = LinearConstraint(a, [e[1] for e in eqs], [e[2] for e in eqs])
    n = a.shape[1]
    out = []
    for sign in (1, -1):
        res = milp(sign * target, constraints=constraints, integrality=np.ones(n),
                   bounds=Bounds(0, UPPER))
        assert res.success, res.message
        out.append(round(sign * res.fun))
    return out[0], out[1]


def _target(name: str) -> np.ndarray:
    m = np.zeros((len(SEXES), len(BANDS)))
    kind, _, label = name.partition(":")
    if kind == "sex":
        m[SEXES.index(label), :] = 1
    elif kind == "age":
        m[:4, BANDS.index(label)] = 1
    else:  # other gender
        m[2, :] = 1
    return m.ravel()


cell = st.one_of(st.just(0), st.integers(1, 4), st.integers(1, 4), st.integers(5, 30))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(cell, min_size=20, max_size=20))
def test_no_hidden_count_can_be_worked_out(tmp_path_factory: object, values: list[int]) -> None:
    cells = np.array(values, dtype=int).reshape(len(SEXES), len(BANDS))
    cells[3, 4] = 0  # no sex and no age: nothing to compare
    if cells[:2, :4].sum() == 0 or cells[:2, :4].sum(axis=0).max() == 0:
        return
    folder = tmp_path_factory.mktemp("r")  # type: ignore[attr-defined]
    section = _section(folder, cells)
    eqs, hidden = _equations(section)
    truth = cells.ravel()
    for coefficients, low, high in eqs:  # the attacker's equations hold for the truth
        assert low <= coefficients @ truth <= high, (coefficients, low, high)
    for name in hidden:
        low, high = _range(eqs, _target(name))
        assert low < high, f"{name} is pinned to {low} by the published section"


def test_the_attacker_recovers_a_count_when_both_tables_are_shown(tmp_path: Path) -> None:
    """The attacker is real: published beside the exact table by age, the hidden table by
    sex gives its one person of another gender away (the defence leaves it out)."""
    cells = np.zeros((4, 5), dtype=int)
    cells[0, :4] = (10, 12, 9, 8)
    cells[1, :4] = (11, 7, 13, 6)
    cells[2, 2] = 1
    section = _section(tmp_path, cells)
    assert {t.name for t in section.tables()} >= {"characteristic_age_band"}
    assert "characteristic_sex" not in {t.name for t in section.tables()}
    eqs, _ = _equations(section)
    # What the left-out sex table would have added: women, men, fewer than 5 others.
    mask = np.zeros((4, 5))
    for row, value in ((0, 39), (1, 37)):
        m = mask.copy()
        m[row, :] = 1
        eqs.append((m.ravel(), value, value))
    other = mask.copy()
    other[2, :] = 1
    eqs.append((other.ravel(), 1, 4))
    assert _range(eqs, _target("other gender")) == (1, 1)
