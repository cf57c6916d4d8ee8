"""Limits on what a provider file may contain before we try to read it.

Provider returns arrive by email from outside the council, so every size a parser would
trust is bounded first. The defaults are generous for a monitoring return (tens of
thousands of rows, a few dozen columns) and far below what would exhaust a laptop;
docs/security.md explains each one. All are configurable: pass ``Limits(...)`` to
`commissioning.loading.loader.load_workbook`.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Every bound checked while opening a file. Sizes are in bytes, time in seconds."""

    #: size of the file on disk
    max_file_bytes: int = 200 * MIB
    #: number of members in an xlsx/xlsm/ods zip container
    max_zip_entries: int = 2_000
    #: total uncompressed size of the zip members we read (declared and actually inflated)
    max_uncompressed_bytes: int = 1_024 * MIB
    #: uncompressed / compressed size of any member larger than `ratio_floor_bytes`
    max_compression_ratio: float = 250.0
    #: members smaller than this may have any ratio (tiny XML parts compress very well)
    ratio_floor_bytes: int = 1 * MIB
    #: cells in the rectangle a sheet's data spans (what the native reader allocates)
    max_cells: int = 12_000_000
    #: cells all sheets of one workbook span together (also bounds declared sizes such as
    #: the shared-strings count, which the native reader reserves memory for)
    max_total_cells: int = 12_000_000
    #: last row a sheet may use (Excel's own maximum)
    max_rows: int = 1_048_576
    #: last column a sheet may use (Excel's own maximum is 16,384, column XFD)
    max_columns: int = 16_384
    #: ODS: the largest ``number-rows-repeated`` / ``number-columns-repeated`` on cells that
    #: hold a value (empty repeats, which LibreOffice writes to the sheet's end, are free)
    ods_max_repeat: int = 100_000
    #: ODS: cells that repeated value-holding cells expand to, summed over the file
    ods_max_expanded_cells: int = 12_000_000
    #: characters in one text file after decoding (CSV)
    max_text_chars: int = 400 * MIB
    #: wall-clock seconds for the native parse when isolated in a child process
    time_limit_s: float = 60.0
    #: address space (bytes) the isolated child may add to what it starts with
    memory_limit_bytes: int = 2_048 * MIB
    #: where no cheap fork is available (a threaded process), files at least this large
    #: are still parsed in a child when ``isolate`` is None (with a fork, all of them are)
    isolate_above_bytes: int = 2 * MIB
    #: with a fork, spreadsheets at least this large are parsed in the (limited) child
    #: while this process pre-scans them, on two cores; smaller ones are pre-scanned
    #: first (docs/performance.md, "Reading safely")
    parallel_above_bytes: int = 1 * MIB


DEFAULT_LIMITS = Limits()
