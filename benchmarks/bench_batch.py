"""`commissioning batch` on 500 returns with 1 worker and with 2 workers.

    python benchmarks/bench_batch.py [--services 250] [--periods 2] [--rows 200]

Target (issue 8): time with 1 worker / time with 2 workers >= 1.6. Each run is the
real command in a child process (checks, analyses, Word sections and the portfolio
workbook). Run it on an otherwise idle machine with at least 2 cores: the ratio
measures the parallel part, and other load on the cores distorts it. With
``--repeats R`` the runs alternate (1, 2, 1, 2, ...) and the fastest of each is used,
the usual way to take other programs' load out of a timing. A run in which any return
failed is left out of the timing (its work was skipped) and its problems are listed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_data import write_folder


def run(folder: Path, out: Path, workers: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the command and its workers, exit code)."""
    args = [sys.executable, "-m", "commissioning", "batch", str(folder), "--authority",
            "Westminster", "--out", str(out), "--workers", str(workers)]  # fmt: skip
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # includes the workers it waited for
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def problems(out: Path) -> list[str]:
    """Every failure the run reported (a timing with failures is not comparable)."""
    summary = json.loads((out / "batch-summary.json").read_text("utf-8"))
    return [
        f"{s['service']} / {f['file']}: {f['problem']}"
        for s in summary["services"]
        for f in s["failures"]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=250)
    parser.add_argument("--periods", type=int, default=2)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    folder = work / "returns"
    files = write_folder(folder, services=args.services, periods=args.periods, rows=args.rows)
    times: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    codes = []
    failures: list[str] = []
    failed_runs: list[int] = []
    load_before = os.getloadavg()[0]
    for repeat in range(args.repeats):
        for workers in (1, 2):
            out = work / f"out-{workers}-{repeat}"
            seconds, cpu_seconds, code = run(folder, out, workers)
            found = problems(out)
            failed_runs.append(len(found))
            failures.extend(found)
            if found:  # work was skipped, so the time is not comparable
                continue
            times[workers].append(seconds)
            cpu[workers].append(cpu_seconds)
            codes.append(code)
    if not times[1] or not times[2]:
        raise SystemExit("every run of one kind had failures: " + "; ".join(sorted(set(failures))))
    one_s, two_s = min(times[1]), min(times[2])
    result = {
        "returns": len(files),
        "services": args.services,
        "rows_per_return": args.rows,
        "cpu_count": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "one_worker_seconds": [round(t, 2) for t in times[1]],
        "two_workers_seconds": [round(t, 2) for t in times[2]],
        "one_worker_cpu_seconds": [round(t, 2) for t in cpu[1]],
        "two_workers_cpu_seconds": [round(t, 2) for t in cpu[2]],
        "exit_codes": codes,
        "failures_per_run": failed_runs,  # runs in order 1, 2, 1, 2, ...
        "distinct_problems": sorted({f.split(": ", 1)[1] for f in failures}),
        "speedup_one_over_two": round(one_s / two_s, 2),
        # how busy two workers kept two cores (1.0 = both cores all the time)
        "two_worker_core_use": round(min(cpu[2]) / (2 * two_s), 2),
    }
    print(json.dumps(result, indent=2))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
