"""Statistics worked out again on the groups a published section may show.

A published section hides every count from 1 to the threshold. If its shares, rates and
tests were still worked out over everyone, each of them would carry the hidden counts
(a share is a count over the total), and a reader who knows the method could work them
back. So the published figures come from `reanalyse`: the same tests, on the shown
groups alone, service and comparator alike. Nothing published then depends on a hidden
count; docs/methodology.md ("Small numbers") gives the reasoning and sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from commissioning.analysis.compare import Analysis, add_rate_ratio, per_group_statistics
from commissioning.analysis.overall import omnibus as overall_test


def reanalyse(analysis: Analysis, keep: np.ndarray, *, unknown: int = 0) -> Analysis | None:
    """``analysis`` worked out again on the rows of its table where ``keep`` is true.

    ``unknown`` is the number of people with no usable ethnicity to use for the
    sensitivity bounds (0 when that number is not published). None when fewer than two
    groups are left, since a comparison of one group with itself says nothing.
    """
    dims = tuple(analysis.by)
    kept = analysis.table.loc[np.asarray(keep, dtype=bool)]
    if len(kept) < 2:
        return None
    table = kept[["group", *dims, "count", "comparator_count"]].reset_index(drop=True).copy()
    table["count"] = table["count"].astype("int64")
    table["comparator_count"] = np.round(table["comparator_count"].astype("float64")).astype(
        "int64"
    )
    if dims:
        grouped = table.groupby(list(dims), sort=False)
        table["n"] = grouped["count"].transform("sum")
        table["comparator_total"] = grouped["comparator_count"].transform("sum")
        table["unknown"] = 0
    else:
        table["n"] = int(table["count"].sum())
        table["comparator_total"] = int(table["comparator_count"].sum())
        table["unknown"] = int(unknown)
    n_known = int(table["count"].sum())
    if n_known == 0 or int(table["comparator_count"].sum()) == 0:
        return None
    settings = analysis.settings
    mode = analysis.mode
    out, test = per_group_statistics(table, dims, settings, mode)
    reference = settings.reference
    if reference is not None and reference in set(out["group"]):
        out = add_rate_ratio(out, dims, reference, mode, settings.confidence_level)
    omnibus = overall_test(
        table, dims, mode, settings.seed, settings.draws, settings.min_expected
    )
    return Analysis(
        table=pd.DataFrame(out),
        settings=settings,
        by=analysis.by,
        comparator=analysis.comparator,
        n_total=n_known + (0 if dims else int(unknown)),
        n_known=n_known,
        n_not_known=0 if dims else int(unknown),
        n_unmapped=0,
        omnibus=omnibus,
        test=test,
        characteristic=analysis.characteristic,
    )
