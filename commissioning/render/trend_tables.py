"""A trend as `analyse` prints it: JSON for programs, an aligned text table for people."""

from __future__ import annotations

import json
from typing import Final

import numpy as np
import pandas as pd

from commissioning.analysis.trends import Trend
from commissioning.drafting.numbers import format_rri
from commissioning.drafting.trend_text import sentences
from commissioning.drafting.wording import plain

#: The text table's corner heading, and what a period with no RRI shows.
TEXT_HEADING: Final = "RRI by period"
TEXT_NO_RRI: Final = "-"
_WIDTH: Final = 14


def trend_as_dict(trend: Trend) -> dict[str, object]:
    """JSON form (stable keys): ``periods``, ``unit``, ``table`` (rows of
    `PERIOD_COLUMNS`), ``groups`` (rows of `GROUP_COLUMNS`), ``sentences``."""

    def rows(frame: pd.DataFrame) -> list[dict[str, object]]:
        out = []
        for record in frame.to_dict("records"):
            out.append({str(k): _plain(v) for k, v in record.items()})
        return out

    return {
        "periods": list(trend.periods),
        "unit": trend.unit,
        "table": rows(trend.table),
        "groups": rows(trend.groups),
        "sentences": [plain(s) for s in sentences(trend)],
    }


def json_with_trend(text: str, trend: Trend) -> str:
    """An `analyse` JSON document with the trend added under the key ``trend``."""
    document = json.loads(text)
    document["trend"] = trend_as_dict(trend)
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _plain(value: object) -> object:
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        number = float(value)
        return number if np.isfinite(number) else None
    return value


def trend_text(trend: Trend) -> str:
    """For people: the RRI of each group in each period, then the sentences."""
    wide = trend.table.pivot(index="group", columns="period", values="rri")
    wide = wide.reindex(index=list(trend.groups["group"]), columns=list(trend.periods))
    width = max(len(g) for g in wide.index) + 2
    header = TEXT_HEADING.ljust(width) + "".join(p.rjust(_WIDTH) for p in trend.periods)
    lines = ["", header]
    for group, values in wide.iterrows():
        cells = "".join(
            (TEXT_NO_RRI if not np.isfinite(v) else format_rri(float(v), 1)).rjust(_WIDTH)
            for v in values
        )
        lines.append(str(group).ljust(width) + cells)
    lines.append("")
    lines.extend(plain(s) for s in sentences(trend))
    return "\n".join(lines) + "\n"
