"""Classify what providers wrote into the canonical categories of `commissioning.model.categories`.

Every function takes a pandas Series and returns a frame (or series) with the same
index, mapping each distinct label once. Every row gets a status: "classified",
"not known" (the answer was refused, not stated or blank) or "unmapped" (not
recognised; never guessed). The mapping decisions are in docs/classification.md.
"""

from __future__ import annotations

from commissioning.classify.age import (
    AGE_BAND_DROPDOWN,
    MSG_BAND_NOT_CANONICAL,
    MSG_BANDS_OVERLAP,
    MSG_NO_BANDS,
    AgeBandError,
    ages_from_dates_of_birth,
    classify_age,
    excel_serial_to_date,
    parse_date_of_birth,
)
from commissioning.classify.bands import normalise_age_band
from commissioning.classify.ethnicity import (
    CLASSIFIED,
    ETHNICITY_DROPDOWN,
    STATUS_NOT_KNOWN,
    STATUS_UNMAPPED,
    STATUSES,
    classify_ethnicity,
    ethnicity_label,
    is_total_label,
)
from commissioning.classify.labels import classify_labels
from commissioning.classify.sex import SEX_DROPDOWN, classify_sex

__all__ = [
    "AGE_BAND_DROPDOWN",
    "CLASSIFIED",
    "ETHNICITY_DROPDOWN",
    "MSG_BANDS_OVERLAP",
    "MSG_BAND_NOT_CANONICAL",
    "MSG_NO_BANDS",
    "SEX_DROPDOWN",
    "STATUSES",
    "STATUS_NOT_KNOWN",
    "STATUS_UNMAPPED",
    "AgeBandError",
    "ages_from_dates_of_birth",
    "classify_age",
    "classify_ethnicity",
    "classify_labels",
    "classify_sex",
    "ethnicity_label",
    "excel_serial_to_date",
    "is_total_label",
    "normalise_age_band",
    "parse_date_of_birth",
]
