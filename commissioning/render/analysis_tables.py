"""An `Analysis` as csv, JSON, a text table or an Excel workbook.

csv and JSON carry unrounded values (full float precision, so a p-value of 1.7e-11 stays
1.7e-11) under the column names of `commissioning.analysis.compare.TABLE_COLUMNS`; undefined values
are empty (csv) or null (JSON). The text table rounds for people to read.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import IO, Final

import numpy as np
import pandas as pd

from commissioning.analysis.compare import RATE_RATIO_COLUMNS, Analysis
from commissioning.drafting.methodtext import (
    ADJUST_SHORT,
    MODE_SHORT,
    analysis_parameters,
    method_lines,
)
from commissioning.model.sanitise import neutralise_formula, safe_cell
from commissioning.render.marking import MARKING, MARKING_LINE, mark_workbook

HEADING_COMPARED: Final = (
    "{n_known:,} people with a known ethnicity (of {n_total:,} in the return) compared with "
    "{title}, {geography}, {year}, {ages}."
)
HEADING_UNKNOWN: Final = "Ethnicity not known: {n_not_known:,}; not recognised: {n_unmapped:,}."
#: The same two lines for a comparison by sex or by age band (`analyse_characteristic`).
HEADING_COMPARED_BY: Final = (
    "{n_known:,} people with a known {what} (of {n_total:,} in the return) compared with "
    "{title}, {geography}, {year}, {ages}."
)
HEADING_UNKNOWN_BY: Final = (
    "{What} not known (or not comparable): {n_not_known:,}; not recognised: {n_unmapped:,}."
)
_WHAT: Final = {"sex": "sex", "age_band": "age"}
HEADING_MODE: Final = (
    "Method: the comparator is treated as {mode}; test for each group: {test}; p-values are "
    "adjusted for testing several groups at once by {adjust}."
)
HEADING_RRI: Final = (
    "RRI is the Relative Rate Index, a group's share of the service divided by its share of "
    "the comparator: 1 means in proportion."
)
SHEET_RESULTS: Final = "Results"
SHEET_METHOD: Final = "Method"
SHEET_SOURCES: Final = "Sources"
_TEXT_HEADINGS: Final = {
    "group": "Group",
    "sex": "Sex",
    "age_band": "Age",
    "count": "Count",
    "share": "Service %",
    "comparator_share": "Comparator %",
    "rri": "RRI",
    "interval": "95% interval",
    "p_adjusted": "Adjusted p",
    "band": "Band",
    "confidence": "Confidence",
    "rate_ratio": "Rate ratio",
    "note": "Note",
}


def _clean(value: object) -> object:
    """A JSON-safe scalar: numpy types unwrapped, NaN and infinity as null."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_csv(analysis: Analysis) -> str:
    """The table as csv: the marking line, then one row per group, unrounded values."""
    return MARKING_LINE + "\n" + analysis.table.to_csv(index=False, lineterminator="\n")


def to_dict(analysis: Analysis, *, return_name: str = "", return_sha256: str = "") -> dict:
    """Everything about the analysis as JSON-ready values (stable keys, see docs/cli.md)."""
    info = analysis.comparator
    omnibus = analysis.omnibus
    return {
        "classification": MARKING,
        "return": {"file": return_name, "sha256": return_sha256},
        "comparator": {
            "source": info.source,
            "title": info.title,
            "publisher": info.publisher,
            "table_id": info.table_id,
            "year": info.year,
            "geography": info.geography,
            "geography_codes": list(info.geography_codes),
            "ages": info.ages,
            "caveats": list(info.caveats),
            "attribution": info.attribution,
            "citation": info.citation,
        },
        "characteristic": analysis.characteristic,
        "level": analysis.level,
        "by": list(analysis.by_dimensions),
        "mode": analysis.mode,
        "reference": analysis.reference,
        "n_total": analysis.n_total,
        "n_known": analysis.n_known,
        "n_not_known": analysis.n_not_known,
        "n_unmapped": analysis.n_unmapped,
        "unknown_share": analysis.unknown_share,
        "omnibus": None
        if omnibus is None
        else {
            "statistic": _clean(omnibus.statistic),
            "df": omnibus.df,
            "p_value": _clean(omnibus.p_value),
            "method": omnibus.method,
        },
        "parameters": {
            k: _clean(v) if not isinstance(v, list) else v
            for k, v in analysis_parameters(analysis).items()
        },
        "warnings": list(analysis.warnings),
        "columns": list(analysis.table.columns),
        "rows": [
            {k: _clean(v) for k, v in row.items()}
            for row in analysis.table.to_dict(orient="records")
        ],
    }


def to_json(analysis: Analysis, **kwargs: str) -> str:
    return (
        json.dumps(to_dict(analysis, **kwargs), indent=2, ensure_ascii=False, allow_nan=False)
        + "\n"
    )


def _pct(v: float) -> str:
    return "" if not math.isfinite(v) else f"{100 * v:.1f}%"


def _num(v: float, places: int = 2) -> str:
    if math.isinf(v):
        return "no limit"
    return "" if not math.isfinite(v) else f"{v:.{places}f}"


