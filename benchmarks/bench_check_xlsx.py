"""Benchmark: `commissioning check` of a 200,000-row records xlsx against python-calamine
alone reading the same sheet into Python lists, both as fresh processes.

Issue 17's target: the check takes at most 2.0 times the floor. Each repetition runs
the floor and the check once each, one after the other (the order alternates, so a
burst of other work does not always land on the same one); the ratio of each pair and
the median of those ratios are printed, with the median of each side.

    python benchmarks/bench_check_xlsx.py [--rows 200000] [--repeats 7] [--keep PATH]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read_xlsx import make_file

TARGET = 2.0
FLOOR = (
    "import sys, python_calamine as c; "
    "c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()"
)


def wall(args: list[str], ok: tuple[int, ...] = (0,)) -> float:
    """Seconds one fresh process takes, start to exit."""
    began = time.perf_counter()
    done = subprocess.run(args, capture_output=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode not in ok:
        raise SystemExit(f"{args[:4]} exited {done.returncode}: {done.stderr[-500:]!r}")
    return seconds


def paired(floor: list[str], ours: list[str], repeats: int) -> tuple[list[float], list[float]]:
    """``repeats`` pairs (floor, ours), alternating which runs first; one warm-up each."""
    wall(floor)
    wall(ours, ok=(0, 1))
    floors, mine = [], []
    for i in range(repeats):
        if i % 2:
            mine.append(wall(ours, ok=(0, 1)))
            floors.append(wall(floor))
        else:
            floors.append(wall(floor))
            mine.append(wall(ours, ok=(0, 1)))
    return floors, mine


def report(name: str, floors: list[float], mine: list[float], target: float) -> float:
    ratios = [m / f for f, m in zip(floors, mine, strict=True)]
    ratio = statistics.median(ratios)
    print(f"floor median {statistics.median(floors):.2f} s; {name} median "
          f"{statistics.median(mine):.2f} s")
    print("pair ratios: " + ", ".join(f"{r:.2f}" for r in ratios))
    verdict = "met" if ratio <= target else "NOT met"
    print(f"ratio (median of pairs) {ratio:.2f} (target <= {target}): {verdict}")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated file here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "records.xlsx"
        if not path.exists():
            make_file(path, args.rows)
        floor = [sys.executable, "-c", FLOOR, str(path)]
        ours = [sys.executable, "-m", "commissioning", "check", str(path)]
        print(f"{args.rows:,} rows; {args.repeats} paired runs; floor: python -c \"{FLOOR}\"")
        report("commissioning check", *paired(floor, ours, args.repeats), TARGET)


if __name__ == "__main__":
    main()
