"""Holm and Benjamini-Hochberg against statsmodels and the published example."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from commissioning.stats.adjust import adjust, benjamini_hochberg, holm

# Benjamini & Hochberg (1995), J. R. Statist. Soc. B 57:289-300, section 4.1: 15 p-values
# from Neuhaus et al. (1992). At level 0.05 the Bonferroni-type procedure rejects 3
# hypotheses and the false discovery rate procedure rejects 4.
BH_1995 = [
    0.0001,
    0.0004,
    0.0019,
    0.0095,
    0.0201,
    0.0278,
    0.0298,
    0.0344,
    0.0459,
    0.3240,
    0.4262,
    0.5719,
    0.6528,
    0.7590,
    1.0000,
]


def test_benjamini_hochberg_1995_example() -> None:
    assert int(np.sum(benjamini_hochberg(BH_1995) <= 0.05)) == 4
    assert int(np.sum(holm(BH_1995) <= 0.05)) == 3


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_matches_statsmodels(method: str) -> None:
    rng = np.random.default_rng(3)
    for size in (1, 2, 5, 19, 228):
        p = rng.random(size) ** 3
        p[: size // 3] = p[0]  # ties
        got = adjust(p, method)  # type: ignore[arg-type]
        want = multipletests(p, method=method)[1]
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_nan_is_not_part_of_the_family() -> None:
    p = np.array([0.01, np.nan, 0.04])
    got = holm(p)
    assert np.isnan(got[1])
    np.testing.assert_allclose(got[[0, 2]], multipletests([0.01, 0.04], method="holm")[1])
    assert np.isnan(benjamini_hochberg([np.nan])).all()


def test_none_leaves_values_and_unknown_is_refused() -> None:
    assert adjust([0.2, 0.3], "none").tolist() == [0.2, 0.3]
    with pytest.raises(ValueError):
        adjust([0.1], "bonferroni-ish")  # type: ignore[arg-type]


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=60), st.sampled_from(["holm", "fdr_bh"]))
def test_adjusted_is_at_least_raw_and_at_most_one(p: list[float], method: str) -> None:
    got = adjust(p, method)  # type: ignore[arg-type]
    assert np.all(got >= np.asarray(p) - 1e-15)
    assert np.all(got <= 1.0)


def test_strata_too_small_to_judge_do_not_use_up_the_adjustment() -> None:
    """One family per table, without the strata below min_n (checked with statsmodels)."""
    import numpy as np
    from statsmodels.stats.multitest import multipletests

    from commissioning.analysis.compare import analyse
    from commissioning.model.counts import Counts

    def counts(rows: list[tuple[str, str, int]]) -> Counts:
        return Counts.from_records({"major": g, "detailed": "Not known", "sex": s, "count": n}
                                   for g, s, n in rows)

    groups = ("Asian", "Black", "Mixed", "White", "Other")
    service = counts([(g, "Female", n) for g, n in zip(groups, (30, 60, 25, 70, 15), strict=True)]
                     + [(g, "Male", n) for g, n in zip(groups, (1, 3, 0, 4, 1), strict=True)])
    local = counts([(g, s, 1000) for g in groups for s in ("Female", "Male")])
    table = analyse(service, local, by="sex", mode="fixed").table
    small = table["sex"] == "Male"  # 9 boys: below the 20 needed to judge
    assert table.loc[small, "p_adjusted"].isna().all()
    girls = table.loc[~small]
    expected = multipletests(girls["p_value"].to_numpy(), method="holm")[1]
    assert np.allclose(girls["p_adjusted"].to_numpy(), expected, rtol=1e-12)
