"""A section number chosen by the user (`draft --into REPORT --number 7`), put into the report.

Without a number the section continues the report's own numbering
(`commissioning.render.insert`). With one, the section's title is numbered with it, its
parts and numbered paragraphs follow from the title (7.1, 7.1.1) and so do its
cross-references ("Part 7.5 sets out the actions"), because `finish_numbers` works them
out from the number the title shows. How the title comes to show that number depends on
how the report numbers:

* Typed numbers ("7. Disproportionality Implications"): the number is typed. The report's
  later typed top-level headings that followed in sequence ("8. Carbon Impact", "9. ...")
  and their typed sub-numbers ("8.1") are renumbered to follow the chosen number.
* Word list numbering: the title is put in a new ``w:num`` of the same abstract list whose
  ``w:lvlOverride``/``w:startOverride`` starts the title's level at the chosen number, and
  the parts, numbered paragraphs and every later paragraph of the report's list move to
  that ``w:num`` too. A list's paragraphs in one ``w:num`` count on from one another in
  Word and in LibreOffice alike, so the title shows the chosen number and the later
  paragraphs continue from it, whatever the program does with two ``w:num`` of one
  abstract list (left in the old one, LibreOffice 7.4 lost the number of the numbered
  paragraph under the next heading). Typing the numbers instead
  would have left the report's later list-numbered headings counting as if the section
  were not there. Only a title whose list level prints its own number alone ("%1.") can
  be restarted so; any other (a level printing "%1.%2") is typed instead.

The number is a whole number from 1 to 99 (`parse_section_number`); a dotted number such
as 4.2 is not offered, since the section is always a top-level section of its report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, cast

from commissioning.errors import CommissioningError
from commissioning.render.wordlists import (
    TYPED_NUMBER,
    components,
    num_pr,
    paragraph_text,
    typed_number,
)

if TYPE_CHECKING:
    from commissioning.render.insert import Anchor, Host
    from commissioning.render.wordlayout import Layout

MAX_NUMBER: Final = 99
MSG_BAD_NUMBER: Final = (
    "The section number must be a whole number from 1 to 99, for example 7 (it was "
    "'{value}'). Give a number like that, or leave it out to follow the report's numbering."
)

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SHOWN_CHARS: Final = 20


class SectionNumberError(CommissioningError):
    """The section number asked for is not one a report can have."""


def parse_section_number(value: int | str) -> int:
    """The number a user gave ("7", " 7. ", 7) as an int from 1 to 99, else
    `SectionNumberError` with `MSG_BAD_NUMBER`."""
    text = str(value).strip()
    digits = text[:-1] if text.endswith(".") else text
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= MAX_NUMBER:
        return int(digits)
    shown = text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "..."
    raise SectionNumberError(MSG_BAD_NUMBER.format(value=shown))


@dataclass
class Renumbered:
    """The report's own headings given new numbers: (old, new) typed numbers."""

    headings: list[tuple[str, str]] = field(default_factory=list)


def choose_number(
    host: Host, anchor: Anchor, layout: Layout, number: int, *, before: Any = None
) -> Renumbered:
    """Number the section ``number`` in ``layout`` (and in the report's own heading, when
    the section goes under it); renumber the report's later headings to follow it.
    ``before`` is the report's last numbered top-level heading before the section (before
    the report's own Disproportionality Implications heading, when it goes under that)."""
    title = anchor.heading
    model = title if title is not None else before
    found = num_pr(model, host.lists) if model is not None else None
    if found is not None and _restartable(host, *found):
        new_num = restart_list(host.document, found[0], found[1], number)
        if title is not None:
            _set_num(title, new_num, found[1])
        else:
            layout.title_num = (new_num, found[1])
            layout.title_number = ""
        for attr in ("part_num", "para_num"):
            current = getattr(layout, attr)
            if current is not None and current[0] == found[0]:
                setattr(layout, attr, (new_num, current[1]))
        _move_later(host, anchor, found[0], new_num)
        return Renumbered()
    old = _typed_title(host, anchor, layout, number, before)
    if found is not None:  # a level that cannot show the number alone: typed instead
        layout.part_num = layout.para_num = None
        layout.suppress_style_numbers = True
        if title is not None:
            _set_num(title, "0", 0)
        else:
            layout.title_num = ("0", 0)  # no list number beside the typed one
    return _renumber_typed_after(host, anchor, old, number, before)


def _restartable(host: Host, num_id: str, ilvl: int) -> bool:
    level = host.lists.level(num_id, ilvl)
    if level is None or level.fmt != "decimal":
        return False
    return re.findall(r"%(\d)", level.text) == [str(ilvl + 1)]


