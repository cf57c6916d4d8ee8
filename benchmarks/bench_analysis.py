"""Analysing 19 detailed groups x 2 sexes x 6 age bands (228 cells).

    python benchmarks/bench_analysis.py [--runs 15]

Target (issue 5): milliseconds, no Python loop over people. The baseline, run in this
same process, is the naive implementation: one `scipy.stats.binomtest` call and one
Wilson interval per cell in a Python loop, which is what a straightforward script would
do. We report the median time of `analyse` in each mode and its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from commissioning.analysis.compare import analyse
from commissioning.model.categories import DETAILED_TO_MAJOR
from commissioning.model.counts import Counts

BANDS = ("0-4", "5-9", "10-14", "15-17", "18-24", "25+")


def make_counts(rng: np.random.Generator, scale: int) -> Counts:
    rows = [
        {"major": m, "detailed": d, "sex": s, "age_band": b, "count": int(rng.poisson(scale))}
        for d, m in DETAILED_TO_MAJOR.items()
        for s in ("Female", "Male")
        for b in BANDS
    ]
    return Counts(pd.DataFrame(rows))


def naive(service: Counts, comparator: Counts) -> None:
    s = service.groups("detailed", by=["sex", "age_band"])
    c = comparator.groups("detailed", by=["sex", "age_band"])
    for (sex, band), part in s.groupby(["sex", "age_band"]):
        ref = c[(c["sex"] == sex) & (c["age_band"] == band)]
        n, big_n = int(part["count"].sum()), int(ref["count"].sum())
        for x, big_x in zip(part["count"], ref["count"], strict=True):
            if n and big_n and big_x:
                binomtest(int(x), n, big_x / big_n).proportion_ci(method="wilson")


def median_time(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    rng = np.random.default_rng(0)
    service, comparator = make_counts(rng, 8), make_counts(rng, 900)
    analyse(service, comparator, level="detailed", by=("sex", "age_band"))  # warm up
    base = median_time(lambda: naive(service, comparator), runs)
    print(f"baseline (binomtest loop, fixed mode only): {base * 1000:.1f} ms")
    for mode in ("fixed", "independent", "nested"):
        result = analyse(service, comparator, level="detailed", by=("sex", "age_band"), mode=mode)
        assert len(result.table) == 228
        t = median_time(
            lambda m=mode: analyse(  # type: ignore[misc]
                service, comparator, level="detailed", by=("sex", "age_band"), mode=m
            ),
            runs,
        )
        print(f"analyse mode={mode:<11} {t * 1000:7.1f} ms   ratio to baseline {t / base:.2f}")


if __name__ == "__main__":
    main()
