"""An attacker with only the published section in hand (and the method, which is public).

For each random small service the attacker takes every count the section hides and tries
the other values it could take (1 to 4): it builds the return that differs only there
(in a split, the row's other cells or its "not recorded" people make up the difference),
drafts it again with the same options, and compares every published byte: Markdown,
HTML and the chart, and for one service in five the Word file and the chart image. A
value whose bytes differ is ruled out; a hidden count whose every other value is ruled
out is recovered. Over 200 services the attacker must recover nothing; over 12 more,
with the Word file and the chart image, every value 1 to 4 of every hidden count must
stay possible (the method's promise, not only "not pinned down"). The five classes of
attack the issue names are all in play: the pattern of what is hidden (any secondary
choice would change), people whose sex or age is not recorded (the splits by sex and by
age band), wording keyed to thresholds (not-known counts near the limits), the file
fingerprint (the audit table) and earlier periods (`--previous`).

The defence must let through nothing: every alternative gives identical bytes. And
the attacker is real: with the published figures worked out over everyone (the
defence off) it recovers counts.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.analysis.compare import Analysis, analyse
from commissioning.analysis.trends import trend_from_analyses
from commissioning.drafting.draft import draft
from commissioning.model.categories import MAJOR_GROUPS, NOT_KNOWN, UNMAPPED
from commissioning.model.counts import Counts
from commissioning.render.docx import render_docx
from commissioning.render.html import render_html
from commissioning.render.markdown import render_markdown

T = 5
# Westminster's ONS mid-2022 population, rounded (public, fixed): Female / Male per group.
POPULATION = {
    "Asian": (1690, 1690), "Black": (2090, 2086), "Mixed": (1270, 1276),
    "White": (2840, 2848), "Other": (2840, 2839),
}
SEXES = ("Female", "Male")
BANDS = ("5-9", "10-14")
PRODUCED = dt.date(2026, 12, 2)


@dataclass(frozen=True)
class Service:
    """One small service: people per group and sex, and those not fully recorded."""

    cells: tuple[tuple[int, int, int], ...]  # per group: two strata, then not recorded
    not_known: int  # ethnicity not recorded
    unmapped: int  # ethnicity label not recognised
    earlier: tuple[int, ...] | None  # an earlier period's counts per group, or none
    by: str | None  # the split drafted: "sex", "age_band" or none
    docx: bool

    @property
    def by_sex(self) -> bool:
        """Whether the section has a two-way table (by sex or by age band)."""
        return self.by is not None

    def with_cell(self, g: int, s: int, value: int) -> Service:
        rows = [list(r) for r in self.cells]
        rows[g][s] = value
        return replace(self, cells=tuple(tuple(r) for r in rows))


def _comparator() -> Counts:
    return Counts.from_records(
        {"major": g, "detailed": NOT_KNOWN, "sex": s, "age_band": band, "count": n // 2 + k}
        for g, pair in POPULATION.items() for s, n in zip(SEXES, pair, strict=True)
        for k, band in enumerate(BANDS)
    )


COMPARATOR = _comparator()


def _counts(service: Service) -> Counts:
    records = []
    by_age = service.by == "age_band"
    for g, row in zip(MAJOR_GROUPS, service.cells, strict=True):
        for stratum, n in zip((*(BANDS if by_age else SEXES), NOT_KNOWN), row, strict=True):
            if n:
                sex, band = ("Female", stratum) if by_age else (stratum, "5-9")
                records.append({"major": g, "detailed": NOT_KNOWN, "sex": sex,
                                "age_band": band, "count": n})
    for label, n in ((NOT_KNOWN, service.not_known), (UNMAPPED, service.unmapped)):
        if n:
            records.append({"major": label, "detailed": label, "sex": "Female",
                            "age_band": "5-9", "count": n})
    return Counts.from_records(records)


@functools.lru_cache(maxsize=256)
def _earlier(counts: tuple[int, ...]) -> Analysis:
    frame = Counts.from_records(
        {"major": g, "detailed": NOT_KNOWN, "sex": "Female", "age_band": "5-9", "count": n}
        for g, n in zip(MAJOR_GROUPS, counts, strict=True) if n
    )
    return analyse(frame, COMPARATOR, mode="fixed")


def publish(service: Service) -> tuple[bytes, ...]:
    """Every published byte of the section drafted for ``service``: Markdown, HTML, the
    chart's full description (all the chart renderer is given) and, when asked, the
    HTML with the chart image and the Word file."""
    counts = _counts(service)
    main = analyse(counts, COMPARATOR, mode="fixed")
    splits = [analyse(counts, COMPARATOR, mode="fixed", by=service.by)] if service.by else []
    previous, trend = None, None
    if service.earlier is not None:
        before = _earlier(service.earlier)
        previous = [("2024-25 Q1", before)]
        trend = trend_from_analyses([before, main], ["2024-25 Q1", "2024-25 Q2"])
    section = draft(main, authority="Westminster", service="Family Support",
                    produced=PRODUCED, intersections=splits, previous=previous, trend=trend)
    chart = section.chart()
    out = [render_markdown(section).encode(), render_html(section, chart_png=None).encode(),
           repr(chart.spec if chart is not None else None).encode()]
    if service.docx:
        out += [render_html(section).encode(), render_docx(section)]
    return tuple(out)


def _row(service: Service, g: int, row: tuple[int, int, int]) -> Service:
    rows = list(service.cells)
    rows[g] = row
    return replace(service, cells=tuple(rows))


def alternatives(service: Service) -> Iterator[tuple[str, int, list[tuple[int, Service]]]]:
    """(what, true value, [(another value, the return that differs only in it)]) for
    every count the section hides."""
    for g, row in enumerate(service.cells):
        total = sum(row)
        name = MAJOR_GROUPS[g]
        if 0 < total < T:  # Table 1 hides the group: any 1 to 4, however split by sex
            yield name, total, [(v, _row(service, g, (v, 0, 0)))
                                for v in range(1, T) if (v, 0, 0) != row]
        elif service.by_sex:  # a split cell of 1 to 4, the group's total held
            for s, value in enumerate(row):
                if not 0 < value < T:
                    continue
                others = []
                for v in range(1, T):
                    if v == value:
                        continue
                    # the row's total is held: the other two cells take the rest
                    first, second = (p for p in range(3) if p != s)
                    rest = total - v
                    moved = [0, 0, 0]
                    moved[s], moved[first] = v, min(row[first], rest)
                    moved[second] = rest - moved[first]
                    others.append((v, _row(service, g, (moved[0], moved[1], moved[2]))))
                yield f"{name} by {service.by}, column {s}", value, others
    for field in ("not_known", "unmapped"):
        value = getattr(service, field)
        if 0 < value < T:
            yield field, value, [(v, replace(service, **{field: v}))
                                 for v in range(1, T) if v != value]
    if service.earlier is not None:
        for g, value in enumerate(service.earlier):
            if 0 < value < T:
                others = []
                for v in range(1, T):
                    if v != value:
                        earlier = list(service.earlier)
                        earlier[g] = v
                        others.append((v, replace(service, earlier=tuple(earlier))))
                yield f"earlier {MAJOR_GROUPS[g]}", value, others


def _other(value: int) -> int:
    """Another value from 1 to 4."""
    return value % (T - 1) + 1


def joint_alternative(service: Service) -> Service:
    """One return in which (nearly) every hidden count takes another value at once, each
    group's total held where Table 1 shows it: if it gives the same bytes, no hidden count
    it changed can be pinned down. Counts it leaves unchanged are tried one by one."""
    rows = []
    for row in service.cells:
        total = sum(row)
        if 0 < total < T:
            rows.append((_other(total), 0, 0))
            continue
        cells = list(row)
        if service.by is not None:
            for s, value in enumerate(row):
                if 0 < value < T and cells[s] == value:
                    step = 1 if value + 1 < T else -1
                    partner = max((p for p in range(3) if p != s), key=lambda p: cells[p])
                    if cells[partner] - step >= 0:
                        cells[s] += step
                        cells[partner] -= step
        rows.append((cells[0], cells[1], cells[2]))
    earlier = service.earlier
    if earlier is not None:
        earlier = tuple(_other(v) if 0 < v < T else v for v in earlier)
    return replace(
        service, cells=tuple(rows), earlier=earlier,
        not_known=_other(service.not_known) if 0 < service.not_known < T else service.not_known,
        unmapped=_other(service.unmapped) if 0 < service.unmapped < T else service.unmapped,
    )


def _values(service: Service) -> dict[str, int]:
    """Every hidden count of ``service`` by name, as `alternatives` names them."""
    return {what: value for what, value, _ in alternatives(service)}


def attack(
    service: Service, publish: Callable[[Service], tuple[bytes, ...]], *, every: bool = False
) -> list[str]:
    """The hidden counts the published bytes pin down (``every``: or merely narrow, to
    fewer values than 1 to 4)."""
    seen = publish(service)
    settled: set[str] = set()
    if not every:
        joint = joint_alternative(service)
        if publish(joint) == seen:
            after = _values(joint)
            settled = {w for w, v in _values(service).items() if w in after and after[w] != v}
    found = []
    for what, value, others in alternatives(service):
        if what in settled:
            continue
        consistent = {value}
        for v, other in others:
            if v not in consistent and publish(other) == seen:
                consistent.add(v)
                if not every:
                    break  # one other value stays possible: not recovered
        if len(consistent) == 1 or (every and consistent != set(range(1, T))):
            found.append(f"{what}={value}: could only be {sorted(consistent)}")
    return found


small = st.integers(1, 4)
cell = st.one_of(small, small, st.just(0), st.integers(5, 20))
services = st.builds(
    Service,
    cells=st.tuples(*[st.tuples(cell, cell, st.sampled_from((0, 0, 1, 2)))] * 5),
    not_known=st.sampled_from((0, 1, 2, 3, 4, 5, 8)),
    unmapped=st.sampled_from((0, 0, 1, 3)),
    # An earlier period with no one in it has nothing to compare (and is refused).
    earlier=st.one_of(st.none(), st.tuples(*[cell] * 5).filter(lambda t: sum(t) > 0)),
    by=st.sampled_from((None, "sex", "age_band")),
    docx=st.sampled_from((False, False, False, False, True)),
).filter(lambda s: 5 <= sum(map(sum, s.cells)) <= 80)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(service=services)
def test_the_attacker_recovers_nothing(service: Service) -> None:
    assert attack(service, publish) == []


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(service=services)
def test_every_hidden_count_keeps_every_value(service: Service) -> None:
    assert attack(replace(service, docx=True), publish, every=True) == []


EXPOSED = Service(
    cells=((3, 0, 0), (10, 12, 0), (8, 7, 0), (20, 15, 0), (6, 9, 0)),
    not_known=0, unmapped=0, earlier=None, by=None, docx=False,
)


def test_the_attacker_recovers_counts_with_the_defence_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Guards the attack itself: figures worked out over everyone give the count away."""
    import commissioning.drafting.disclosure as disclosure

    real = disclosure.reanalyse

    def over_everyone(analysis: Analysis, keep: object, *, unknown: int = 0) -> Analysis | None:
        del keep
        return real(analysis, [True] * len(analysis.table), unknown=unknown)

    assert attack(EXPOSED, publish) == []
    monkeypatch.setattr(disclosure, "reanalyse", over_everyone)
    found = attack(EXPOSED, publish)
    assert found == ["Asian=3: could only be [3]"]
