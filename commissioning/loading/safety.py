"""Start-up check: XML must be parsed through defusedxml, or not at all.

openpyxl protects against entity-expansion bombs and external entities only when
defusedxml is importable, and silently falls back to the unsafe standard library parser
otherwise. A missing or broken install must stop reading, not weaken it.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys

from commissioning.errors import UnreadableFileError

MSG_NO_DEFUSEDXML = (
    "Files cannot be read safely because the 'defusedxml' package is missing or not in use. "
    "Reinstall commissioning (pip install --force-reinstall commissioning) and try again."
)


@functools.cache
def defused_xml_in_use() -> bool:
    """True when defusedxml imports and openpyxl, if loaded, reports that it uses it.

    Importing openpyxl only to ask costs 0.1 s of every read, and provider files are
    never parsed by openpyxl (calamine reads them; openpyxl only writes our own files).
    So when openpyxl is not loaded yet, the same two conditions openpyxl itself checks
    at import are checked here (defusedxml imports; ``OPENPYXL_DEFUSEDXML`` is not
    turned off), and openpyxl's own flag is asked whenever it is loaded.
    """
    try:
        importlib.import_module("defusedxml.ElementTree")
    except ImportError:
        return False
    openpyxl = sys.modules.get("openpyxl")
    if openpyxl is not None:
        return bool(getattr(openpyxl, "DEFUSEDXML", False))
    return os.environ.get("OPENPYXL_DEFUSEDXML", "True") == "True"


def require_defused_xml() -> None:
    """Raise `UnreadableFileError` unless XML parsing is defused (checked once per process)."""
    if not defused_xml_in_use():
        raise UnreadableFileError(MSG_NO_DEFUSEDXML)
