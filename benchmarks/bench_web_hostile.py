"""Does `commissioning serve` keep answering under 20 concurrent uploads and 150 slow clients?

Loopback only (127.0.0.1), every loop bounded. The server runs in its own process, as a
council would run it. Phases, each timing GET / (the start page) every 0.25 s:

1. idle: the baseline latency;
2. 150 slow clients: each sends half a request line, then one byte a second;
3. the same plus 20 uploads of a real return at once (each runs the whole pipeline).

Reported: median and worst latency of GET / per phase, as ratios to the idle median;
status codes of the uploads; and whether the server still answers after the slow
clients were cut off by the request timeout.

    python benchmarks/bench_web_hostile.py [--uploads 20] [--slow 150] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RETURN = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"


def start_server(tmp: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "TMPDIR": tmp}
    process = subprocess.Popen(
        [sys.executable, "-m", "commissioning", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert process.stdout is not None
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", process.stdout.readline())
    assert found, "the server did not start"
    return process, f"http://127.0.0.1:{found.group(1)}"


def get_latency(url: str) -> float:
    began = time.perf_counter()
    with urllib.request.urlopen(url + "/", timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - began


def probe(url: str, seconds: float) -> list[float]:
    samples: list[float] = []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        samples.append(get_latency(url))
        time.sleep(0.25)
    return samples


def slow_client(port: int, stop: threading.Event, opened: list[int]) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"POST /results HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        opened.append(1)
        for _ in range(600):  # bounded: at most ten minutes
            if stop.wait(1.0):
                return
            try:
                conn.sendall(b"X")
            except OSError:  # cut off by the server's request timeout
                return


def form_body(path: Path = RETURN) -> tuple[bytes, str]:
    """The upload form for ``path`` as a multipart body, and its content type."""
    boundary = uuid.uuid4().hex
    fields = {"authority": "Westminster", "service": "Holiday Activities and Food"}
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="return_file"; '
        f'filename="{path.name}"\r\n\r\n'
    ).encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(url: str, statuses: list[int]) -> None:
    body, kind = form_body()
    request = urllib.request.Request(
        url + "/results", data=body, headers={"Content-Type": kind}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            statuses.append(response.status)
    except urllib.error.HTTPError as error:
        statuses.append(error.code)
    except OSError:
        statuses.append(0)


def summary(name: str, samples: list[float], base: float) -> str:
    median, worst = statistics.median(samples), max(samples)
    return (f"{name:34} n={len(samples):3}  median {median * 1000:7.1f} ms "
            f"({median / base:5.1f}x)  worst {worst * 1000:7.1f} ms ({worst / base:6.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--slow", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_server(tmp)
        port = int(url.rsplit(":", 1)[1])
        try:
            get_latency(url)  # warm
            idle = probe(url, 5)
            base = statistics.median(idle)
            stop, opened = threading.Event(), []
            slow = [threading.Thread(target=slow_client, args=(port, stop, opened), daemon=True)
                    for _ in range(args.slow)]
            for thread in slow:
                thread.start()
            time.sleep(2)
            with_slow = probe(url, 5)
            statuses: list[int] = []
            uploads = [threading.Thread(target=upload, args=(url, statuses), daemon=True)
                       for _ in range(args.uploads)]
            began = time.perf_counter()
            for thread in uploads:
                thread.start()
            under_load = probe(url, args.seconds)
            for thread in uploads:
                thread.join(timeout=300)
            upload_s = time.perf_counter() - began
            stop.set()
            after = probe(url, 2)
            leftovers = [p for p in Path(tmp).iterdir() if p.name.startswith("commissioning-web-")]
        finally:
            process.terminate()
            _, err = process.communicate(timeout=30)
    print(f"slow clients connected: {len(opened)} of {args.slow}")
    print(summary("idle (baseline)", idle, base))
    print(summary(f"{args.slow} slow clients", with_slow, base))
    print(summary(f"+ {args.uploads} concurrent uploads", under_load, base))
    print(summary("afterwards", after, base))
    codes = {code: statuses.count(code) for code in sorted(set(statuses))}
    print(f"uploads: {codes} (status: count), all finished in {upload_s:.1f} s")
    print(f"upload folders left: {len(leftovers)}; traceback in log: {'Traceback' in err}")


if __name__ == "__main__":
    main()
