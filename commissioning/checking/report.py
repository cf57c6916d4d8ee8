"""The check report a contract manager reads: is this return usable, and what to fix.

`build_check` turns a `ProviderReturn` into a `CheckReport` value; `as_dict` is the
stable JSON form (keys documented in docs/cli.md) and `render_text` the short plain-English
form. Provider text (unmapped labels, sheet names) is cleaned before it is shown.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from commissioning.model.categories import (
    COMPARABLE_SEXES,
    DETAILED_GROUPS,
    MAJOR_GROUPS,
    NOT_KNOWN,
    SEXES,
    UNMAPPED,
)
from commissioning.model.quality import Issue, IssueCode
from commissioning.model.sanitise import strip_control_characters
from commissioning.returns.classifying import FIELD_NAMES, clean_text
from commissioning.returns.model import ProviderReturn
from commissioning.returns.personal import (
    KIND_WORDS,
    label_is_shown,
    name_may_be_personal,
    personal_kinds,
)

#: Codes whose issue is about hidden rows or sheets ("hidden content" in the report).
HIDDEN_CODES: Final = frozenset({IssueCode.HIDDEN_SHEET, IssueCode.HIDDEN_ROWS})
TOTALS_CODES: Final = frozenset({IssueCode.TOTALS_MISMATCH, IssueCode.TABLES_DISAGREE})
UNMAPPED_CODES: Final = frozenset(
    {IssueCode.UNMAPPED_ETHNICITY, IssueCode.UNMAPPED_SEX, IssueCode.UNMAPPED_AGE_BAND}
)
#: Issues that stop a return being analysed. A missing ethnicity column is an error (and
#: so blocks) unless the return has gender or age, which can still be compared.
BLOCKING_CODES: Final = frozenset({IssueCode.MOSTLY_UNMAPPED, IssueCode.NO_PEOPLE})
#: What a return can be compared by, in the order the report lists them.
CHARACTERISTIC_NAMES: Final = {"ethnicity": "ethnicity", "sex": "sex", "age_band": "age band"}

MSG_TITLE = "Check of {file}{sheet}"
MSG_LAYOUT = "Layout found: {detail}."
MSG_COLUMNS = "Columns read: {columns}."
MSG_PEOPLE = "People counted: {total}."
MSG_ETHNICITY_LINE = (
    "Ethnic groups: {groups}; not known {not_known}; not recognised {unmapped}."
)
MSG_CHARACTERISTICS = "Can be compared by: {names}."
MSG_NO_CHARACTERISTICS = "Can be compared by: nothing yet (see below)."
MSG_CAN_ANALYSE = "Can this return be analysed? Yes."
MSG_CAN_ANALYSE_WARNINGS = "Can this return be analysed? Yes, but see the points below."
MSG_CANNOT_ANALYSE = "Can this return be analysed? No: {reasons}"
MSG_NOTHING_TO_FIX = "Nothing to ask the provider to fix."
MSG_COMPLETENESS_HEADING = "Completeness (share of people not known / not recognised):"
MSG_COMPLETENESS_LINE = "  {name:<13} {not_known:g}% not known, {unmapped:g}% not recognised"
MSG_FIELD_MISSING = "  {name:<13} not in the return"
MSG_TOTALS_HEADING = "Totals that do not add up:"
MSG_HIDDEN_HEADING = "Hidden content:"
MSG_PERSONAL_HEADING = "Personal data found:"
MSG_OTHER_HEADING = "Other notes:"
MSG_FIXES_HEADING = "What to ask the provider to fix:"
MSG_FIX_UNMAPPED = (
    "Replace these labels with the categories in the template's dropdown lists: {labels}."
)
MSG_LABEL = "\"{label}\" ({field}, {count} {people_word}, {rows_word} {rows})"
MSG_LABEL_WITHHELD = (
    "a label that may hold personal details, {rows_word} {rows} ({field}, {count} "
    "{people_word})"
)
MSG_PERSONAL_CELLS = (
    "Some {field} cells look like personal details ({kinds}), in {rows_word} {rows}. They "
    "are not shown here. Ask the provider to delete them and give only the {field}."
)
MSG_LABELS_HEADING = "Labels not recognised (counted separately, never guessed):"

COLUMN_NAMES: Final = {
    "ethnicity": "ethnic group",
    "sex": "gender",
    "age": "age",
    "age_band": "age band",
    "dob": "date of birth (used for age, then dropped)",
    "period": "period",
    "stage": "stage",
    "count": "number",
}


@dataclass(frozen=True)
class CheckReport:
    """Everything `commissioning check` prints, as plain values."""

    file: str
    sheet: str | None
    encoding: str | None
    sha256: str
    file_format: str
    layout: str
    layout_detail: str
    columns: Mapping[str, str]
    total: int
    ethnicity: dict[str, Any]
    sex: dict[str, int] | None
    age_band: dict[str, int] | None
    completeness: dict[str, dict[str, float]]
    unmapped: list[dict[str, Any]]
    issues: tuple[Issue, ...]

    @property
    def blocking(self) -> tuple[Issue, ...]:
        """The issues that stop the return being analysed (errors, and `BLOCKING_CODES`)."""
        return tuple(i for i in self.issues if i.code in BLOCKING_CODES or i.severity == "error")

    @property
    def can_analyse(self) -> bool:
        return not self.blocking

    @property
    def characteristics(self) -> tuple[str, ...]:
        """What the return can be compared by: "ethnicity", "sex", "age_band" (sex only
        when someone is a woman or a man: the ONS estimates count no other gender)."""
        if not self.can_analyse:
            return ()
        found = []
        if not any(i.code == IssueCode.NO_ETHNICITY_COLUMN for i in self.issues):
            found.append("ethnicity")
        for name, values in (("sex", self.sex), ("age_band", self.age_band)):
            known = {k: v for k, v in (values or {}).items() if k not in (NOT_KNOWN, UNMAPPED)
                     and (name != "sex" or k in COMPARABLE_SEXES)}
            if sum(known.values()) > 0:
                found.append(name)
        return tuple(found)

    @property
    def exit_code(self) -> int:
        """0 when the return can be analysed (warnings allowed), 1 when it cannot."""
        return 0 if self.can_analyse else 1

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON form (docs/cli.md lists every key)."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "format": self.file_format,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "layout": self.layout,
            "layout_detail": self.layout_detail,
            "columns": dict(self.columns),
            "total": self.total,
            "can_analyse": self.can_analyse,
            "characteristics": list(self.characteristics),
            "ethnicity": self.ethnicity,
            "sex": self.sex,
            "age_band": self.age_band,
            "completeness": self.completeness,
            "unmapped": self.unmapped,
            "issues": [
                {k: v for k, v in i.as_dict().items() if k != "sheet"} for i in self.issues
            ],
            "fixes": fixes(self),
        }


def _tally(series: pd.Series, canonical: tuple[str, ...]) -> dict[str, int]:
    present = [str(v) for v in series.index if v not in (NOT_KNOWN, UNMAPPED)]
    order = [*canonical, *(v for v in present if v not in canonical)]
    values = {str(k): int(v) for k, v in series.items()}
    out = {name: values.get(name, 0) for name in order}
    out[NOT_KNOWN] = values.get(NOT_KNOWN, 0)
    out[UNMAPPED] = values.get(UNMAPPED, 0)
    return out


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def build_check(ret: ProviderReturn) -> CheckReport:
    """The check report of a return that has been read."""
    counts = ret.counts
    major = counts.tally("major")
    detailed = counts.tally("detailed")
    total = counts.total
    not_known = int(major.get(NOT_KNOWN, 0))
    unmapped = int(major.get(UNMAPPED, 0))
    detailed_known = {g: int(detailed.get(g, 0)) for g in DETAILED_GROUPS}
    ethnicity = {
        "known": total - not_known - unmapped,
        "not_known": not_known,
        "unmapped": unmapped,
        "major": {g: int(major.get(g, 0)) for g in MAJOR_GROUPS},
        "detailed": detailed_known,
        "major_only": total - not_known - unmapped - sum(detailed_known.values()),
    }
    dims: dict[str, dict[str, int] | None] = {}
    for dimension, canonical in (("sex", SEXES), ("age_band", ())):
        if counts.has(dimension):
            dims[dimension] = _tally(counts.tally(dimension), canonical)
        elif dimension in ret.marginals:
            dims[dimension] = _tally(ret.marginals[dimension], canonical)
        else:
            dims[dimension] = None
    completeness = {"ethnicity": {"not_known_pct": _pct(not_known, total),
                                  "unmapped_pct": _pct(unmapped, total)}}
    for dimension, values in dims.items():
        if values is not None:
            people = sum(values.values())
            completeness[dimension] = {"not_known_pct": _pct(values[NOT_KNOWN], people),
                                       "unmapped_pct": _pct(values[UNMAPPED], people)}
    records = ret.quality.unmapped.to_dict("records")
    unmapped_rows = [_unmapped_entry(r) for r in records]
    cells = _personal_cells(records, ret.sheet)
    return CheckReport(
        file=_file_name(strip_control_characters(ret.path)),
        sheet=None if ret.sheet is None else _sheet_name(clean_text(ret.sheet)),
        encoding=ret.encoding, sha256=ret.sha256, file_format=ret.file_format,
        layout=ret.layout, layout_detail=ret.layout_detail, columns=dict(ret.columns),
        total=total, ethnicity=ethnicity, sex=dims["sex"], age_band=dims["age_band"],
        completeness=completeness, unmapped=unmapped_rows, issues=(*ret.quality.issues, *cells),
    )


def _unmapped_entry(row: Mapping[Hashable, Any]) -> dict[str, Any]:
    """One unrecognised label for the report. It is shown only when it reads as a label
    of its column and looks like no personal data (`personal.label_is_shown`); any other
    is withheld, never echoed: its ``label`` is "" (a blank cell is "not known", so no
    real unrecognised label is "")."""
    dimension = str(row["dimension"])
    label = clean_text(str(row["label"]))
    withheld = not label_is_shown(label, dimension)
    return {"dimension": dimension, "label": "" if withheld else label,
            "count": int(row["count"]), "rows": [int(x) for x in row["rows"]]}


def _personal_cells(records: list[dict[Hashable, Any]], sheet: str | None) -> list[Issue]:
    """One warning per column whose unrecognised cells look like personal data, naming
    the kinds and rows found (never the cells)."""
    found: dict[str, tuple[list[str], set[int]]] = {}
    for row in records:
        kinds = personal_kinds(clean_text(str(row["label"])))
        if not kinds:
            continue
        dimension = str(row["dimension"])
        names, rows = found.setdefault(dimension, ([], set()))
        names.extend(KIND_WORDS[k] for k in kinds if KIND_WORDS[k] not in names)
        rows.update(int(x) for x in row["rows"])
    issues = []
    for dimension, (names, rows) in found.items():
        field = FIELD_NAMES.get(dimension, dimension).lower()
        ordered = sorted(rows)
        message = MSG_PERSONAL_CELLS.format(
            field=field, kinds=", ".join(names), rows=_rows(ordered),
            rows_word="row" if len(ordered) == 1 else "rows")
        issues.append(Issue("warning", IssueCode.PERSONAL_DATA, message,
                            rows=tuple(ordered), sheet=sheet))
    return issues


def _rows(rows: list[int]) -> str:
    return ", ".join(str(r) for r in rows) or "-"


def _label_line(unmapped: Mapping[str, Any]) -> str:
    """One unrecognised label as the report and the fix list both show it."""
    count = unmapped["count"]
    rows = unmapped["rows"]
    template = MSG_LABEL if unmapped["label"] else MSG_LABEL_WITHHELD
    return template.format(
        label=unmapped["label"],
        field=FIELD_NAMES.get(unmapped["dimension"], unmapped["dimension"]).lower(),
        count=count,
        people_word="person" if count == 1 else "people",
        rows_word="row" if len(rows) == 1 else "rows",
        rows=_rows(rows),
    )


def fixes(report: CheckReport) -> list[str]:
    """The numbered list "what to ask the provider to fix", most serious first."""
    out: list[str] = []
    ordered = sorted(report.issues, key=lambda i: 0 if i.severity == "error" else 1)
    unmapped_done = False
    for issue in ordered:
        if issue.severity == "info":
            continue
        if issue.code in UNMAPPED_CODES:
            if not unmapped_done and report.unmapped:
                labels = "; ".join(_label_line(u) for u in report.unmapped)
                out.append(MSG_FIX_UNMAPPED.format(labels=labels))
                unmapped_done = True
            continue
        if issue.message not in out:
            out.append(issue.message)
    return out


#: In place of a file or sheet name that reads as personal data: the report goes to
#: contract managers and often on to providers, so it never repeats it.
WITHHELD_FILE = "the return (its file name may hold personal details, so it is not shown)"
WITHHELD_SHEET = "a sheet whose name may hold personal details"


def _file_name(path: str) -> str:
    name = path.replace("\\", "/").rpartition("/")[2]
    stem = name.rsplit(".", 1)[0]
    if name_may_be_personal(stem):
        return WITHHELD_FILE
    return path


def _sheet_name(name: str) -> str:
    return WITHHELD_SHEET if name_may_be_personal(name) else name


def render_text(report: CheckReport) -> str:
    """The short plain-English report (a few lines per heading, nothing technical)."""
    sheet = f" (sheet \"{report.sheet}\")" if report.sheet else ""
    lines = [MSG_TITLE.format(file=report.file, sheet=sheet), ""]
    lines.append(MSG_LAYOUT.format(detail=report.layout_detail))
    if report.columns:
        columns = ", ".join(f"{COLUMN_NAMES.get(role, role)} ({letter})"
                            for role, letter in report.columns.items())
        lines.append(MSG_COLUMNS.format(columns=columns))
    lines.append(MSG_PEOPLE.format(total=report.total))
    groups = ", ".join(f"{g} {n}" for g, n in report.ethnicity["major"].items())
    lines.append(MSG_ETHNICITY_LINE.format(groups=groups,
                                           not_known=report.ethnicity["not_known"],
                                           unmapped=report.ethnicity["unmapped"]))
    lines += ["", MSG_COMPLETENESS_HEADING]
    for dimension, shares in report.completeness.items():
        name = FIELD_NAMES.get(dimension, dimension)
        lines.append(MSG_COMPLETENESS_LINE.format(name=name, not_known=shares["not_known_pct"],
                                                  unmapped=shares["unmapped_pct"]))
    for dimension in ("sex", "age_band"):
        if getattr(report, dimension) is None:
            lines.append(MSG_FIELD_MISSING.format(name=FIELD_NAMES[dimension]))
    sections = [
        (MSG_LABELS_HEADING, [_label_line(u) for u in report.unmapped]),
        (MSG_TOTALS_HEADING,
         [i.message for i in report.issues if i.code in TOTALS_CODES]),
        (MSG_HIDDEN_HEADING, [i.message for i in report.issues if i.code in HIDDEN_CODES]),
        (MSG_PERSONAL_HEADING,
         [i.message for i in report.issues if i.code == IssueCode.PERSONAL_DATA]),
        (MSG_OTHER_HEADING, [
            i.message for i in report.issues
            if i.code not in TOTALS_CODES | HIDDEN_CODES | UNMAPPED_CODES
            and i.code != IssueCode.PERSONAL_DATA
            and i.code not in BLOCKING_CODES
        ]),
    ]
    for heading, items in sections:
        if items:
            lines += ["", heading, *(f"  - {item}" for item in items)]
    lines.append("")
    compared = [CHARACTERISTIC_NAMES[c] for c in report.characteristics]
    lines.append(MSG_CHARACTERISTICS.format(names=", ".join(compared)) if compared
                 else MSG_NO_CHARACTERISTICS)
    if not report.can_analyse:
        reasons = " ".join(i.message for i in report.blocking)
        lines.append(MSG_CANNOT_ANALYSE.format(reasons=reasons))
    elif any(i.severity == "warning" for i in report.issues):
        lines.append(MSG_CAN_ANALYSE_WARNINGS)
    else:
        lines.append(MSG_CAN_ANALYSE)
    lines += ["", MSG_FIXES_HEADING]
    todo = fixes(report)
    lines += [f"  {n}. {text}" for n, text in enumerate(todo, 1)] or [f"  {MSG_NOTHING_TO_FIX}"]
    return "\n".join(lines) + "\n"
