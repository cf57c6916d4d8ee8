"""Plain-English description of how an `Analysis` was done, for reports and workbooks.

Finance and legal officers read this: short sentences, no unexplained abbreviations. The
full method, with formulas and references, is in docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from commissioning.analysis.compare import Analysis

METHOD_RRI: Final = (
    "For each ethnic group we compare its share of the people the service reached with "
    "its share of the comparator population. The ratio of the two is the Relative Rate "
    "Index (RRI): 1 means the group is reached in proportion to its size."
)
METHOD_UNKNOWN: Final = (
    "People whose ethnicity is not known are left out of the shares. The columns "
    "rri_bound_low and rri_bound_high show the lowest and highest RRI a group could have "
    "if all of them belonged to other groups, or all to that group."
)
METHOD_MODE: Final = {
    "fixed": (
        "The comparator is treated as a fixed population (a census). Each group's count is "
        "tested against the count expected from its population share with an exact "
        "binomial test; the 95% interval is the Wilson score interval of the service "
        "share divided by the population share."
    ),
    "independent": (
        "The comparator is treated as a separate sample. Each group is tested with "
        "Fisher's exact test; the 95% interval is the Katz log interval for a ratio of two "
        "proportions."
    ),
    "nested": (
        "The service is treated as part of the comparator (for example plans out of "
        "referrals). Each group's rate of going on is compared with everyone else's using "
        "Fisher's exact test, with a Katz log interval carried over to the RRI."
    ),
}
METHOD_ADJUST: Final = {
    "holm": "P-values are adjusted for testing several groups at once (Holm's method).",
    "fdr_bh": (
        "P-values are adjusted for testing several groups at once (Benjamini-Hochberg "
        "false discovery rate)."
    ),
    "none": "P-values are not adjusted for testing several groups at once.",
}
METHOD_BANDS: Final = (
    "An RRI of {over} or more is over-represented; {under} or less (but above 0) is "
    "under-represented; 0 when at least {min_expected:g} people were expected is not "
    "represented; anything else is proportionate. A band is significant when the adjusted "
    "p-value is below {alpha:g}, indicative when a threshold is crossed without that, and "
    "too few to judge when fewer than {min_expected:g} people were expected or the return "
    "has fewer than {min_n} people with a known ethnicity."
)
METHOD_BY: Final = "Groups are compared within each {by}: shares are of the people of that {by}."
METHOD_REFERENCE: Final = (
    "The rate ratio columns compare each group's rate per head of population with the "
    "{reference} group's rate. This is a different measure from the RRI."
)
MODE_SHORT: Final = {
    "fixed": "a fixed population (a census)",
    "independent": "a separate sample",
    "nested": "a population the service is part of",
}
ADJUST_SHORT: Final = {
    "holm": "Holm's method",
    "fdr_bh": "the Benjamini-Hochberg method",
    "none": "no adjustment",
}
SETTING_LABELS: Final = {
    "mode": "Comparator treated as",
    "by": "Compared within each",
    "reference": "Rate ratios against",
    "test": "Test for each group",
    "adjust": "Adjustment for testing several groups",
    "alpha": "Clear difference when the adjusted p-value is below",
    "confidence_level": "Likely range (confidence level)",
    "over": "Over-represented at an RRI of at least",
    "under": "Under-represented at an RRI of at most",
    "min_expected": "Too few to judge when fewer people than this were expected",
    "min_n": "Too few to judge when fewer people than this had a known ethnicity",
    "unknown_warning": "Warn when ethnicity is not known for more than",
    "seed": "Random seed for the overall test (so results repeat)",
    "draws": "Random draws for the overall test when numbers are small",
}
"""Plain names for `Analysis.parameters` keys; a key not listed here is not shown to readers."""
METHOD_OMNIBUS: Final = (
    "Overall test that the service's mix matches the comparator's: {method}, statistic "
    "{statistic:.2f} on {df} degrees of freedom, p = {p:.3g}."
)


def method_lines(analysis: Analysis) -> list[str]:
    """The method of ``analysis`` as a list of plain sentences/paragraphs."""
    s = analysis.settings
    lines = [
        METHOD_RRI,
        METHOD_MODE[analysis.mode],
        METHOD_ADJUST[s.adjust],
        METHOD_BANDS.format(
            over=s.over,
            under=s.under,
            min_expected=float(s.min_expected),
            alpha=float(s.alpha),
            min_n=s.min_n,
        ),
        METHOD_UNKNOWN,
    ]
    for dim in analysis.by_dimensions:
        lines.append(METHOD_BY.format(by=dim.replace("_", " ")))
    if analysis.reference:
        lines.append(METHOD_REFERENCE.format(reference=analysis.reference))
    if analysis.omnibus is not None:
        o = analysis.omnibus
        lines.append(
            METHOD_OMNIBUS.format(method=o.method, statistic=o.statistic, df=o.df, p=o.p_value)
        )
    return lines


def _setting_value(key: str, value: object) -> str:
    if key == "mode":
        return MODE_SHORT.get(str(value), str(value))
    if key == "adjust":
        return ADJUST_SHORT.get(str(value), str(value))
    if key in ("confidence_level", "unknown_warning") and isinstance(value, int | float):
        return f"{value * 100:g} per cent"
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if key == "by":
        return str(value).replace("_", " ")
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


#: The settings that shape the figures, in the order the audit trail and JSON list them.
ANALYSIS_PARAMETERS: Final = (
    "level", "by", "mode", "reference", "alpha", "adjust", "over", "under", "min_n",
    "min_expected", "unknown_warning", "seed", "draws", "confidence_level",
)


def analysis_parameters(analysis: Analysis) -> dict[str, object]:
    """The settings that shaped ``analysis``'s figures, by name, plus the test used."""
    given = analysis.settings.as_parameters()
    out: dict[str, object] = {}
    for key in ANALYSIS_PARAMETERS:
        out[key] = list(analysis.by) if key == "by" else given[key]
    out["mode"] = analysis.mode
    out["test"] = analysis.test
    return out


def setting_rows(parameters: Mapping[str, object]) -> list[tuple[str, str]]:
    """The analysis settings as (plain label, plain value), in `SETTING_LABELS` order.

    Empty settings (no --by, no reference group) are left out, so an audit trail shows only
    what shaped the figures, in words a finance officer can read.
    """
    rows = []
    for key, label in SETTING_LABELS.items():
        value = parameters.get(key)
        if value is None or value == "" or value == [] or value == ():
            continue
        rows.append((label, _setting_value(key, value)))
    return rows
