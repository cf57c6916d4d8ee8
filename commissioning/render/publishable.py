"""`analyse --publishable`: the analysis tables with the section's small-number protection.

The plain `analyse` outputs hold every count and are marked OFFICIAL-SENSITIVE. These
hold what a drafted section may show and nothing else (`make_safe`,
`make_safe_intersection`): a count of 1 to 4 is blank with ``hidden`` set to "fewer than
5", figures are of the groups shown, and totals over a hidden count are ranges.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import IO, Any, Final

import pandas as pd

from commissioning.analysis.compare import Analysis
from commissioning.drafting.disclosure import SafeAnalysis, SafeCount, make_safe
from commissioning.drafting.two_way import make_safe_intersection
from commissioning.render.marking import PUBLISHABLE_LINE, mark_workbook

#: Columns of a publishable table (API, like `TABLE_COLUMNS`).
PUBLISHABLE_COLUMNS: Final = (
    "group", "count", "hidden", "share", "comparator_share", "rri", "rri_low", "rri_high",
    "p_value", "band", "confidence",
)
PUBLISHABLE_MARKING: Final = "Publishable: small numbers protected"


def publishable(
    main: Analysis, split: Analysis | None = None, *, threshold: int = 5
) -> tuple[pd.DataFrame, SafeAnalysis]:
    """The publishable table (split by ``split.by`` when given) and the protected main."""
    safe = make_safe(main, threshold=threshold)
    if split is None:
        rows = [
            {"group": r.group, "count": r.count, "hidden": _why(r.reason, threshold),
             "share": r.share, "comparator_share": r.comparator_share, "rri": r.rri,
             "rri_low": r.rri_low, "rri_high": r.rri_high, "p_value": r.p_value,
             "band": r.band, "confidence": r.confidence}
            for r in safe.rows
        ]
        return _counts_whole(pd.DataFrame(rows, columns=list(PUBLISHABLE_COLUMNS))), safe
    two_way = make_safe_intersection(split, main, safe)
    rows = [
        {"group": c.group, two_way.by: c.stratum, "count": c.count,
         "hidden": _why(c.reason, threshold), "share": None, "comparator_share": None,
         "rri": c.rri, "rri_low": c.rri_low, "rri_high": c.rri_high, "p_value": None,
         "band": c.band, "confidence": c.confidence}
        for c in two_way.cells
    ]
    columns = ["group", two_way.by, *PUBLISHABLE_COLUMNS[1:]]
    return _counts_whole(pd.DataFrame(rows, columns=columns)), safe


def _counts_whole(frame: pd.DataFrame) -> pd.DataFrame:
    frame["count"] = frame["count"].astype("Int64")  # blank when hidden, never 18.0
    return frame


def _why(reason: str, threshold: int) -> str:
    if reason == "small":
        return f"fewer than {threshold}"
    return "not shown" if reason else ""


def _count(count: SafeCount) -> dict[str, int | None]:
    return {"value": count.value, "low": count.low, "high": count.high}


def _clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return value.item()  # type: ignore[attr-defined]
    return None if value is pd.NA else value


def to_csv(frame: pd.DataFrame, threshold: int) -> str:
    line = PUBLISHABLE_LINE.format(limit=threshold - 1)
    return line + "\n" + frame.to_csv(index=False, lineterminator="\n")


def to_json(frame: pd.DataFrame, safe: SafeAnalysis) -> str:
    doc: dict[str, Any] = {
        "classification": PUBLISHABLE_MARKING,
        "threshold": safe.threshold,
        "n_total": _count(safe.n_total),
        "n_known": _count(safe.n_known),
        "n_unknown": _count(safe.n_unknown),
        "n_shown": safe.n_shown,
        "columns": list(frame.columns),
        "rows": [
            {k: _clean(v) for k, v in rec.items()}
            for rec in frame.astype(object).where(frame.notna(), None).to_dict("records")
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def to_text(frame: pd.DataFrame, threshold: int) -> str:
    shown = frame.astype(object).where(frame.notna(), "")
    return PUBLISHABLE_LINE.format(limit=threshold - 1) + "\n" + shown.to_string(index=False) + "\n"


def write_xlsx(frame: pd.DataFrame, path: Path | IO[bytes], threshold: int) -> None:
    from openpyxl import Workbook

    from commissioning.render.analysis_tables import _xlsx_value

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Results"
    sheet.append(list(frame.columns))
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        sheet.append([_xlsx_value(v) if v is not None else None for v in row])
    note = book.create_sheet("About")
    note.append([PUBLISHABLE_LINE.format(limit=threshold - 1).lstrip("# ")])
    mark_workbook(book, PUBLISHABLE_MARKING)
    book.save(path)
