"""Analyses for the drafting tests, built with an independent implementation.

The statistics here use scipy and statsmodels directly (binomial test, Wilson interval,
Holm adjustment, chi-square), not the package's own `commissioning.stats`, so the
drafting tests do not depend on, or merely repeat, the code under test elsewhere.
This module holds helpers only; its one test checks the helper against the definition.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from commissioning.analysis.compare import TABLE_COLUMNS, Analysis, Omnibus
from commissioning.analysis.settings import AnalysisSettings, ByDimension
from commissioning.comparators.info import OGL_ONS, PopulationInfo
from commissioning.model.categories import MAJOR_GROUPS

CENSUS_INFO = PopulationInfo(
    source="census2021",
    title="Census 2021, ethnic group (table TS021)",
    publisher="Office for National Statistics",
    table_id="TS021",
    year="2021",
    geography="Westminster",
    geography_codes=("E09000033",),
    ages="all ages",
    caveats=("These figures are for people of all ages, not only children.",),
    attribution=OGL_ONS,
    citation="Office for National Statistics, Census 2021, table TS021 (ethnic group).",
)


def build_analysis(
    counts: Sequence[int],
    comparator: Sequence[int],
    *,
    groups: Sequence[str] = MAJOR_GROUPS,
    not_known: int = 0,
    unmapped: int = 0,
    info: PopulationInfo = CENSUS_INFO,
    min_n: int = 30,
) -> Analysis:
    """An ethnicity-only, fixed-comparator Analysis computed from first principles."""
    x = np.asarray(counts, dtype=int)
    big_n = np.asarray(comparator, dtype=float)
    n = int(x.sum())
    pi = big_n / big_n.sum()
    share = x / n if n else np.zeros(len(x))
    rri = np.divide(share, pi, out=np.full(len(x), np.nan), where=pi > 0)
    expected = n * pi
    low, high = (np.zeros(len(x)), np.zeros(len(x)))
    p_values = np.ones(len(x))
    if n:
        low_p, high_p = proportion_confint(x, n, alpha=0.05, method="wilson")
        low, high = np.asarray(low_p) / pi, np.asarray(high_p) / pi
        p_values = np.array(
            [stats.binomtest(int(k), n, float(q)).pvalue for k, q in zip(x, pi, strict=True)]
        )
    adjusted = multipletests(p_values, alpha=0.05, method="holm")[1]
    bands, confidence = [], []
    for k, r, e, p in zip(x, rri, expected, adjusted, strict=True):
        band = (
            "not represented" if k == 0 and e > 0
            else "over-represented" if r >= 1.5
            else "under-represented" if r <= 0.5
            else "proportionate"
        )
        bands.append(band)
        if e < 5 or n < min_n:
            confidence.append("too few to judge")
        elif band == "proportionate":
            confidence.append("")
        else:
            confidence.append("significant" if p < 0.05 else "indicative")
    u = not_known + unmapped
    table = pd.DataFrame(
        {
            "group": list(groups),
            "count": x,
            "share": share,
            "comparator_count": big_n.astype(int),
            "comparator_share": pi,
            "expected": expected,
            "rri": rri,
            "rri_low": low,
            "rri_high": high,
            "p_value": p_values,
            "p_adjusted": adjusted,
            "band": bands,
            "confidence": confidence,
            "rri_bound_low": x / (n + u) / pi if n + u else np.nan,
            "rri_bound_high": (x + u) / (n + u) / pi if n + u else np.nan,
            "note": [""] * len(x),
        }
    )[list(TABLE_COLUMNS)]
    omnibus = None
    if n:
        chi = stats.chisquare(x, expected)
        omnibus = Omnibus(float(chi.statistic), len(x) - 1, float(chi.pvalue), "chi-square")
    settings = AnalysisSettings(
        level="major" if tuple(groups) == MAJOR_GROUPS else "detailed",
        mode="fixed",
        min_n=min_n,
    )
    return Analysis(
        table=table,
        settings=settings,
        by=(),
        comparator=info,
        n_total=n + u,
        n_known=n,
        n_not_known=not_known,
        n_unmapped=unmapped,
        omnibus=omnibus,
        test="exact binomial",
    )


def build_split_analysis(
    cells: Sequence[Sequence[int]],
    comparator: Sequence[Sequence[int]],
    strata: Sequence[str],
    *,
    by: ByDimension = "sex",
    groups: Sequence[str] = MAJOR_GROUPS,
    info: PopulationInfo = CENSUS_INFO,
    min_n: int = 30,
) -> Analysis:
    """The same comparison split by ``by``: ``cells[g][s]`` people of group g in stratum s.

    Each stratum is compared with the same stratum of the comparator (built with
    `build_analysis`, so with scipy and statsmodels); strata with nobody are left out,
    as `commissioning.analysis.compare.analyse` does.
    """
    parts = []
    for j, stratum in enumerate(strata):
        column = [int(row[j]) for row in cells]
        if not sum(column):
            continue
        part = build_analysis(column, [int(row[j]) for row in comparator], groups=groups,
                              info=info, min_n=min_n).table
        part.insert(1, by, stratum)
        parts.append(part)
    main = build_analysis([sum(int(v) for v in row) for row in cells],
                          [sum(int(v) for v in row) for row in comparator],
                          groups=groups, info=info, min_n=min_n)
    return Analysis(
        table=pd.concat(parts, ignore_index=True),
        settings=main.settings,
        by=(by,),
        comparator=info,
        n_total=main.n_total,
        n_known=main.n_known,
        n_not_known=0,
        n_unmapped=0,
        omnibus=None,
        test=main.test,
    )


def test_builder_matches_the_definition_of_the_rri() -> None:
    analysis = build_analysis([30, 10, 10, 40, 10], [10, 10, 10, 60, 10])
    table = analysis.table
    # Asian: 30% of the service, 10% of the comparator -> RRI 3.
    assert table.loc[0, "rri"] == np.float64(0.30) / np.float64(0.10)
    assert table.loc[0, "rri_low"] < table.loc[0, "rri"] < table.loc[0, "rri_high"]
    assert table.loc[0, "band"] == "over-represented"
    assert table.loc[3, "band"] == "proportionate"
