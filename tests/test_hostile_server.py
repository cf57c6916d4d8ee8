"""Issue 13: the hostile corpus read by the library in a threaded process (as the server
does, with and without the reader pool) and uploaded to a running `commissioning serve`:
every file gets one clear line within 10 s, the server answers the next request, and no
upload is left on disk (also after the server is killed mid-request)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_hostile import ENTRIES, expected_message, make_corpus, matches_template

from commissioning.checking.report import build_check
from commissioning.errors import UnreadableFileError
from commissioning.loading import isolation, workers
from commissioning.loading.loader import load_workbook
from commissioning.returns import read_return
from commissioning.web.uploads import FOLDER_PREFIX, sweep_stale_folders

TIME_LIMIT_S = 10.0
GIB = 1024**3
LEAKS = ("Traceback", "panicked", "stack backtrace", "RUST_BACKTRACE")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile13")
    make_corpus.build(folder)
    return folder


@pytest.fixture
def threaded() -> Iterator[None]:
    """Another thread alive, as in a web server: no cheap fork for the native parse."""
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, daemon=True)
    worker.start()
    yield
    stop.set()
    worker.join()


@pytest.fixture(scope="module")
def pool() -> Iterator[workers.ParsePool]:
    with workers.ParsePool(2, time_limit_s=TIME_LIMIT_S, memory_limit_bytes=GIB) as started:
        yield started


def _outcome(path: Path) -> str:
    """What the library says of ``path``: "read" or the refusal's one line."""
    try:
        load_workbook(path)
    except UnreadableFileError as exc:
        assert "\n" not in exc.message
        return exc.message
    return "read"


def _check(name: str, outcome: str) -> None:
    entry = ENTRIES[name]
    if entry.refuse:
        assert matches_template(outcome, expected_message(entry.refuse)), (name, outcome)
    else:
        assert outcome == "read", (name, outcome)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_corpus_in_a_threaded_process(name: str, corpus: Path, threaded: None) -> None:
    assert not isolation._can_fork()
    began = time.perf_counter()
    _check(name, _outcome(corpus / name))
    assert time.perf_counter() - began < TIME_LIMIT_S


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_corpus_through_the_reader_pool(
    name: str, corpus: Path, pool: workers.ParsePool, threaded: None
) -> None:
    workers.use_pool(pool)
    try:
        began = time.perf_counter()
        _check(name, _outcome(corpus / name))
        assert time.perf_counter() - began < TIME_LIMIT_S
    finally:
        workers.use_pool(None)


def test_the_pool_reads_exactly_what_this_process_reads(
    corpus: Path, pool: workers.ParsePool
) -> None:
    for name in ("hidden_sheets.xlsx", "utf16.csv", "error_cells.xlsx", "plain.xls"):
        here = load_workbook(corpus / name, isolate=False)
        there = pool.load(str(corpus / name))
        assert there.notes == here.notes and there.sha256 == here.sha256
        assert [s.name for s in there.sheets] == [s.name for s in here.sheets]
        for a, b in zip(there.sheets, here.sheets, strict=True):
            assert a.cells.equals(b.cells), name
            assert (a.visibility, a.hidden_rows) == (b.visibility, b.hidden_rows)
            assert a.merged == b.merged


@pytest.mark.parametrize("name", sorted(n for n, e in ENTRIES.items() if e.blocks))
def test_implausible_counts_stop_the_analysis(name: str, corpus: Path) -> None:
    ret = read_return(corpus / name)
    report = build_check(ret)
    assert not report.can_analyse
    assert ENTRIES[name].blocks in {i.code for i in report.blocking}
    assert ret.counts.total >= 0  # never a wrapped, negative total


def test_a_dead_worker_costs_one_request(corpus: Path) -> None:
    with workers.ParsePool(1, time_limit_s=30) as small:
        before = small.pids()
        done: list[str] = []

        def read() -> None:
            try:
                small.load(str(corpus / "million_rows.xlsx"))
                done.append("read")
            except UnreadableFileError as exc:
                done.append(exc.message)

        reader = threading.Thread(target=read)
        reader.start()
        time.sleep(0.5)  # the worker is busy with the file
        os.kill(before[0], signal.SIGKILL)
        reader.join(timeout=30)
        assert done == [isolation.MSG_CRASHED]
        assert small.load(str(corpus / "utf16.csv")).sheets[0].cells.shape == (3, 2)
        assert small.pids() and small.pids() != before


