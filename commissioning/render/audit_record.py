"""The internal audit record written beside every drafted section.

The published section carries no fingerprint of the input file (hashing candidate files
of a small return would find the true one, and with it every count) and no file or
sheet names (providers choose them). They go here instead: a JSON file the officer keeps
with the decision papers, marked on its face as not for publication.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from commissioning.drafting.section import Section
from commissioning.outputs import write_atomic
from commissioning.render.marking import MARKING

#: ``section.docx`` -> ``section.audit.json``.
AUDIT_NAME: Final = "{stem}.audit.json"
NOTE: Final = (
    "Internal audit record for the drafted section named below. It identifies the input "
    "file, so keep it with the decision papers and do not publish it."
)


def audit_record(section: Section, published: str) -> str:
    """The record as JSON text: the marking, what it belongs to, every audit item."""
    items = dict(section.audit.items)
    record = {
        "classification": MARKING,
        "note": NOTE,
        "section": published,
        "service": section.service,
        "authority": section.authority,
        "input_file": items.pop("input_file", ""),
        "sha256": items.pop("sha256", ""),
        "sheet": items.pop("sheet", ""),
        "audit": items,
        "notes_for_the_author": list(section.author_notes),
    }
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def audit_path(target: Path) -> Path:
    return target.with_name(AUDIT_NAME.format(stem=target.stem))


def write_audit_record(section: Section, target: Path) -> Path:
    """Write the record for the section written at ``target``; the path written."""
    return write_atomic(audit_path(target), audit_record(section, target.name))
