"""Bands and confidence words: every rule and threshold."""

from __future__ import annotations

import numpy as np

from commissioning.stats.bands import bands, confidence


def test_bands_follow_the_thresholds() -> None:
    rri = np.array([1.5, 1.49, 0.5, 0.51, 0.0, 0.0, 0.2, np.nan, 3.0])
    count = np.array([15, 14, 5, 5, 0, 0, 2, 4, 30])
    expected = np.array([10, 10, 10, 10, 5, 4.9, 10, 0, 10])
    got = bands(rri, count, expected).tolist()
    assert got == [
        "over-represented",
        "proportionate",
        "under-represented",
        "proportionate",
        "not represented",
        "proportionate",
        "under-represented",
        "",
        "over-represented",
    ]


def test_thresholds_are_configurable() -> None:
    got = bands([1.3, 0.8], [13, 8], [10, 10], over=1.25, under=0.8).tolist()
    assert got == ["over-represented", "under-represented"]


def test_confidence_rules_in_order() -> None:
    band = np.array(
        [
            "over-represented",
            "over-represented",
            "over-represented",
            "under-represented",
            "proportionate",
            "proportionate",
            "not represented",
            "over-represented",
            "",
        ],
        dtype=object,
    )
    p_adj = np.array([0.001, 0.2, 0.001, 0.3, 0.9, 0.001, 0.01, 0.001, np.nan])
    expected = np.array([10, 10, 2, 3, 10, 3, 6, 10, 0])
    n = np.array([100, 100, 100, 100, 100, 100, 100, 10, 100])
    got = confidence(band, p_adj, expected, n).tolist()
    assert got == [
        "significant",
        "indicative",
        "significant",
        "too few to judge",
        "",
        "too few to judge",
        "significant",
        "too few to judge",
        "",
    ]


def test_alpha_and_minimums_are_configurable() -> None:
    got = confidence(
        ["over-represented"] * 2,
        [0.04, 0.04],
        [3, 3],
        [30, 30],
        alpha=0.01,
        min_n=10,
        min_expected=2,
    ).tolist()
    assert got == ["indicative", "indicative"]
