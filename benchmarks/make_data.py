"""Synthetic provider returns for the benchmarks (no real people: labels drawn at random).

    python benchmarks/make_data.py records OUT.csv --rows 5000000 [--labels 19] [--seed 1]
    python benchmarks/make_data.py folder OUT_DIR --services 250 --periods 2 --rows 200

``records`` writes one big records-layout CSV (Ethnicity, Gender, Age, Period) in
chunks, so making 5,000,000 rows needs little memory. ``folder`` writes a folder of
small returns, one subfolder per service and one file per quarter, for the batch
benchmark. ``--labels`` sets how many distinct ethnicity spellings appear (5, 19 or
more), to show the cost does not grow with the number of groups.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from commissioning.model.categories import DETAILED_GROUPS, DETAILED_ONS_WORDING, MAJOR_GROUPS

COLUMNS = ("Ethnicity", "Gender", "Age", "Period")
SEXES = ("Female", "Male", "F", "M", "Girl", "Boy", "Prefer not to say")
NOT_KNOWN = ("Prefer not to say", "Not stated", "")
DFE_CODES = (
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
    "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH",
)  # fmt: skip
CHUNK_ROWS = 500_000
QUARTERS = ("2024-25 Q1", "2024-25 Q2", "2024-25 Q3", "2024-25 Q4")


def ethnicity_labels(distinct: int) -> list[str]:
    """``distinct`` spellings that the reader classifies: the five major groups alone
    for 5; otherwise the 19 short Census 2021 names first, then DfE codes, then the full
    ONS wording (up to 56)."""
    if distinct == len(MAJOR_GROUPS):
        return list(MAJOR_GROUPS)
    pool = [*DETAILED_GROUPS, *DFE_CODES, *DETAILED_ONS_WORDING.values()]
    if not 1 <= distinct <= len(pool):
        raise SystemExit(f"--labels must be 5, or between 1 and {len(pool)}")
    return pool[:distinct]


def records_frame(
    rows: int, *, seed: int = 1, labels: int = 19, periods: Sequence[str] = ("2024-25 Q1",)
) -> pd.DataFrame:
    """``rows`` people with random ethnicity, gender, age and period (as text)."""
    rng = np.random.default_rng(seed)
    ethnic = np.array([*ethnicity_labels(labels), *NOT_KNOWN], dtype=object)
    weights = np.r_[np.full(len(ethnic) - len(NOT_KNOWN), 1.0), [0.2] * len(NOT_KNOWN)]
    return pd.DataFrame(
        {
            "Ethnicity": ethnic[rng.choice(len(ethnic), rows, p=weights / weights.sum())],
            "Gender": np.array(SEXES, dtype=object)[rng.integers(0, len(SEXES), rows)],
            "Age": rng.integers(0, 18, rows).astype(str).astype(object),
            "Period": np.array(list(periods), dtype=object)[rng.integers(0, len(periods), rows)],
        },
        columns=list(COLUMNS),
    )


def write_records_csv(
    path: Path, rows: int, *, seed: int = 1, labels: int = 19, periods: Sequence[str] = QUARTERS
) -> Path:
    """Write a records CSV chunk by chunk (memory stays flat however many rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        done = 0
        while done < rows:
            size = min(CHUNK_ROWS, rows - done)
            frame = records_frame(size, seed=seed + done, labels=labels, periods=periods)
            frame.to_csv(handle, index=False, header=done == 0)
            done += size
    return path


def write_folder(
    out: Path, *, services: int, periods: int, rows: int, seed: int = 1, bad: int = 0
) -> list[Path]:
    """One subfolder per service, one CSV per quarter; ``bad`` services get one
    unreadable return each (to exercise the batch's error handling)."""
    quarters = [f"2024-25 Q{q}" for q in range(1, 5)] + [f"2025-26 Q{q}" for q in range(1, 5)]
    written = []
    for s in range(services):
        folder = out / f"Service {s + 1:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        for p in range(periods):
            quarter = quarters[p % len(quarters)]
            path = folder / f"{quarter}.csv"
            frame = records_frame(rows, seed=seed + 1000 * s + p, periods=(quarter,))
            frame.drop(columns=["Period"]).to_csv(path, index=False)
            written.append(path)
        if s < bad:
            broken = folder / "2023-24 Q4.csv"
            broken.write_bytes(b"\x00\x01not a table\xff" * 3)
            written.append(broken)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    rec = sub.add_parser("records", help="one big records CSV")
    rec.add_argument("out", type=Path)
    rec.add_argument("--rows", type=int, default=5_000_000)
    rec.add_argument("--labels", type=int, default=19)
    rec.add_argument("--seed", type=int, default=1)
    fol = sub.add_parser("folder", help="a folder of small returns")
    fol.add_argument("out", type=Path)
    fol.add_argument("--services", type=int, default=250)
    fol.add_argument("--periods", type=int, default=2)
    fol.add_argument("--rows", type=int, default=200)
    fol.add_argument("--bad", type=int, default=0)
    args = parser.parse_args(argv)
    if args.what == "records":
        write_records_csv(args.out, args.rows, seed=args.seed, labels=args.labels)
    else:
        write_folder(
            args.out, services=args.services, periods=args.periods, rows=args.rows, bad=args.bad
        )


if __name__ == "__main__":
    main()
