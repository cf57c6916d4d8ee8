"""Putting the section into a council's own decision report, as if written there.

The section goes at a ``{{ disproportionality_implications }}`` paragraph, or under an
existing "Disproportionality Implications" heading (whose placeholder text, such as
"[To be completed by the commissioner]", it replaces). It continues the report's
numbering, typed or Word's own lists (`commissioning.render.wordlists`), in the report's
own heading and numbered-paragraph styles; its captions continue the report's count of
tables and figures; its chart fits the report's text width. A section number the user
chooses instead (``number=7``, `draft --number 7`) is put in by
`commissioning.render.sectionnumber`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from commissioning.drafting.section import Chart, Section, Table, caption_parts
from commissioning.errors import TemplateProblemError, UnreadableFileError
from commissioning.outputs import write_atomic
from commissioning.render.sectionnumber import Renumbered, choose_number, parse_section_number
from commissioning.render.wordlayout import Layout, finish_numbers, write_blocks
from commissioning.render.wordlists import (
    Lists,
    components,
    list_numbers,
    num_pr,
    paragraph_text,
    read_lists,
    style_id,
    typed_number,
)

PLACEHOLDER: Final = re.compile(r"\{\{\s*disproportionality_implications\s*\}\}", re.IGNORECASE)
HEADING_TEXT: Final = re.compile(r"disproportionality\s+implications", re.IGNORECASE)
# A paragraph that is only the heading's words, in a council style that is not "Heading N".
HEADING_ALONE: Final = re.compile(
    r"\s*(\d+(?:\.\d+)*\.?\s+)?disproportionality\s+implications\s*:?\s*", re.IGNORECASE
)
# Text a report template leaves for the author: "[To be completed by the commissioner]".
BRACKETED: Final = re.compile(r"\s*(\d+(?:\.\d+)*\.?\s+)?\[[^\]]*\]\s*")
# A caption already in the report: "Table 3: ...", "Figure 2 - ...".
_PLAIN_CAPTION: Final = r"\s*{label}\s+(\d+)\b"

MSG_NO_ANCHOR = (
    "{name} has no '{{{{ disproportionality_implications }}}}' paragraph and no "
    "'Disproportionality Implications' heading. Add one of them where the section should go."
)
MSG_NOT_DOCX = (
    "{name} could not be opened as a Word document. Save it as .docx (Word 2007 or later) "
    "and try again."
)

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(path: Path) -> Any:
    import docx

    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFileError(MSG_NOT_DOCX.format(name=path.name)) from exc
    except Exception as exc:  # python-docx raises its own errors for non-Word zips
        if type(exc).__name__ in ("PackageNotFoundError", "InvalidXmlError"):
            raise UnreadableFileError(MSG_NOT_DOCX.format(name=path.name)) from exc
        raise


@dataclass
class Host:
    """What the report says about itself: its paragraphs, numbers and styles."""

    document: Any
    lists: Lists
    paragraphs: list[Any]  # body-level w:p elements, in order
    shown: dict[Any, tuple[str, int]] = field(default_factory=dict)  # list numbers

    def text(self, p: Any) -> str:
        return paragraph_text(p)

    def style_name(self, p: Any) -> str:
        sid = style_id(p, self.lists)
        return self.lists.style_names.get(sid, sid)

    def heading_level(self, p: Any) -> int | None:
        """1-9 for a heading (Word's or a council style named like one), else None."""
        name = self.style_name(p)
        match = re.search(r"heading\s*(\d)", name, re.IGNORECASE)
        if match:
            return int(match.group(1))
        if name.lower() == "title":
            return 0
        if "heading" in name.lower():  # a council's own "Section Heading" style
            return 1
        level = self._outline(p)
        return None if level is None else level + 1

    def _outline(self, p: Any) -> int | None:
        ppr = p.find(_W + "pPr")
        found = ppr.find(_W + "outlineLvl") if ppr is not None else None
        if found is None:
            style = self.document.styles.element.find(
                f"{_W}style[@{_W}styleId='{style_id(p, self.lists)}']"
            )
            found = style.find(f"{_W}pPr/{_W}outlineLvl") if style is not None else None
        value = found.get(_W + "val") if found is not None else None
        return int(value) if value is not None and value.isdigit() and int(value) < 9 else None

    def is_heading(self, p: Any) -> bool:
        return self.heading_level(p) is not None or bool(HEADING_ALONE.fullmatch(self.text(p)))

    def number(self, p: Any) -> str:
        """The number a reader sees on ``p``: Word's list number, else a typed one."""
        if p in self.shown:
            return self.shown[p][0].strip()
        typed = typed_number(self.text(p))
        return typed[0] if typed else ""


def _read_host(document: Any) -> Host:
    lists = read_lists(document)
    body = document.element.body
    paragraphs = [p for p in body if p.tag == _W + "p"]
    host = Host(document, lists, paragraphs)
    host.shown = {p: (t, lv) for p, t, lv in list_numbers(body.iter(_W + "p"), lists)}
    return host


@dataclass
class Anchor:
    at: Any  # the paragraph the section goes after (or replaces)
    heading: Any  # the report's own Disproportionality Implications heading, if any
    remove: list[Any]  # placeholder paragraphs to take out


def _find_anchor(host: Host, name: str) -> Anchor:
    paragraphs = host.paragraphs
    for i, p in enumerate(paragraphs):
        if PLACEHOLDER.search(host.text(p)):
            before = next((q for q in reversed(paragraphs[:i]) if host.text(q).strip()), None)
            heading = before if before is not None and host.is_heading(before) and \
                HEADING_TEXT.search(host.text(before)) else None
            remove = [p] + (_placeholders(host, heading) if heading is not None else [])
            return Anchor(p, heading, list(dict.fromkeys(remove)))
    for p in paragraphs:
        text = host.text(p)
        if (host.heading_level(p) is not None and HEADING_TEXT.search(text)) or \
                HEADING_ALONE.fullmatch(text):
            return Anchor(p, p, _placeholders(host, p))
    raise TemplateProblemError(MSG_NO_ANCHOR.format(name=name))


def _placeholders(host: Host, heading: Any) -> list[Any]:
    """Paragraphs under ``heading`` (up to the next heading) left for the author to fill."""
    start = host.paragraphs.index(heading) + 1
    found = []
    for p in host.paragraphs[start:]:
        if host.is_heading(p):
            break
        text = host.text(p)
        if BRACKETED.fullmatch(text) or PLACEHOLDER.search(text):
            found.append(p)
    return found


def _layout(host: Host, anchor: Anchor, labels: set[str]) -> Layout:
    """The styles and numbering the section takes from the report."""
    layout = Layout(text_width_cm=_text_width(host, anchor.at))
    if anchor.heading is not None:
        layout.include_title = False
        layout.title_element = anchor.heading
        layout.title_level = max(host.heading_level(anchor.heading) or 1, 1)
        model = anchor.heading
    else:
        model = _previous_top_heading(host, anchor.at)
        if model is not None:
            layout.title_style = host.style_name(model)
            layout.title_level = max(host.heading_level(model) or 1, 1)
            _number_title_after(host, model, layout)
    title_list = num_pr(model, host.lists) if model is not None else None
    if title_list is not None:
        num_id, ilvl = title_list
        if host.lists.decimal_level(num_id, ilvl + 1):
            layout.part_num = (num_id, ilvl + 1)
        if host.lists.decimal_level(num_id, ilvl + 2):
            layout.para_num = (num_id, ilvl + 2)
    layout.part_style = _style_like(host, levels=2, heading=True) or \
        f"Heading {min(layout.title_level + 1, 9)}"
    para_style = _style_like(host, levels=3, heading=False) or \
        _style_like(host, levels=2, heading=False)
    default = host.lists.style_names.get(host.lists.default_style, "Normal")
    layout.para_style = None if para_style == default else para_style
    layout.suppress_style_numbers = any(
        _style_numbers(host, name) for name in (layout.part_style, layout.para_style)
    )
    _caption_counts(host, anchor.at, layout, labels)
    return layout


def _style_numbers(host: Host, name: str | None) -> bool:
    """Whether a paragraph in this style is list-numbered by the style itself."""
    sid = next((i for i, n in host.lists.style_names.items() if n == name), None)
    seen: set[str] = set()
    while sid and sid not in seen:
        seen.add(sid)
        if sid in host.lists.style_num:
            return host.lists.style_num[sid][0] != "0"
        sid = host.lists.style_based.get(sid)
    return False


def _previous_top_heading(host: Host, at: Any) -> Any:
    """The last numbered top-level heading before ``at`` ("6. Equality Implications")."""
    index = host.paragraphs.index(at)
    for p in reversed(host.paragraphs[:index]):
        if host.is_heading(p) and len(components(host.number(p))) == 1:
            return p
    return None


def _number_title_after(host: Host, model: Any, layout: Layout) -> None:
    """Number the new title one on from ``model``, the same way ``model`` is numbered."""
    found = num_pr(model, host.lists)
    if found is not None:
        own = model.find(f"{_W}pPr/{_W}numPr")
        if own is not None:  # numbered directly, not through its style: do the same
            layout.title_num = found
        return
    typed = typed_number(host.text(model))
    if typed is not None and typed[0].isdigit():
        layout.title_number = f"{int(typed[0]) + 1}{typed[1]}{typed[2]}"


def _style_like(host: Host, *, levels: int, heading: bool) -> str | None:
    """The style of the report's own numbered headings or paragraphs at this depth."""
    for p in host.paragraphs:
        if host.is_heading(p) == heading and len(components(host.number(p))) == levels:
            name = host.style_name(p)
            if not PLACEHOLDER.search(host.text(p)):
                return name
    return None


def _text_width(host: Host, at: Any) -> float:
    """Page width less margins (cm) of the part of the report the section goes in."""
    sections = list(host.document.sections)
    index = 0
    for p in host.paragraphs[: host.paragraphs.index(at)]:
        if p.find(f"{_W}pPr/{_W}sectPr") is not None:
            index += 1
    sect = sections[min(index, len(sections) - 1)]
    try:
        width = sect.page_width - sect.left_margin - sect.right_margin - (sect.gutter or 0)
        return float(width) / 360000
    except TypeError:  # a section with no page size given: Word's default
        return 21.0 - 2 * 2.54


def _caption_counts(host: Host, at: Any, layout: Layout, labels: set[str]) -> None:
    """Tables and figures numbered before ``at``, by SEQ field or typed "Table 3"."""
    body = host.document.element.body
    for label in labels:
        seq = re.compile(rf"\bSEQ\s+{re.escape(label)}\b", re.IGNORECASE)
        fields, typed = 0, 0
        for element in _elements_before(body, at):
            instr = "".join(i.text or "" for i in element.iter(_W + "instrText"))
            instr += " ".join(f.get(_W + "instr") or "" for f in element.iter(_W + "fldSimple"))
            found = len(seq.findall(instr))
            fields += found
            if not found:
                match = re.match(_PLAIN_CAPTION.format(label=re.escape(label)),
                                 host.text(element), re.IGNORECASE)
                if match and len(host.text(element)) < 400:
                    typed = max(typed, int(match.group(1)))
        layout.seq_start[label] = max(fields, typed) + 1
        if typed > fields:
            layout.seq_restart.add(label)


def _elements_before(body: Any, at: Any) -> list[Any]:
    """Every paragraph (in tables too) before ``at`` in reading order."""
    out = []
    for p in body.iter(_W + "p"):
        if p is at:
            break
        out.append(p)
    return out


@dataclass(frozen=True)
class Inserted:
    """The report written, and the report's own headings renumbered: (old, new) numbers."""

    path: Path
    renumbered: tuple[tuple[str, str], ...] = ()


def insert_into(
    section: Section, report: Path | str, out: Path | str, *, number: int | str | None = None
) -> Path:
    """Write a copy of ``report`` with the section inserted; ``report`` is not changed.

    ``number`` (1 to 99) numbers the section so, instead of following the report; the
    report's later typed headings are renumbered to follow it (`insert_report` says which).
    """
    return insert_report(section, report, out, number=number).path


def insert_report(
    section: Section, report: Path | str, out: Path | str, *, number: int | str | None = None
) -> Inserted:
    """`insert_into`, also saying which of the report's headings were renumbered."""
    chosen = None if number is None else parse_section_number(number)
    source = Path(report).expanduser()
    document = _open(source)
    host = _read_host(document)
    labels = {parts[0] for parts in (
        caption_parts(b.caption) for b in section.blocks if isinstance(b, Table | Chart)
    ) if parts}
    anchor = _find_anchor(host, source.name)
    layout = _layout(host, anchor, labels)
    renumbered = Renumbered()
    if chosen is not None:
        title = anchor.at if anchor.heading is None else anchor.heading
        before = _previous_top_heading(host, title)
        renumbered = choose_number(host, anchor, layout, chosen, before=before)
    body = document.element.body
    existing = list(body)  # holding the proxies keeps them the same objects
    before = {id(el) for el in existing}
    written = write_blocks(document, section, layout)
    new = [el for el in body if id(el) not in before and not el.tag.endswith("}sectPr")]
    current = anchor.at
    for element in new:
        current.addnext(element)
        current = element
    for p in anchor.remove:
        p.getparent().remove(p)
    finish_numbers(document, written, layout)
    buffer = io.BytesIO()
    document.save(buffer)
    return Inserted(write_atomic(out, buffer.getvalue()), tuple(renumbered.headings))
