"""`commissioning check` on a 5,000,000-row records CSV, against plain pandas.

    python benchmarks/bench_check_5m.py [--rows 5000000] [--keep]

Target (issue 8): the check takes at most 3x the time of
``pandas.read_csv(usecols=[...], dtype=str)`` plus ``value_counts`` on the same columns,
and its peak memory stays under 2 GB. Both run as child processes (interpreter start
and imports included for both); the peak resident memory of each child comes from
``resource.getrusage(RUSAGE_CHILDREN)`` read after that child alone has finished
(``os.wait4`` gives the same figure per child; both are printed).

Then the cost curve, in this process through the streaming reader: time per row at
three sizes (linear in rows means a flat time per row) and time at 5, 19 and 56
distinct ethnicity labels (flat in groups).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_data import COLUMNS, write_records_csv

BASELINE = """
import sys, pandas as pd
frame = pd.read_csv(sys.argv[1], usecols={columns!r}, dtype=str)
for column in frame.columns:
    frame[column].value_counts()
"""


def run_child(args: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB by wait4, exit code) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.stderr is not None:
        child.stderr.close()
    return seconds, usage.ru_maxrss / 1024, child.returncode


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def stream_seconds(path: Path) -> float:
    from commissioning.returns.stream import read_if_large

    start = time.perf_counter()
    result = read_if_large(path, above_bytes=0)
    assert result is not None
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--curve-rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-check-"))
    big = write_records_csv(work / "records.csv", args.rows)
    size_mb = big.stat().st_size / 1e6
    check = [sys.executable, "-m", "commissioning", "check", str(big), "--format", "json"]
    check_s, check_mb, code = run_child(check)
    check_peak = children_peak_mb()  # only the check child has finished so far
    baseline = [sys.executable, "-c", BASELINE.format(columns=list(COLUMNS)), str(big)]
    base_s, base_mb, base_code = run_child(baseline)
    result: dict[str, object] = {
        "rows": args.rows,
        "file_mb": round(size_mb, 1),
        "check_exit_code": code,
        "check_seconds": round(check_s, 2),
        "check_peak_mb_rusage_children": round(check_peak, 1),
        "check_peak_mb_wait4": round(check_mb, 1),
        "pandas_exit_code": base_code,
        "pandas_seconds": round(base_s, 2),
        "pandas_peak_mb": round(base_mb, 1),
        "time_ratio_check_over_pandas": round(check_s / base_s, 2),
    }
    curve = args.curve_rows
    warm = write_records_csv(work / "warm-up.csv", 10_000)
    stream_seconds(warm)  # imports and lookup tables are built once, not timed
    warm.unlink()
    per_row = {}
    for rows in (curve // 2, curve, 2 * curve):
        path = write_records_csv(work / f"rows-{rows}.csv", rows)
        per_row[rows] = stream_seconds(path) / rows * 1e6
        path.unlink()
    smallest = min(per_row)
    result["microseconds_per_row"] = {k: round(v, 3) for k, v in per_row.items()}
    result["per_row_ratio_largest_over_smallest"] = round(
        per_row[max(per_row)] / per_row[smallest], 2
    )
    by_labels, per_mb = {}, {}
    for labels in (5, 19, 56):
        path = write_records_csv(work / f"labels-{labels}.csv", curve, labels=labels)
        by_labels[labels] = stream_seconds(path)
        per_mb[labels] = by_labels[labels] / (path.stat().st_size / 1e6)
        path.unlink()
    # More labels also means longer ones (DfE codes, then the full ONS wording), so the
    # file grows; seconds per MB separates the number of groups from the bytes parsed.
    result["seconds_by_distinct_labels"] = {k: round(v, 3) for k, v in by_labels.items()}
    result["seconds_per_mb_by_distinct_labels"] = {k: round(v, 4) for k, v in per_mb.items()}
    result["labels_ratio_56_over_5"] = round(by_labels[56] / by_labels[5], 2)
    result["labels_ratio_56_over_5_per_mb"] = round(per_mb[56] / per_mb[5], 2)
    print(json.dumps(result, indent=2))
    if not args.keep:
        big.unlink()
        work.rmdir()


if __name__ == "__main__":
    main()
