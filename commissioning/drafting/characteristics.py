"""The "Sex and age" part of the section: the service compared by sex and by age band.

Each `Analysis` from `commissioning.analysis.characteristic.analyse_characteristic`
goes through `make_safe` first, exactly as the ethnicity analysis does, and only its
results reach the template ``templates/draft_characteristics.txt.j2`` (included by the
section template): a count of 1 to 4 arrives as none, with the reason "small". When the
return has no gender or no age column, the part says what to ask the provider for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from commissioning.analysis.characteristic import WARN_OTHER_GENDER
from commissioning.analysis.compare import Analysis
from commissioning.drafting.disclosure import SafeAnalysis, SafeCount, SafeRow, make_safe
from commissioning.drafting.two_way import SafeIntersection
from commissioning.returns.model import ProviderReturn

#: The characteristics the part can show, in its order, and how a sentence names them.
NAMES: Final[dict[str, str]] = {"sex": "sex", "age_band": "age"}
#: The template the section template includes for this part.
CHARACTERISTICS_TEMPLATE: Final = "draft_characteristics.txt.j2"
_OTHER_SUFFIX: Final = WARN_OTHER_GENDER.split("{count}", 1)[1]


def characteristics_values(
    analyses: Sequence[Analysis],
    *,
    threshold: int,
    source_return: ProviderReturn | None = None,
    main: SafeAnalysis | None = None,
    splits: Sequence[SafeIntersection] = (),
    alone: bool = False,
    ask_for_missing: bool = False,
) -> dict[str, Any]:
    """The template's ``characteristics`` value: ``shown`` (whether the part appears),
    ``parts`` (one per analysis, small numbers suppressed), ``missing`` (what the return
    does not record: "sex", "age"), ``withheld`` (every table is left out) and ``alone``
    (the section has no ethnicity analysis, so this is its findings). Which tables may be
    shown together is decided by `_shown_parts`. With ``ask_for_missing`` the part is
    shown even with no analyses, to say what the return does not record."""
    ordered = sorted(analyses, key=lambda a: list(NAMES).index(a.characteristic))
    safes = [make_safe(a, threshold=threshold) for a in ordered]
    parts = [_part(a, s, threshold) for a, s in zip(ordered, safes, strict=True)]
    exact = [_exact(a, s, threshold) for a, s in zip(ordered, safes, strict=True)]
    show = _shown_parts(exact, main, splits, alone=alone)
    parts = [p if keep else {"by": p["by"], "name": p["name"], "withheld": True}
             for p, keep in zip(parts, show, strict=True)]
    missing = []
    if source_return is not None and (analyses or ask_for_missing):
        counts = source_return.counts
        missing = [name for dim, name in NAMES.items()
                   if not counts.has(dim) and dim not in source_return.marginals]
    # What each shown part's chart is drawn from (`draft`'s chart for ``@chart[sex]``).
    charts = {a.characteristic: (s, a) for a, s, keep in zip(ordered, safes, show, strict=True)
              if keep}
    return {"shown": bool(parts) or bool(missing), "parts": parts, "missing": missing,
            "charts": charts,
            "names": [p["name"] for p in parts], "alone": alone,
            "withheld": bool(parts) and not any(show),
            "withheld_names": [p["name"] for p in parts if p["withheld"]],
            "shown_names": [p["name"] for p in parts if not p["withheld"]]}


def _exact(analysis: Analysis, safe: SafeAnalysis, threshold: int) -> bool:
    """Nothing in this table is hidden: every count, total and margin is exact."""
    return (not safe.any_hidden and not safe.n_total.hidden and not safe.n_unknown.hidden
            and not _other_gender(analysis, threshold).hidden)


def _shown_parts(exact: Sequence[bool], main: SafeAnalysis | None,
                 splits: Sequence[SafeIntersection], *, alone: bool) -> list[bool]:
    """Which tables by sex and age may be published together. They count the same people,
    so their totals are margins of one another's: beside an exact total, the women and
    men shown give away the people of another gender, and a hidden age band is the total
    minus the others. A table with a hidden number is therefore only ever shown on its
    own; tables with nothing hidden may stand together.

    Beside Table 1 (``main``, the ethnicity analysis) only tables with nothing hidden are
    shown, and only when Table 1 and the splits hide nothing either. With no ethnicity
    (``alone``) the tables with nothing hidden are shown; when every table hides
    something, only the first (sex) is."""
    if not exact:
        return []
    if not alone:
        main_exact = main is None or (not main.any_hidden and not main.n_total.hidden)
        if not main_exact or any(x.any_hidden for x in splits):
            return [False] * len(exact)
        return list(exact)
    if any(exact):
        return list(exact)
    return [i == 0 for i in range(len(exact))]


def _part(analysis: Analysis, safe: SafeAnalysis, threshold: int) -> dict[str, Any]:
    info = analysis.comparator
    children = children_only(info.ages)
    rows = [_row(r, analysis.characteristic, children) for r in safe.rows]
    clear = [r for r in rows if r["shown"] and r["confidence"] == "significant"]
    concerns = [r for r in clear
                if r["band"] in ("over-represented", "under-represented", "not represented")]
    differences = [r for r in clear
                   if r["band"] in ("higher than expected", "lower than expected")]
    return {
        "by": analysis.characteristic,
        "withheld": False,
        "differences": differences,
        "chart": any(r["rri"] is not None for r in rows),
        "total": _count(safe.n_total),
        "name": NAMES[analysis.characteristic],
        "rows": rows,
        "concerns": concerns,
        "hidden": safe.any_hidden,
        "known": _count(safe.n_known),
        "not_known": _count(safe.n_not_known),
        "unknown": _count(safe.n_unknown),
        "other_gender": _count(_other_gender(analysis, threshold)),
        "comparator": {"title": info.title, "year": info.year, "ages": info.ages,
                       "geography": info.geography, "attribution": info.attribution},
    }


def _row(row: SafeRow, characteristic: str, children: bool) -> dict[str, Any]:
    return {**row.template_values(), "label": group_label(row.group, characteristic),
            "who": _who(row.group, characteristic, children)}


def _who(group: str, characteristic: str, children: bool) -> str:
    """How a sentence names the group: "girls", "men", "children aged 5 to 9"."""
    if characteristic == "sex":
        words = {"Female": ("girls", "women"), "Male": ("boys", "men")}.get(group)
        return words[0 if children else 1] if words else group.lower()
    people = "children" if children else "people"
    return f"{people} {group_label(group, characteristic).lower()}"


def children_only(ages: str) -> bool:
    """The comparator covers children only (ages up to 18), so "girls", not "women"."""
    found = [int(a) for a in re.findall(r"\d+", ages)]
    return bool(found) and max(found) <= 18 and "+" not in ages


def group_label(group: str, characteristic: str) -> str:
    """As a table or chart names the group: "Female" stays; an age band "5-9" reads
    "Aged 5 to 9", "65+" "Aged 65 and over"."""
    if characteristic != "age_band":
        return group
    return "Aged " + group.replace("-", " to ").replace("+", " and over")


def _other_gender(analysis: Analysis, threshold: int) -> SafeCount:
    """People of another gender, from the analysis's warning, protected like any count."""
    for warning in analysis.warnings:
        if warning.endswith(_OTHER_SUFFIX):
            return SafeCount.cell(int(warning.split(" ", 1)[0]), threshold)
    return SafeCount.exact(0)


def _count(count: SafeCount) -> dict[str, Any]:
    return {"value": count.value, "reason": count.reason, "low": count.low,
            "high": count.high}
