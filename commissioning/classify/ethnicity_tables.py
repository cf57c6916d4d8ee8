"""Every written form of an ethnic group we accept, as plain Python data.

The lookup table is built from four parts, so each spelling is written once:

* group prefixes: how each scheme names a major group ("Asian/Asian British",
  "Black, Black British, Black Welsh, Caribbean or African", DfE "Black", ...);
* within-group names: how each scheme names a detailed group once the major group is
  known ("Other", "Any other White background", "Black African", "W&BC", ...);
* stand-alone names: detailed names that are unambiguous without a prefix ("Bangladeshi",
  "White and Black Caribbean", "Gypsy or Irish Traveller", "Somali");
* DfE codes, basic and extended.

A prefix and a within-group name combine in either order ("Asian - Other" and "Other
Asian"), because matching ignores the separator. Decisions are explained in
docs/classification.md.
"""

from __future__ import annotations

from typing import Final

#: Names for Gypsy or Irish Traveller, alone or after "White" (one list for both tables).
GYPSY_TRAVELLER: Final[tuple[str, ...]] = (
        "Gypsy or Irish Traveller",
        "Gypsy/Irish Traveller",
        "Irish Traveller",
        "Traveller of Irish heritage",
        "Traveller",
        "Gypsy",
        "Gypsy Traveller",
        "Romany",
        "Romany Gypsy",
        "Gypsy/Roma",
        "Gypsy or Roma",
        "Gypsy, Roma and Traveller",
        "Gypsy, Roma or Traveller",
        "Gypsy/Roma/Traveller",
        "GRT",
)


def _british(name: str) -> tuple[str, ...]:
    """HESA / UCAS style "Indian or Indian British" and the plain "British Indian"."""
    return (
        f"{name} British",
        f"British {name}",
        f"{name} or {name} British",
        f"{name} or British {name}",
    )


#: Major group -> how the schemes name it. Each alone means "this major group, detail
#: not known" (e.g. DfE major group labels, a provider who wrote just "Asian").
MAJOR_PREFIXES: Final[dict[str, tuple[str, ...]]] = {
    "Asian": (
        "Asian",
        "Asian British",
        "Asian or Asian British",
        "Asian/Asian British",
        "Asian, Asian British or Asian Welsh",
        "Asian, Asian British, Asian Welsh",
        "Asian or Asian British or Asian Welsh",
        "Asian Welsh",
        "British Asian",
    ),
    "Black": (
        "Black",
        "Black British",
        "Black or Black British",
        "Black/Black British",
        "Black/African/Caribbean/Black British",
        "Black, African, Caribbean or Black British",
        "African/Caribbean/Black British",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Black, Black British, Black Welsh, African or Caribbean",
        "Black Welsh",
    ),
    "Mixed": (
        "Mixed",
        "Mixed/multiple ethnic group",
        "Mixed/multiple ethnic groups",
        "Mixed or multiple ethnic group",
        "Mixed or Multiple ethnic groups",
        "Mixed ethnic group",
        "Mixed ethnic groups",
        "Multiple ethnic groups",
        "Multiple ethnic group",
        "Mixed/multiple",
        "Mixed background",
        "Mixed heritage",
        "Mixed race",
        "Dual heritage",
        "Mixed or dual heritage",
    ),
    "White": ("White",),
    "Other": (
        "Other ethnic group",
        "Other ethnic groups",
        "Other",
        "Any other",
    ),
}

