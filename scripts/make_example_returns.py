"""Make the example provider returns in provider_returns/ (synthetic: no real people).

Run from the repository root:  .venv/bin/python scripts/make_example_returns.py

Each file shows one way providers send returns, with the mess real returns have (title
rows, notes, merged headers, sub-totals, mixed wording). The ethnic mix starts from the
borough's default comparator for children's services (the packaged DfE school census,
`commissioning.comparators.population(authority)`), then whole major groups are tilted
so a drafted section has findings (the "family support" return keeps the comparator's
own proportions, so every group is proportionate). Everything is random but seeded, so
the data are the same every run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from commissioning.comparators import population
from commissioning.model.categories import DETAILED_GROUPS, DETAILED_TO_MAJOR
from commissioning.outputs import write_atomic

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "provider_returns"

#: Census 2021 detailed group -> the wording a provider might type.
PROVIDER_WORDING = {
    "Bangladeshi": "Bangladeshi",
    "Chinese": "Chinese",
    "Indian": "Indian",
    "Pakistani": "Pakistani",
    "Other Asian": "Any other Asian background",
    "African": "Black African",
    "Caribbean": "Black Caribbean",
    "Other Black": "Any other Black background",
    "White and Asian": "Mixed White and Asian",
    "White and Black African": "Mixed White and Black African",
    "White and Black Caribbean": "Mixed White and Black Caribbean",
    "Other Mixed": "Any other Mixed background",
    "White British": "White British",
    "Irish": "White Irish",
    "Gypsy or Irish Traveller": "Gypsy or Irish Traveller",
    "Roma": "Roma",
    "Other White": "Any other White background",
    "Arab": "Arab",
    "Any other ethnic group": "Any other ethnic group",
}


def comparator_mix(authority: str) -> pd.Series:
    """Share of each detailed group among the comparator's known ethnicities."""
    tally = population(authority).counts.tally("detailed")
    known = tally.reindex(list(DETAILED_GROUPS), fill_value=0).astype(float)
    return known / known.sum()


def tilt(mix: pd.Series, factors: dict[str, float]) -> pd.Series:
    """Multiply every detailed group of a major group (or one detailed group) by a factor."""
    out = mix.copy()
    for name, factor in factors.items():
        members = [g for g in out.index if DETAILED_TO_MAJOR.get(g) == name or g == name]
        out[members] *= factor
    return out / out.sum()


def save_xlsx(book: Workbook, name: str) -> None:
    write_atomic(OUT / name, lambda tmp: book.save(tmp))


def westminster_holiday_activities(rng: np.random.Generator, mix: pd.Series) -> None:
    """Records: ~400 children, title and note rows, a date-of-birth column, mixed wording."""
    mix = tilt(mix, {"Black": 1.9, "Asian": 1.3, "White": 0.4, "Chinese": 0.0})
    n = 412
    groups = rng.choice(mix.index.to_numpy(), size=n, p=mix.to_numpy())
    labels = [PROVIDER_WORDING[g] for g in groups]
    # a few rows in other wordings providers use, and a few not known / not recognised
    codes = {"Black African": "BAFR", "White British": "WBRI", "Bangladeshi": "ABAN"}
    for i in rng.choice(n, size=40, replace=False):
        labels[i] = codes.get(labels[i], labels[i].upper())
    for i in rng.choice(n, size=14, replace=False):
        labels[i] = str(rng.choice(["Prefer not to say", "Not stated", ""]))
    for i in rng.choice(n, size=3, replace=False):
        labels[i] = "Latin American"
    sexes = rng.choice(["Female", "Male", "F", "M", "Non-binary", "Prefer not to say"],
                       size=n, p=[0.34, 0.34, 0.13, 0.13, 0.03, 0.03])
    period_end = dt.date(2024, 6, 30)
    ages_days = rng.integers(5 * 365, 17 * 365, size=n)
    sites = rng.choice(["Church Street", "Queen's Park", "Pimlico", "Westbourne"], size=n)
    stages = rng.choice(["Started", "Completed"], size=n, p=[0.3, 0.7])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Q2 attendees"
    sheet["A1"] = "Holiday Activities and Food programme: monitoring return, April to June 2024"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = "Provider: Example Youth Trust (synthetic example data, no real children)"
    header = ["Ref", "Ethnicity (please select)", "Gender", "Date of birth", "Site", "Stage",
              "Period"]
    sheet.append([])
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for i in range(n):
        born = period_end - dt.timedelta(days=int(ages_days[i]))
        # most dates typed as UK text, some as real Excel dates
        dob: object = born.strftime("%d/%m/%Y") if i % 3 else dt.datetime.combine(born, dt.time())
        sheet.append([f"HAF{i + 1:04d}", labels[i], str(sexes[i]), dob, str(sites[i]),
                      str(stages[i]), "Apr-Jun 2024"])
    sheet.append([])
    sheet.append(["Note: children who attended at least one session in the period are listed."])
    save_xlsx(book, "westminster_holiday_activities_2024q2.xlsx")


