"""The blank monitoring return providers fill in (openpyxl).

Four sheets: Instructions; Records (one row per person); Counts (numbers by ethnic group,
gender and age band); Lists (the dropdown choices). Dropdowns are list data validations:
short lists inline, the ethnic group list as a range on the Lists sheet (an inline list
is limited to 255 characters). Lists stays visible: a hidden sheet would be reported by
`check` as hidden content. Its headings are sentences, so `check` never mistakes it for
data. `commissioning check` reads a filled copy back with no issues.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from commissioning.outputs import workbook_bytes, write_atomic

#: Rows of each data sheet that carry the dropdowns.
TEMPLATE_ROWS: Final = 5000
RECORDS_HEADERS: Final = ("Ethnic group", "Gender", "Age band", "Period", "Stage")
COUNTS_HEADERS: Final = ("Ethnic group", "Gender", "Age band", "Period", "Number of people")
STAGE_DROPDOWN: Final = ("Referred", "Started", "Completed")
SHEET_NAMES: Final = ("Instructions", "Records", "Counts", "Lists")

INSTRUCTIONS: Final = (
    "Monitoring return: who used the service",
    "",
    "The council asks every provider to record the ethnic group, gender and age of the "
    "children and families it serves, for every monitoring period.",
    "Fill in ONE of the two data sheets, not both.",
    "Use the Records sheet if you can: one row for each person, choosing from the "
    "dropdown lists.",
    "Use the Counts sheet if you only have totals: one row for each combination of "
    "ethnic group, gender and age band, with the number of people.",
    "Use the dropdown lists. If a person did not want to say, choose Prefer not to say; "
    "if you do not know, choose Not known or leave the cell empty.",
    "Period is the monitoring period, for example 2024 Q2. Stage is optional: Referred, "
    "Started or Completed.",
    "Do NOT include names, dates of birth, addresses, postcodes, NHS numbers or pupil "
    "numbers. The council does not need them and must not receive them.",
    "Do not add total rows or merge cells, and do not change the headings in row 1.",
    "Check the file before sending it with: commissioning check <file name>",
)

LIST_HEADINGS: Final = (
    "Choices used by the ethnic group dropdown list",
    "Choices used by the gender dropdown list",
    "Choices used by the age band dropdown list",
    "Choices used by the stage dropdown list",
)

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def dropdowns() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(ethnic group, gender, age band) choices, from `commissioning.classify`."""
    from commissioning.classify import AGE_BAND_DROPDOWN, ETHNICITY_DROPDOWN, SEX_DROPDOWN

    return tuple(ETHNICITY_DROPDOWN), tuple(SEX_DROPDOWN), tuple(AGE_BAND_DROPDOWN)


def _list_range(column: str, length: int) -> str:
    return f"Lists!${column}$2:${column}${length + 1}"


def _validation(formula: str, title: str) -> DataValidation:
    check = DataValidation(type="list", formula1=formula, allow_blank=True)
    check.error = f"Choose the {title.lower()} from the list."
    check.errorTitle = title
    check.prompt = f"Choose the {title.lower()} from the list."
    check.promptTitle = title
    check.showErrorMessage = True
    check.showInputMessage = True
    return check


def _data_sheet(sheet: Worksheet, headers: tuple[str, ...], lengths: dict[str, int]) -> None:
    for col, text in enumerate(headers, 1):
        cell = sheet.cell(row=1, column=col, value=text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = 60 if col == 1 else 18
    sheet.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    rules = {
        "Ethnic group": (_list_range("A", lengths["ethnicity"]), "Ethnic group"),
        "Gender": (_list_range("B", lengths["sex"]), "Gender"),
        "Age band": (_list_range("C", lengths["age_band"]), "Age band"),
        "Stage": (_list_range("D", lengths["stage"]), "Stage"),
    }
    for col, text in enumerate(headers, 1):
        letter = sheet.cell(row=1, column=col).column_letter
        if text in rules:
            formula, title = rules[text]
            check = _validation(formula, title)
            check.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(check)
        elif text == "Number of people":
            number = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                    allow_blank=True)
            number.error = "Enter a whole number of people (0 or more)."
            number.errorTitle = "Number of people"
            number.showErrorMessage = True
            number.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(number)


def build_template() -> Workbook:
    """The template workbook (not yet saved)."""
    ethnicity, sexes, bands = dropdowns()
    book = Workbook()
    intro = book.active
    assert intro is not None
    intro.title = "Instructions"
    intro.column_dimensions["A"].width = 110
    for row, text in enumerate(INSTRUCTIONS, 1):
        cell = intro.cell(row=row, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    intro["A1"].font = Font(bold=True, size=14)

    lists = {"ethnicity": ethnicity, "sex": sexes, "age_band": bands, "stage": STAGE_DROPDOWN}
    lengths = {k: len(v) for k, v in lists.items()}
    _data_sheet(book.create_sheet("Records"), RECORDS_HEADERS, lengths)
    _data_sheet(book.create_sheet("Counts"), COUNTS_HEADERS, lengths)

    choices = book.create_sheet("Lists")
    for col, (heading, values) in enumerate(zip(LIST_HEADINGS, lists.values(), strict=True), 1):
        head = choices.cell(row=1, column=col, value=heading)
        head.font = _BOLD
        choices.column_dimensions[head.column_letter].width = 60 if col == 1 else 30
        for row, value in enumerate(values, 2):
            choices.cell(row=row, column=col, value=value)
    book.active = 0
    return book


def write_template(path: Path | str) -> Path:
    """Build the template and write it atomically to ``path``."""
    book = build_template()
    return write_atomic(path, workbook_bytes(book.save))
