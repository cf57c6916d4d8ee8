"""How a Word decision report numbers its headings and paragraphs, read from the file.

Reports number in one of two ways: typed ("7. Disproportionality Implications",
"7.1<tab>text") or Word's own list numbering (``numbering.xml``: a paragraph, or its
style, points at a ``w:num``, which points at an ``w:abstractNum`` whose levels give the
start value, the format and the text such as "%1.%2"). To continue a report's numbering
and to write cross-references that match what Word and LibreOffice will show, the
numbers Word would display are worked out here by walking the paragraphs in order and
counting, level by level, the way Word does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: A number typed at the start of a paragraph: "7.", "7.1", "7.1.2" (then a space or tab).
TYPED_NUMBER: Final = re.compile(r"^\s*(\d+(?:\.\d+)*)(\.?)([ \t]+)")
_ROMAN: Final = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(_W + tag) if element is not None else None
    return None if child is None else child.get(_W + "val")


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str  # decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, none
    text: str  # "%1.%2"


@dataclass
class Lists:
    """The report's list definitions and the style links to them."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId ->
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> starts
    style_num: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    style_based: dict[str, str] = field(default_factory=dict)
    style_names: dict[str, str] = field(default_factory=dict)  # styleId -> name
    level_styles: dict[tuple[str, str], int] = field(default_factory=dict)  # (abs, style)
    default_style: str = ""

    def level(self, num_id: str, ilvl: int) -> Level | None:
        abstract = self.nums.get(num_id)
        return None if abstract is None else self.levels.get(abstract, {}).get(ilvl)

    def decimal_level(self, num_id: str, ilvl: int) -> bool:
        """Whether that level prints a decimal number that includes its parents'."""
        level = self.level(num_id, ilvl)
        return (
            level is not None
            and level.fmt == "decimal"
            and all(f"%{k}" in level.text for k in range(1, ilvl + 2))
        )


def read_lists(document: Any) -> Lists:
    """The numbering definitions and style links of an open python-docx document."""
    lists = Lists()
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        numbering = None
    if numbering is not None:
        for abstract in numbering.iter(_W + "abstractNum"):
            aid = abstract.get(_W + "abstractNumId")
            levels: dict[int, Level] = {}
            for lvl in abstract.iter(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl") or 0)
                levels[ilvl] = Level(
                    int(_val(lvl, "start") or 1), _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                )
                style = _val(lvl, "pStyle")
                if style:
                    lists.level_styles[(aid, style)] = ilvl
            lists.levels[aid] = levels
        for num in numbering.iter(_W + "num"):
            nid = num.get(_W + "numId")
            lists.nums[nid] = _val(num, "abstractNumId") or ""
            for override in num.iter(_W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    ilvl = int(override.get(_W + "ilvl") or 0)
                    lists.overrides.setdefault(nid, {})[ilvl] = int(start)
    for style in document.styles.element.iter(_W + "style"):
        sid = style.get(_W + "styleId") or ""
        lists.style_names[sid] = _val(style, "name") or sid
        if style.get(_W + "default") in ("1", "true") and style.get(_W + "type") == "paragraph":
            lists.default_style = sid
        based = _val(style, "basedOn")
        if based:
            lists.style_based[sid] = based
        num_pr = style.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            style_ilvl = _val(num_pr, "ilvl")
            lists.style_num[sid] = (_val(num_pr, "numId") or "0",
                                    None if style_ilvl is None else int(style_ilvl))
    return lists


def paragraph_text(p: Any) -> str:
    """The text of a w:p element as Word shows it, tabs and line breaks included."""
    out = []
    for element in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        if element.tag == _W + "t":
            out.append(element.text or "")
        elif element.tag == _W + "tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def style_id(p: Any, lists: Lists) -> str:
    return _val(p.find(_W + "pPr"), "pStyle") or lists.default_style


def num_pr(p: Any, lists: Lists) -> tuple[str, int] | None:
    """(numId, level) of a paragraph element: its own w:numPr, else its style's."""
    ppr = p.find(_W + "pPr")
    own = ppr.find(_W + "numPr") if ppr is not None else None
    num_id = _val(own, "numId") if own is not None else None
    ilvl_text = _val(own, "ilvl") if own is not None else None
    sid = style_id(p, lists)
    seen: set[str] = set()
    current: str | None = sid
    while num_id is None and current and current not in seen:
        seen.add(current)
        if current in lists.style_num:
            num_id, style_ilvl = lists.style_num[current]
            if ilvl_text is None and style_ilvl is not None:
                ilvl_text = str(style_ilvl)
        current = lists.style_based.get(current)
    if num_id is None or num_id == "0" or num_id not in lists.nums:
        return None
    if ilvl_text is None:
        ilvl = lists.level_styles.get((lists.nums[num_id], sid), 0)
    else:
        ilvl = int(ilvl_text)
    return num_id, ilvl


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", value
        for amount, numeral in _ROMAN:
            while rest >= amount:
                out, rest = out + numeral, rest - amount
        return out.upper() if fmt == "upperRoman" else out
    return str(value)


def list_numbers(paragraphs: Iterable[Any], lists: Lists) -> Iterator[tuple[Any, str, int]]:
    """(paragraph element, the number Word shows, level) for each list-numbered paragraph,
    counted as Word does: a level restarts after any higher level, numbers sharing one
    abstract list continue one another, and a ``startOverride`` restarts its list."""
    counters: dict[str, list[int | None]] = {}
    seen_nums: set[str] = set()
    for p in paragraphs:
        found = num_pr(p, lists)
        if found is None:
            continue
        num_id, ilvl = found
        abstract = lists.nums[num_id]
        defs = lists.levels.get(abstract, {})
        count = counters.setdefault(abstract, [None] * 9)
        starts = {k: lv.start for k, lv in defs.items()}
        if num_id not in seen_nums:
            seen_nums.add(num_id)
            for k, start in lists.overrides.get(num_id, {}).items():
                if 0 <= k < 9:
                    count[k] = None
                    starts[k] = start
        level = defs.get(ilvl)
        if level is None or level.fmt in ("bullet", "none") or not 0 <= ilvl < 9:
            continue
        current = count[ilvl]
        count[ilvl] = starts.get(ilvl, 1) if current is None else current + 1
        for k in range(ilvl + 1, 9):
            count[k] = None
        for k in range(ilvl):
            if count[k] is None:
                count[k] = starts.get(k, 1)
        text = level.text
        for k in range(ilvl, -1, -1):
            fmt = defs[k].fmt if k in defs else "decimal"
            text = text.replace(f"%{k + 1}", _format(count[k] or 1, fmt))
        yield p, text, ilvl


def typed_number(text: str) -> tuple[str, str, str] | None:
    """("7.1", ".", " ") for a paragraph whose text starts "7.1. "; None otherwise."""
    match = TYPED_NUMBER.match(text)
    return None if match is None else (match.group(1), match.group(2), match.group(3))


def components(number: str) -> list[str]:
    """"7.1." -> ["7", "1"]."""
    return [part for part in re.split(r"[.\s]+", number.strip()) if part]
