"""Start-up check: XML must be parsed through defusedxml, or not at all.

openpyxl protects against entity-expansion bombs and external entities only when
defusedxml is importable, and silently falls back to the unsafe standard library parser
otherwise. A missing or broken install must stop reading, not weaken it.
"""

from __future__ import annotations

import functools
import importlib

from commissioning.errors import UnreadableFileError

MSG_NO_DEFUSEDXML = (
    "Files cannot be read safely because the 'defusedxml' package is missing or not in use. "
    "Reinstall commissioning (pip install --force-reinstall commissioning) and try again."
)


@functools.cache
def defused_xml_in_use() -> bool:
    """True when defusedxml imports and openpyxl reports that it uses it."""
    try:
        importlib.import_module("defusedxml.ElementTree")
        openpyxl = importlib.import_module("openpyxl")
    except ImportError:
        return False
    return bool(getattr(openpyxl, "DEFUSEDXML", False))


def require_defused_xml() -> None:
    """Raise `UnreadableFileError` unless XML parsing is defused (checked once per process)."""
    if not defused_xml_in_use():
        raise UnreadableFileError(MSG_NO_DEFUSEDXML)
