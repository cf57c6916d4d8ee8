"""The canonical classifications every count is expressed in.

Ethnicity: Census 2021 England and Wales, 19 detailed categories in 5 major groups.
Sex: Female, Male, Other (another gender identity). Anything we could not learn is
``NOT_KNOWN``; a label we could not recognise is ``UNMAPPED``. Both are kept in every
`Counts` value so that nothing read from a return is lost, and both are excluded from
shares.
"""

from __future__ import annotations

from typing import Final, Literal

NOT_KNOWN: Final = "Not known"
UNMAPPED: Final = "Unmapped"
NOT_CLASSIFIED: Final = (NOT_KNOWN, UNMAPPED)

MAJOR_GROUPS: Final = ("Asian", "Black", "Mixed", "White", "Other")

#: Census 2021 detailed categories (short display names) and their major group, in the
#: order ONS publishes them.
DETAILED_TO_MAJOR: Final[dict[str, str]] = {
    "Bangladeshi": "Asian",
    "Chinese": "Asian",
    "Indian": "Asian",
    "Pakistani": "Asian",
    "Other Asian": "Asian",
    "African": "Black",
    "Caribbean": "Black",
    "Other Black": "Black",
    "White and Asian": "Mixed",
    "White and Black African": "Mixed",
    "White and Black Caribbean": "Mixed",
    "Other Mixed": "Mixed",
    "White British": "White",
    "Irish": "White",
    "Gypsy or Irish Traveller": "White",
    "Roma": "White",
    "Other White": "White",
    "Arab": "Other",
    "Any other ethnic group": "Other",
}
DETAILED_GROUPS: Final = tuple(DETAILED_TO_MAJOR)

#: Full ONS 2021 wording of each detailed category, for templates and dropdowns.
DETAILED_ONS_WORDING: Final[dict[str, str]] = {
    "Bangladeshi": "Asian, Asian British or Asian Welsh: Bangladeshi",
    "Chinese": "Asian, Asian British or Asian Welsh: Chinese",
    "Indian": "Asian, Asian British or Asian Welsh: Indian",
    "Pakistani": "Asian, Asian British or Asian Welsh: Pakistani",
    "Other Asian": "Asian, Asian British or Asian Welsh: Other Asian",
    "African": "Black, Black British, Black Welsh, Caribbean or African: African",
    "Caribbean": "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "Other Black": "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "White and Asian": "Mixed or Multiple ethnic groups: White and Asian",
    "White and Black African": "Mixed or Multiple ethnic groups: White and Black African",
    "White and Black Caribbean": "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "Other Mixed": "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "White British": (
        "White: English, Welsh, Scottish, Northern Irish or British"
    ),
    "Irish": "White: Irish",
    "Gypsy or Irish Traveller": "White: Gypsy or Irish Traveller",
    "Roma": "White: Roma",
    "Other White": "White: Other White",
    "Arab": "Other ethnic group: Arab",
    "Any other ethnic group": "Other ethnic group: Any other ethnic group",
}

SEXES: Final = ("Female", "Male", "Other")
#: The sexes the ONS population estimates count; no other answer can be compared with them.
COMPARABLE_SEXES: Final = ("Female", "Male")

Level = Literal["major", "detailed"]
Dimension = Literal["ethnicity", "sex", "age_band"]
