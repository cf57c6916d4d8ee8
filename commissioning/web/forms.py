"""The upload form: what a commissioner typed, checked before any file is read.

Kept apart from the routes so the rules (what is required, what is allowed) are one small
place that the tests can read. Every problem becomes a `FormError` whose message names the
field to fix; the page shows it with status 400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from commissioning.errors import CommissioningError

if TYPE_CHECKING:
    from commissioning.analysis.settings import ByDimension

#: Comparator choices offered on the page: value -> what the page calls it.
COMPARATORS: Final[dict[str, str]] = {
    "": "The recommended comparator for children's services",
    "census2021": "Census 2021, all ages",
    "census2011": "Census 2011, children and young people by age",
    "school-census": "School census pupils",
    "fsm": "Pupils eligible for free school meals (for Holiday Activities and Food)",
}
LEVELS: Final[dict[str, str]] = {
    "major": "Five main groups (Asian, Black, Mixed, White, Other)",
    "detailed": "All 19 Census 2021 groups",
}
#: Splits offered on the page (`draft --by`): value -> what the page calls it. None ticked
#: is no split; both ticked is both, as ``--by sex --by age_band``.
SPLITS: Final[dict[ByDimension, str]] = {
    "sex": "By sex",
    "age_band": "By age band",
}

#: Comparisons in their own right offered on the page (`draft --characteristic`): value ->
#: what the page calls it. Each adds a "Sex and age" part against the ONS mid-2022 figures.
CHARACTERISTICS: Final[dict[str, str]] = {
    "sex": "Also compare by sex",
    "age_band": "Also compare by age band",
}

#: The longest text a field may hold; anything longer is a mistake (or a pasted file).
MAX_FIELD_CHARS: Final = 200

MSG_NO_FILE = "Choose the provider's return file to upload, then press the button again."
#: What the service is for (`draft --service-kind`): value -> what the page calls it.
SERVICE_KINDS: Final = {
    "": "Work it out from the service's name",
    "reach": "A service people should be able to reach (under-representation is the concern)",
    "intervention": "A service that steps into people's lives (over-representation is the "
                    "concern)",
}
MSG_NO_AUTHORITY = "Choose the local authority the service is for."
MSG_NO_SERVICE = 'Type the name of the service, for example "Holiday Activities and Food".'
MSG_BAD_CHOICE = "The {field} choice was not one the page offers. Reload the page and choose again."
MSG_BAD_DATE = (
    "The date for working out ages is not a date. Give it as dd/mm/yyyy, for example "
    "30/06/2024, or leave it empty to use the end of the period in the return."
)
MSG_TOO_LONG = "The {field} is longer than {limit} characters. Shorten it and try again."


class FormError(CommissioningError):
    """A field of the upload form is missing or not allowed (shown with status 400)."""


#: How each form field is named in an error message.
FIELD_LABELS: Final = {
    "authority": "local authority",
    "service": "service name",
    "service_kind": "kind of service",
    "comparator": "comparator",
    "level": "level",
    "ages": "ages of the comparator",
    "provider": "provider name",
    "period": "period",
    "sheet": "sheet name",
    "as_of": "date for working out ages",
    "by": "split",
    "characteristic": "comparison by sex or age band",
    "section_number": "section number",
}
LEVEL_OF_DETAIL: Final = "level of detail"


@dataclass(frozen=True)
class FormInput:
    """The checked text fields of the upload form."""

    authority: str
    service: str
    comparator: str | None = None
    ages: str | None = None
    provider: str | None = None
    period: str | None = None
    level: Literal["major", "detailed"] = "major"
    sheet: str | None = None
    as_of: dt.date | None = None
    #: The splits asked for, in the page's order (`RunSettings.by`).
    by: tuple[ByDimension, ...] = ()
    #: "reach", "intervention", or None (matched from the service's name).
    service_kind: str | None = None
    #: Sex and/or age band compared in their own right (`RunSettings.characteristics`):
    #: the boxes ticked on the page (both, to start with); None: every one the return
    #: records, as `draft` does by default.
    characteristics: tuple[str, ...] | None = None
    #: The number the section takes in the decision report (`insert_into(number=)`);
    #: None follows the report's own numbering. Only the report download uses it.
    section_number: int | None = None


def _text(values: Mapping[str, str], name: str, label: str) -> str | None:
    value = " ".join(str(values.get(name, "") or "").split())
    if len(value) > MAX_FIELD_CHARS:
        raise FormError(MSG_TOO_LONG.format(field=label, limit=MAX_FIELD_CHARS))
    return value or None


def parse_form(values: Mapping[str, str]) -> FormInput:
    """Check the text fields; raise `FormError` naming the first field to fix."""
    authority = _text(values, "authority", FIELD_LABELS["authority"])
    if authority is None:
        raise FormError(MSG_NO_AUTHORITY)
    service = _text(values, "service", FIELD_LABELS["service"])
    if service is None:
        raise FormError(MSG_NO_SERVICE)
    comparator = _text(values, "comparator", FIELD_LABELS["comparator"]) or ""
    if comparator not in COMPARATORS:
        raise FormError(MSG_BAD_CHOICE.format(field=FIELD_LABELS["comparator"]))
    kind = _text(values, "service_kind", FIELD_LABELS["service_kind"]) or ""
    if kind not in SERVICE_KINDS:
        raise FormError(MSG_BAD_CHOICE.format(field=FIELD_LABELS["service_kind"]))
    level = _text(values, "level", FIELD_LABELS["level"]) or "major"
    if level not in LEVELS:
        raise FormError(MSG_BAD_CHOICE.format(field=LEVEL_OF_DETAIL))
    return FormInput(
        authority=authority,
        service=service,
        comparator=comparator or None,
        ages=_text(values, "ages", FIELD_LABELS["ages"]),
        provider=_text(values, "provider", FIELD_LABELS["provider"]),
        period=_text(values, "period", FIELD_LABELS["period"]),
        level="detailed" if level == "detailed" else "major",
        sheet=_text(values, "sheet", FIELD_LABELS["sheet"]),
        as_of=_date(_text(values, "as_of", FIELD_LABELS["as_of"])),
        by=_splits(values),
        service_kind=kind or None,
        characteristics=_characteristics(values),
        section_number=_section_number(
            _text(values, "section_number", FIELD_LABELS["section_number"])),
    )


def _ticked(values: Mapping[str, str], name: str, offered: Collection[str]) -> set[str]:
    """The ticked boxes of one field (several values), each one the page offers."""
    getlist = getattr(values, "getlist", None)
    ticked = getlist(name) if getlist is not None else [values.get(name, "")]
    chosen = {" ".join(str(v or "").split()) for v in ticked} - {""}
    if not chosen <= set(offered):
        raise FormError(MSG_BAD_CHOICE.format(field=FIELD_LABELS[name]))
    return chosen


def _splits(values: Mapping[str, str]) -> tuple[ByDimension, ...]:
    """The ticked split boxes, in the page's order."""
    chosen = _ticked(values, "by", SPLITS)
    return tuple(name for name in SPLITS if name in chosen)


def _characteristics(values: Mapping[str, str]) -> tuple[str, ...]:
    """The ticked "Also compare by" boxes, in the page's order."""
    chosen = _ticked(values, "characteristic", CHARACTERISTICS)
    return tuple(name for name in CHARACTERISTICS if name in chosen)


def _section_number(text: str | None) -> int | None:
    """The section number typed (as `draft --number`, the same message), or None."""
    if text is None:
        return None
    from commissioning.render.sectionnumber import parse_section_number

    try:
        return parse_section_number(text)
    except CommissioningError as exc:
        raise FormError(exc.message) from exc


def _date(text: str | None) -> dt.date | None:
    """A date as `commissioning check --as-of` reads it (dd/mm/yyyy or yyyy-mm-dd)."""
    if text is None:
        return None
    from commissioning.model.dates import parse_typed_date

    try:
        return parse_typed_date(text)
    except ValueError as exc:
        raise FormError(MSG_BAD_DATE) from exc
