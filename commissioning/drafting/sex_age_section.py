"""The section for a return that records sex and age but no ethnicity.

A provider may send gender and age without ethnicity. The council still has to consider
disproportionality, so rather than refuse the return, the section compares the service
by sex and by age band (each an `Analysis` from `analyse_characteristic`), says plainly
that ethnicity is missing, and makes asking for it the first action. The wording is
``templates/draft_section_sex_age.txt.j2``; its findings are the "Sex and age" part
(`commissioning.drafting.characteristics`, with ``alone``), so the same small-number
rules decide which tables may be shown together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from commissioning.analysis.compare import Analysis
from commissioning.drafting.actions import author_notes
from commissioning.drafting.blocks import parse_blocks
from commissioning.drafting.characteristics import characteristics_values
from commissioning.drafting.disclosure import DEFAULT_THRESHOLD
from commissioning.drafting.draft import (
    INTERNAL_AUDIT_ITEMS,
    audit_of,
    chart_maker,
    comparator_values,
    document_settings,
    method_values,
)
from commissioning.drafting.findings import find
from commissioning.drafting.methodtext import analysis_parameters, setting_rows
from commissioning.drafting.profiles import choose_profile
from commissioning.drafting.section import Section, section_title
from commissioning.drafting.wording import load_terminology, render_template
from commissioning.errors import AnalysisError
from commissioning.returns.model import ProviderReturn

#: The wording of the section when the return has no ethnicity.
SEX_AGE_TEMPLATE: Final = "draft_section_sex_age.txt.j2"
MSG_NOTHING_TO_DRAFT: Final = (
    "The return has no ethnicity, sex or age that can be compared, so there is no section "
    "to draft. Ask the provider to record each person's ethnic group, gender and age band."
)
#: Printed for the officer (never published): what the section could not cover.
NOTE_NO_ETHNICITY: Final = (
    "The return has no ethnicity, so the section compares the service by sex and age only. "
    "Send the provider the standard return form (commissioning template) and ask for "
    "ethnic group before the decision is taken, if there is time."
)


def draft_without_ethnicity(
    characteristics: Sequence[Analysis],
    *,
    authority: str,
    service: str,
    provider: str | None = None,
    period: str | None = None,
    source_return: ProviderReturn | None = None,
    template: str | Path | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    service_kind: str | None = None,
    produced: dt.date | None = None,
) -> Section:
    """Draft the section from comparisons by sex and age band alone.

    The `Section`'s ``safe`` and ``findings`` are those of the first table shown (by sex
    when it can be shown), and its audit names that table's comparator."""
    if not characteristics:
        raise AnalysisError(MSG_NOTHING_TO_DRAFT)
    values = characteristics_values(characteristics, threshold=threshold,
                                    source_return=source_return, alone=True)
    charts: Mapping[str, Any] = values["charts"]
    safe, primary = next(iter(charts.values()))
    profile = choose_profile(service, service_kind, template)
    findings = find(primary, safe, service_kind=profile.kind)
    terms = load_terminology(authority, template)
    audit = audit_of(primary, source_return, threshold, produced)
    audit_map = dict(audit.items)
    produced_on = dt.date.fromisoformat(audit_map["produced"])
    shown = [p for p in values["parts"] if not p["withheld"]]
    context = {
        "t": terms,
        "authority": authority,
        "service": service,
        "provider": provider,
        "period": period,
        "unit": source_return.unit if source_return is not None else "people",
        "service_kind": profile.kind,
        "n": {"total": safe.n_total.value, "total_range": (safe.n_total.low, safe.n_total.high)},
        "comparator": comparator_values(primary, produced_on),
        "method": method_values(primary, findings, threshold),
        "concerns": [r for p in shown for r in p["concerns"]],
        "differences": [r for p in shown for r in p["differences"]],
        "hidden": any(p["hidden"] for p in shown),
        "characteristics": values,
        "audit": {k: v for k, v in audit_map.items() if k not in INTERNAL_AUDIT_ITEMS},
        # The settings' names speak of ethnicity; here they apply to the sex or age compared.
        "settings": [(label.replace("ethnicity", "sex or age"), value)
                     for label, value in setting_rows(analysis_parameters(primary))],
    }
    name, text = render_template(SEX_AGE_TEMPLATE, context, template)
    blocks = parse_blocks(text, name, chart_maker(charts))
    return Section(
        title=section_title(blocks),
        blocks=blocks,
        findings=findings,
        safe=safe,
        audit=audit,
        authority=authority,
        service=service,
        document=document_settings(terms),
        author_notes=(NOTE_NO_ETHNICITY, *author_notes(findings, (), profile, service)),
    )
