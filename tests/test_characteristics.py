"""Acceptance: sex and age-band RRIs equal an independent computation from the raw ONS file.

The expectation is worked out here from the unmodified mid-2022 workbook in
../shared/data (see its PROVENANCE.md), read with openpyxl, never with the package's
reader: RRI = (x_g / n) / (N_g / N), where x_g is the return's people in the group, n its
people of a comparable sex (female or male) or known age band, and N_g, N the same for
the area's population at the ages the return covers.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from commissioning.analysis.characteristic import WARN_OTHER_GENDER, analyse_characteristic
from commissioning.checking.report import MSG_CHARACTERISTICS
from commissioning.cli import cli
from commissioning.comparators import population
from commissioning.model.categories import NOT_KNOWN
from commissioning.model.counts import Counts

MYE22 = "ons_mye_mid2022_uk_xlsx/mye22final.xlsx"
SHEETS = {"Female": "MYE2 - Females", "Male": "MYE2 - Males"}
AREAS = {"Westminster": "E09000033", "Kent": "E10000016"}
#: A children's service: (gender as the provider wrote it, age band, people).
CHILDREN = (
    ("Female", "0-4", 31), ("Male", "0-4", 28), ("Female", "5-9", 44), ("Male", "5-9", 52),
    ("Female", "10-14", 61), ("Male", "10-14", 47), ("Female", "15-17", 23),
    ("Male", "15-17", 39), ("Non-binary", "15-17", 3), ("Prefer not to say", "10-14", 2),
)
CHILD_BANDS = ("0-4", "5-9", "10-14", "15-17")
#: An all-age service, with an open top band (65 and over takes in ONS's 90+).
ADULT_BANDS = ("0-17", "18-24", "25-64", "65+")


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> dict[str, dict[str, list[int]]]:
    """sex -> area code -> people at ages 0, 1, ..., 89 and 90+ (91 numbers)."""
    book = openpyxl.load_workbook(shared_data / MYE22, read_only=True, data_only=True)
    out: dict[str, dict[str, list[int]]] = {}
    for sex, name in SHEETS.items():
        rows = [list(r) for r in book[name].iter_rows(values_only=True)]
        header = next(i for i, r in enumerate(rows) if r and r[0] == "Code")
        assert rows[header][4] == "0" and rows[header][94] == "90+"  # ages 0 to 90+
        out[sex] = {str(r[0]): [int(v) for v in r[4:95]]  # type: ignore[call-overload]
                    for r in rows[header + 1:] if r and str(r[0]) in AREAS.values()}
    return out


def _ages(band: str) -> range:
    if band.endswith("+"):
        return range(int(band[:-1]), 91)
    lo, hi = (int(x) for x in band.split("-"))
    return range(lo, hi + 1)


def _population(raw: dict[str, dict[str, list[int]]], code: str, sex: str, band: str) -> int:
    return sum(raw[sex][code][a] for a in _ages(band))


def _rri(x: dict[str, int], big: dict[str, int]) -> dict[str, float]:
    n, total = sum(x.values()), sum(big.values())
    return {g: (x[g] / n) / (big[g] / total) for g in x}


def _return_csv(folder: Path, rows: tuple[tuple[str, str, int], ...]) -> Path:
    path = folder / "return.csv"
    lines = ["Gender,Age band,Number", *(f"{s},{b},{n}" for s, b, n in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _analyse_json(path: Path, authority: str, characteristic: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["analyse", str(path), "-a", authority,
                                      "--characteristic", characteristic, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("authority", AREAS)
def test_sex_rris_of_a_return_equal_the_raw_estimates(
    raw: dict[str, dict[str, list[int]]], tmp_path: Path, authority: str
) -> None:
    code = AREAS[authority]
    out = _analyse_json(_return_csv(tmp_path, CHILDREN), authority, "sex")
    served = {s: sum(n for g, _, n in CHILDREN if g == s) for s in SHEETS}
    area = {s: sum(_population(raw, code, s, b) for b in CHILD_BANDS) for s in SHEETS}
    expected = _rri(served, area)
    rows = {r["group"]: r for r in out["rows"]}
    assert list(rows) == ["Female", "Male"]
    for sex, rri in expected.items():
        assert rows[sex]["count"] == served[sex]
        assert rows[sex]["comparator_count"] == area[sex]
        assert rows[sex]["rri"] == pytest.approx(rri, abs=1e-9)
    assert out["characteristic"] == "sex" and out["comparator"]["ages"] == "0-17"


@pytest.mark.parametrize("authority", AREAS)
def test_age_band_rris_of_a_return_equal_the_raw_estimates(
    raw: dict[str, dict[str, list[int]]], tmp_path: Path, authority: str
) -> None:
    code = AREAS[authority]
    out = _analyse_json(_return_csv(tmp_path, CHILDREN), authority, "age_band")
    served = {b: sum(n for _, g, n in CHILDREN if g == b) for b in CHILD_BANDS}
    area = {b: sum(_population(raw, code, s, b) for s in SHEETS) for b in CHILD_BANDS}
    expected = _rri(served, area)
    rows = {r["group"]: r for r in out["rows"]}
    assert list(rows) == list(CHILD_BANDS)
    for band, rri in expected.items():
        assert rows[band]["comparator_count"] == area[band]
        assert rows[band]["rri"] == pytest.approx(rri, abs=1e-9)


@pytest.mark.parametrize("authority", AREAS)
def test_all_age_bands_with_an_open_top_band(
    raw: dict[str, dict[str, list[int]]], authority: str
) -> None:
    code = AREAS[authority]
    served = dict(zip(ADULT_BANDS, (120, 45, 300, 160), strict=True))
    service = Counts.from_records(
        {"major": NOT_KNOWN, "detailed": NOT_KNOWN, "sex": "Female", "age_band": b, "count": n}
        for b, n in served.items()
    )
    result = analyse_characteristic(service, population(authority, source="mye2022"),
                                    "age_band")
    area = {b: sum(_population(raw, code, s, b) for s in SHEETS) for b in ADULT_BANDS}
    expected = _rri(served, area)
    table = result.table.set_index("group")
    assert list(table.index) == list(ADULT_BANDS)
    for band, rri in expected.items():
        assert int(table.loc[band, "comparator_count"]) == area[band]
        assert float(table.loc[band, "rri"]) == pytest.approx(rri, abs=1e-9)


def test_a_return_with_gender_and_age_but_no_ethnicity(tmp_path: Path) -> None:
    path = _return_csv(tmp_path, CHILDREN)
    check = CliRunner().invoke(cli, ["check", str(path)])
    assert check.exit_code == 0, check.output
    assert MSG_CHARACTERISTICS.format(names="sex, age band") in check.stdout
    as_json = json.loads(CliRunner().invoke(cli, ["check", str(path), "--format",
                                                  "json"]).stdout)
    assert as_json["can_analyse"] is True
    assert as_json["characteristics"] == ["sex", "age_band"]

    out = _analyse_json(path, "Westminster", "sex")
    everyone = sum(n for *_, n in CHILDREN)
    # The 3 non-binary people are counted (with the 2 who preferred not to say), not dropped.
    assert (out["n_total"], out["n_not_known"]) == (everyone, 5)
    assert out["n_known"] == everyone - 5
    assert WARN_OTHER_GENDER.format(count=3) in out["warnings"]
    table = CliRunner().invoke(cli, ["analyse", str(path), "-a", "Westminster",
                                     "--characteristic", "sex"])
    assert table.exit_code == 0
    assert "Warning: " + WARN_OTHER_GENDER.format(count=3) in table.stdout
