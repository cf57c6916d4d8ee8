"""Benchmark: reading a 200,000-row records xlsx with `load_workbook` vs pandas + openpyxl.

Generates the file (6 text/number columns, as a provider's records return would have),
then times `commissioning.loading.loader.load_workbook` (in process and isolated in a
child process) and `pandas.read_excel(path, engine="openpyxl", dtype=str)` in the same
run, and prints the ratio. The target (issue 7) is at least 5x faster than pandas.

    python benchmarks/bench_read_xlsx.py [--rows 200000] [--keep PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ETHNICITIES = ["White British", "Black African", "Indian", "Mixed W&BC", "Chinese", "Any other"]
SEXES = ["Female", "Male", "Not known"]


def make_file(path: Path, rows: int, seed: int = 7) -> None:
    """Write a records return: ID, ethnicity, sex, age, postcode district, start date."""
    import datetime as dt

    import openpyxl

    rng = random.Random(seed)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Records")
    sheet.append(["Client ID", "Ethnicity", "Sex", "Age", "Area", "Start date"])
    start = dt.date(2024, 4, 1)
    for i in range(rows):
        sheet.append(
            [
                f"C{i:07d}",
                rng.choice(ETHNICITIES),
                rng.choice(SEXES),
                rng.randint(0, 17),
                f"W{rng.randint(1, 14)}",
                start + dt.timedelta(days=rng.randint(0, 364)),
            ]
        )
    book.save(path)


def best_of(repeats: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times) if repeats > 1 else statistics.fmean(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3, help="best of N for our reader")
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated file here")
    args = parser.parse_args()

    import pandas as pd

    from commissioning.loading.loader import load_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "records.xlsx"
        if not path.exists():
            began = time.perf_counter()
            make_file(path, args.rows)
            print(
                f"generated {path.name}: {args.rows:,} rows in {time.perf_counter() - began:.1f} s"
            )
        ours = best_of(args.repeats, lambda: load_workbook(path, isolate=False))
        isolated = best_of(args.repeats, lambda: load_workbook(path, isolate=True))
        default = best_of(args.repeats, lambda: load_workbook(path))
        theirs = best_of(1, lambda: pd.read_excel(path, engine="openpyxl", dtype=str))
        print(f"load_workbook, in process : {ours:6.2f} s")
        print(f"load_workbook, isolated   : {isolated:6.2f} s")
        print(f"load_workbook, default    : {default:6.2f} s")
        print(f"pandas.read_excel openpyxl: {theirs:6.2f} s")
        print(f"ratio (pandas / default)  : {theirs / default:6.1f}x")


if __name__ == "__main__":
    main()
