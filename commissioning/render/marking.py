"""How every output says what it is: published, or internal and not for publication.

Outputs holding unprotected counts (the analysis tables, workbooks, the audit record)
carry `MARKING` on their face: first line, sheet print header, file properties. The
drafted section and `--publishable` outputs carry small-number protection instead.
"""

from __future__ import annotations

from typing import Any, Final

#: Government Security Classifications marking for internal outputs.
MARKING: Final = "OFFICIAL-SENSITIVE: not for publication"
#: Why, in a line, after the marking.
MARKING_WHY: Final = "it holds unprotected counts, some of them small enough to identify a family"
#: The line that opens a csv or text output.
MARKING_LINE: Final = f"# {MARKING} ({MARKING_WHY})."
#: The line that opens a `--publishable` output.
PUBLISHABLE_LINE: Final = (
    "# Publishable: counts from 1 to {limit} are hidden and every figure is worked out from "
    "the counts shown (docs/methodology.md, Small numbers)."
)


def mark_workbook(book: Any, marking: str = MARKING) -> None:
    """File properties and every sheet's printed header carry ``marking``."""
    props = book.properties
    props.keywords = props.category = marking
    props.subject = f"{marking}: {MARKING_WHY}" if marking == MARKING else marking
    for sheet in book.worksheets:
        sheet.oddHeader.center.text = marking
        sheet.evenHeader.center.text = marking
        sheet.firstHeader.center.text = marking
