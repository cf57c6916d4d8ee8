"""Rules for a comparator the user supplied: every group the service has must be in it,
and how it is compared (fixed, independent or nested) must be chosen and said.

A user's file is the one comparator we cannot vouch for, so these rules apply to it
(``PopulationInfo.source == "file"``) and leave the embedded sources as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Final

from commissioning.analysis.settings import MODES, AnalysisSettings, Level, Mode
from commissioning.comparators.info import PopulationInfo
from commissioning.errors import AnalysisError
from commissioning.model.counts import Counts

MSG_MISSING_GROUPS: Final = (
    "The comparator file {file} gives no figure for {groups}, but the service has people "
    "in {them}. Add a row for each to the file, or give --allow-missing-groups to compare "
    "the other groups without them."
)
CAVEAT_MISSING_GROUPS: Final = (
    "The comparator file gives no figure for {groups}, so the people served in {them} "
    "could not be compared with the local population."
)
#: Why the mode is what it is: said in the section's data-quality part.
CAVEAT_MODE_COLUMN: Final = "The comparator file says to compare it as {words}."
CAVEAT_MODE_SET: Final = "This comparison treats the comparator file as {words}, as chosen."
CAVEAT_MODE_LARGE: Final = (
    "The comparator file counts at least {ratio} times as many people as the service, "
    "so we treated it as {words}."
)
CAVEAT_MODE_SMALL: Final = (
    "The comparator file counts fewer than {ratio} times as many people as the service, "
    "so we treated it as {words}."
)
MODE_WORDS: Final[dict[str, str]] = {
    "fixed": "fixed figures, like a census",
    "independent": "a sample of its own, with its own chance variation",
    "nested": "the larger group the people served are part of",
}
#: A comparator this many times the service's size is treated as fixed figures.
FIXED_RATIO: Final = 20
#: `PopulationInfo.extra["mode_rule"]`: which rule chose the mode.
RULE_COLUMN, RULE_SET, RULE_SIZE = "mode column", "set", "size"


def is_user_file(info: PopulationInfo) -> bool:
    return info.source == "file"


def missing_groups(service: Counts, comparator: Counts, level: Level) -> list[str]:
    """Groups (in canonical order) the service has people in and the comparator has none."""
    served = service.groups(level).set_index("group")["count"]
    compared = comparator.groups(level).set_index("group")["count"]
    compared = compared.reindex(served.index, fill_value=0)
    return [str(g) for g in served.index if served[g] > 0 and compared[g] == 0]


def check_groups(service: Counts, comparator: Counts, info: PopulationInfo,
                 settings: AnalysisSettings) -> PopulationInfo:
    """Refuse a user file without a group the service has (one line naming them), or,
    when ``settings.allow_missing_groups``, add a caveat naming them."""
    if not is_user_file(info):
        return info
    missing = missing_groups(service, comparator, settings.level)
    if not missing:
        return info
    groups, them = _join_and(missing), "that group" if len(missing) == 1 else "those groups"
    if not settings.allow_missing_groups:
        file = info.extra.get("file", info.table_id)
        raise AnalysisError(MSG_MISSING_GROUPS.format(file=file, groups=groups, them=them))
    return _with_caveat(info, CAVEAT_MISSING_GROUPS.format(groups=groups, them=them), {})


def choose_mode(service: Counts, comparator: Counts, info: PopulationInfo,
                settings: AnalysisSettings) -> tuple[Mode, PopulationInfo]:
    """The mode to use and the comparator info, with a caveat saying which rule chose it
    for a user file: the mode asked for, else the file's mode column, else its size
    (at least `FIXED_RATIO` times the service's known total: fixed; smaller: independent)."""
    if not is_user_file(info):
        return settings.mode or suggested_mode(info), info
    level = settings.level
    if settings.mode is not None:
        mode, rule, caveat = settings.mode, RULE_SET, CAVEAT_MODE_SET
    elif info.extra.get("mode") in MODES:
        mode, rule, caveat = _mode(info.extra["mode"]), RULE_COLUMN, CAVEAT_MODE_COLUMN
    elif comparator.known_total(level) >= FIXED_RATIO * service.known_total(level):
        mode, rule, caveat = "fixed", RULE_SIZE, CAVEAT_MODE_LARGE
    else:
        mode, rule, caveat = "independent", RULE_SIZE, CAVEAT_MODE_SMALL
    text = caveat.format(words=MODE_WORDS[mode], ratio=FIXED_RATIO)
    return mode, _with_caveat(info, text, {"mode_rule": rule})


def suggested_mode(info: PopulationInfo) -> Mode:
    """The comparison a comparator calls for: its ``kind`` when that names a mode, else
    "fixed" (a census-sized population). The one rule analyse, draft, batch and the web
    page share, so the same return and comparator give the same test everywhere."""
    return _mode(info.kind) if info.kind in MODES else "fixed"


def _mode(text: str) -> Mode:
    for mode in MODES:
        if text == mode:
            return mode
    raise AssertionError(text)  # pragma: no cover - checked by the caller


def _with_caveat(info: PopulationInfo, caveat: str, extra: dict[str, str]) -> PopulationInfo:
    if caveat in info.caveats and all(info.extra.get(k) == v for k, v in extra.items()):
        return info
    caveats = info.caveats if caveat in info.caveats else (*info.caveats, caveat)
    return dataclasses.replace(info, caveats=caveats, extra={**info.extra, **extra})


def _join_and(items: Sequence[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
