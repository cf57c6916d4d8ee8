"""Finding the returns in a folder for `commissioning batch`: one subfolder per service,
or loose files named by service and period, each service's files earliest first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from commissioning.analysis.periods import order_periods, period_key
from commissioning.errors import CommissioningError
from commissioning.model.sanitise import strip_control_characters
from commissioning.returns.personal import name_may_be_personal

RETURN_SUFFIXES: Final = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
CHECK_JSON: Final = "{stem}.check.json"
CHECK_TEXT: Final = "{stem}.check.txt"
MSG_NOT_A_FOLDER: Final = (
    "{folder} is not a folder. Give the folder that holds the providers' returns."
)
MSG_NO_RETURNS: Final = (
    "No returns (.xlsx, .xlsm, .xls, .ods or .csv files) were found in {folder}. Put one "
    "subfolder per service in it, or files named like 'Kooth 2024-25 Q1.xlsx'."
)


class BatchUsageError(CommissioningError):
    """The batch was asked for something it cannot do (no folder, no returns ...)."""


_PERIOD_TOKENS = re.compile(
    r"(?ix)\b(?:(?:19|20)\d\d(?:[-/]?\d{2})?q[1-4]|q[1-4](?:19|20)\d\d(?:[-/]?\d{2})?|"
    r"q[1-4]|(?:19|20)\d\d(?:\s*[-/_]\s*\d{2,4})?|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|quarter|period|return)\b"
)


def _is_return(path: Path) -> bool:
    name = path.name
    return (
        path.is_file()
        and path.suffix.lower() in RETURN_SUFFIXES
        and not name.startswith((".", "~$"))
        and not name.endswith((CHECK_JSON.format(stem=""), CHECK_TEXT.format(stem="")))
    )


#: A service whose folder or file name reads as personal data (a name, a date, an NHS
#: number): drafts and the portfolio call it this instead. Rename the folder to fix it.
WITHHELD_SERVICE = "Service {number} (rename its folder: the name may hold personal details)"


def _clean_name(name: str) -> str:
    """A folder or file name as a service name: no control characters or terminal escapes
    (they would reach the terminal, the drafts and the portfolio), spacing collapsed."""
    return " ".join(strip_control_characters(name).split()) or "service"


def service_name(file_name: str) -> str:
    """The service a loose file belongs to: its name without periods and years."""
    stem = _clean_name(Path(file_name).stem)
    words = _PERIOD_TOKENS.sub(" ", stem.replace("_", " "))
    name = " ".join(re.sub(r"[\s\-–,.()]+", " ", words).split())
    return name or stem


def _period_order(files: list[Path]) -> list[Path]:
    stems = [f.stem for f in files]
    if all(period_key(s) is not None for s in stems):
        by_stem = {f.stem: f for f in files}
        return [by_stem[s] for s in order_periods(stems)]
    return sorted(files, key=lambda f: f.name.casefold())


def discover(folder: Path) -> list[tuple[str, list[Path]]]:
    """(service, files earliest first) for every service in ``folder``."""
    if not folder.is_dir():
        raise BatchUsageError(MSG_NOT_A_FOLDER.format(folder=folder))
    services: dict[str, list[Path]] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            files = [f for f in entry.iterdir() if _is_return(f)]
            if files:
                services.setdefault(_clean_name(entry.name), []).extend(files)
        elif _is_return(entry):
            services.setdefault(service_name(entry.name), []).append(entry)
    if not services:
        raise BatchUsageError(MSG_NO_RETURNS.format(folder=folder))
    out = []
    for i, (name, files) in enumerate(services.items(), start=1):
        if name_may_be_personal(name):  # a published section never names a person
            name = WITHHELD_SERVICE.format(number=i)
        out.append((name, _period_order(files)))
    return out


def safe_folder_name(service: str) -> str:
    """A file-system-safe folder name for a service's outputs."""
    cleaned = re.sub(r"[^\w\s\-]+", "-", service).strip(" .-")
    return " ".join(cleaned.split()) or "service"
