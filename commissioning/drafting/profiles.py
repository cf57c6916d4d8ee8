"""Service profiles: what a service is for decides which difference is the concern.

A service people should be able to reach (holiday food, youth work, mental health
support) has a concern when a group is under-represented: there may be a barrier. An
over-represented group there is first checked against need, never met by "removing
barriers". An intervention in people's lives (exclusion, youth justice, care) has its
concern the other way round. The profiles are in the editable ``service_profiles.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, cast

from commissioning.drafting.findings import ServiceKind
from commissioning.drafting.wording import load_data_file
from commissioning.errors import TemplateProblemError

PROFILES_FILE: Final = "service_profiles.json"
KINDS: Final = ("reach", "intervention")
MSG_BAD_KIND: Final = (
    "The service kind must be 'reach' (a service people should be able to reach) or "
    "'intervention' (a service that intervenes in people's lives); it was '{kind}'."
)


@dataclass(frozen=True)
class Profile:
    """The profile a section uses, and how it was chosen ("named", "matched", "default")."""

    key: str
    kind: ServiceKind
    chosen: str
    comparator: str = ""
    ages: str = ""


def choose_profile(
    service: str, kind: str | None = None, template: str | Path | None = None
) -> Profile:
    """``kind`` when given (--service-kind), else the profile whose phrase found in the
    service's name is longest, else the file's default kind."""
    data = load_data_file(PROFILES_FILE, template)
    profiles: list[dict[str, Any]] = list(data.get("profiles", []))
    if kind is not None:
        if kind not in KINDS:
            raise TemplateProblemError(MSG_BAD_KIND.format(kind=kind))
        return Profile(key=kind, kind=cast(ServiceKind, kind), chosen="named")
    name = " ".join(service.lower().split())
    best: tuple[int, dict[str, Any]] | None = None
    for entry in profiles:  # the longest phrase found wins: "youth justice" over "youth"
        for word in entry.get("match", ()):
            phrase = str(word).lower()
            if re.search(rf"(?<![a-z]){re.escape(phrase)}s?(?![a-z])", name) and (
                best is None or len(phrase) > best[0]
            ):
                best = (len(phrase), entry)
    if best is not None:
        entry = best[1]
        found = str(entry.get("kind", "reach"))
        if found not in KINDS:
            raise TemplateProblemError(MSG_BAD_KIND.format(kind=found))
        return Profile(
            key=str(entry.get("key", "")), kind=cast(ServiceKind, found), chosen="matched",
            comparator=str(entry.get("comparator", "")), ages=str(entry.get("ages", "")),
        )
    default = str(data.get("default", "reach"))
    if default not in KINDS:
        raise TemplateProblemError(MSG_BAD_KIND.format(kind=default))
    return Profile(key="default", kind=cast(ServiceKind, default), chosen="default")