#: Major group -> detailed group -> names used once the major group is known. These are
#: only accepted after (or before) one of the group's prefixes.
WITHIN_GROUP: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "Asian": {
        "Bangladeshi": ("Bangladeshi", "Bangaladeshi", "Bangladesh", *_british("Bangladeshi")),
        "Chinese": ("Chinese", *_british("Chinese")),
        "Indian": ("Indian", *_british("Indian")),
        "Pakistani": ("Pakistani", *_british("Pakistani")),
        "Other Asian": (
            "Other",
            "Any other",
            "Other Asian",
            "Any other Asian",
            "Other background",
            "Any other background",
            "Other Asian background",
            "Any other Asian background",
        ),
    },
    "Black": {
        "African": (
            "African",
            "Black African",
            "Other African",
            "Other Black African",
            "Somali",
            "Black Somali",
            *_british("African"),
        ),
        "Caribbean": (
            "Caribbean",
            "Black Caribbean",
            "Afro-Caribbean",
            "Black Afro-Caribbean",
            *_british("Caribbean"),
        ),
        "Other Black": (
            "Other",
            "Any other",
            "Other Black",
            "Any other Black",
            "Other background",
            "Any other background",
            "Other Black background",
            "Any other Black background",
            "Any other Black/African/Caribbean background",
            "Any other Black, Black British or Caribbean background",
            "Any other Black, Black British, or Caribbean background",
        ),
    },
    "Mixed": {
        "White and Asian": ("White and Asian", "White/Asian", "W and A", "WA", "WAS"),
        "White and Black African": (
            "White and Black African",
            "White/Black African",
            "W and BA",
            "WBA",
        ),
        "White and Black Caribbean": (
            "White and Black Caribbean",
            "White and Black Carribean",
            "White/Black Caribbean",
            "W and BC",
            "WBC",
        ),
        "Other Mixed": (
            "Other",
            "Any other",
            "Other Mixed",
            "Any other Mixed",
            "Other background",
            "Any other background",
            "Other Mixed background",
            "Any other Mixed background",
            "Other Mixed or Multiple ethnic groups",
            "Other Mixed or Multiple ethnic group",
            "Any other Mixed or Multiple ethnic background",
            "Any other Mixed/multiple ethnic background",
            "Any other Mixed/multiple background",
        ),
    },
    "White": {
        "White British": (
            "British",
            "White British",
            "English",
            "Welsh",
            "Scottish",
            "Northern Irish",
            "Cornish",
            "English/Welsh/Scottish/Northern Irish/British",
            "English, Welsh, Scottish, Northern Irish or British",
            "English, Welsh, Scottish, Northern Irish, British",
            "Other White British",
        ),
        "Irish": ("Irish", "White Irish"),
        "Gypsy or Irish Traveller": (*GYPSY_TRAVELLER, "Other Gypsy/Roma"),
        "Roma": ("Roma",),
        "Other White": (
            "Other",
            "Any other",
            "Other White",
            "Any other White",
            "Other background",
            "Any other background",
            "Other White background",
            "Any other White background",
        ),
    },
    "Other": {
        "Arab": ("Arab",),
        "Any other ethnic group": (
            "Other",
            "Any other",
            "Any other ethnic group",
            "Any other ethnic background",
            "Other ethnic group",
            "Any other group",
        ),
    },
}

#: Names that mean one detailed group with no prefix at all.
STANDALONE: Final[dict[str, tuple[str, ...]]] = {
    "Bangladeshi": ("Bangladeshi", "Bangaladeshi", *_british("Bangladeshi")),
    "Chinese": ("Chinese", *_british("Chinese")),
    "Indian": ("Indian", *_british("Indian")),
    "Pakistani": (
        "Pakistani",
        "Mirpuri Pakistani",
        "Kashmiri Pakistani",
        *_british("Pakistani"),
    ),
    "Other Asian": ("Other Asian", "Any other Asian background", "Other Asian background"),
    "African": (
        "African",
        "Black African",
        "Other Black African",
        "Somali",
        "Black Somali",
        *_british("African"),
    ),
    "Caribbean": (
        "Caribbean",
        "Black Caribbean",
        "Afro-Caribbean",
        "Black Afro-Caribbean",
        *_british("Caribbean"),
    ),
    "Other Black": ("Other Black", "Any other Black background", "Other Black background"),
    "White and Asian": ("White and Asian",),
    "White and Black African": ("White and Black African",),
    "White and Black Caribbean": ("White and Black Caribbean", "White and Black Carribean"),
    "Other Mixed": (
        "Other Mixed",
        "Any other Mixed background",
        "Other Mixed background",
        "Other Mixed or Multiple ethnic groups",
        "Any other Mixed or Multiple ethnic background",
        "Any other Mixed/multiple ethnic background",
    ),
    "White British": (
        "White British",
        "English/Welsh/Scottish/Northern Irish/British",
        "English, Welsh, Scottish, Northern Irish or British",
    ),
    "Irish": ("Irish", "White Irish"),
    "Gypsy or Irish Traveller": GYPSY_TRAVELLER,
    "Roma": ("Roma",),
    "Other White": ("Other White", "Any other White background", "Other White background"),
    "Arab": ("Arab",),
    "Any other ethnic group": ("Any other ethnic group", "Any other ethnic background"),
}

#: Older full labels that do not split into prefix + name (Census 2001 wording).
EXTRA_LABELS: Final[dict[str, str]] = {
    "Chinese or other ethnic group: Chinese": "Chinese",
    "Chinese or other ethnic group: Any other ethnic group": "Any other ethnic group",
    "Chinese or other ethnic group: Other": "Any other ethnic group",
}

