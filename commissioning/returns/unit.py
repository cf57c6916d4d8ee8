"""What a return counts: people, families, referrals, episodes ...

A counts table's count column says what each number is ("Number of families",
"Referrals", "Episodes of care"); the drafted section uses that word, so it never calls
40 referrals "40 people". A sheet of one row per person counts people.
"""

from __future__ import annotations

import re
from typing import Final

DEFAULT_UNIT: Final = "people"
#: (word in the heading, what the section calls the things counted), first match wins.
UNITS: Final = (
    ("famil", "families"),
    ("household", "households"),
    ("referral", "referrals"),
    ("episode", "episodes"),
    ("case", "cases"),
    ("young people", "young people"),
    ("young person", "young people"),
    ("child", "children"),
    ("pupil", "pupils"),
    ("parent", "parents"),
    ("carer", "carers"),
    ("attendee", "attendees"),
    ("participant", "participants"),
    ("learner", "learners"),
    ("adult", "adults"),
)


def counting_unit(heading: str | None) -> str:
    """The plural noun for what a count column counts; "people" when it does not say."""
    text = " ".join(re.sub(r"[^a-z ]", " ", str(heading or "").lower()).split())
    for word, unit in UNITS:
        if word in text:
            return unit
    return DEFAULT_UNIT