def test_a_hang_is_stopped_at_the_time_limit(corpus: Path) -> None:
    with workers.ParsePool(1, time_limit_s=0.5) as small:
        with pytest.raises(UnreadableFileError) as caught:
            small.load(str(corpus / "million_rows.xlsx"))
        assert caught.value.message == isolation.MSG_TIMEOUT.format(seconds="0.5")
        assert small.load(str(corpus / "utf16.csv")).file_format == "csv"


# --- a running server ---------------------------------------------------------------------


class Server:
    """`commissioning serve` in its own process, with its own temporary folder."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "commissioning", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        self.url = f"http://127.0.0.1:{found.group(1)}"

    def upload(self, path: Path, timeout: float = 30) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        fields = {"authority": "Westminster", "service": "Holiday Activities and Food"}
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="return_file"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.url + "/results",
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def home(self) -> int:
        with urllib.request.urlopen(self.url + "/", timeout=10) as response:
            return int(response.status)

    def leftovers(self) -> list[str]:
        return [p.name for p in self.tmp.iterdir() if p.name.startswith(FOLDER_PREFIX)]

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


def _error_message(page: str) -> str:
    found = re.search(r'<p class="error-message">(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


@pytest.mark.slow
def test_every_hostile_upload_gets_one_line_and_nothing_is_kept(
    corpus: Path, tmp_path: Path
) -> None:
    import html

    server = Server(tmp_path)
    try:
        for name, entry in sorted(ENTRIES.items()):
            if name in ("secret.txt",):
                continue
            began = time.perf_counter()
            status, page = server.upload(corpus / name)
            assert time.perf_counter() - began < TIME_LIMIT_S, name
            if entry.refuse:
                assert status == 422, (name, status)
                message = html.unescape(_error_message(page))
                assert matches_template(message, expected_message(entry.refuse)), (name, message)
            else:
                assert status in (200, 422), (name, status)
            if entry.blocks:
                assert status == 422 and "cannot be analysed" in page
            assert "\x1b" not in page and "\x9b" not in page
            assert server.home() == 200  # the server answers the next request
        assert server.leftovers() == []
    finally:
        err = server.stop()
    assert not any(leak in err for leak in LEAKS), err
    assert server.leftovers() == []


@pytest.mark.slow
def test_uploads_left_by_a_killed_server_are_swept_at_start(corpus: Path, tmp_path: Path) -> None:
    server = Server(tmp_path)

    def upload() -> None:
        with contextlib.suppress(OSError):  # the server is killed under it: the test
            server.upload(corpus / "million_rows.xlsx", timeout=60)

    uploading = threading.Thread(target=upload, daemon=True)
    uploading.start()
    deadline = time.monotonic() + 30
    while not server.leftovers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.leftovers(), "the upload never reached the disk"
    server.process.kill()  # kill -9 mid-request: its `finally` never runs
    server.process.communicate(timeout=30)
    assert server.leftovers()
    again = Server(tmp_path)
    try:
        assert again.leftovers() == []
        assert again.home() == 200
    finally:
        again.stop()


def test_the_sweep_keeps_live_and_recent_folders(tmp_path: Path) -> None:
    mine = tmp_path / f"{FOLDER_PREFIX}{os.getpid()}-abc"
    mine.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    gone = tmp_path / f"{FOLDER_PREFIX}{int(dead.stdout)}-xyz"
    (gone / "00").mkdir(parents=True)
    (gone / "00" / "return.xlsx").write_bytes(b"personal data")
    other = tmp_path / "someone-else"
    other.mkdir()
    assert sweep_stale_folders(tmp_path) == 1
    assert mine.exists() and other.exists() and not gone.exists()
    assert sweep_stale_folders(tmp_path, now=time.time() + 7200) == 1
    assert not mine.exists() and other.exists()
