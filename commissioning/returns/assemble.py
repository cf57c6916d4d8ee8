"""What every reader of returns shares once the table is found: the date ages are worked
out at, the classification of the table (raw text, dates of birth included, goes no
further), and the issues about missing fields.

The workbook reader (`read`) and the streaming CSV reader (`stream`) both end here, so
the same file gives the same `ProviderReturn` whichever of them reads it.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import re
from typing import Final

import pandas as pd

from commissioning.classify.age import MONTH_NUMBERS
from commissioning.model.categories import COMPARABLE_SEXES, NOT_CLASSIFIED
from commissioning.model.counts import Counts
from commissioning.model.quality import Issue
from commissioning.returns.classifying import Classified, classify_table

MSG_DUPLICATE_COLUMNS = (
    "Column {columns} repeats a heading already used (for example a second Ethnicity "
    "column); only the first was read. Ask the provider to keep one column per question."
)
MSG_NO_ETHNICITY = (
    "The return has no ethnicity column, so it cannot be compared with the population. "
    "Ask the provider to record ethnic group for everyone, using the template's list."
)
#: Without ethnicity but with gender or age, the return can still be compared by those.
MSG_NO_ETHNICITY_SEX_AGE = (
    "The return has no ethnicity column, so it can be compared with the population by "
    "{what} only. Ask the provider to record ethnic group for everyone, using the "
    "template's list."
)
MSG_NO_PEOPLE = (
    "The return has headings but no people or counts under them. Ask the provider to "
    "fill in the return and send it again."
)
#: The most people one return may count in total (more than the population of the United
#: Kingdom); beyond it the counts are a mistake, and analysis stops (docs/security.md).
MAX_PEOPLE_TOTAL = 100_000_000
MSG_TOO_MANY_PEOPLE = (
    "The counts in this return add up to {total} people, more than {limit}, so they cannot be "
    "right and the return cannot be analysed. Ask the provider to check the count column."
)
MSG_NO_SEX = (
    "The return has no gender column. The action plan asks providers to record gender "
    "for everyone; ask the provider to add it."
)
MSG_NO_AGE = (
    "The return has no age, age band or date of birth column. The action plan asks "
    "providers to record age; ask the provider to add an age band."
)
MSG_AGES_AS_OF = (
    "Ages were worked out from dates of birth at {date} (today). Use --as-of to give the "
    "last day of the monitoring period."
)
MSG_AGES_AS_OF_PERIOD = (
    "Ages were worked out from dates of birth at {date}, the end of the period given in "
    "the return. Use --as-of to choose another date."
)


def classify_main(
    data: pd.DataFrame, *, has_dob: bool, as_of: dt.date | None, sheet: str | None,
    issues: list[Issue],
) -> tuple[Classified, dt.date]:
    """Classify the main table; the "ages as of" note and the classifier's issues are
    added to ``issues``. Returns the table and the date ages were worked out at."""
    used = as_of
    if used is None and has_dob:
        from_period = period_end(data["period"]) if "period" in data.columns else None
        used = from_period or dt.date.today()
        template = MSG_AGES_AS_OF_PERIOD if from_period else MSG_AGES_AS_OF
        issues.append(Issue("info", "ages-as-of",
                            template.format(date=used.strftime("%d/%m/%Y")), sheet=sheet))
    used = used or dt.date.today()
    classified = classify_table(data, used)
    issues.extend(classified.issues(sheet))
    return classified, used


def completeness_issues(
    counts: Counts, columns: dict[str, int], marginals: dict[str, pd.Series], sheet: str
) -> list[Issue]:
    """The issues about missing fields (no ethnicity column, no people, no gender, no
    age), for every reader of returns: the workbook reader here and the CSV streamer."""
    issues: list[Issue] = []
    if "ethnicity" not in columns:
        issues.append(_no_ethnicity(counts, marginals, sheet))
    if counts.total == 0 and not marginals:
        issues.append(Issue("error", "no-people", MSG_NO_PEOPLE, sheet=sheet))
    if counts.total > MAX_PEOPLE_TOTAL:
        message = MSG_TOO_MANY_PEOPLE.format(
            total=f"{counts.total:,}", limit=f"{MAX_PEOPLE_TOTAL:,}"
        )
        issues.append(Issue("error", "count-implausible", message, sheet=sheet))
    if not counts.has("sex") and "sex" not in marginals:
        issues.append(Issue("warning", "no-sex-column", MSG_NO_SEX, sheet=sheet))
    if not counts.has("age_band") and "age_band" not in marginals:
        issues.append(Issue("warning", "no-age-column", MSG_NO_AGE, sheet=sheet))
    return issues


#: The answers a comparison by sex can use (the ONS counts women and men only).
_COMPARABLE: Final = {"sex": COMPARABLE_SEXES}


def _no_ethnicity(counts: Counts, marginals: dict[str, pd.Series], sheet: str) -> Issue:
    """An error, or a warning when gender or age can still be compared: the column is
    there and someone in it has a sex or an age band the population figures count."""
    present = [w for d, w in (("sex", "gender"), ("age_band", "age"))
               if _comparable(counts, marginals, d)]
    if not present:
        return Issue("error", "no-ethnicity-column", MSG_NO_ETHNICITY, sheet=sheet)
    message = MSG_NO_ETHNICITY_SEX_AGE.format(what=" and ".join(present))
    return Issue("warning", "no-ethnicity-column", message, sheet=sheet)


def _comparable(counts: Counts, marginals: dict[str, pd.Series], dimension: str) -> bool:
    if counts.has(dimension):
        tally = counts.tally(dimension)
    elif dimension in marginals:
        tally = marginals[dimension]
    else:
        return False
    wanted = _COMPARABLE.get(dimension)
    return any(int(n) > 0 and str(value) not in NOT_CLASSIFIED
               and (wanted is None or str(value) in wanted) for value, n in tally.items())


_MONTH_YEAR = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s-]*(\d{4})\b"
)
_UK_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def period_end(values: pd.Series) -> dt.date | None:
    """The latest date a period column names ("Apr-Jun 2024" -> 30/06/2024, or a
    written date), once per distinct value; None when no value names a month or date.
    "2024 Q2" is not read: quarters differ between calendar and financial years."""
    found: list[dt.date] = []
    for text in pd.unique(values.to_numpy(dtype=object)):
        lowered = str(text).lower()
        for month, year in _MONTH_YEAR.findall(lowered):
            number = MONTH_NUMBERS[month]
            last = calendar.monthrange(int(year), number)[1]
            found.append(dt.date(int(year), number, last))
        for day, month, year in _UK_DATE.findall(lowered):
            with contextlib.suppress(ValueError):
                found.append(dt.date(int(year), int(month), int(day)))
        for year, month, day in _ISO_DATE.findall(lowered):
            with contextlib.suppress(ValueError):
                found.append(dt.date(int(year), int(month), int(day)))
    return max(found) if found else None
