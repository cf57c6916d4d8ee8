"""Provider-chosen text made safe for every document we write.

File, folder, sheet and service names and cell labels reach a section's headings,
paragraphs, tables and audit trail. A control character or terminal escape (an OSC
title sequence, say) would be written into a Markdown or HTML file, and python-docx and
openpyxl refuse such characters outright (one odd folder name stopped `batch` writing its
portfolio). Every renderer therefore starts from `clean_section`.
"""

from __future__ import annotations

import dataclasses

from commissioning.drafting.section import (
    Audit,
    Block,
    BulletList,
    Chart,
    Heading,
    Paragraph,
    Section,
    Table,
)
from commissioning.model.sanitise import strip_control_characters


def clean_text(text: str) -> str:
    """``text`` without control, escape or bidi-override characters (tabs and line breaks,
    which documents may hold, are kept)."""
    return strip_control_characters(str(text))


def clean_section(section: Section) -> Section:
    """A copy of ``section`` whose every text is `clean_text`-ed."""
    return dataclasses.replace(
        section,
        title=clean_text(section.title),
        authority=clean_text(section.authority),
        service=clean_text(section.service),
        blocks=tuple(_block(block) for block in section.blocks),
        audit=Audit(tuple((clean_text(k), clean_text(v)) for k, v in section.audit.items)),
    )


def _block(block: Block) -> Block:
    if isinstance(block, Heading | Paragraph):
        return dataclasses.replace(block, text=clean_text(block.text))
    if isinstance(block, BulletList):
        return BulletList(tuple(clean_text(item) for item in block.items))
    if isinstance(block, Table):
        return dataclasses.replace(
            block,
            columns=tuple(clean_text(c) for c in block.columns),
            rows=tuple(tuple(clean_text(c) for c in row) for row in block.rows),
            caption=clean_text(block.caption),
        )
    if isinstance(block, Chart):
        caption, alt = clean_text(block.caption), clean_text(block.alt)
        return dataclasses.replace(block, caption=caption, alt=alt)
    return block
