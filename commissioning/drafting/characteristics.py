"""The "Sex and age" part of the section: the service compared by sex and by age band.

Each `Analysis` from `commissioning.analysis.characteristic.analyse_characteristic`
goes through `make_safe` first, exactly as the ethnicity analysis does, and only its
results reach the template ``templates/draft_characteristics.txt.j2`` (included by the
section template): a count of 1 to 4 arrives as none, with the reason "small". When the
return has no gender or no age column, the part says what to ask the provider for.
"""

from __future__ import annotations

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
) -> dict[str, Any]:
    """The template's ``characteristics`` value: ``shown`` (whether the part appears),
    ``parts`` (one per analysis, small numbers suppressed), ``missing`` (what the return
    does not record: "sex", "age") and ``withheld`` (the tables are left out, see
    `_combines_safely`)."""
    ordered = sorted(analyses, key=lambda a: list(NAMES).index(a.characteristic))
    safes = [make_safe(a, threshold=threshold) for a in ordered]
    parts = [_part(a, s, threshold) for a, s in zip(ordered, safes, strict=True)]
    withheld = bool(parts) and not _combines_safely(ordered, safes, main, splits, threshold)
    if withheld:
        parts = [{"by": p["by"], "name": p["name"]} for p in parts]
    missing = []
    if source_return is not None and analyses:
        counts = source_return.counts
        missing = [name for dim, name in NAMES.items()
                   if not counts.has(dim) and dim not in source_return.marginals]
    return {"shown": bool(parts), "parts": parts, "missing": missing,
            "names": [p["name"] for p in parts], "withheld": withheld}


def _combines_safely(
    analyses: Sequence[Analysis],
    safes: Sequence[SafeAnalysis],
    main: SafeAnalysis | None,
    splits: Sequence[SafeIntersection],
    threshold: int,
) -> bool:
    """Whether the tables by sex and age can stand beside Table 1 and the splits. They
    count the same people, so their totals are margins of the same tables: Table 1's
    total minus women and men gives the people of another gender or none recorded, and
    a split's hidden row can be rebuilt from the women in it. The tables are shown only
    when nothing is hidden anywhere, so every margin they share is exact and nothing is
    left to work out."""
    parts_exact = all(
        not s.any_hidden and not s.n_total.hidden and not s.n_unknown.hidden
        and not _other_gender(a, threshold).hidden
        for a, s in zip(analyses, safes, strict=True)
    )
    main_exact = main is None or (not main.any_hidden and not main.n_total.hidden)
    return parts_exact and main_exact and not any(x.any_hidden for x in splits)


def _part(analysis: Analysis, safe: SafeAnalysis, threshold: int) -> dict[str, Any]:
    info = analysis.comparator
    rows = [_row(r, analysis.characteristic) for r in safe.rows]
    concerns = [r for r in rows if r["shown"] and r["confidence"] == "significant"
                and r["band"] in ("over-represented", "under-represented", "not represented")]
    return {
        "by": analysis.characteristic,
        "name": NAMES[analysis.characteristic],
        "rows": rows,
        "concerns": concerns,
        "hidden": safe.any_hidden,
        "known": _count(safe.n_known),
        "not_known": _count(safe.n_not_known),
        "other_gender": _count(_other_gender(analysis, threshold)),
        "comparator": {"title": info.title, "year": info.year, "ages": info.ages,
                       "geography": info.geography, "attribution": info.attribution},
    }


def _row(row: SafeRow, characteristic: str) -> dict[str, Any]:
    return {**row.template_values(), "label": _label(row.group, characteristic)}


def _label(group: str, characteristic: str) -> str:
    """"Female" stays; an age band "5-9" reads "Aged 5 to 9", "65+" "Aged 65 and over"."""
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