#: DfE school census codes, basic and extended, -> detailed group. REFU and NOBT are
#: not-known codes and live in NOT_KNOWN_CODES.
DFE_CODES: Final[dict[str, str]] = {
    # White British and its extended codes
    "WBRI": "White British",
    "WCOR": "White British",
    "WENG": "White British",
    "WSCO": "White British",
    "WWEL": "White British",
    "WOWB": "White British",
    "WIRI": "Irish",
    "WIRT": "Gypsy or Irish Traveller",
    # Any other White background
    "WOTH": "Other White",
    "WALB": "Other White",
    "WBOS": "Other White",
    "WCRO": "Other White",
    "WGRE": "Other White",
    "WGRK": "Other White",
    "WGRC": "Other White",
    "WITA": "Other White",
    "WKOS": "Other White",
    "WPOR": "Other White",
    "WSER": "Other White",
    "WTUR": "Other White",
    "WTUK": "Other White",
    "WTUC": "Other White",
    "WEUR": "Other White",
    "WEEU": "Other White",
    "WWEU": "Other White",
    "WOTW": "Other White",
    # Gypsy/Roma: see docs/classification.md; Roma only when the extended code says so
    "WROM": "Gypsy or Irish Traveller",
    "WROG": "Gypsy or Irish Traveller",
    "WROO": "Gypsy or Irish Traveller",
    "WROR": "Roma",
    # Mixed
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MWAP": "White and Asian",
    "MWAI": "White and Asian",
    "MWAO": "White and Asian",
    "MWCH": "White and Asian",
    "MOTH": "Other Mixed",
    "MAOE": "Other Mixed",
    "MABL": "Other Mixed",
    "MACH": "Other Mixed",
    "MBOE": "Other Mixed",
    "MBCH": "Other Mixed",
    "MCOE": "Other Mixed",
    "MWOE": "Other Mixed",
    "MOTM": "Other Mixed",
    # Asian
    "AIND": "Indian",
    "APKN": "Pakistani",
    "AMPK": "Pakistani",
    "AKPA": "Pakistani",
    "AOPK": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Other Asian",
    "AAFR": "Other Asian",
    "AKAO": "Other Asian",
    "ANEP": "Other Asian",
    "ASNL": "Other Asian",
    "ASLT": "Other Asian",
    "ASRO": "Other Asian",
    "AOTA": "Other Asian",
    # Black
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BANN": "African",
    "BCON": "African",
    "BGHA": "African",
    "BNGN": "African",
    "BSLN": "African",
    "BSOM": "African",
    "BSUD": "African",
    "BAOF": "African",
    "BOTH": "Other Black",
    "BEUR": "Other Black",
    "BNAM": "Other Black",
    "BOTB": "Other Black",
    # Chinese (a DfE major group; Asian in the Census)
    "CHNE": "Chinese",
    "CHKC": "Chinese",
    "CMAL": "Chinese",
    "CSNG": "Chinese",
    "CTWN": "Chinese",
    "COCH": "Chinese",
    # Any other ethnic group
    "OOTH": "Any other ethnic group",
    "OAFG": "Any other ethnic group",
    "OARA": "Arab",
    "OEGY": "Any other ethnic group",
    "OFIL": "Any other ethnic group",
    "OIRN": "Any other ethnic group",
    "OIRQ": "Any other ethnic group",
    "OJPN": "Any other ethnic group",
    "OKOR": "Any other ethnic group",
    "OKRD": "Any other ethnic group",
    "OLAM": "Any other ethnic group",
    "OLEB": "Any other ethnic group",
    "OLIB": "Any other ethnic group",
    "OMAL": "Any other ethnic group",
    "OMRC": "Any other ethnic group",
    "OPOL": "Any other ethnic group",
    "OTHA": "Any other ethnic group",
    "OVIE": "Any other ethnic group",
    "OYEM": "Any other ethnic group",
    "OOEG": "Any other ethnic group",
}

#: DfE codes that are also English words: accepted only in capitals, so that a provider's
#: "Both" (for example) is reported rather than read as Other Black.
CODES_THAT_ARE_WORDS: Final[tuple[str, ...]] = ("BOTH", "MOTH")

#: DfE codes for "not known": refused, information not yet obtained.
NOT_KNOWN_CODES: Final[tuple[str, ...]] = ("REFU", "NOBT")

#: Trailing instructions copied from a form ("Any other ethnic group, please describe");
#: they are dropped before the lookup.
FORM_INSTRUCTIONS: Final[tuple[str, ...]] = (
    "please describe",
    "please specify",
    "please state",
    "please write in",
    "please give details",
    "specify",
    "describe",
)

#: Labels that name a total, not a group of people. They are never classified (a total
#: counted as people would double count); `is_total_label` finds them so that comparator
#: readers can drop them.
TOTAL_WORDINGS: Final[tuple[str, ...]] = (
    "Total",
    "All",
    "All categories",
    "All categories: Ethnic group",
    "All ethnic groups",
    "All ethnicities",
    "All pupils",
    "All persons",
    "All usual residents",
    "Grand total",
    "Total (all ethnic groups)",
)

#: Labels of nationality or region only, deliberately left unmapped (see the docs).
DELIBERATELY_UNMAPPED: Final[tuple[str, ...]] = (
    "British",
    "English",
    "Welsh",
    "Scottish",
    "Northern Irish",
    "European",
    "White European",
    "Kurdish",
    "Turkish",
    "Polish",
    "Middle Eastern",
    "Latin American",
    "BAME",
    "BME",
    "Non-White",
)