def restart_list(document: Any, num_id: str, ilvl: int, start: int) -> str:
    """A new ``w:num`` of ``num_id``'s abstract list that starts level ``ilvl`` at
    ``start`` (its other level overrides kept, start overrides dropped); its numId."""
    from copy import deepcopy

    numbering = document.part.numbering_part.element
    nums = list(numbering.iter(_W + "num"))
    old = next(n for n in nums if n.get(_W + "numId") == num_id)
    new_id = str(max(int(n.get(_W + "numId") or 0) for n in nums) + 1)
    new = numbering.makeelement(_W + "num", {_W + "numId": new_id})
    abstract = old.find(_W + "abstractNumId")
    new.append(deepcopy(abstract))
    for override in old.findall(_W + "lvlOverride"):
        if override.find(_W + "lvl") is not None and override.get(_W + "ilvl") != str(ilvl):
            kept = deepcopy(override)
            for start_override in kept.findall(_W + "startOverride"):
                kept.remove(start_override)
            new.append(kept)
    override = new.makeelement(_W + "lvlOverride", {_W + "ilvl": str(ilvl)})
    override.append(override.makeelement(_W + "startOverride", {_W + "val": str(start)}))
    new.append(override)
    nums[-1].addnext(new)  # every w:num comes after every w:abstractNum
    return new_id


def _set_num(p: Any, num_id: str, ilvl: int) -> None:
    from docx.text.paragraph import Paragraph

    from commissioning.render import wordparts

    wordparts.set_numbering(Paragraph(p, cast(Any, None)), num_id, ilvl)


def _move_later(host: Host, anchor: Anchor, old_num: str, new_num: str) -> None:
    """Every later paragraph of list ``old_num`` counts on in ``new_num``, at its level."""
    later = False
    for p in host.document.element.body.iter(_W + "p"):
        if p is anchor.at:
            later = True
            continue
        found = num_pr(p, host.lists) if later else None
        if found is not None and found[0] == old_num:
            _set_num(p, new_num, found[1])


def _typed_title(host: Host, anchor: Anchor, layout: Layout, number: int, before: Any) -> str:
    """Type ``number`` on the title; the typed number it had, if any."""
    title = anchor.heading
    if title is None:
        typed = typed_number(layout.title_number) if layout.title_number else None
        layout.title_num = None
        layout.title_number = f"{number}{typed[1]}{typed[2]}" if typed else f"{number}. "
        old = typed_number(host.text(before)) if before is not None else None
        return str(int(old[0]) + 1) if old and old[0].isdigit() else ""
    match = TYPED_NUMBER.match(paragraph_text(title))
    if match is None:
        _retype(title, 0, 0, f"{number}. ")
        return ""
    _retype(title, match.start(1), match.end(1), str(number))
    return match.group(1)


def _retype(p: Any, start: int, end: int, new: str) -> None:
    """Replace characters ``start:end`` of ``p``'s text (within its w:t) with ``new``."""
    offset, placed = 0, False
    texts = []
    for element in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        if element.tag != _W + "t":
            offset += 1
            continue
        text = element.text or ""
        lo, hi = max(start - offset, 0), min(end - offset, len(text))
        if lo <= len(text) and hi >= lo and not placed:
            element.text = text[:lo] + new + text[hi:]
            placed = True
        elif lo < hi:
            element.text = text[:lo] + text[hi:]
        offset += len(text)
        texts.append(element)
    for element in texts:
        if element.text and element.text != element.text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    if not placed:  # no text at all: the number is all there is
        from docx.text.paragraph import Paragraph

        Paragraph(p, cast(Any, None)).add_run(new)


def _renumber_typed_after(
    host: Host, anchor: Anchor, old: str, number: int, before: Any
) -> Renumbered:
    """Renumber the typed top-level headings after the section, and their typed
    sub-numbers, to follow ``number``: the first one after it that carries on from the
    headings before the section (a higher number than theirs), and each one after that
    in sequence with it (8, 9, 10 ...). An appendix numbered afresh ends the run."""
    done = Renumbered()
    typed_before = typed_number(host.text(before)) if before is not None else None
    floor = int(typed_before[0]) if typed_before and typed_before[0].isdigit() else 0
    start = host.paragraphs.index(anchor.at) + 1
    current = (old, str(number)) if old else None  # paragraphs under the title itself
    expected: int | None = None
    following = number + 1
    for p in host.paragraphs[start:]:
        if p in host.shown or p in anchor.remove:
            continue
        match = TYPED_NUMBER.match(host.text(p))
        if match is None:
            continue
        parts = components(match.group(1))
        if len(parts) == 1 and host.is_heading(p):
            value = int(parts[0])
            if value != expected and (expected is not None or value <= floor):
                break  # not the sequence the section is in
            expected = value + 1
            current = (parts[0], str(following))
            following += 1
            if current[0] != current[1]:
                _retype(p, match.start(1), match.end(1), current[1])
                done.headings.append(current)
        elif len(parts) > 1 and current is not None and parts[0] == current[0] and \
                current[0] != current[1]:
            _retype(p, match.start(1), match.start(1) + len(parts[0]), current[1])
    return done
