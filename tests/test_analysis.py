"""`analyse`: wiring of the statistics, columns, edge cases, intersections, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, fisher_exact
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from commissioning.analysis.compare import (
    MSG_BAD_THRESHOLDS,
    MSG_MISSING_DIMENSION,
    MSG_NESTED_EXCEEDS,
    MSG_NO_KNOWN,
    MSG_UNKNOWN_REFERENCE,
    NO_COMPARATOR,
    RATE_RATIO_COLUMNS,
    TABLE_COLUMNS,
    WARN_NO_COMPARATOR,
    WARN_SMALL_N,
    WARN_UNKNOWN,
    Analysis,
    analyse,
)
from commissioning.comparators.info import Population, PopulationInfo
from commissioning.errors import AnalysisError
from commissioning.model.categories import DETAILED_TO_MAJOR, MAJOR_GROUPS, NOT_KNOWN, UNMAPPED
from commissioning.model.counts import Counts

MAJOR_DETAIL = {
    "Asian": "Indian",
    "Black": "African",
    "Mixed": "Other Mixed",
    "White": "White British",
    "Other": "Arab",
}


def majors(counts: dict[str, int], **dims: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for group, count in counts.items():
        detailed = MAJOR_DETAIL.get(group, group)
        rows.append({"major": group, "detailed": detailed, "count": count, **dims})
    return rows


SERVICE = {"Asian": 30, "Black": 60, "Mixed": 25, "White": 70, "Other": 15}
CENSUS = {"Asian": 34242, "Black": 16456, "Mixed": 13335, "White": 112732, "Other": 27471}


def test_table_columns_and_major_groups() -> None:
    result = analyse(Counts.from_records(majors(SERVICE)), Counts.from_records(majors(CENSUS)))
    assert isinstance(result, Analysis)
    assert tuple(result.table.columns) == TABLE_COLUMNS
    assert result.table["group"].tolist() == list(MAJOR_GROUPS)
    assert set(result.table["band"]) <= {
        "over-represented",
        "under-represented",
        "higher than expected",
        "lower than expected",
        "not represented",
        "proportionate",
    }
    assert set(result.table["confidence"]) <= {"significant", "indicative", "too few to judge", ""}


def test_every_figure_against_independent_implementations() -> None:
    result = analyse(Counts.from_records(majors(SERVICE)), Counts.from_records(majors(CENSUS)))
    t = result.table
    n, total = sum(SERVICE.values()), sum(CENSUS.values())
    x = np.array([SERVICE[g] for g in MAJOR_GROUPS])
    cg = np.array([CENSUS[g] for g in MAJOR_GROUPS])
    pi = cg / total
    np.testing.assert_allclose(t["share"], x / n)
    np.testing.assert_allclose(t["comparator_share"], pi)
    np.testing.assert_allclose(t["expected"], n * pi)
    np.testing.assert_allclose(t["rri"], (x / n) / pi)
    low, high = proportion_confint(x, n, method="wilson")
    np.testing.assert_allclose(t["rri_low"], low / pi, rtol=1e-10)
    np.testing.assert_allclose(t["rri_high"], high / pi, rtol=1e-10)
    p = [binomtest(int(a), n, float(b)).pvalue for a, b in zip(x, pi, strict=True)]
    np.testing.assert_allclose(t["p_value"], p, rtol=1e-10)
    np.testing.assert_allclose(t["p_adjusted"], multipletests(p, method="holm")[1], rtol=1e-10)
    black = t.set_index("group").loc["Black"]
    assert black["band"] == "over-represented" and black["confidence"] == "significant"
    assert result.omnibus is not None and result.omnibus.df == 4


def test_independent_mode_uses_fisher() -> None:
    comp = {"Asian": 40, "Black": 30, "Mixed": 20, "White": 90, "Other": 20}
    result = analyse(
        Counts.from_records(majors(SERVICE)),
        Counts.from_records(majors(comp)),
        mode="independent",
        adjust="fdr_bh",
    )
    n, total = sum(SERVICE.values()), sum(comp.values())
    p = [
        fisher_exact([[SERVICE[g], n - SERVICE[g]], [comp[g], total - comp[g]]]).pvalue
        for g in MAJOR_GROUPS
    ]
    np.testing.assert_allclose(result.table["p_value"], p, rtol=1e-9)
    np.testing.assert_allclose(
        result.table["p_adjusted"], multipletests(p, method="fdr_bh")[1], rtol=1e-9
    )
    assert result.omnibus is not None and result.omnibus.method.startswith("chi-square test")


def test_nested_mode_checks_subset() -> None:
    referrals = {"Asian": 100, "Black": 120, "Mixed": 60, "White": 200, "Other": 40}
    result = analyse(
        Counts.from_records(majors(SERVICE)), Counts.from_records(majors(referrals)), mode="nested"
    )
    n, total = sum(SERVICE.values()), sum(referrals.values())
    a, g = SERVICE["Black"], referrals["Black"]
    want = fisher_exact([[a, g - a], [n - a, total - g - (n - a)]]).pvalue
    assert result.table.set_index("group").loc["Black", "p_value"] == pytest.approx(want)
    too_small = dict(referrals, Black=10)
    with pytest.raises(AnalysisError) as err:
        analyse(
            Counts.from_records(majors(SERVICE)),
            Counts.from_records(majors(too_small)),
            mode="nested",
        )
    assert err.value.message == MSG_NESTED_EXCEEDS.format(group="Black")


def test_unknowns_are_excluded_reported_and_bounded() -> None:
    rows = majors(SERVICE)
    rows += [
        {"major": NOT_KNOWN, "detailed": NOT_KNOWN, "count": 40},
        {"major": UNMAPPED, "detailed": UNMAPPED, "count": 10},
    ]
    result = analyse(Counts.from_records(rows), Counts.from_records(majors(CENSUS)))
    n = sum(SERVICE.values())
    assert (result.n_total, result.n_known, result.n_not_known, result.n_unmapped) == (
        n + 50,
        n,
        40,
        10,
    )
    assert result.unknown_share == pytest.approx(50 / (n + 50))
    assert WARN_UNKNOWN.format(share=50 / (n + 50), limit=0.10) in result.warnings
    t = result.table.set_index("group")
    pi = CENSUS["Asian"] / sum(CENSUS.values())
    assert t.loc["Asian", "share"] == pytest.approx(30 / n)
    assert t.loc["Asian", "rri_bound_low"] == pytest.approx(30 / (n + 50) / pi)
    assert t.loc["Asian", "rri_bound_high"] == pytest.approx(80 / (n + 50) / pi)


def test_group_without_comparator_population() -> None:
    comp = dict(CENSUS, Other=0)
    result = analyse(Counts.from_records(majors(SERVICE)), Counts.from_records(majors(comp)))
    other = result.table.set_index("group").loc["Other"]
    assert other["note"] == NO_COMPARATOR
    assert np.isnan(other["rri"]) and np.isnan(other["p_value"])
    assert np.isnan(other["p_adjusted"]) and other["band"] == "" and other["confidence"] == ""
    assert WARN_NO_COMPARATOR.format(count=15) in result.warnings
    # the other four form the adjustment family
    p = result.table["p_value"].to_numpy()[:4]
    np.testing.assert_allclose(
        result.table["p_adjusted"].to_numpy()[:4], multipletests(p, method="holm")[1]
    )
    assert result.omnibus is not None and result.omnibus.df == 3


def test_not_represented_and_small_numbers() -> None:
    service = {"Asian": 0, "Black": 3, "Mixed": 0, "White": 9, "Other": 0}
    result = analyse(Counts.from_records(majors(service)), Counts.from_records(majors(CENSUS)))
    assert WARN_SMALL_N.format(n=12, min_n=20) in result.warnings
    assert set(result.table["confidence"]) == {"too few to judge"}
    big = {"Asian": 0, "Black": 100, "Mixed": 20, "White": 100, "Other": 30}
    t = analyse(Counts.from_records(majors(big)), Counts.from_records(majors(CENSUS))).table
    asian = t.set_index("group").loc["Asian"]
    assert asian["band"] == "not represented" and asian["rri"] == 0.0
    assert asian["confidence"] == "significant"


def test_rate_ratio_against_reference() -> None:
    result = analyse(
        Counts.from_records(majors(SERVICE)), Counts.from_records(majors(CENSUS)), reference="White"
    )
    assert tuple(result.table.columns) == (*TABLE_COLUMNS, *RATE_RATIO_COLUMNS)
    t = result.table.set_index("group")
    want = (SERVICE["Black"] / CENSUS["Black"]) / (SERVICE["White"] / CENSUS["White"])
    assert t.loc["Black", "rate_ratio"] == pytest.approx(want)
    assert t.loc["White", "rate_ratio"] == pytest.approx(1.0)
    assert result.reference == "White"
    with pytest.raises(AnalysisError) as err:
        analyse(
            Counts.from_records(majors(SERVICE)),
            Counts.from_records(majors(CENSUS)),
            reference="Martian",
        )
    assert err.value.message == MSG_UNKNOWN_REFERENCE.format(
        group="Martian", level="major", choices=", ".join(MAJOR_GROUPS)
    )


def test_population_info_is_carried() -> None:
    info = PopulationInfo(
        source="census2021",
        title="Census 2021",
        publisher="ONS",
        table_id="TS021",
        year="2021",
        geography="Westminster",
        geography_codes=("E09000033",),
        ages="all ages",
    )
    result = analyse(
        Counts.from_records(majors(SERVICE)), Population(Counts.from_records(majors(CENSUS)), info)
    )
    assert result.comparator is info


def test_by_sex_compares_within_each_sex() -> None:
    service = Counts.from_records(
        majors({"Asian": 10, "Black": 30, "Mixed": 5, "White": 40, "Other": 5}, sex="Female")
        + majors({"Asian": 12, "Black": 8, "Mixed": 6, "White": 50, "Other": 4}, sex="Male")
    )
    comp = Counts.from_records(majors(CENSUS, sex="Female") + majors(CENSUS, sex="Male"))
    result = analyse(service, comp, by="sex")
    assert list(result.table.columns[:2]) == ["group", "sex"]
    assert result.by == ("sex",) and result.by_dimensions == ("sex",)
    assert len(result.table) == 10  # no empty "Other" sex rows
    t = result.table.set_index(["sex", "group"])
    assert t.loc[("Female", "Black"), "share"] == pytest.approx(30 / 90)
    pi = CENSUS["Black"] / sum(CENSUS.values())
    assert t.loc[("Female", "Black"), "p_value"] == pytest.approx(binomtest(30, 90, pi).pvalue)
    # Holm across all ten cells
    np.testing.assert_allclose(
        result.table["p_adjusted"], multipletests(result.table["p_value"], method="holm")[1]
    )


def test_missing_dimension_is_named() -> None:
    service = Counts.from_records(majors(SERVICE, sex="Female"))
    with pytest.raises(AnalysisError) as err:
        analyse(service, Counts.from_records(majors(CENSUS)), by="sex")
    assert err.value.message == MSG_MISSING_DIMENSION.format(side="comparator", dimension="sex")
    with pytest.raises(AnalysisError) as err:
        analyse(service, Counts.from_records(majors(CENSUS, sex="Female")), by="age_band")
    assert err.value.message == MSG_MISSING_DIMENSION.format(side="return", dimension="age_band")


CENSUS_2011_BANDS = ["0-4", "5-7", "8-9", "10-14", "15-15", "16-17"]


def test_by_age_band_adds_census_2011_bands_into_service_bands() -> None:
    service_rows = []
    for band in ["0-4", "5-9", "10-14", "15-17"]:
        service_rows += majors(
            {"Asian": 5, "Black": 9, "Mixed": 4, "White": 12, "Other": 3}, age_band=band
        )
    comp_rows = []
    for i, band in enumerate(CENSUS_2011_BANDS):
        comp_rows += majors({g: c + 7 * i for g, c in CENSUS.items()}, age_band=band)
    result = analyse(
        Counts.from_records(service_rows), Counts.from_records(comp_rows), by="age_band"
    )
    t = result.table.set_index(["age_band", "group"])
    assert t.loc[("5-9", "White"), "comparator_count"] == 2 * CENSUS["White"] + 7 * (1 + 2)
    assert t.loc[("15-17", "Asian"), "comparator_count"] == 2 * CENSUS["Asian"] + 7 * (4 + 5)
    assert result.table["age_band"].unique().tolist() == ["0-4", "5-9", "10-14", "15-17"]


def test_age_band_cutting_across_is_refused() -> None:
    from commissioning.analysis.agealign import MSG_BAND_CUTS_ACROSS

    service = Counts.from_records(majors(SERVICE, age_band="5-8"))
    comp = Counts.from_records(majors(CENSUS, age_band="5-7") + majors(CENSUS, age_band="8-9"))
    with pytest.raises(AnalysisError) as err:
        analyse(service, comp, by="age_band")
    assert err.value.message == MSG_BAND_CUTS_ACROSS.format(comparator="8-9", service="5-8")


def test_age_band_partly_covered_is_refused() -> None:
    from commissioning.analysis.agealign import MSG_BAND_PART_COVERED

    service = Counts.from_records(majors(SERVICE, age_band="15-17"))
    comp = Counts.from_records(majors(CENSUS, age_band="15-15"))
    with pytest.raises(AnalysisError) as err:
        analyse(service, comp, by="age_band")
    assert err.value.message == MSG_BAND_PART_COVERED.format(service="15-17")


def test_service_band_outside_comparator_has_no_comparator() -> None:
    service = Counts.from_records(
        majors(SERVICE, age_band="10-14") + majors(SERVICE, age_band="25+")
    )
    comp = Counts.from_records(majors(CENSUS, age_band="10-14"))
    t = analyse(service, comp, by="age_band").table
    assert (t.loc[t["age_band"] == "25+", "note"] == NO_COMPARATOR).all()


def test_no_known_ethnicity_and_bad_options() -> None:
    nobody = Counts.from_records([{"major": NOT_KNOWN, "detailed": NOT_KNOWN, "count": 5}])
    with pytest.raises(AnalysisError) as err:
        analyse(nobody, Counts.from_records(majors(CENSUS)))
    assert err.value.message == MSG_NO_KNOWN
    with pytest.raises(AnalysisError) as err:
        analyse(Counts.from_records(majors(SERVICE)), Counts.from_records(majors(CENSUS)), over=0.9)
    assert err.value.message == MSG_BAD_THRESHOLDS
    with pytest.raises(AnalysisError):
        analyse(
            Counts.from_records(majors(SERVICE)),
            Counts.from_records(majors(CENSUS)),
            mode="sideways",  # type: ignore[arg-type]
        )


def test_detailed_level_has_nineteen_groups() -> None:
    rows = [
        {"major": m, "detailed": d, "count": i % 4}
        for i, (d, m) in enumerate(DETAILED_TO_MAJOR.items())
    ]
    comp = [
        {"major": m, "detailed": d, "count": 1000 + 10 * i}
        for i, (d, m) in enumerate(DETAILED_TO_MAJOR.items())
    ]
    result = analyse(Counts.from_records(rows), Counts.from_records(comp), level="detailed")
    assert result.table["group"].tolist() == list(DETAILED_TO_MAJOR)
    assert result.omnibus is not None and "Monte Carlo" in result.omnibus.method


def test_omnibus_is_reproducible_with_the_seed() -> None:
    service = Counts.from_records(
        majors({"Asian": 1, "Black": 9, "Mixed": 0, "White": 20, "Other": 2})
    )
    first = analyse(service, Counts.from_records(majors(CENSUS)), seed=7)
    second = analyse(service, Counts.from_records(majors(CENSUS)), seed=7)
    assert first.omnibus == second.omnibus
    assert first.omnibus is not None and "seed 7" in first.omnibus.method


def _intersection_counts(rng: np.random.Generator, scale: int) -> Counts:
    rows = [
        {"major": m, "detailed": d, "sex": s, "age_band": b, "count": int(rng.poisson(scale))}
        for d, m in DETAILED_TO_MAJOR.items()
        for s in ("Female", "Male")
        for b in ("0-4", "5-9", "10-14", "15-17", "18-24", "25+")
    ]
    return Counts(pd.DataFrame(rows))


def test_228_cells_analysed_in_every_mode() -> None:
    """Shape of the full intersection; its speed is measured in benchmarks/bench_analysis.py."""
    rng = np.random.default_rng(0)
    service, comp = _intersection_counts(rng, 8), _intersection_counts(rng, 900)
    for mode in ("fixed", "independent", "nested"):
        result = analyse(service, comp, level="detailed", by=("sex", "age_band"), mode=mode)  # type: ignore[arg-type]
        assert len(result.table) == 228
        assert result.table["p_value"].between(0, 1).all()


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(0, 500), min_size=5, max_size=5).filter(lambda v: sum(v) > 0),
    st.lists(st.integers(0, 500), min_size=5, max_size=5).filter(lambda v: sum(v) > 0),
    st.sampled_from(["fixed", "independent", "nested"]),
)
def test_population_against_itself_is_one_everywhere(
    female: list[int], male: list[int], mode: str
) -> None:
    rows = majors(dict(zip(MAJOR_GROUPS, female, strict=True)), sex="Female") + majors(
        dict(zip(MAJOR_GROUPS, male, strict=True)), sex="Male"
    )
    whole = Counts.from_records(rows)
    for by in (None, "sex"):
        t = analyse(whole, whole, by=by, mode=mode, draws=200).table  # type: ignore[arg-type]
        present = t["count"] > 0
        np.testing.assert_allclose(t.loc[present, "rri"], 1.0, rtol=1e-12)
        assert (t.loc[present, "rri_low"] <= 1 + 1e-12).all()
        assert (t.loc[present, "rri_high"] >= 1 - 1e-12).all()
        assert (t.loc[present, "band"] == "proportionate").all()
        assert (t["p_adjusted"].dropna() >= t["p_value"].dropna() - 1e-15).all()


def test_everyone_in_one_group() -> None:
    from statsmodels.stats.proportion import confint_proportions_2indep

    service = {"Asian": 0, "Black": 25, "Mixed": 0, "White": 0, "Other": 0}
    total = sum(CENSUS.values())
    fixed = analyse(Counts.from_records(majors(service)), Counts.from_records(majors(CENSUS)))
    black = fixed.table.set_index("group").loc["Black"]
    pi = CENSUS["Black"] / total
    assert black["rri"] == pytest.approx(1 / pi)
    assert black["rri_high"] == pytest.approx(1 / pi)  # Wilson upper limit is exactly 1
    assert black["p_value"] == pytest.approx(binomtest(25, 25, pi).pvalue)
    rest = fixed.table.set_index("group").drop("Black")
    # 0 people where 13.8 were expected is "not represented"; where fewer than 5 were
    # expected a zero is unremarkable: proportionate, too few to judge
    assert rest.loc["White", "band"] == "not represented"
    assert rest.loc["White", "confidence"] == "significant"
    others = rest.drop("White")
    assert (others["band"] == "proportionate").all()
    assert (others["confidence"] == "too few to judge").all()
    indep = analyse(
        Counts.from_records(majors(service)),
        Counts.from_records(majors(CENSUS)),
        mode="independent",
    ).table.set_index("group")
    ref = confint_proportions_2indep(25, 25, CENSUS["Black"], total, compare="ratio", method="log")
    assert (indep.loc["Black", "rri_low"], indep.loc["Black", "rri_high"]) == pytest.approx(ref)