KC_LABELS = {  # DfE-style labels a youth service's database exports
    "White British": "White - British",
    "Irish": "White - Irish",
    "Gypsy or Irish Traveller": "Traveller of Irish heritage",
    "Roma": "Gypsy/Roma",
    "Other White": "White - any other White background",
    "White and Black Caribbean": "Mixed - White and Black Caribbean",
    "White and Black African": "Mixed - White and Black African",
    "White and Asian": "Mixed - White and Asian",
    "Other Mixed": "Mixed - any other Mixed background",
    "Indian": "Asian - Indian",
    "Pakistani": "Asian - Pakistani",
    "Bangladeshi": "Asian - Bangladeshi",
    "Chinese": "Chinese",
    "Other Asian": "Asian - any other Asian background",
    "African": "Black - African",
    "Caribbean": "Black - Caribbean",
    "Other Black": "Black - any other Black background",
    "Arab": "Arab",
    "Any other ethnic group": "Any other ethnic group",
}


def kensington_chelsea_youth(rng: np.random.Generator, mix: pd.Series) -> None:
    """Counts CSV: ethnic group x gender x age band, one row per combination."""
    mix = tilt(mix, {"Caribbean": 2.5, "White and Black Caribbean": 2.0, "Other": 0.5})
    n = 260
    rows = []
    groups = rng.choice(mix.index.to_numpy(), size=n, p=mix.to_numpy())
    sexes = rng.choice(["Female", "Male"], size=n, p=[0.45, 0.55])
    bands = rng.choice(["10-14", "15-17", "18-19"], size=n, p=[0.35, 0.5, 0.15])
    frame = pd.DataFrame({"group": groups, "sex": sexes, "band": bands})
    sizes = frame.groupby(["group", "sex", "band"]).size().reset_index(name="size")
    for record in sizes.to_dict("records"):
        rows.append([KC_LABELS[str(record["group"])], str(record["sex"]),
                     str(record["band"]), int(record["size"])])
    rows.append(["Not stated", "Female", "15-17", 6])
    rows.append(["Not stated", "Male", "15-17", 5])
    columns = ["Ethnic Group", "Gender", "Age Band", "Number of young people"]
    table = pd.DataFrame(rows, columns=columns)
    write_atomic(OUT / "kensington_chelsea_youth_2024q2.csv", table.to_csv(index=False))


CROSSTAB_ROWS = (  # (label as written, detailed group) in the order of an NHS form
    ("White British", "White British"),
    ("White Irish", "Irish"),
    ("Any other White background", "Other White"),
    ("White total", None),
    ("Mixed - White and Black Caribbean", "White and Black Caribbean"),
    ("Mixed - White and Black African", "White and Black African"),
    ("Mixed - White and Asian", "White and Asian"),
    ("Any other mixed background", "Other Mixed"),
    ("Mixed total", None),
    ("Asian or Asian British - Indian", "Indian"),
    ("Asian or Asian British - Pakistani", "Pakistani"),
    ("Asian or Asian British - Bangladeshi", "Bangladeshi"),
    ("Any other Asian background", "Other Asian"),
    ("Asian total", None),
    ("Black or Black British - Caribbean", "Caribbean"),
    ("Black or Black British - African", "African"),
    ("Any other Black background", "Other Black"),
    ("Black total", None),
    ("Chinese", "Chinese"),
    ("Arab", "Arab"),
    ("Any other ethnic group", "Any other ethnic group"),
    ("Not stated", "not stated"),
)


