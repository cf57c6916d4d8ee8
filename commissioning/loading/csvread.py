"""Read a CSV (or other delimited text) return into a sheet of text cells.

Text files come in every encoding Windows can save: UTF-8 (with or without a byte-order
mark), UTF-16 from "Unicode Text", and cp1252 from older Excel. We decode the whole file
ourselves (it is already bounded by the file-size limit), so the encoding is recorded and
reported, then hand the text to the pandas C parser with every conversion turned off, so
"NA", "None" and "007" stay exactly as typed.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from commissioning.errors import UnreadableFileError
from commissioning.loading.limits import Limits
from commissioning.loading.rawtypes import RawSheet
from commissioning.model.quality import Issue, IssueCode

MSG_ENCODING_USED = (
    "This file is saved as {label} text, not UTF-8; it was read as {label}. If any letters look "
    "wrong, ask the provider to save the return as 'CSV UTF-8'."
)
MSG_CSV_DAMAGED = (
    "This text file cannot be read as a table ({problem}). Ask the provider to save the return "
    "again from Excel as 'CSV UTF-8 (Comma delimited)' or as an .xlsx workbook."
)
MSG_CSV_TOO_BIG = (
    "This text file has {count} {what}, more than the limit of {limit}. Ask the provider to send "
    "only the monitoring data, or raise the limit."
)
MSG_DELIMITER = "This file uses {name} between columns instead of commas; it was read that way."

_LABELS = {
    "utf-16": "UTF-16 (Unicode)",
    "utf-16-le": "UTF-16 (Unicode)",
    "utf-16-be": "UTF-16 (Unicode)",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}
_DELIMITER_NAMES = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
SHEET_NAME = "CSV"


@dataclass(frozen=True)
class TextTable:
    encoding: str
    sheet: RawSheet
    notes: tuple[Issue, ...]


def decode(data: bytes) -> tuple[str, str]:
    """Return (codec name, text), trying byte-order marks, then UTF-8, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _strict(data, "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", _strict(data, "utf-16")
    nul_odd = data[1:4096:2].count(0)
    nul_even = data[0:4096:2].count(0)
    half = max(1, min(len(data), 4096) // 2)
    if nul_odd / half > 0.9 and nul_even / half < 0.5:
        return "utf-16-le", _strict(data, "utf-16-le")
    if nul_even / half > 0.9 and nul_odd / half < 0.5:
        return "utf-16-be", _strict(data, "utf-16-be")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "cp1252", data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", data.decode("latin-1")


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            MSG_CSV_DAMAGED.format(problem=f"it is not valid {_LABELS.get(codec, 'UTF-8')} text")
        ) from exc


def sniff_delimiter(text: str) -> str:
    """Comma unless semicolons, tabs or bars split the first lines more consistently.

    A delimiter must appear in the first non-blank line (the header or title) and is
    scored by the share of lines that contain it the same, non-zero number of times;
    comma wins ties, so ordinary CSV is never second-guessed.
    """
    lines = [line for line in text[:65_536].splitlines()[:30] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for candidate in (",", ";", "\t", "|"):
        counts = [line.count(candidate) for line in lines]
        if counts[0] == 0:
            continue
        modal = max(set(counts), key=counts.count)
        score = sum(1 for c in counts if c == modal and c > 0) / len(counts)
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_text_table(data: bytes, limits: Limits) -> TextTable:
    """Parse delimited text into a `RawSheet` of strings."""
    encoding, text = decode(data)
    if len(text) > limits.max_text_chars:
        raise UnreadableFileError(
            MSG_CSV_TOO_BIG.format(
                count=f"{len(text):,}", what="characters", limit=f"{limits.max_text_chars:,}"
            )
        )
    lines = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    if lines > limits.max_rows:
        raise UnreadableFileError(
            MSG_CSV_TOO_BIG.format(count=f"{lines:,}", what="lines", limit=f"{limits.max_rows:,}")
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = sniff_delimiter(text)
    frame = _parse(text, delimiter, limits)
    notes: list[Issue] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        label = _LABELS.get(encoding, encoding)
        notes.append(Issue("info", IssueCode.TEXT_ENCODING, MSG_ENCODING_USED.format(label=label)))
    if delimiter != ",":
        name = _DELIMITER_NAMES[delimiter]
        notes.append(Issue("info", IssueCode.TEXT_DELIMITER, MSG_DELIMITER.format(name=name)))
    return TextTable(encoding, RawSheet(SHEET_NAME, frame), tuple(notes))


def _parse(text: str, delimiter: str, limits: Limits) -> pd.DataFrame:
    if not text.strip():
        return pd.DataFrame(dtype=object)
    rows, width = measure(text, delimiter, limits)
    check_size(rows, width, limits)
    options: dict[str, object] = {
        "sep": delimiter,
        "dtype": str,
        "keep_default_na": False,
        "na_filter": False,
        "header": None,
        "engine": "c",
        "skip_blank_lines": False,
        "index_col": False,
        "quoting": csv.QUOTE_MINIMAL,
    }
    try:
        try:
            frame = pd.read_csv(io.StringIO(text), **options)  # type: ignore[call-overload]
        except pd.errors.ParserError:
            # Rows longer than the first: size the table from the widest row (measured).
            frame = pd.read_csv(  # type: ignore[call-overload]
                io.StringIO(text), names=list(range(width)), **options
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise UnreadableFileError(MSG_CSV_DAMAGED.format(problem="the rows are broken")) from exc
    except MemoryError as exc:
        raise UnreadableFileError(MSG_CSV_DAMAGED.format(problem="it is too large")) from exc
    check_size(frame.shape[0], frame.shape[1], limits)
    frame.columns = pd.RangeIndex(frame.shape[1])
    return frame.astype(object)


def check_size(rows: int, width: int, limits: Limits) -> None:
    """Refuse a table wider than the column limit or larger than the cell limit."""
    if width > limits.max_columns:
        raise UnreadableFileError(
            MSG_CSV_TOO_BIG.format(
                count=f"{width:,}", what="columns", limit=f"{limits.max_columns:,}"
            )
        )
    if rows * max(1, width) > limits.max_cells:
        raise UnreadableFileError(
            MSG_CSV_TOO_BIG.format(
                count=f"{rows * max(1, width):,}", what="cells", limit=f"{limits.max_cells:,}"
            )
        )


def measure(text: str, delimiter: str, limits: Limits) -> tuple[int, int]:
    """(rows, widest row) of ``text``, counted before pandas builds anything: pandas pads
    every row to the widest, so a few long rows cost rows x width cells. Without quotes
    the delimiters are counted per line with numpy; with quotes (a field may hold a
    delimiter or a line break) `csv.reader` streams the rows and stops at the first
    limit passed."""
    if '"' not in text:
        return _measure_unquoted(text, delimiter)
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_text_chars))
    rows = width = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows += 1
            width = max(width, len(row))
            if width > limits.max_columns or rows * width > limits.max_cells:
                break
    except csv.Error as exc:
        raise UnreadableFileError(MSG_CSV_DAMAGED.format(problem="the rows are broken")) from exc
    return rows, max(width, 1)


def _measure_unquoted(text: str, delimiter: str) -> tuple[int, int]:
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    after = np.empty_like(data)
    after[:-1], after[-1:] = data[1:], 0
    breaks = np.flatnonzero((data == 10) | ((data == 13) & (after != 10)))
    rows = int(breaks.size) + (0 if breaks.size and breaks[-1] == data.size - 1 else 1)
    marks = np.flatnonzero(data == ord(delimiter))
    if not marks.size:
        return rows, 1
    per_line = np.bincount(np.searchsorted(breaks, marks))
    return rows, int(per_line.max()) + 1
