"""Peak memory and time of reading the whole hostile corpus, measured in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hostile.make_corpus import build

PEAK_LIMIT_MB = 1024

SCRIPT = r"""
import json, resource, sys, time
from pathlib import Path
from commissioning.errors import CommissioningError
from commissioning.loading.loader import load_workbook
folder = Path(sys.argv[1])
worst = 0.0
for path in sorted(folder.iterdir()):
    if path.name == "secret.txt":
        continue
    began = time.perf_counter()
    try:
        load_workbook(path)
    except CommissioningError:
        pass
    worst = max(worst, time.perf_counter() - began)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"own_mb": own, "children_mb": children, "worst_s": worst}))
"""


def test_corpus_peak_memory_and_time(tmp_path: Path) -> None:
    build(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["own_mb"] < PEAK_LIMIT_MB, result
    assert result["children_mb"] < PEAK_LIMIT_MB, result
    assert result["worst_s"] < 10.0, result