def _p(v: float) -> str:
    if not math.isfinite(v):
        return ""
    return "<0.001" if v < 0.001 else f"{v:.3f}"


def _text_rows(analysis: Analysis) -> list[dict[str, str]]:
    rows = []
    for r in analysis.table.to_dict(orient="records"):
        row = {"group": str(r["group"])}
        for dim in analysis.by_dimensions:
            row[dim] = str(r[dim])
        row |= {
            "count": f"{int(r['count']):,}",
            "share": _pct(r["share"]),
            "comparator_share": _pct(r["comparator_share"]),
            "rri": _num(r["rri"]),
            "interval": ""
            if not math.isfinite(r["rri_low"])
            else f"{_num(r['rri_low'])} to {_num(r['rri_high'])}",
            "p_adjusted": _p(r["p_adjusted"]),
            "band": str(r["band"]),
            "confidence": str(r["confidence"]),
        }
        if analysis.reference:
            row["rate_ratio"] = _num(r["rate_ratio"])
        row["note"] = str(r["note"])
        rows.append(row)
    return rows


def to_text(analysis: Analysis) -> str:
    """A rounded table with a heading and the warnings, for reading in a terminal."""
    info = analysis.comparator
    what = _WHAT.get(analysis.characteristic)
    compared = HEADING_COMPARED if what is None else HEADING_COMPARED_BY
    unknown = HEADING_UNKNOWN if what is None else HEADING_UNKNOWN_BY
    lines = [
        MARKING_LINE,
        compared.format(
            n_known=analysis.n_known,
            n_total=analysis.n_total,
            what=what,
            title=info.title,
            geography=info.geography or "-",
            year=info.year or "-",
            ages=info.ages,
        ),
        unknown.format(n_not_known=analysis.n_not_known, n_unmapped=analysis.n_unmapped,
                       What=(what or "").capitalize()),
        HEADING_MODE.format(
            mode=MODE_SHORT.get(analysis.mode, analysis.mode),
            test=analysis.test,
            adjust=ADJUST_SHORT.get(analysis.settings.adjust, "no adjustment"),
        ),
        HEADING_RRI,
        "",
    ]
    rows = _text_rows(analysis)
    keys = list(rows[0]) if rows else ["group"]
    widths = {k: max(len(_TEXT_HEADINGS[k]), *(len(r[k]) for r in rows)) for k in keys}
    lines.append("  ".join(_TEXT_HEADINGS[k].ljust(widths[k]) for k in keys).rstrip())
    for r in rows:
        lines.append("  ".join(r[k].ljust(widths[k]) for k in keys).rstrip())
    if analysis.omnibus is not None:
        lines += ["", method_lines(analysis)[-1]]
    if analysis.reference:
        lines += [
            "",
            f"Rate ratio: each group's rate per head against {analysis.reference}"
            " (a different measure from the RRI).",
        ]
    for warning in analysis.warnings:
        lines += [f"Warning: {warning}"]
    for caveat in info.caveats:
        lines += [f"Caveat: {caveat}"]
    if info.attribution:
        lines += ["", info.attribution]
    return "\n".join(lines) + "\n"


def write_xlsx(analysis: Analysis, path: Path | IO[bytes]) -> None:
    """Workbook with sheets Results (unrounded table), Method and Sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    results = book.active
    assert results is not None
    results.title = SHEET_RESULTS
    columns = list(analysis.table.columns)
    results.append(columns)
    for cell in results[1]:
        cell.font = Font(bold=True)
    for row in analysis.table.itertuples(index=False):
        results.append([_xlsx_value(v) for v in row])
    share_cols = {"share", "comparator_share"}
    ratio_cols = {
        "rri",
        "rri_low",
        "rri_high",
        "rri_bound_low",
        "rri_bound_high",
        *RATE_RATIO_COLUMNS,
    }
    for idx, name in enumerate(columns, start=1):
        fmt = "0.0%" if name in share_cols else "0.00" if name in ratio_cols else None
        if name in ("p_value", "p_adjusted"):
            fmt = "0.0000"
        if fmt:
            for (cell,) in results.iter_rows(min_row=2, min_col=idx, max_col=idx):
                cell.number_format = fmt
    results.freeze_panes = "B2"

    method = book.create_sheet(SHEET_METHOD)
    for line in method_lines(analysis):
        method.append([neutralise_formula(line)])
    for warning in analysis.warnings:
        method.append([neutralise_formula("Warning: " + warning)])
    method.column_dimensions["A"].width = 120

    sources = book.create_sheet(SHEET_SOURCES)
    info = analysis.comparator
    for label, value in (
        ("Comparator", info.title),
        ("Publisher", info.publisher),
        ("Table", info.table_id),
        ("Year", info.year),
        ("Area", info.geography),
        ("Ages", info.ages),
        ("Citation", info.citation),
        ("Licence", info.attribution),
        *(("Caveat", c) for c in info.caveats),
    ):
        sources.append([label, neutralise_formula(str(value))])
    sources.column_dimensions["B"].width = 120
    mark_workbook(book)
    book.save(path)


def _xlsx_value(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return safe_cell(value)  # controls removed too: openpyxl refuses them
    if pd.isna(value):  # type: ignore[call-overload]
        return None
    return value
