"""Open any supported provider file safely and return every cell as text.

This is the only place the package opens a provider's spreadsheet. In order:

1. `filetype.detect` judges the format by content (and refuses empty, encrypted,
   truncated and non-spreadsheet files with one plain sentence);
2. for zip formats, `prescan` checks the container and streams the sheet XML (no DOCTYPE
   or ENTITY, bounded sizes, bounded cell area) before any parser sees it;
3. the native reader (python-calamine) runs, in a child process with memory and time
   limits when the file is large or the format cannot be pre-scanned (`isolation`);
4. values become text (`celltext`), and what the pre-scan saw (error cells, formulas
   without saved values, hidden rows, macros, external links) becomes `Issue` notes.

Any failure is an `UnreadableFileError` whose one-line message names the fix; messages
never quote cell contents.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from commissioning.errors import UnreadableFileError
from commissioning.loading import filetype, isolation, pool, prescan, readahead
from commissioning.loading.csvread import read_text_table
from commissioning.loading.limits import DEFAULT_LIMITS, Limits
from commissioning.loading.native import NativeBook, NativeSheet
from commissioning.loading.rawtypes import RawSheet, RawWorkbook, Visibility
from commissioning.loading.safety import require_defused_xml
from commissioning.model.quality import Issue, IssueCode, Severity
from commissioning.model.sanitise import display_name

MSG_ERROR_CELLS = (
    "Sheet '{sheet}' has {count} cell(s) showing a spreadsheet error such as #N/A or #DIV/0! "
    "({cells}). They were read as blank, not as zero; ask the provider to fix the formulas."
)
MSG_FORMULA_NO_VALUE = (
    "Sheet '{sheet}' has {count} formula cell(s) with no saved result ({cells}), so their values "
    "are unknown and were read as blank. Ask the provider to open the file in Excel, save it, "
    "and resend it."
)
MSG_HIDDEN_SHEET = (
    "Sheet '{sheet}' is {visibility}: it is not shown in Excel but was read. Check it belongs "
    "in the return."
)
MSG_HIDDEN_ROWS = "Sheet '{sheet}' has {count} hidden row(s); they were read like any other row."
MSG_SKIPPED_SHEETS = "{count} chart or macro sheet(s) hold no table data and were skipped."
MSG_CELL_LIST_MORE = "{first} and {more} more"

#: how many cell references an issue lists before "and N more"
MAX_CELLS_LISTED = 10


def load_workbook(
    path: str | os.PathLike[str], *, limits: Limits | None = None, isolate: bool | None = None
) -> RawWorkbook:
    """Read ``path`` (xlsx, xlsm, xls, ods or delimited text) into a `RawWorkbook`.

    ``isolate``: True parses spreadsheets in a child process with memory and time limits,
    False in this process, None (default) decides by size and format (docs/performance.md).
    When a reader pool is in use (`pool.use_pool`, as the web server does), the whole
    read happens in one of its workers, whatever the file's size or type, unless
    ``isolate`` is False.
    """
    require_defused_xml()
    limits = limits or DEFAULT_LIMITS
    reader_pool = pool.active_pool()
    if reader_pool is not None and isolate is not False:
        return reader_pool.load(os.fspath(path), limits)
    file_path = Path(path)
    kind = filetype.detect(file_path, limits)
    data = file_path.read_bytes() if kind.container == "text" else None
    digest = _sha256(file_path, data)
    if kind.container == "text":
        assert data is not None
        table = read_text_table(data, limits)
        return RawWorkbook(
            path=str(path),
            sha256=digest,
            file_format="csv",
            encoding=table.encoding,
            sheets=(table.sheet,),
            notes=(*kind.notes, *table.notes),
        )
    scan, book = _scan_and_parse(file_path, kind.file_format, limits, isolate)
    sheets, sheet_notes = _build_sheets(book, scan)
    return RawWorkbook(
        path=str(path),
        sha256=digest,
        file_format=kind.file_format,
        encoding=None,
        sheets=sheets,
        notes=(*kind.notes, *scan.notes, *sheet_notes),
    )


def _scan_and_parse(
    path: Path, file_format: str, limits: Limits, isolate: bool | None
) -> tuple[prescan.ScanResult, NativeBook]:
    """Pre-scan, then the native parse. With a fork, a large file's parse starts first
    (or was started by `readahead.read_ahead`) and runs in the limited child while this
    process pre-scans; a refusal by the pre-scan stops the child unread."""
    size = path.stat().st_size
    if isolate is None:
        isolate = isolation.should_isolate(file_format, size, limits)
    pending = readahead.take(path, limits)
    if pending is not None and not isolate:
        pending.cancel()
        pending = None
    if pending is None and isolate and isolation.start_with_scan(file_format, size, limits):
        pending = isolation.start(str(path), file_format, limits)
    try:
        scan = prescan.scan(path, file_format, limits)
    except BaseException:
        if pending is not None:
            pending.cancel()
        raise
    if pending is not None:
        return scan, pending.result()
    return scan, isolation.read_spreadsheet(str(path), file_format, limits, isolate=isolate)


def _sha256(path: Path, data: bytes | None) -> str:
    if data is not None:
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise UnreadableFileError(filetype.MSG_NOT_FOUND.format(name=path.name)) from exc
    return digest.hexdigest()


def _build_sheets(
    book: NativeBook, scan: prescan.ScanResult
) -> tuple[tuple[RawSheet, ...], list[Issue]]:
    sheets: list[RawSheet] = []
    notes: list[Issue] = []
    for native in book.sheets:
        found = scan.sheets.get(native.name, prescan.SheetScan())
        frame = _frame(native)
        if found.error_count:
            _blank(frame, found.error_cells)
            notes.append(
                _cells_issue(
                    MSG_ERROR_CELLS,
                    IssueCode.ERROR_CELLS,
                    native.name,
                    found.error_cells,
                    found.error_count,
                )
            )
        if found.formula_count:
            _blank(frame, found.formula_cells)
            notes.append(
                _cells_issue(
                    MSG_FORMULA_NO_VALUE,
                    IssueCode.FORMULA_NO_VALUE,
                    native.name,
                    found.formula_cells,
                    found.formula_count,
                )
            )
        visibility: Visibility = "visible"
        if native.visibility in ("hidden", "very hidden"):
            visibility = "hidden" if native.visibility == "hidden" else "very hidden"
            message = MSG_HIDDEN_SHEET.format(
                sheet=display_name(native.name), visibility=visibility
            )
            severity: Severity = "warning" if visibility == "very hidden" else "info"
            notes.append(Issue(severity, IssueCode.HIDDEN_SHEET, message, sheet=native.name))
        if found.hidden_rows:
            message = MSG_HIDDEN_ROWS.format(
                sheet=display_name(native.name), count=len(found.hidden_rows)
            )
            notes.append(
                Issue(
                    "info",
                    IssueCode.HIDDEN_ROWS,
                    message,
                    rows=found.hidden_rows,
                    sheet=native.name,
                )
            )
        sheets.append(
            RawSheet(
                name=native.name,
                cells=frame,
                visibility=visibility,
                hidden_rows=found.hidden_rows,
                merged=native.merged,
            )
        )
    if book.skipped:
        notes.append(
            Issue(
                "info",
                IssueCode.SKIPPED_SHEETS,
                MSG_SKIPPED_SHEETS.format(count=len(book.skipped)),
            )
        )
    return tuple(sheets), notes


def _frame(native: NativeSheet) -> pd.DataFrame:
    if native.rows.size == 0:
        return pd.DataFrame(dtype=object)
    return pd.DataFrame(native.rows, dtype=object, copy=False)


def _blank(frame: pd.DataFrame, cells: tuple[tuple[int, int], ...]) -> None:
    for row, col in cells:  # a handful of cells, not people
        if row < frame.shape[0] and col < frame.shape[1]:
            frame.iat[row, col] = ""


def _cells_issue(
    template: str, code: IssueCode, sheet: str, cells: tuple[tuple[int, int], ...], count: int
) -> Issue:
    count = max(count, len(cells))
    shown = display_name(sheet)
    refs = [f"{shown}!{prescan.cell_ref(r, c)}" for r, c in cells[:MAX_CELLS_LISTED]]
    listed = ", ".join(refs)
    if count > len(refs):
        listed = MSG_CELL_LIST_MORE.format(first=listed, more=f"{count - len(refs):,}")
    rows = tuple(sorted({r + 1 for r, _ in cells}))
    message = template.format(sheet=shown, count=f"{count:,}", cells=listed)
    return Issue("warning", code, message, rows=rows, sheet=sheet)
