"""User comparator files: read like returns, classified by the same classifiers."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from commissioning.comparators import load_comparator_file
from commissioning.comparators import userfile as uf
from commissioning.errors import ComparatorError
from commissioning.model.categories import NOT_KNOWN


def write_csv(tmp_path: Path, text: str, name: str = "comparator.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_csv(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "ethnicity,count\nWhite British,100\nIndian,20\nBlack Caribbean,15\n"
        "Prefer not to say,5\nTotal,140\n",
    )
    pop = load_comparator_file(path)
    tally = pop.counts.tally("major")
    assert pop.counts.total == 140  # the Total row is not counted twice
    assert (tally["White"], tally["Asian"], tally["Black"], tally[NOT_KNOWN]) == (100, 20, 15, 5)
    assert pop.info.source == "file" and pop.info.kind == "independent"
    assert pop.info.ages == "all ages"
    assert uf.CAVEAT_USER_FILE in pop.info.caveats
    assert pop.info.extra["sha256"] in pop.info.citation


def test_optional_dimensions(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "Ethnic group,Sex,Age band,Period,Count\n"
        "White: Irish,Female,0 to 4,2024,\"1,200\"\n"
        "Asian - Pakistani,M,5-10,2024,30\n"
        "Mixed W&BC,Girls,11 to 17 years,2024,7\n",
    )
    pop = load_comparator_file(path)
    assert pop.counts.dimensions == ("sex", "age_band", "period")
    frame = pop.counts.frame
    assert sorted(frame["age_band"]) == ["0-4", "11-17", "5-10"]
    assert sorted(frame["sex"]) == ["Female", "Female", "Male"]
    assert pop.counts.total == 1237
    assert pop.info.ages == "0-17" and pop.info.year == "2024"


def test_xlsx_with_title_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Local population, 2024"])
    sheet.append([])
    sheet.append(["Ethnicity", "Count"])
    sheet.append(["White British", 50])
    sheet.append(["Any other ethnic group", 4])
    path = tmp_path / "pop.xlsx"
    book.save(path)
    pop = load_comparator_file(path)
    assert pop.counts.total == 54
    assert pop.info.table_id == "pop.xlsx"


def test_unmapped_labels_are_listed_at_most_ten(tmp_path: Path) -> None:
    rows = "".join(f"Martian {chr(65 + i)},1\n" for i in range(12))
    path = write_csv(tmp_path, "ethnicity,count\nWhite British,3\n" + rows)
    with pytest.raises(ComparatorError) as caught:
        load_comparator_file(path)
    listed = ", ".join(f'"Martian {chr(65 + i)}"' for i in range(10))
    assert caught.value.message == uf.MSG_UNMAPPED.format(
        file="comparator.csv",
        dimension="ethnicity",
        labels=uf.MSG_LIST_MORE.format(first=listed, more=2),
    )


def test_labels_that_may_be_personal_are_not_echoed(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "ethnicity,count\nWhite British,3\nSW1A 1AA,2\n")
    with pytest.raises(ComparatorError) as caught:
        load_comparator_file(path)
    assert "SW1A" not in caught.value.message
    assert uf.MSG_ROW_LABEL.format(row=3) in caught.value.message


def test_unmapped_sex_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "ethnicity,sex,count\nWhite British,Banana,3\n")
    with pytest.raises(ComparatorError) as caught:
        load_comparator_file(path)
    assert "sex labels" in caught.value.message and '"Banana"' in caught.value.message


def test_bad_counts_name_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "ethnicity,count\nWhite British,3\nIndian,-2\nChinese,lots\n")
    with pytest.raises(ComparatorError) as caught:
        load_comparator_file(path)
    assert caught.value.message == uf.MSG_BAD_COUNTS.format(file="comparator.csv", rows="3, 4")


def test_missing_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "group name,people in area\nWhite British,3\n")
    with pytest.raises(ComparatorError) as caught:
        load_comparator_file(path)
    assert caught.value.message == uf.MSG_NO_COLUMNS.format(file="comparator.csv")


def test_no_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "ethnicity,count\n")
    with pytest.raises(ComparatorError) as caught:
        load_comparator_file(path)
    assert caught.value.message == uf.MSG_NO_ROWS.format(file="comparator.csv")
