"""Draft the "Disproportionality Implications" section of a decision report.

`draft` turns an `Analysis` into a `Section`: an immutable list of blocks (headings,
numbered paragraphs, tables, a chart) that the renderers in `commissioning.render`
lay out as Word, Markdown or HTML. Three things happen in order, so that nothing
unsafe or unworded can reach a renderer:

1. small-number suppression (`commissioning.drafting.disclosure`) removes every value that could
   reveal a count below the threshold;
2. the findings rules (`commissioning.drafting.findings`) order what matters;
3. the editable Jinja2 template ``templates/draft_section.txt.j2`` words everything,
   using only the suppressed values.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from commissioning import __version__
from commissioning.analysis.compare import Analysis
from commissioning.analysis.periods import public_period
from commissioning.analysis.trends import Trend
from commissioning.drafting.actions import action_groups, author_notes
from commissioning.drafting.blocks import ChartMaker, parse_blocks
from commissioning.drafting.characteristics import (
    characteristics_values,
    children_only,
    group_label,
)
from commissioning.drafting.disclosure import (
    DEFAULT_THRESHOLD,
    SafeAnalysis,
    make_safe,
)
from commissioning.drafting.findings import Finding, Findings, find
from commissioning.drafting.methodtext import analysis_parameters, setting_rows
from commissioning.drafting.profiles import choose_profile
from commissioning.drafting.section import (
    CHART_LABEL_KEYS,
    Audit,
    Block,
    BulletList,
    Chart,
    ChartPoint,
    ChartSpec,
    Heading,
    Paragraph,
    Section,
    Table,
    section_title,
)
from commissioning.drafting.trend_text import as_safe_as, paragraphs
from commissioning.drafting.two_way import SafeCell, SafeIntersection, make_safe_intersection
from commissioning.drafting.wording import (
    SECTION_TEMPLATE,
    load_actions,
    load_terminology,
    render_action,
    render_template,
)
from commissioning.model.bands import Band, Confidence
from commissioning.model.quality import DataQuality
from commissioning.returns.model import ProviderReturn

#: Audit items kept out of the published section: a fingerprint of a small file can be
#: matched by hashing candidate files, and file and sheet names are provider text. They
#: go to the internal audit record written beside the section (`Section.audit`).
INTERNAL_AUDIT_ITEMS: Final = ("input_file", "sha256", "sheet")


# -- drafting ---------------------------------------------------------------------------
def draft(
    analysis: Analysis,
    *,
    authority: str,
    service: str,
    provider: str | None = None,
    period: str | None = None,
    previous: Sequence[Analysis | tuple[str, Analysis]] | None = None,
    actions: str | Path | Sequence[Mapping[str, Any]] | None = None,
    template: str | Path | None = None,
    source_return: ProviderReturn | None = None,
    quality: DataQuality | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    minimum_n: int | None = None,
    unreliable_share: float | None = None,
    produced: dt.date | None = None,
    intersections: Sequence[Analysis] | None = None,
    trend: Trend | None = None,
    service_kind: str | None = None,
    characteristics: Sequence[Analysis] = (),
    ask_for_missing: bool = False,
) -> Section:
    """Draft the section for one analysis of ethnicity alone.

    ``characteristics`` are comparisons by sex or age band in their own right
    (`analyse_characteristic`); they add the "Sex and age" part
    (`commissioning.drafting.characteristics`). With ``ask_for_missing`` the part also
    appears when the return records neither, to say what to ask the provider for.

    ``intersections`` are the same comparison split by sex or by age band
    (``analyse(..., by="sex")``); each adds a short part and a two-way table under the
    findings, suppressed in both directions around the main table's numbers.
    ``trend`` (from `commissioning.analysis.trends`, including this period) adds the
    change-over-time paragraphs at the end of the findings, suppressed at least as
    strictly as the section. ``service_kind`` ("reach" or "intervention") says which
    difference is the concern; by default it is matched from the service's name
    (`commissioning.drafting.profiles`).
    """
    del quality  # accepted for older callers: provider labels never reach a section
    safe = make_safe(analysis, threshold=threshold)
    split = tuple(make_safe_intersection(s, analysis, safe) for s in intersections or ())
    kwargs: dict[str, Any] = {"minimum_n": minimum_n}
    if unreliable_share is not None:
        kwargs["unreliable_share"] = unreliable_share
    profile = choose_profile(service, service_kind, template)
    findings = find(analysis, safe, service_kind=profile.kind, **kwargs)
    terms = load_terminology(authority, template)
    library = load_actions(actions, template)
    library_name = Path(actions).name if isinstance(actions, str | Path) else "the action library"
    audit = audit_of(analysis, source_return, threshold, produced)
    trends = _trends(findings, previous or (), threshold)
    context = _context(
        analysis,
        safe,
        findings,
        terms=terms,
        library=library,
        authority=authority,
        service=service,
        provider=provider,
        period=period,
        audit=audit,
        trends=trends,
        library_name=library_name,
    )
    context["intersections"] = [_intersection_values(x) for x in split]
    context["service_kind"] = profile.kind
    # What the return counts ("families", "referrals"): the section's counting word.
    context["unit"] = source_return.unit if source_return is not None else "people"
    context["characteristics"] = characteristics_values(
        characteristics, threshold=threshold, source_return=source_return, main=safe,
        splits=split, ask_for_missing=ask_for_missing)
    context["differences"] = [_finding_values(c, trends) for c in findings.differences]
    context["trend_paragraphs"] = (
        paragraphs(as_safe_as(trend, safe), template) if trend is not None else []
    )
    name, text = render_template(SECTION_TEMPLATE, context, template)
    charts = {"": (safe, analysis), **context["characteristics"]["charts"]}
    blocks = parse_blocks(text, name, chart_maker(charts))
    return Section(
        title=section_title(blocks),
        blocks=blocks,
        findings=findings,
        safe=safe,
        audit=audit,
        authority=authority,
        service=service,
        intersections=split,
        document=document_settings(terms),
        author_notes=author_notes(findings, library, profile, service),
    )


def document_settings(terms: Mapping[str, Any]) -> dict[str, Any]:
    """Page, font and author of a stand-alone Word section (terminology "document")."""
    settings = terms.get("document")
    out = dict(settings) if isinstance(settings, Mapping) else {}
    out["author"] = str(terms.get("council", ""))
    return out


def _finding_values(item: Finding, trends: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    trend = trends.get(item.group, [])
    return {**item.row.template_values(), "direction": item.direction, "trend": trend}


def _cell_values(cell: SafeCell) -> dict[str, Any]:
    rri = cell.rri
    strength = 0.0 if rri is None else (math.inf if rri <= 0 else abs(math.log(rri)))
    band = cell.band or ""
    direction = (
        "over" if band == Band.OVER
        else "under" if band in (Band.UNDER, Band.NOT_REPRESENTED) else ""
    )
    return {
        "group": cell.group,
        "stratum": cell.stratum,
        "count": cell.count,
        "reason": cell.reason,
        "shown": cell.shown,
        "withheld": cell.withheld,
        "rri": rri,
        "low": cell.rri_low,
        "high": cell.rri_high,
        "band": band,
        "confidence": cell.confidence or "",
        "direction": direction,
        "strength": strength,
    }


def _intersection_values(split: SafeIntersection) -> dict[str, Any]:
    """One two-way table for the template: rows of cells, stratum totals, clear concerns."""
    cells = [_cell_values(c) for c in split.cells]
    width = len(split.strata)
    concerns = [
        c for c in cells
        if c["shown"] and c["direction"] and c["confidence"] == Confidence.SIGNIFICANT
    ]
    concerns.sort(key=lambda c: -c["strength"])
    return {
        "by": split.by,
        "published": split.published,
        "hidden": split.any_hidden,
        "strata": [
            {"name": s, "total": t.value, "reason": t.reason}
            for s, t in zip(split.strata, split.totals, strict=True)
        ],
        "rows": [
            {"group": g, "cells": cells[i * width:(i + 1) * width]}
            for i, g in enumerate(split.groups)
        ],
        "concerns": concerns,
    }


def _n_values(safe: SafeAnalysis) -> dict[str, Any]:
    split = (
        not safe.n_not_known.hidden
        and not safe.n_unmapped.hidden
        and bool(safe.n_not_known.value)
        and bool(safe.n_unmapped.value)
    )
    return {
        "total": safe.n_total.value,
        "total_range": (safe.n_total.low, safe.n_total.high),
        "known": safe.n_known.value,
        "known_reason": safe.n_known.reason,
        "known_range": (safe.n_known.low, safe.n_known.high),
        "shown": safe.n_shown,
        "unknown": safe.n_unknown.value,
        "unknown_reason": safe.n_unknown.reason,
        "unknown_range": (safe.n_unknown.low, safe.n_unknown.high),
        "unknown_share": safe.unknown_share,
        "unknown_share_range": (safe.unknown_share_low, safe.unknown_share_high),
        "split": split,
        "not_known": safe.n_not_known.value,
        "unmapped": safe.n_unmapped.value,
    }


def comparator_values(analysis: Analysis, produced: dt.date) -> dict[str, Any]:
    info = analysis.comparator
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", info.year)]
    return {
        "title": info.title,
        "year": info.year.replace("/", "-"),  # "2021/22" -> "2021-22": no slashes in prose
        "ages": info.ages,
        "all_ages": info.ages.strip().lower() == "all ages",
        "ages_is_band": bool(re.fullmatch(r"\d+(-\d+|\+)", info.ages.strip())),
        "geography": info.geography.replace(" + ", " and "),
        "publisher": info.publisher,
        "caveats": [c for c in info.caveats if c],
        "attribution": info.attribution,
        "citation": info.citation or info.title,
        "age_years": produced.year - max(years) if years else None,
        "children": children_only(info.ages),
        "source": info.source,
    }


def method_values(analysis: Analysis, findings: Findings, threshold: int) -> dict[str, Any]:
    return {
        "over": analysis.settings.over,
        "under": analysis.settings.under,
        "alpha": analysis.settings.alpha,
        "adjustment": analysis.settings.adjust,
        "mode": analysis.mode,
        "level": analysis.level,
        "threshold": threshold,
        "min_n": findings.minimum_n,
        "unreliable_share": findings.unreliable_share,
    }


def _context(
    analysis: Analysis,
    safe: SafeAnalysis,
    findings: Findings,
    *,
    terms: Mapping[str, Any],
    library: Sequence[Mapping[str, Any]],
    authority: str,
    service: str,
    provider: str | None,
    period: str | None,
    audit: Audit,
    trends: Mapping[str, list[dict[str, Any]]],
    library_name: str,
) -> dict[str, Any]:
    audit_map = dict(audit.items)
    produced = dt.date.fromisoformat(audit_map["produced"])
    omnibus = None
    if safe.omnibus is not None:  # on the groups shown, like every published figure
        omnibus = {
            "differs": safe.omnibus.p_value < analysis.settings.alpha,
            "p": safe.omnibus.p_value,
        }

    def action_text(entry: Mapping[str, Any], groups: str) -> str:
        values = {
            "service": service,
            "provider": provider or "the provider",
            "groups": groups,
            "council": terms.get("council", "the council"),
        }
        return render_action(entry, values, library_name)

    return {
        "t": terms,
        "authority": authority,
        "service": service,
        "provider": provider,
        "period": period,
        "status": findings.status,
        "warn_unknown": findings.warn_unknown,
        "n": _n_values(safe),
        "comparator": comparator_values(analysis, produced),
        "method": method_values(analysis, findings, safe.threshold),
        "rows": [r.template_values() for r in safe.rows],
        "concerns": [_finding_values(c, trends) for c in findings.concerns],
        "indicative": [_finding_values(c, trends) for c in findings.indicative],
        "too_few": [_finding_values(c, trends) for c in findings.too_few],
        "hidden_groups": [f.group for f in findings.hidden],
        "omnibus": omnibus,
        "actions": action_groups(findings, library),
        "action_text": action_text,
        # Provider-typed labels never reach a published section: the check report
        # lists them. ("labels" stays, empty, for councils' own templates.)
        "labels": [],
        "unrecognised": safe.unrecognised,
        "audit": {k: v for k, v in audit_map.items() if k not in INTERNAL_AUDIT_ITEMS},
        "parameters": [(k, v) for k, v in audit.items if k.startswith("parameter:")],
        "settings": setting_rows(analysis_parameters(analysis)),
        "chart": any(r.rri is not None for r in safe.rows),
    }


def chart_maker(charts: Mapping[str, tuple[SafeAnalysis, Analysis]]) -> ChartMaker:
    """Draws each ``@chart[key]`` line from the protected analysis under that key."""

    def make(labels: Sequence[str], key: str) -> ChartSpec:
        safe, analysis = charts[key]
        return chart_spec(safe, analysis, labels)

    return make


def chart_spec(safe: SafeAnalysis, analysis: Analysis, labels: Sequence[str]) -> ChartSpec:
    """The chart of one protected analysis: a point for each group with an RRI shown."""
    points = []
    for row in safe.rows:
        if row.rri is None:
            continue
        kind = row.confidence or Band.PROPORTIONATE
        if row.band == Band.PROPORTIONATE and kind != Confidence.TOO_FEW:
            kind = Band.PROPORTIONATE
        name = group_label(row.group, analysis.characteristic)
        points.append(ChartPoint(name, float(row.rri), row.rri_low, row.rri_high, kind))
    under = analysis.settings.under
    over = analysis.settings.over
    names = list(labels) + [""] * (len(CHART_LABEL_KEYS) - len(labels))
    return ChartSpec(
        points=tuple(points),
        lines=(under, 1.0, over),
        labels=dict(zip(CHART_LABEL_KEYS, names, strict=False)),
        not_shown=tuple(group_label(r.group, analysis.characteristic)
                        for r in safe.rows if r.rri is None),
    )


def audit_of(
    analysis: Analysis,
    source: ProviderReturn | None,
    threshold: int,
    produced: dt.date | None,
) -> Audit:
    day = produced or dt.datetime.now(dt.UTC).date()
    info = analysis.comparator
    items: list[tuple[str, str]] = [
        ("input_file", Path(source.path).name if source is not None else ""),
        ("sha256", source.sha256 if source is not None else ""),
        ("sheet", (source.sheet or "") if source is not None else ""),
        ("tool", f"commissioning {__version__}"),
        ("comparator", f"{info.title}, {info.geography}, {info.year}, {info.ages}"),
        ("level", analysis.level),
        ("mode", analysis.mode),
        ("threshold", str(threshold)),
        ("produced", day.isoformat()),
    ]
    parameters = analysis_parameters(analysis)
    for key in sorted(parameters):
        value = _plain(parameters[key])
        if value and value != "None":
            items.append((f"parameter:{key}", value))
    return Audit(tuple(items))


def _plain(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def _trends(
    findings: Findings,
    previous: Sequence[Analysis | tuple[str, Analysis]],
    threshold: int,
) -> dict[str, list[dict[str, Any]]]:
    """Earlier RRIs (suppressed the same way) for each group with a finding."""
    if not previous:
        return {}
    labelled: list[tuple[str, Analysis]] = []
    for i, earlier in enumerate(previous):
        if isinstance(earlier, tuple):  # labels may come from files: publish plain dates only
            labelled.append((public_period(str(earlier[0]), i), earlier[1]))
        else:
            labelled.append((f"period {i + 1}", earlier))
    safes = [(label, make_safe(a, threshold=threshold)) for label, a in labelled]
    out: dict[str, list[dict[str, Any]]] = {}
    for item in (*findings.concerns, *findings.indicative):
        points = []
        for label, safe in safes:
            try:
                row = safe.row(item.group)
            except KeyError:
                continue
            points.append({"period": label, "rri": row.rri})
        out[item.group] = points
    return out


__all__ = [
    "CHART_LABEL_KEYS",
    "Audit",
    "Block",
    "BulletList",
    "Chart",
    "ChartPoint",
    "ChartSpec",
    "Heading",
    "Paragraph",
    "Section",
    "Table",
    "draft",
    "parse_blocks",
]


