"""Benchmark: upload a return to `commissioning serve` and get the results page back.

Issue 17's targets: with the server warm, the median of 50 uploads one after another is
at most 0.5 s, and with 20 clients uploading at once each gets its page within 10 s.
The server runs in its own process on 127.0.0.1 (started as in
`bench_web_hostile.py`); every loop is bounded. Each upload posts
`provider_returns/westminster_holiday_activities_2024q2.xlsx` with an authority and a
service, and must come back 200 with the findings and the downloads on the page.

    python benchmarks/bench_web_upload.py [--sequential 50] [--concurrent 20] [--warm 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web_hostile import form_body, start_server

MEDIAN_TARGET_S = 0.5
EACH_TARGET_S = 10.0
PAGE_MARKS = (b'id="findings-title"', b'id="downloads-title"')


STATUSES: list[int] = []


def upload(url: str) -> tuple[float, bool]:
    """(seconds from sending to the whole page read, whether it was the results page)."""
    body, kind = form_body()
    request = urllib.request.Request(url + "/results", data=body,
                                     headers={"Content-Type": kind})
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            page = response.read()
            ok = response.status == 200 and all(mark in page for mark in PAGE_MARKS)
            STATUSES.append(response.status)
    except urllib.error.HTTPError as error:
        ok = False
        STATUSES.append(error.code)
    except OSError:
        ok = False
        STATUSES.append(0)
    return time.perf_counter() - began, ok


def concurrent(url: str, clients: int) -> list[tuple[float, bool]]:
    results: list[tuple[float, bool]] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def one() -> None:
        start.wait(timeout=30)
        found = upload(url)
        with lock:
            results.append(found)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=50)
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--warm", type=int, default=3, help="uploads before timing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_server(tmp)
        try:
            for _ in range(args.warm):
                upload(url)
            one_by_one = [upload(url) for _ in range(args.sequential)]
            together = concurrent(url, args.concurrent)
        finally:
            process.terminate()
            process.communicate(timeout=30)
    times = [t for t, _ in one_by_one]
    median = statistics.median(times)
    good = sum(ok for _, ok in one_by_one)
    print(f"{args.sequential} uploads one after another (warm server): median "
          f"{median:.3f} s, fastest {min(times):.3f} s, slowest {max(times):.3f} s; "
          f"results pages {good}/{len(one_by_one)}")
    print(f"  median {median:.3f} s (target <= {MEDIAN_TARGET_S} s): "
          f"{'met' if median <= MEDIAN_TARGET_S and good == len(one_by_one) else 'NOT met'}")
    slowest = max((t for t, _ in together), default=float("inf"))
    within = sum(ok and t <= EACH_TARGET_S for t, ok in together)
    print(f"{args.concurrent} clients at once: slowest {slowest:.2f} s, median "
          f"{statistics.median(t for t, _ in together):.2f} s; results pages within "
          f"{EACH_TARGET_S:g} s: {within}/{args.concurrent}")
    codes = {code: STATUSES.count(code) for code in sorted(set(STATUSES))}
    print(f"  status codes of every upload (status: count): {codes}")
    print(f"  each <= {EACH_TARGET_S:g} s: "
          f"{'met' if within == args.concurrent else 'NOT met'}")


if __name__ == "__main__":
    main()
