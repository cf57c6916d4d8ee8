"""Answers that mean "we do not know", shared by every dimension.

A not-known answer is kept and counted (it shows how complete a return is) but is never
put in a group. Keys are matching keys (see `text.label_key`): lower-case letters and
digits only, so "Prefer not to say", "prefer-not-to-say" and "PREFER NOT TO SAY" all match.
"""

from __future__ import annotations

from typing import Final

from commissioning.classify.text import label_key

#: Written forms of "not known". Blank cells, "-", "?" and "." reduce to the empty key.
NOT_KNOWN_WORDINGS: Final[tuple[str, ...]] = (
    "",
    "Not known",
    "Unknown",
    "NK",
    "N/K",
    "Not stated",
    "Not given",
    "Not provided",
    "Not recorded",
    "Not collected",
    "Not asked",
    "Not obtained",
    "Not yet obtained",
    "Information not yet obtained",
    "Information not obtained",
    "Not disclosed",
    "Undisclosed",
    "Not declared",
    "Undeclared",
    "Withheld",
    "Refused",
    "Refusal",
    "Declined",
    "Declined to say",
    "Declined to answer",
    "Prefer not to say",
    "Preferred not to say",
    "Prefers not to say",
    "Prefer not to answer",
    "Would rather not say",
    "Rather not say",
    "Don't know",
    "Do not know",
    "Unclassified",
    "Not classified",
    "Missing",
    "Blank",
    "N/A",
    "NA",
    "Not applicable",
    "Does not apply",
    "Not specified",
    "Unspecified",
    "Unknown/not stated",
    "Not known/not stated",
    "Not stated/not known",
    "Refused/not obtained",
    "Refused or not obtained",
    "Refused/information not yet obtained",
    "Not known or refused",
)

NOT_KNOWN_KEYS: Final[frozenset[str]] = frozenset(label_key(w) for w in NOT_KNOWN_WORDINGS)
