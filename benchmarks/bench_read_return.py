"""Benchmark: `read_return` end to end (load, find header, classify, count) on a
200,000-row records xlsx, against `pandas.read_excel(engine="openpyxl")` alone.

Issue 3's target: at least 5x faster than pandas + openpyxl on the same file, and
classification whose cost grows with distinct labels, not rows. The file is the one
`bench_read_xlsx.py` makes (ID, ethnicity, sex, age, area, start date).

    python benchmarks/bench_read_return.py [--rows 200000] [--keep PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read_xlsx import best_of, make_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3, help="best of N for read_return")
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated file here")
    args = parser.parse_args()

    import pandas as pd

    from commissioning.loading.loader import load_workbook
    from commissioning.returns import read_return
    from commissioning.returns.read import read_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "records.xlsx"
        if not path.exists():
            make_file(path, args.rows)
        book = load_workbook(path)
        interpret = best_of(args.repeats, lambda: read_workbook(book))
        ours = best_of(args.repeats, lambda: read_return(path))
        theirs = best_of(1, lambda: pd.read_excel(path, engine="openpyxl", dtype=str))
        result = read_return(path)
        print(f"rows read                         : {result.total:,}")
        print(f"read_return (end to end)          : {ours:6.2f} s")
        print(f"  of which header/layout/classify : {interpret:6.2f} s")
        print(f"pandas.read_excel(openpyxl)       : {theirs:6.2f} s")
        print(f"speed-up                          : {theirs / ours:6.1f}x (target >= 5x)")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"(whole run {time.perf_counter() - started:.0f} s)")
