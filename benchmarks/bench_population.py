"""Embedded comparators: wheel size added, and the time to load one authority.

    python benchmarks/bench_population.py [--runs 5]

Target (issue 4): package data adds no more than about 10 MB to the wheel, and loading
one authority takes well under a second. Cold times run in fresh child processes
(interpreter start and imports included), the median of ``--runs``; they are compared
with ``import pandas`` alone and with a bare ``pandas.read_csv`` of the largest data file.
Warm times (data already loaded and classified) are measured in this process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from importlib import resources

CHILD_PANDAS = "import pandas"
CHILD_READ_CSV = (
    "import pandas as pd; from importlib import resources; "
    "f = resources.files('commissioning.data').joinpath('census2011.csv.gz').open('rb'); "
    "pd.read_csv(f, compression='gzip')"
)
CHILD_POPULATION = (
    "from commissioning.comparators import population; "
    "population('Westminster', source='{source}'{extra})"
)
CASES = {
    "census2011, ages 0-17": ("census2011", ", ages='0-17'"),
    "census2021": ("census2021", ""),
    "school-census (default)": ("school-census", ""),
    "Bi-Borough fsm": ("fsm", ""),
}


def cold(code: str, runs: int) -> float:
    """Median wall time of ``python -c code`` in a fresh process, seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm(runs: int) -> dict[str, float]:
    from commissioning.comparators import population

    out = {}
    for name, (source, _extra) in CASES.items():
        ages = "0-17" if source == "census2011" else None
        authority = "Bi-Borough" if name.startswith("Bi") else "Westminster"
        population(authority, source=source, ages=ages)  # load and classify once
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            population(authority, source=source, ages=ages)
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def data_bytes() -> dict[str, int]:
    folder = resources.files("commissioning.data")
    return {
        item.name: len(item.read_bytes())
        for item in folder.iterdir()
        if item.name.endswith((".gz", ".json"))
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sizes = data_bytes()
    python = cold("pass", args.runs)
    pandas = cold(CHILD_PANDAS, args.runs)
    read_csv = cold(CHILD_READ_CSV, args.runs)
    cold_seconds = {
        "python -c pass": python,
        "import pandas": pandas,
        "pandas.read_csv(census2011.csv.gz)": read_csv,
    }
    for name, (source, extra) in CASES.items():
        code = CHILD_POPULATION.format(source=source, extra=extra)
        if name.startswith("Bi"):
            code = code.replace("'Westminster'", "'Bi-Borough'")
        cold_seconds[f"population({name})"] = cold(code, args.runs)
    results: dict[str, object] = {
        "data_bytes_total": sum(sizes.values()),
        "data_bytes": sizes,
        "cold_seconds": cold_seconds,
        "warm_seconds": warm(max(args.runs, 20)),
    }
    c11 = cold_seconds["population(census2011, ages 0-17)"]
    results["ratio_cold_census2011_vs_import_pandas"] = c11 / pandas
    results["ratio_cold_census2011_vs_read_csv"] = c11 / read_csv
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
