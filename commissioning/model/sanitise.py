"""Make provider-supplied text safe to write into our own outputs.

Every label, sheet name or free-text value that came from a provider file and goes into
an xlsx, csv, HTML or terminal output passes through here:

* `neutralise_formula`: text starting with ``= + - @`` or a tab / carriage return / line
  feed would run as a formula when a council officer opens our CSV or workbook in Excel
  ("CSV injection", OWASP); we prefix it with an apostrophe so it shows as text. Plain
  numbers such as "-5" cannot run and are left alone.
* `strip_control_characters`: NUL, escape sequences (which can rewrite a terminal), other
  C0/C1 controls and Unicode bidirectional overrides (which can make text display in a
  misleading order) are removed.
* `escape_html`: for HTML output; quotes are escaped too, so text is safe in attributes.
"""

from __future__ import annotations

import html
import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: what `neutralise_formula` puts in front of a would-be formula
FORMULA_GUARD = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?%?")

_CONTROL = {
    *range(0x00, 0x09),
    0x0B,
    0x0C,
    *range(0x0E, 0x20),
    0x7F,
    *range(0x80, 0xA0),  # C1 controls
    0x200E,  # left-to-right mark
    0x200F,  # right-to-left mark
    *range(0x202A, 0x202F),  # embeddings and overrides
    *range(0x2066, 0x206A),  # isolates
    0xFEFF,  # byte-order mark / zero-width no-break space
}
_KEEP_LAYOUT = dict.fromkeys(_CONTROL)
_ONE_LINE = dict.fromkeys(_CONTROL | {0x09, 0x0A, 0x0D})


def strip_control_characters(text: str, *, keep_layout: bool = True) -> str:
    """Remove control and bidi-override characters. Tabs and line breaks are kept unless
    ``keep_layout`` is False (then they are removed too)."""
    return text.translate(_KEEP_LAYOUT if keep_layout else _ONE_LINE)


def neutralise_formula(text: str) -> str:
    """Prefix an apostrophe when a spreadsheet would treat ``text`` as a formula."""
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return FORMULA_GUARD + text
    return text


def escape_html(text: str) -> str:
    """Control characters removed, then ``& < > " '`` escaped for HTML text or attributes."""
    return html.escape(strip_control_characters(text), quote=True)


def safe_cell(text: str) -> str:
    """Provider text for an xlsx or csv cell: controls stripped, formulas neutralised."""
    return neutralise_formula(strip_control_characters(text))


#: longest sheet name shown in a message (Excel's own limit is 31 characters)
MAX_NAME_SHOWN = 60


def display_name(name: str) -> str:
    """A provider-chosen name (a sheet's) fit for a one-line message: controls and line
    breaks removed, whitespace collapsed, very long names shortened."""
    clean = " ".join(strip_control_characters(name).split())
    return clean if len(clean) <= MAX_NAME_SHOWN else clean[: MAX_NAME_SHOWN - 3] + "..."
