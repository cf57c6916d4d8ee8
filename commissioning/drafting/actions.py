"""Which actions answer which findings, and what the author is told but not the reader.

The action library (``draft_actions.json``) is matched to the findings in the order the
section lists them; an action naming ``service_kinds`` suits only those kinds of service.
Anything addressed to the officer drafting the report (numbers to check in the internal
analysis, placeholders to fill, the kind of service chosen) becomes a note for the
author (`Section.author_notes`), never part of the published section.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from commissioning.drafting.findings import Findings
from commissioning.drafting.profiles import Profile
from commissioning.model.bands import Status


def action_groups(
    findings: Findings, library: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Which library actions answer which findings, in the order the section lists them.
    An action naming ``service_kinds`` applies only to those kinds of service."""

    def pick(kind: str) -> list[Mapping[str, Any]]:
        return [
            a for a in library
            if kind in a.get("applies_to", ())
            and findings.service_kind in a.get("service_kinds", (findings.service_kind,))
        ]

    plan: list[tuple[str, list[str]]]
    if findings.status in (Status.UNRELIABLE, Status.TOO_SMALL):
        plan = [(findings.status, [])]
    else:
        plan = [(item.direction, [item.group]) for item in findings.concerns]
        if findings.differences:
            plan.append(("difference", [i.group for i in findings.differences]))
        if findings.indicative:
            plan.append(("indicative", [i.group for i in findings.indicative]))
        if findings.status in (Status.NO_CONCERN, Status.DIFFERENCE):
            plan.append(("none", []))
    return [
        {"kind": kind, "groups": groups, "items": pick(kind)}
        for kind, groups in plan
        if pick(kind)
    ]


#: Notes for the author (`Section.author_notes`), never published.
NOTE_HIDDEN: Final = (
    "Numbers for {groups} are too small to publish. Check them in the internal analysis "
    "(commissioning analyse, not for publication) before the decision is made."
)
NOTE_PLACEHOLDERS: Final = (
    "Name an owner and a review date for each action in the Implications and actions "
    "part: the section leaves them out until the action library gives them."
)
NOTE_KIND: Final = (
    "The section treats {service} as {kind_words} (from {how}). If that is wrong, draft "
    "again with --service-kind {other}. The comparison that fits best is usually {comparator}."
)
_KIND_WORDS: Final = {
    "reach": "a service people should be able to reach",
    "intervention": "a service that intervenes in people's lives",
}


def author_notes(
    findings: Findings, library: Sequence[Mapping[str, Any]], profile: Profile,
    service: str = "the service",
) -> tuple[str, ...]:
    """What the officer should check or fill in before the report goes out."""
    notes = []
    if findings.hidden:
        names = ", ".join(h.group for h in findings.hidden)
        notes.append(NOTE_HIDDEN.format(groups=names))
    used = {k for g in action_groups(findings, library) for k in [g["kind"]]}
    if any(_placeholder(a.get("owner")) or _placeholder(a.get("review"))
           for a in library if set(a.get("applies_to", ())) & used):
        notes.append(NOTE_PLACEHOLDERS)
    if profile.chosen != "named":
        other = "intervention" if profile.kind == "reach" else "reach"
        how = "its name" if profile.chosen == "matched" else "the default"
        notes.append(NOTE_KIND.format(
            service=service, kind_words=_KIND_WORDS[profile.kind], how=how, other=other,
            comparator=profile.comparator or "the resident population of the ages served"))
    return tuple(notes)


def _placeholder(value: object) -> bool:
    """An owner or date still to be filled in: empty, or a [bracketed] prompt."""
    text = str(value or "").strip()
    return not text or (text.startswith("[") and text.endswith("]"))
