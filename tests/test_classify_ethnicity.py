"""Ethnicity classification: every scheme's labels, not-known answers, unmapped text.

The expected groups here are written out by hand from the ONS, DfE and Census 2011
classifications, not derived from the package's own alias tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import commissioning.classify.ethnicity as ethnicity_module
from commissioning.classify import (
    ETHNICITY_DROPDOWN,
    classify_ethnicity,
    is_total_label,
)
from commissioning.classify.ethnicity import build_table
from commissioning.model.categories import (
    DETAILED_GROUPS,
    DETAILED_ONS_WORDING,
    DETAILED_TO_MAJOR,
    MAJOR_GROUPS,
    NOT_KNOWN,
    UNMAPPED,
)

# ---------------------------------------------------------------------------------------
# Expected tables, by scheme


def one(label: object) -> tuple[str, str, str]:
    row = classify_ethnicity(pd.Series([label], dtype=object)).iloc[0]
    return (row["major"], row["detailed"], row["status"])


#: Census 2021 TS021 "Ethnic group (20 categories)" labels exactly as in the ONS file
#: dfe_csc_dashboard_ons_census2021_ethnic20/ons-ethnic-population-*.csv.
CENSUS_2021_FILE_LABELS = {
    "Asian, Asian British or Asian Welsh: Bangladeshi": ("Asian", "Bangladeshi"),
    "Asian, Asian British or Asian Welsh: Chinese": ("Asian", "Chinese"),
    "Asian, Asian British or Asian Welsh: Indian": ("Asian", "Indian"),
    "Asian, Asian British or Asian Welsh: Pakistani": ("Asian", "Pakistani"),
    "Asian, Asian British or Asian Welsh: Other Asian": ("Asian", "Other Asian"),
    "Black, Black British, Black Welsh, Caribbean or African: African": ("Black", "African"),
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean": ("Black", "Caribbean"),
    "Black, Black British, Black Welsh, Caribbean or African: Other Black": (
        "Black",
        "Other Black",
    ),
    "Mixed or Multiple ethnic groups: White and Asian": ("Mixed", "White and Asian"),
    "Mixed or Multiple ethnic groups: White and Black African": (
        "Mixed",
        "White and Black African",
    ),
    "Mixed or Multiple ethnic groups: White and Black Caribbean": (
        "Mixed",
        "White and Black Caribbean",
    ),
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups": (
        "Mixed",
        "Other Mixed",
    ),
    "White: English, Welsh, Scottish, Northern Irish or British": ("White", "White British"),
    "White: Irish": ("White", "Irish"),
    "White: Gypsy or Irish Traveller": ("White", "Gypsy or Irish Traveller"),
    "White: Roma": ("White", "Roma"),
    "White: Other White": ("White", "Other White"),
    "Other ethnic group: Arab": ("Other", "Arab"),
    "Other ethnic group: Any other ethnic group": ("Other", "Any other ethnic group"),
}

#: The same categories without the major-group prefix, and the 2021 form's own wording.
CENSUS_2021_SHORT = {
    "Bangladeshi": ("Asian", "Bangladeshi"),
    "Chinese": ("Asian", "Chinese"),
    "Indian": ("Asian", "Indian"),
    "Pakistani": ("Asian", "Pakistani"),
    "Other Asian": ("Asian", "Other Asian"),
    "Any other Asian background": ("Asian", "Other Asian"),
    "African": ("Black", "African"),
    "Caribbean": ("Black", "Caribbean"),
    "Other Black": ("Black", "Other Black"),
    "Black, Black British, Black Welsh, Caribbean or African: "
    "Any other Black, Black British or Caribbean background": ("Black", "Other Black"),
    "White and Asian": ("Mixed", "White and Asian"),
    "White and Black African": ("Mixed", "White and Black African"),
    "White and Black Caribbean": ("Mixed", "White and Black Caribbean"),
    "Other Mixed": ("Mixed", "Other Mixed"),
    "Mixed or Multiple ethnic groups: Any other Mixed or Multiple ethnic background": (
        "Mixed",
        "Other Mixed",
    ),
    "English, Welsh, Scottish, Northern Irish or British": ("White", "White British"),
    "Irish": ("White", "Irish"),
    "Gypsy or Irish Traveller": ("White", "Gypsy or Irish Traveller"),
    "Roma": ("White", "Roma"),
    "Other White": ("White", "Other White"),
    "White: Any other White background": ("White", "Other White"),
    "Arab": ("Other", "Arab"),
    "Any other ethnic group": ("Other", "Any other ethnic group"),
}

#: Census 2011 DC2101EW "Ethnic Group" labels exactly as in the Nomis column headers,
#: plus the 2011 form's "Any other ..." wording.
CENSUS_2011_LABELS = {
    "White: English/Welsh/Scottish/Northern Irish/British": ("White", "White British"),
    "White: Irish": ("White", "Irish"),
    "White: Gypsy or Irish Traveller": ("White", "Gypsy or Irish Traveller"),
    "White: Other White": ("White", "Other White"),
    "Mixed/multiple ethnic group: White and Black Caribbean": (
        "Mixed",
        "White and Black Caribbean",
    ),
    "Mixed/multiple ethnic group: White and Black African": ("Mixed", "White and Black African"),
    "Mixed/multiple ethnic group: White and Asian": ("Mixed", "White and Asian"),
    "Mixed/multiple ethnic group: Other Mixed": ("Mixed", "Other Mixed"),
    "Mixed/multiple ethnic group: Any other Mixed/multiple ethnic background": (
        "Mixed",
        "Other Mixed",
    ),
    "Asian/Asian British: Indian": ("Asian", "Indian"),
    "Asian/Asian British: Pakistani": ("Asian", "Pakistani"),
    "Asian/Asian British: Bangladeshi": ("Asian", "Bangladeshi"),
    "Asian/Asian British: Chinese": ("Asian", "Chinese"),
    "Asian/Asian British: Other Asian": ("Asian", "Other Asian"),
    "Asian/Asian British: Any other Asian background": ("Asian", "Other Asian"),
    "Black/African/Caribbean/Black British: African": ("Black", "African"),
    "Black/African/Caribbean/Black British: Caribbean": ("Black", "Caribbean"),
    "Black/African/Caribbean/Black British: Other Black": ("Black", "Other Black"),
    "Black/African/Caribbean/Black British: Any other Black/African/Caribbean background": (
        "Black",
        "Other Black",
    ),
    "Other ethnic group: Arab": ("Other", "Arab"),
    "Other ethnic group: Any other ethnic group": ("Other", "Any other ethnic group"),
}

#: DfE school census labels exactly as in spc_pupils_ethnicity_and_language and
#: spc_pupils_fsm_ethnicity_yrgp (including the two misspellings in the FSM file).
DFE_FILE_LABELS = {
    "Any other ethnic group": ("Other", "Any other ethnic group"),
    "Asian - Any other Asian background": ("Asian", "Other Asian"),
    "Asian - Bangladeshi": ("Asian", "Bangladeshi"),
    "Asian - Bangaladeshi": ("Asian", "Bangladeshi"),
    "Asian - Chinese": ("Asian", "Chinese"),
    "Asian - Indian": ("Asian", "Indian"),
    "Asian - Pakistani": ("Asian", "Pakistani"),
    "Black - Any other Black background": ("Black", "Other Black"),
    "Black - Black African": ("Black", "African"),
    "Black - Black Caribbean": ("Black", "Caribbean"),
    "Mixed - Any other Mixed background": ("Mixed", "Other Mixed"),
    "Mixed - White and Asian": ("Mixed", "White and Asian"),
    "Mixed - White and Black African": ("Mixed", "White and Black African"),
    "Mixed - White and Black Caribbean": ("Mixed", "White and Black Caribbean"),
    "Mixed - White and Black Carribean": ("Mixed", "White and Black Caribbean"),
    "White - Any other White background": ("White", "Other White"),
    "White - Gypsy/Roma": ("White", "Gypsy or Irish Traveller"),
    "White - Irish": ("White", "Irish"),
    "White - Traveller of Irish heritage": ("White", "Gypsy or Irish Traveller"),
    "White - White British": ("White", "White British"),
    "Chinese": ("Asian", "Chinese"),
}

#: DfE basic codes (school census, CBDS) and extended codes, by the DfE parent group.
DFE_BASIC_CODES = {
    "WBRI": ("White", "White British"),
    "WIRI": ("White", "Irish"),
    "WIRT": ("White", "Gypsy or Irish Traveller"),
    "WOTH": ("White", "Other White"),
    "WROM": ("White", "Gypsy or Irish Traveller"),
    "MWBC": ("Mixed", "White and Black Caribbean"),
    "MWBA": ("Mixed", "White and Black African"),
    "MWAS": ("Mixed", "White and Asian"),
    "MOTH": ("Mixed", "Other Mixed"),
    "AIND": ("Asian", "Indian"),
    "APKN": ("Asian", "Pakistani"),
    "ABAN": ("Asian", "Bangladeshi"),
    "AOTH": ("Asian", "Other Asian"),
    "BCRB": ("Black", "Caribbean"),
    "BAFR": ("Black", "African"),
    "BOTH": ("Black", "Other Black"),
    "CHNE": ("Asian", "Chinese"),
    "OOTH": ("Other", "Any other ethnic group"),
}
DFE_EXTENDED_CODES = {
    **dict.fromkeys(["WCOR", "WENG", "WSCO", "WWEL", "WOWB"], ("White", "White British")),
    **dict.fromkeys(
        [
            "WALB",
            "WBOS",
            "WCRO",
            "WGRE",
            "WGRK",
            "WGRC",
            "WITA",
            "WKOS",
            "WPOR",
            "WSER",
            "WTUR",
            "WTUK",
            "WTUC",
            "WEUR",
            "WEEU",
            "WWEU",
            "WOTW",
        ],
        ("White", "Other White"),
    ),
    "WROG": ("White", "Gypsy or Irish Traveller"),
    "WROO": ("White", "Gypsy or Irish Traveller"),
    "WROR": ("White", "Roma"),
    **dict.fromkeys(["MWAP", "MWAI", "MWAO", "MWCH"], ("Mixed", "White and Asian")),
    **dict.fromkeys(
        ["MAOE", "MABL", "MACH", "MBOE", "MBCH", "MCOE", "MWOE", "MOTM"], ("Mixed", "Other Mixed")
    ),
    **dict.fromkeys(["AMPK", "AKPA", "AOPK"], ("Asian", "Pakistani")),
    **dict.fromkeys(
        ["AAFR", "AKAO", "ANEP", "ASNL", "ASLT", "ASRO", "AOTA"], ("Asian", "Other Asian")
    ),
    **dict.fromkeys(
        ["BANN", "BCON", "BGHA", "BNGN", "BSLN", "BSOM", "BSUD", "BAOF"], ("Black", "African")
    ),
    **dict.fromkeys(["BEUR", "BNAM", "BOTB"], ("Black", "Other Black")),
    **dict.fromkeys(["CHKC", "CMAL", "CSNG", "CTWN", "COCH"], ("Asian", "Chinese")),
    **dict.fromkeys(
        [
            "OAFG",
            "OEGY",
            "OFIL",
            "OIRN",
            "OIRQ",
            "OJPN",
            "OKOR",
            "OKRD",
            "OLAM",
            "OLEB",
            "OLIB",
            "OMAL",
            "OMRC",
            "OPOL",
            "OTHA",
            "OVIE",
            "OYEM",
            "OOEG",
        ],
        ("Other", "Any other ethnic group"),
    ),
    "OARA": ("Other", "Arab"),
}

#: Major group only (DfE major labels, DfE CLA groups, ONS 2011/2021 major names).
MAJOR_ONLY = {
    "Asian": "Asian",
    "Black": "Black",
    "Black British": "Black",
    "Mixed": "Mixed",
    "White": "White",
    "Other": "Other",
    "Other ethnic group": "Other",
    "Asian or Asian British": "Asian",
    "Black or Black British": "Black",
    "Mixed / Multiple ethnic groups": "Mixed",
    "Asian, Asian British or Asian Welsh": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African": "Black",
    "Mixed or Multiple ethnic groups": "Mixed",
    "Asian/Asian British": "Asian",
    "Black/African/Caribbean/Black British": "Black",
    "Mixed/multiple ethnic group": "Mixed",
    "Mixed race": "Mixed",
    "Dual heritage": "Mixed",
    "British Asian": "Asian",
    "Any other": "Other",
    "Other (please specify)": "Other",
}

#: What providers type.
FREE_TEXT = {
    "White - British": ("White", "White British"),
    "White British": ("White", "White British"),
    "white english": ("White", "White British"),
    "White Scottish": ("White", "White British"),
    "White Irish": ("White", "Irish"),
    "White other": ("White", "Other White"),
    "Other White background": ("White", "Other White"),
    "Mixed W&BC": ("Mixed", "White and Black Caribbean"),
    "Mixed WBC": ("Mixed", "White and Black Caribbean"),
    "Mixed W&BA": ("Mixed", "White and Black African"),
    "Mixed - White/Asian": ("Mixed", "White and Asian"),
    "Any other Mixed background": ("Mixed", "Other Mixed"),
    "Mixed other": ("Mixed", "Other Mixed"),
    "Asian other": ("Asian", "Other Asian"),
    "Other Asian": ("Asian", "Other Asian"),
    "Asian Indian": ("Asian", "Indian"),
    "Indian (Asian)": ("Asian", "Indian"),
    "Black Caribbean": ("Black", "Caribbean"),
    "Black African": ("Black", "African"),
    "Black British African": ("Black", "African"),
    "Black other": ("Black", "Other Black"),
    "Somali": ("Black", "African"),
    "Black Somali": ("Black", "African"),
    "Gypsy": ("White", "Gypsy or Irish Traveller"),
    "Irish Traveller": ("White", "Gypsy or Irish Traveller"),
    "Traveller": ("White", "Gypsy or Irish Traveller"),
    "Romany Gypsy": ("White", "Gypsy or Irish Traveller"),
    "Other - Arab": ("Other", "Arab"),
    "British Indian": ("Asian", "Indian"),
    "Asian - Pakistani or Pakistani British": ("Asian", "Pakistani"),
    "Black British Caribbean": ("Black", "Caribbean"),
    "Afro-Caribbean": ("Black", "Caribbean"),
    "Gypsy, Roma and Traveller": ("White", "Gypsy or Irish Traveller"),
    "Any other ethnic group, please describe": ("Other", "Any other ethnic group"),
    "White: Any other White background, please describe": ("White", "Other White"),
    "Chinese or other ethnic group: Chinese": ("Asian", "Chinese"),
}

ALL_CLASSIFIED = {
    **CENSUS_2021_FILE_LABELS,
    **CENSUS_2021_SHORT,
    **CENSUS_2011_LABELS,
    **DFE_FILE_LABELS,
    **DFE_BASIC_CODES,
    **DFE_EXTENDED_CODES,
    **FREE_TEXT,
}

NOT_KNOWN_ANSWERS = [
    "Not stated",
    "Refused",
    "REFU",
    "NOBT",
    "Prefer not to say",
    "Not obtained",
    "Unknown",
    "Information not yet obtained",
    "Unclassified",
    "",
    "   ",
    "-",
    "n/a",
    "N/A",
    "Not known",
    "Declined",
    None,
    np.nan,
    pd.NA,
]

UNMAPPED_EXAMPLES = [
    "British",
    "English",
    "Welsh",
    "Polish",
    "Kurdish",
    "Turkish",
    "White European",
    "BAME",
    "Non-White",
    "Martian",
    "Asain",
    "Black Indian",
    "White Pakistani",
    "Asian Caribbean",
    "12",
    3.0,
    "Total",
    "All categories: Ethnic group",
    "Does the child have a disability?",
    "Please describe",
    "Mixed Asian",
    "Both",
    "both",
    "Moth",
]


@pytest.mark.parametrize(("label", "expected"), sorted(ALL_CLASSIFIED.items()))
def test_every_scheme_label_is_classified(label: str, expected: tuple[str, str]) -> None:
    assert one(label) == (*expected, "classified")


def test_the_expected_tables_cover_every_dfe_code_and_every_census_category() -> None:
    assert len(DFE_BASIC_CODES) == 18
    assert {d for _, d in CENSUS_2021_FILE_LABELS.values()} == set(DETAILED_GROUPS)
    # 2011 had 18 categories: no Roma
    assert {d for _, d in CENSUS_2011_LABELS.values()} == set(DETAILED_GROUPS) - {"Roma"}
    assert len(DFE_EXTENDED_CODES) > 80


@pytest.mark.parametrize(("label", "major"), sorted(MAJOR_ONLY.items()))
def test_major_group_alone_has_detail_not_known(label: str, major: str) -> None:
    assert one(label) == (major, NOT_KNOWN, "classified")


@pytest.mark.parametrize("label", NOT_KNOWN_ANSWERS, ids=repr)
def test_not_known_answers(label: object) -> None:
    assert one(label) == (NOT_KNOWN, NOT_KNOWN, "not known")


@pytest.mark.parametrize("label", UNMAPPED_EXAMPLES, ids=repr)
def test_unrecognised_text_is_unmapped_not_guessed(label: object) -> None:
    assert one(label) == (UNMAPPED, UNMAPPED, "unmapped")


VARIANTS = [
    str.upper,
    str.lower,
    lambda s: f"  {s}  ",
    lambda s: s.replace(" ", "   "),
    lambda s: s.replace(" - ", ": "),
    lambda s: s.replace(" - ", "/"),
    lambda s: s.replace(" ", ""),
    lambda s: s.replace("and", "&"),
    lambda s: s.replace("-", "\u2013"),
    lambda s: s.replace(",", "").replace(":", " -"),
]


@pytest.mark.parametrize("variant", range(len(VARIANTS)))
def test_case_space_and_punctuation_do_not_matter(variant: int) -> None:
    labels = sorted({**CENSUS_2021_FILE_LABELS, **DFE_FILE_LABELS})
    changed = pd.Series([VARIANTS[variant](label) for label in labels])
    original = classify_ethnicity(pd.Series(labels))
    pd.testing.assert_frame_equal(classify_ethnicity(changed), original)
    assert (original["status"] == "classified").all()


def test_codes_that_are_words_only_in_capitals() -> None:
    assert one(" BOTH ") == ("Black", "Other Black", "classified")
    assert one("MOTH") == ("Mixed", "Other Mixed", "classified")
    assert one("wbri") == ("White", "White British", "classified")


def test_accents_and_ampersand() -> None:
    assert one("MIXED – WHITE & BLACK CARIBBEAN") == (
        "Mixed",
        "White and Black Caribbean",
        "classified",
    )
    assert one("Româ") == ("White", "Roma", "classified")


@pytest.mark.parametrize(
    "label",
    [
        "Total",
        "All categories: Ethnic group",
        "White: Total",
        "Mixed/multiple ethnic group: Total",
        "Asian/Asian British: Total",
        "Black/African/Caribbean/Black British: Total",
        "Other ethnic group: Total",
    ],
)
def test_totals_are_flagged_and_never_classified(label: str) -> None:
    assert is_total_label(pd.Series([label])).tolist() == [True]
    assert one(label)[2] == "unmapped"


def test_is_total_label_is_false_for_groups_and_blanks() -> None:
    mask = is_total_label(pd.Series(["White", "Asian - Indian", None, "", "Not known"]))
    assert mask.tolist() == [False] * 5


# Every distinct ethnicity label in the shared ONS/DfE data files (see
# /work/shared/data/PROVENANCE.md), copied verbatim: Census 2021 TS021 (20 categories),
# Census 2011 DC2101EW column labels, DfE school census (pupils; FSM by ethnicity).
TS021_FILE = [
    "Does not apply",
    "Asian, Asian British or Asian Welsh: Bangladeshi",
    "Asian, Asian British or Asian Welsh: Chinese",
    "Asian, Asian British or Asian Welsh: Indian",
    "Asian, Asian British or Asian Welsh: Pakistani",
    "Asian, Asian British or Asian Welsh: Other Asian",
    "Black, Black British, Black Welsh, Caribbean or African: African",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "Mixed or Multiple ethnic groups: White and Asian",
    "Mixed or Multiple ethnic groups: White and Black African",
    "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Other White",
    "Other ethnic group: Arab",
    "Other ethnic group: Any other ethnic group",
]
DC2101EW_FILE = [
    "All categories: Ethnic group",
    "Asian/Asian British: Bangladeshi",
    "Asian/Asian British: Chinese",
    "Asian/Asian British: Indian",
    "Asian/Asian British: Other Asian",
    "Asian/Asian British: Pakistani",
    "Asian/Asian British: Total",
    "Black/African/Caribbean/Black British: African",
    "Black/African/Caribbean/Black British: Caribbean",
    "Black/African/Caribbean/Black British: Other Black",
    "Black/African/Caribbean/Black British: Total",
    "Mixed/multiple ethnic group: Other Mixed",
    "Mixed/multiple ethnic group: Total",
    "Mixed/multiple ethnic group: White and Asian",
    "Mixed/multiple ethnic group: White and Black African",
    "Mixed/multiple ethnic group: White and Black Caribbean",
    "Other ethnic group: Any other ethnic group",
    "Other ethnic group: Arab",
    "Other ethnic group: Total",
    "White: English/Welsh/Scottish/Northern Irish/British",
    "White: Gypsy or Irish Traveller",
    "White: Irish",
    "White: Other White",
    "White: Total",
]
SPC_ETHNICITY_FILE = [
    "Any other ethnic group",
    "Asian - Any other Asian background",
    "Asian - Bangladeshi",
    "Asian - Chinese",
    "Asian - Indian",
    "Asian - Pakistani",
    "Black - Any other Black background",
    "Black - Black African",
    "Black - Black Caribbean",
    "Mixed - Any other Mixed background",
    "Mixed - White and Asian",
    "Mixed - White and Black African",
    "Mixed - White and Black Caribbean",
    "Total",
    "Unclassified",
    "White - Any other White background",
    "White - Gypsy/Roma",
    "White - Irish",
    "White - Traveller of Irish heritage",
    "White - White British",
]
SPC_FSM_FILE = [
    "Any other ethnic group",
    "Asian - Any other Asian background",
    "Asian - Bangaladeshi",
    "Asian - Chinese",
    "Asian - Indian",
    "Asian - Pakistani",
    "Black - Any other Black background",
    "Black - Black African",
    "Black - Black Caribbean",
    "Mixed - Any other Mixed background",
    "Mixed - White and Asian",
    "Mixed - White and Black African",
    "Mixed - White and Black Carribean",
    "Unclassified",
    "White - Any other White background",
    "White - Gypsy/Roma",
    "White - Irish",
    "White - Traveller of Irish heritage",
    "White - White British",
]

TOTALS_IN_FILES = {
    "All categories: Ethnic group",
    "Asian/Asian British: Total",
    "Black/African/Caribbean/Black British: Total",
    "Mixed/multiple ethnic group: Total",
    "Other ethnic group: Total",
    "White: Total",
    "Total",
}


@pytest.mark.parametrize(
    "labels", [TS021_FILE, DC2101EW_FILE, SPC_ETHNICITY_FILE, SPC_FSM_FILE], ids=repr
)
def test_shared_data_labels_leave_only_totals_unmapped(labels: list[str]) -> None:
    series = pd.Series(labels)
    result = classify_ethnicity(series)
    unmapped = set(series[result["status"] == "unmapped"])
    assert unmapped <= TOTALS_IN_FILES
    assert set(series[is_total_label(series)]) == unmapped
    classified = result[result["status"] == "classified"]
    assert (classified["detailed"] != NOT_KNOWN).all()
    assert set(series[result["status"] == "not known"]) <= {"Does not apply", "Unclassified"}


def test_shared_data_labels_cover_every_group() -> None:
    ts021 = classify_ethnicity(pd.Series(TS021_FILE))
    assert set(ts021["detailed"]) == {*DETAILED_GROUPS, NOT_KNOWN}
    dc2101 = classify_ethnicity(pd.Series(DC2101EW_FILE))
    assert set(dc2101["detailed"]) == {*DETAILED_GROUPS, UNMAPPED} - {"Roma"}
    spc = classify_ethnicity(pd.Series(SPC_ETHNICITY_FILE))
    assert len(set(spc["detailed"]) - {NOT_KNOWN, UNMAPPED}) == 17


def test_dropdown_is_full_ons_wording_and_classifies() -> None:
    assert ETHNICITY_DROPDOWN[:-1] == tuple(DETAILED_ONS_WORDING.values())
    assert ETHNICITY_DROPDOWN[-1] == "Prefer not to say"
    result = classify_ethnicity(pd.Series(ETHNICITY_DROPDOWN))
    assert result["status"].tolist() == ["classified"] * 19 + ["not known"]
    assert result["detailed"].tolist()[:19] == list(DETAILED_GROUPS)
    assert result["major"].tolist()[:19] == [DETAILED_TO_MAJOR[d] for d in DETAILED_GROUPS]


def test_alias_tables_are_consistent() -> None:
    table = build_table()
    assert {major for major, _ in table.values()} == set(MAJOR_GROUPS)
    assert {d for _, d in table.values()} == {*DETAILED_GROUPS, NOT_KNOWN}
    for major, detailed in table.values():
        assert detailed == NOT_KNOWN or DETAILED_TO_MAJOR[detailed] == major


def test_index_and_dtypes_are_kept() -> None:
    values = pd.Series(["WBRI", None, "xyz"], index=[10, 5, 99], name="ethnicity")
    result = classify_ethnicity(values)
    assert list(result.columns) == ["major", "detailed", "status"]
    assert result.index.tolist() == [10, 5, 99]
    assert result["status"].tolist() == ["classified", "not known", "unmapped"]
    assert all(pd.api.types.is_string_dtype(result[c]) for c in result.columns)


def test_empty_series() -> None:
    result = classify_ethnicity(pd.Series([], dtype=object))
    assert result.empty and list(result.columns) == ["major", "detailed", "status"]


def test_each_distinct_label_is_mapped_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = ethnicity_module.ethnicity_label

    def counting(value: object) -> tuple[str, str, str]:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(ethnicity_module, "ethnicity_label", counting)
    labels = np.array([*sorted(ALL_CLASSIFIED)[:29], None], dtype=object)
    rng = np.random.default_rng(7)
    which = rng.integers(0, len(labels), size=1_000_000)
    values = pd.Series(labels[which])
    result = classify_ethnicity(values)
    assert len(calls) == 30
    expected = classify_ethnicity(pd.Series(labels))
    assert len(calls) == 60
    for column in ("major", "detailed", "status"):
        assert (result[column].to_numpy() == expected[column].to_numpy()[which]).all()


LABEL_POOL = [
    *sorted(ALL_CLASSIFIED)[::7],
    *[x for x in NOT_KNOWN_ANSWERS if isinstance(x, str)],
    *[x for x in UNMAPPED_EXAMPLES if isinstance(x, str)],
    None,
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(LABEL_POOL), max_size=40),
    st.lists(st.sampled_from(LABEL_POOL), max_size=40),
)
def test_properties_of_any_series(labels: list[object], others: list[object]) -> None:
    result = classify_ethnicity(pd.Series(labels, dtype=object))
    assert len(result) == len(labels)
    counts = result["status"].value_counts()
    assert set(counts.index) <= {"classified", "not known", "unmapped"}
    assert counts.sum() == len(labels)
    # a label's class does not depend on what else is in the series
    mixed = classify_ethnicity(pd.Series(labels + others, dtype=object))
    pd.testing.assert_frame_equal(mixed.iloc[: len(labels)], result)
    for i, label in enumerate(labels):
        assert tuple(result.iloc[i]) == one(label)
    assert ((result["status"] == "not known") == (result["major"] == NOT_KNOWN)).all()
    assert ((result["status"] == "unmapped") == (result["major"] == UNMAPPED)).all()
