"""Large records CSVs, read in chunks so memory stays flat however many rows there are.

The ordinary reader holds every cell as text, which is right for a spreadsheet of
thousands of rows but not for a national extract of millions. For a large CSV whose
first rows show a records layout (one row per person), this module:

1. reads the first megabyte with the ordinary reader's pieces (encoding, delimiter,
   header, layout, identifier check), so the decisions are exactly the same;
2. streams only the recognised columns in chunks with the pandas C parser, and keeps
   one row per distinct combination of answers, with how many people gave it and the
   first spreadsheet row it appears on (`pd.factorize` once per column and per chunk,
   no Python loop over people);
3. classifies that small table with the ordinary reader's `classify_table`.

So the result equals `read_return` on the same file (tested), with two small
differences: an unmapped label is listed with the first row of each combination it
appears in (rather than its first rows overall), and a footnote is recognised from the
recognised columns alone (the other columns are never read). It is a GROUP BY over the
file; docs/performance.md explains how the same aggregation runs past one machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from commissioning.errors import UnreadableFileError
from commissioning.loading import filetype
from commissioning.loading.csvread import (
    MSG_CSV_DAMAGED,
    MSG_ENCODING_USED,
    SHEET_NAME,
    decode,
    read_text_table,
    sniff_delimiter,
)
from commissioning.loading.limits import DEFAULT_LIMITS, MIB, Limits
from commissioning.model.counts import Counts
from commissioning.model.quality import DataQuality, Issue
from commissioning.returns.assemble import (
    MSG_DUPLICATE_COLUMNS,
    classify_main,
    completeness_issues,
)
from commissioning.returns.header import Header, column_letter, find_header
from commissioning.returns.identifiers import find_identifiers, personal_data_issue
from commissioning.returns.layout import MSG_NOTE_ROWS, TABLE_ROLES, detect_layout, rows_text
from commissioning.returns.model import ProviderReturn

#: CSV files at least this large are streamed (when their layout is records).
STREAM_ABOVE_BYTES: Final = 32 * MIB
#: Rows parsed at a time: bounds memory whatever the file's length.
CHUNK_ROWS: Final = 500_000
#: Chunks' combinations are merged after this many chunks, so memory stays flat.
MERGE_EVERY: Final = 4
#: Bytes of the file's start used to find the encoding, delimiter, header and layout.
HEAD_BYTES: Final = 1 * MIB
#: A sentence in a single cell is a footnote, not a person (as in the ordinary reader).
NOTE_WORDS: Final = 6

ENCODING_LABELS: Final = {"cp1252": "Windows-1252"}
_PANDAS_CODECS: Final = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1252": "cp1252",
                         "latin-1": "latin-1"}  # fmt: skip


def read_if_large(
    path: str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    limits: Limits | None = None,
    above_bytes: int | None = None,
) -> ProviderReturn | None:
    """The return read in chunks, or None when the ordinary reader should read it (not
    a CSV, smaller than ``above_bytes`` (default `STREAM_ABOVE_BYTES`), not a records
    layout, or UTF-16 text)."""
    limits = limits or DEFAULT_LIMITS
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
    except OSError:
        return None  # the ordinary reader words the problem
    threshold = STREAM_ABOVE_BYTES if above_bytes is None else above_bytes
    if size < threshold or not file_path.is_file():
        return None
    kind = filetype.detect(file_path, limits)  # the same refusals as the ordinary reader
    if kind.container != "text":
        return None
    return read_large_csv(file_path, as_of=as_of, limits=limits, notes=kind.notes)


def read_large_csv(
    path: Path,
    *,
    as_of: dt.date | None = None,
    limits: Limits | None = None,
    notes: tuple[Issue, ...] = (),
) -> ProviderReturn | None:
    """Stream a records CSV; None when its first rows are not a records layout."""
    limits = limits or DEFAULT_LIMITS
    head = _head(path)
    codec, _ = decode(head)
    if codec not in _PANDAS_CODECS:
        return None
    table = read_text_table(head, limits)
    cells = table.sheet.cells
    header = find_header(cells)
    if header is None:
        return None
    layout = detect_layout(cells, header, SHEET_NAME)
    if layout.layout != "records":
        return None
    wanted: dict[str, int] = {
        str(role): col for col, role in header.roles.items() if role in TABLE_ROLES
    }
    # Issues in the same order as the ordinary reader gives them.
    file_notes: list[Issue] = [*notes, *table.notes]
    try:
        data = _aggregate(path, header, wanted, _PANDAS_CODECS[codec], head)
    except UnicodeDecodeError:
        # The first megabyte was UTF-8 but a later byte is not: read it all as cp1252,
        # as the ordinary reader would have.
        codec = "cp1252"
        data = _aggregate(path, header, wanted, codec, head)
        label = ENCODING_LABELS[codec]
        file_notes.append(Issue("info", "text-encoding", MSG_ENCODING_USED.format(label=label)))
    data, note_issue = _drop_notes_and_blanks(data, list(wanted))
    issues = [*file_notes, *([note_issue] if note_issue is not None else [])]
    if header.duplicates:
        columns = ", ".join(column_letter(c) for c in header.duplicates)
        message = MSG_DUPLICATE_COLUMNS.format(columns=columns)
        issues.append(Issue("warning", "duplicate-column", message, sheet=SHEET_NAME))
    body = cells.iloc[header.row + 1 :]
    headings = cells.iloc[header.row].tolist()
    found = find_identifiers(body, header, wanted.get("dob"), headings)
    personal = personal_data_issue(found, SHEET_NAME)
    if personal is not None:
        issues.append(personal)
    classified, _ = classify_main(
        data, has_dob="dob" in wanted, as_of=as_of, sheet=SHEET_NAME, issues=issues
    )
    del data  # the raw text (dates of birth included) goes no further
    counts = Counts(classified.frame)
    issues.extend(completeness_issues(counts, wanted, {}, SHEET_NAME))
    return ProviderReturn(
        path=str(path),
        sha256=_sha256(path),
        file_format="csv",
        encoding=codec,
        sheet=None,
        layout="records",
        counts=counts,
        quality=DataQuality(issues=tuple(issues), unmapped=classified.unmapped),
        layout_detail=layout.detail,
        columns={role: column_letter(col) for role, col in wanted.items()},
        marginals={},
    )


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    cut = head.rfind(b"\n")
    return head[: cut + 1] if 0 <= cut < len(head) - 1 else head


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(4 * MIB), b""):
            digest.update(block)
    return digest.hexdigest()


def _chunks(
    path: Path, header: Header, columns: list[int], codec: str, delimiter: str
) -> Iterator[pd.DataFrame]:
    reader = pd.read_csv(
        path,
        sep=delimiter,
        header=None,
        skiprows=header.row + 1,
        usecols=columns,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
        encoding=codec,
        quoting=csv.QUOTE_MINIMAL,
        chunksize=CHUNK_ROWS,
    )
    try:
        with reader:
            yield from reader
    except (pd.errors.ParserError, ValueError) as exc:
        if isinstance(exc, UnicodeDecodeError):
            raise
        raise UnreadableFileError(MSG_CSV_DAMAGED.format(problem="the rows are broken")) from exc


def _aggregate(
    path: Path,
    header: Header,
    wanted: dict[str, int],
    codec: str,
    head: bytes,
) -> pd.DataFrame:
    """One row per distinct combination of answers: ``count`` people, first ``row``."""
    delimiter = sniff_delimiter(head.decode(codec, errors="replace"))
    roles = list(wanted)
    positions = [wanted[r] for r in roles]
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    sorted_positions = [positions[i] for i in order]
    parts: list[pd.DataFrame] = []
    first_row = header.row + 2  # 1-based spreadsheet row of the first body line
    offset = 0
    for chunk in _chunks(path, header, sorted_positions, codec, delimiter):
        values = [chunk[p].to_numpy(dtype=object) for p in sorted_positions]
        parts.append(_distinct(values, [roles[i] for i in order], first_row + offset))
        offset += len(chunk)
        if len(parts) >= MERGE_EVERY:  # keep what is held small: merge as we go
            parts = [_merge(parts, roles)]
    if not parts:
        return pd.DataFrame(
            {
                **{r: pd.Series([], dtype=object) for r in roles},
                "count": pd.Series([], dtype="int64"),
                "row": pd.Series([], dtype="int64"),
            }
        )
    joined = _merge(parts, roles)
    return joined[[*roles, "count", "row"]].sort_values("row", kind="stable").reset_index(drop=True)


def _merge(parts: list[pd.DataFrame], roles: list[str]) -> pd.DataFrame:
    """Combinations of several chunks added up (people summed, first row kept)."""
    if len(parts) == 1:
        return parts[0]
    return (
        pd.concat(parts, ignore_index=True)
        .groupby(roles, sort=False)
        .agg(count=("count", "sum"), row=("row", "min"))
        .reset_index()
    )


def _distinct(values: list[np.ndarray], roles: list[str], first_row: int) -> pd.DataFrame:
    """Distinct combinations of one chunk, found with integer codes only."""
    key = np.zeros(len(values[0]), dtype=np.int64)
    size = 1
    for column in values:
        codes, uniques = pd.factorize(column)
        width = max(len(uniques), 1)
        if size * width >= 2**62:  # keep the mixed-radix key inside int64
            key, seen = pd.factorize(key)
            size = max(len(seen), 1)
        key = key * width + codes
        size *= width
    combo, _ = pd.factorize(key)
    counts = np.bincount(combo)
    # Codes are numbered in order of first appearance, so the running maximum steps up
    # exactly at each combination's first row: those rows hold the combination's values.
    first = np.flatnonzero(np.diff(np.maximum.accumulate(combo), prepend=-1) > 0)
    frame = pd.DataFrame({role: column[first] for role, column in zip(roles, values, strict=True)})
    frame["count"] = counts.astype("int64")
    frame["row"] = (first + first_row).astype("int64")
    return frame


def _drop_notes_and_blanks(
    data: pd.DataFrame, roles: list[str]
) -> tuple[pd.DataFrame, Issue | None]:
    """As the ordinary reader: rows with nothing in the recognised columns are not
    people, nor are footnotes (one filled cell holding a sentence)."""
    text = data[roles].to_numpy(dtype=object)
    filled = text != ""
    has_value = filled.any(axis=1)
    single = filled.sum(axis=1) == 1
    sentence = np.zeros(len(data), dtype=bool)
    if single.any():
        cells = text[single][filled[single]]
        sentence[np.flatnonzero(single)] = [len(str(c).split()) > NOTE_WORDS for c in cells]
    keep = has_value & ~sentence
    issue = None
    if sentence.any():
        rows = np.sort(data.loc[sentence, "row"].to_numpy())
        issue = Issue(
            "info",
            "note-rows",
            MSG_NOTE_ROWS.format(rows=rows_text(rows)),
            rows=tuple(int(r) for r in rows[:10]),
            sheet=SHEET_NAME,
        )
    return data.loc[keep].reset_index(drop=True), issue
