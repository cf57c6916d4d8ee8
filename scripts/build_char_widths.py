"""Build commissioning/data/char-widths.json: each character's width at 1 point in DejaVu
Sans and DejaVu Serif, regular and bold, as matplotlib measures it.

The Word renderer sizes table columns so that no word breaks (`render.wordparts`). It
used to load four fonts through matplotlib for every draft; the table makes that a
lookup. Characters not in it are still measured through matplotlib.

    python scripts/build_char_widths.py
"""

from __future__ import annotations

import json
from pathlib import Path

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

OUT = Path(__file__).resolve().parents[1] / "commissioning" / "data" / "char-widths.json"
CHARS = "".join(chr(c) for c in range(32, 127)) + "£€–—‘’“”…•·×÷°éèêëáàâäíìîïóòôöúùûüçñÉÈÁÀÓÖÜÇ"
FAMILIES = ("DejaVu Sans", "DejaVu Serif")


def build() -> dict[str, dict[str, float]]:
    measure = TextToPath()
    out: dict[str, dict[str, float]] = {}
    for family in FAMILIES:
        for bold in (False, True):
            props = FontProperties(family=family, weight="bold" if bold else "normal", size=100)
            key = f"{family}|{'bold' if bold else 'regular'}"
            out[key] = {
                ch: round(float(measure.get_text_width_height_descent(ch, props, ismath=False)[0])
                          / 100, 6)
                for ch in CHARS
            }
    return out


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    print(f"Wrote {OUT}")