def bibrough_mental_health(rng: np.random.Generator, mix: pd.Series) -> None:
    """Cross-tab: ethnic group rows x gender columns, merged header, sub-totals, total."""
    mix = tilt(mix, {"Black": 0.45, "Bangladeshi": 0.3, "White": 1.6})
    mix = mix * 0.95
    mix["not stated"] = 0.05
    n = 530
    draws = pd.Series(rng.choice(mix.index.to_numpy(), size=n, p=mix.to_numpy()))
    sex = rng.choice(["Female", "Male", "Other"], size=n, p=[0.6, 0.37, 0.03])
    table = pd.crosstab(draws, sex)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Referrals"
    sheet["A1"] = "Bi-Borough digital mental health service: referrals by ethnicity and gender"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = "Quarter 2 2024/25 (synthetic example data)"
    sheet["A4"], sheet["B4"] = "Ethnic group", "Gender"
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("B4:E4")
    for col, text in enumerate(["Female", "Male", "Other gender identity", "Total"], 2):
        sheet.cell(row=5, column=col, value=text)
    row = 6
    block = np.zeros(3, dtype=int)
    grand = np.zeros(3, dtype=int)
    for label, group in CROSSTAB_ROWS:
        if group is None:
            values = block
            block = np.zeros(3, dtype=int)
        else:
            found = table.reindex(index=[group], columns=["Female", "Male", "Other"],
                                  fill_value=0)
            values = found.to_numpy(dtype=int)[0]
            block += values
            grand += values
        sheet.cell(row=row, column=1, value=label)
        for col, value in enumerate(values, 2):
            sheet.cell(row=row, column=col, value=int(value))
        sheet.cell(row=row, column=5, value=int(values.sum()))
        row += 1
    sheet.cell(row=row, column=1, value="Total")
    for col, value in enumerate(grand, 2):
        sheet.cell(row=row, column=col, value=int(value))
    sheet.cell(row=row, column=5, value=int(grand.sum()))
    for cell in (*sheet[4], *sheet[5], *sheet[row]):
        cell.font = Font(bold=True)
    save_xlsx(book, "bibrough_mental_health_2024q2.xlsx")


def small_parenting_group(rng: np.random.Generator) -> None:
    """A tiny return (12 people): records with an age column."""
    rows = [
        ["Pakistani", "Female", 34], ["White British", "Female", 29],
        ["Black African", "Female", 41], ["Bangladeshi", "Female", 31],
        ["Any other White background", "Female", 38], ["Arab", "Male", 36],
        ["White British", "Male", 33], ["Black Caribbean", "Female", 27],
        ["Prefer not to say", "Female", 30], ["Indian", "Female", 35],
        ["Mixed White and Black Caribbean", "Female", 26], ["Somali", "Female", 39],
    ]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Parents"
    sheet.append(["Parenting group attendance, Q2 2024 (synthetic example data)"])
    sheet.append(["ETHNICITY", "SEX", "AGE"])
    for ethnicity, sex, age in rows:
        sheet.append([ethnicity, sex, age])
    save_xlsx(book, "westminster_parenting_group_2024q2.xlsx")


def proportionate_family_support(mix: pd.Series) -> None:
    """Separate tables on one sheet: ethnicity counts exactly in the borough's
    proportions (so every group is proportionate), then gender and age tables."""
    n = 600
    counts = np.floor(mix.to_numpy() * n + 0.5).astype(int)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Summary"
    sheet.append(["Family support service: who we worked with, April to June 2024"])
    sheet.append(["(synthetic example data)"])
    sheet.append([])
    sheet.append(["Ethnic group", "Number of families"])
    for group, count in zip(mix.index, counts, strict=True):
        sheet.append([PROVIDER_WORDING[group], int(count)])
    total = int(counts.sum())
    sheet.append(["Total", total])
    sheet.append([])
    sheet.append(["Gender of lead parent", "Number"])
    female = round(total * 0.71)
    sheet.append(["Female", female])
    sheet.append(["Male", total - female - 4])
    sheet.append(["Not known", 4])
    sheet.append([])
    sheet.append(["Age group of youngest child", "Number"])
    split = [int(total * 0.4), int(total * 0.35)]
    split.append(total - sum(split))
    for band, count in zip(["0-4", "5-9", "10-14"], split, strict=True):
        sheet.append([band, count])
    save_xlsx(book, "westminster_family_support_2024q2.xlsx")


def early_help_unknowns(rng: np.random.Generator, mix: pd.Series) -> None:
    """Records CSV in Windows-1252 with 40% of ethnicity not recorded."""
    n = 300
    groups = rng.choice(mix.index.to_numpy(), size=n, p=mix.to_numpy())
    labels = [PROVIDER_WORDING[g] for g in groups]
    unknown = rng.choice(n, size=120, replace=False)
    for i in unknown:
        labels[i] = str(rng.choice(["Not stated", "Information not yet obtained", "",
                                    "Refused"]))
    ages = rng.integers(0, 18, size=n)
    sexes = rng.choice(["Girl", "Boy"], size=n)
    frame = pd.DataFrame({"Ethnic origin": labels, "Gender": sexes, "Age (years)": ages,
                          "Period": "Q2 2024–25"})
    text = frame.to_csv(index=False)
    write_atomic(OUT / "kensington_chelsea_early_help_2024q2.csv", text.encode("cp1252"))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(20240630)
    westminster = comparator_mix("Westminster")
    kensington = comparator_mix("Kensington and Chelsea")
    westminster_holiday_activities(rng, westminster)
    kensington_chelsea_youth(rng, kensington)
    bibrough_mental_health(rng, (westminster + kensington) / 2)
    small_parenting_group(rng)
    proportionate_family_support(westminster)
    early_help_unknowns(rng, kensington)
    for path in sorted(OUT.iterdir()):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
