"""A date typed by a person: the ``--as-of`` option and the web form's "ages as of" field.

Kept out of the command line so the web page (and any script) reads dates exactly as
`commissioning check --as-of` does, without depending on click.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

_UK_DATE: Final = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_typed_date(value: str) -> dt.date:
    """UK dd/mm/yyyy or ISO yyyy-mm-dd; `ValueError` for anything else or no such day."""
    text = value.strip()
    match = _UK_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)
