"""Pieces of WordprocessingML that python-docx has no call for: SEQ caption fields, list
numbering on a paragraph, table rows that repeat and do not split, column widths.

Column widths are worked out from the text so no word is broken across lines: each column
is at least as wide as its longest word (measured with DejaVu Sans and Serif, wider than
Arial and Cambria, so the widths hold with any of them), and the rest of the width goes to
the columns with the most text. LibreOffice and Word both honour a fixed layout with w:gridCol and
w:tcW widths.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Final

#: Space Word puts either side of the text in a cell (0.19 cm), in points, and a margin.
_CELL_PADDING_PT: Final = 2 * 5.4 + 3.0
_MIN_FONT_PT: Final = 7.0
#: Room for the difference between this measure and a word processor's own (hinting,
#: a substituted font): 6% wider.
_SAFETY: Final = 1.06
#: Children of w:tblPr that come before w:tblW (the schema fixes the order).
_BEFORE_TBLW: Final = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual",
                       "w:tblStyleRowBandSize", "w:tblStyleColBandSize")


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key.replace("_", ":", 1)), value)
    return element


def add_field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (``SEQ Table``) with ``shown`` as its last computed value."""
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            text = _element("w:instrText", xml_space="preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif kind == "text":
            run.text = shown
        else:
            run._r.append(_element("w:fldChar", w_fldCharType=kind))


def set_numbering(paragraph: Any, num_id: str, ilvl: int) -> None:
    """Number ``paragraph`` with list ``num_id`` at level ``ilvl`` (``"0"``: no number)."""
    ppr = paragraph._p.get_or_add_pPr()
    for old in ppr.findall(_tag("w:numPr")):
        ppr.remove(old)
    num_pr = _element("w:numPr")
    num_pr.append(_element("w:ilvl", w_val=str(ilvl)))
    num_pr.append(_element("w:numId", w_val=num_id))
    # w:numPr comes after w:pStyle, w:keepNext, w:keepLines, w:pageBreakBefore, ...
    anchor = None
    for tag in ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
                "w:widowControl"):
        found = ppr.find(_tag(tag))
        if found is not None:
            anchor = found
    if anchor is None:
        ppr.insert(0, num_pr)
    else:
        anchor.addnext(num_pr)


def _tag(name: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(name))


def keep_rows_whole(table: Any, header_rows: int = 1) -> None:
    """Header rows repeat on each page; no row splits across a page break."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(_element("w:cantSplit", w_val="true"))
        if i < header_rows:
            tr_pr.append(_element("w:tblHeader", w_val="true"))


_FAMILIES = ("DejaVu Sans", "DejaVu Serif")


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """Printed width of ``text`` at ``size`` points: the wider of DejaVu Sans and DejaVu
    Serif, which are wider than Arial and Cambria, so a report's own font fits too.

    The sum of each character's width, measured once per character (kerning only ever
    narrows a word, so the sum is never too small; it is within about 1% of the word)."""
    return size * max(sum(_char_width(ch, family, bold) for ch in text) for family in _FAMILIES)


@lru_cache(maxsize=1)
def _width_table() -> dict[str, dict[str, float]]:
    """Widths measured once by scripts/build_char_widths.py (package data)."""
    import json
    from importlib import resources

    text = resources.files("commissioning.data").joinpath("char-widths.json").read_text("utf-8")
    table: dict[str, dict[str, float]] = json.loads(text)
    return table


@lru_cache(maxsize=8192)
def _char_width(ch: str, family: str, bold: bool) -> float:
    """Width of one character at 1 point: from the table, else measured by matplotlib."""
    known = _width_table().get(f"{family}|{'bold' if bold else 'regular'}", {}).get(ch)
    if known is not None:
        return known
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    props = FontProperties(family=family, weight="bold" if bold else "normal", size=100)
    width, _, _ = TextToPath().get_text_width_height_descent(ch, props, ismath=False)
    return float(width) / 100


def _words(text: str) -> list[str]:
    # A line may break after a hyphen, so "Over-represented" needs room for its longer half.
    return [piece for word in text.split() for piece in word.replace("-", "- ").split()]


def column_widths(
    columns: Sequence[str], rows: Sequence[Sequence[str]], width_pt: float, size: float
) -> tuple[list[float], float]:
    """(width of each column in points, font size) so that no word is broken.

    Shrinks the font (to 7 pt at least) only when the longest words cannot fit otherwise.
    """
    while True:
        need, want = [], []
        for i, heading in enumerate(columns):
            cells = [heading] + [row[i] for row in rows]
            longest = _SAFETY * max(
                [text_width_pt(w, size, bold=(j == 0)) for j, c in enumerate(cells)
                 for w in _words(c)] or [0.0]
            )
            need.append(longest + _CELL_PADDING_PT)
            want.append(max(text_width_pt(c, size, bold=(j == 0)) for j, c in enumerate(cells))
                        + _CELL_PADDING_PT)
        if sum(need) <= width_pt or size <= _MIN_FONT_PT:
            break
        size -= 0.5
    spare = max(width_pt - sum(need), 0.0)
    extra = [max(w - n, 0.0) for w, n in zip(want, need, strict=True)]
    total_extra = sum(extra)
    if total_extra <= spare:
        widths = [w for w in want]
        # What is left over is shared out, so the table spans the text width.
        leftover = (width_pt - sum(widths)) / len(widths)
        widths = [w + leftover for w in widths]
    else:
        widths = [n + spare * e / total_extra for n, e in zip(need, extra, strict=True)]
    return widths, size


def set_widths(table: Any, widths_pt: Sequence[float]) -> None:
    """Fixed layout with these column widths (w:tblGrid, w:tcW and w:tblW)."""
    from docx.shared import Pt

    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(_tag("w:tblW")):
        tbl_pr.remove(old)
    twips = [round(w * 20) for w in widths_pt]
    width = _element("w:tblW", w_w=str(sum(twips)), w_type="dxa")
    before = [tbl_pr.find(_tag(t)) for t in _BEFORE_TBLW]
    present = [b for b in before if b is not None]
    if present:
        present[-1].addnext(width)
    else:
        tbl_pr.insert(0, width)
    for column, width in zip(table.columns, widths_pt, strict=True):
        column.width = Pt(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_pt, strict=True):
            cell.width = Pt(width)
