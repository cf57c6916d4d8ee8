"""commissioning: who does a commissioned service reach, compared with the local population?

Read provider monitoring returns, compare them with census and school-census populations
using the Relative Rate Index and exact tests, and draft the "Disproportionality
Implications" section of council decision reports.

The public functions are imported lazily so that the command line starts quickly.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_PUBLIC: dict[str, str] = {
    "CommissioningError": "commissioning.errors",
    "Counts": "commissioning.model.counts",
    "DataQuality": "commissioning.model.quality",
    "Issue": "commissioning.model.quality",
    "ProviderReturn": "commissioning.returns.model",
    "read_return": "commissioning.returns.read",
    "load_workbook": "commissioning.loading.loader",
    "Limits": "commissioning.loading.limits",
    "classify_ethnicity": "commissioning.classify",
    "classify_sex": "commissioning.classify",
    "classify_age": "commissioning.classify",
    "normalise_age_band": "commissioning.classify",
    "ages_from_dates_of_birth": "commissioning.classify",
    "population": "commissioning.comparators",
    "Population": "commissioning.comparators",
    "PopulationInfo": "commissioning.comparators",
    "load_comparator_file": "commissioning.comparators",
    "load_comparator": "commissioning.comparators",
    "child_population": "commissioning.comparators",
    "find_authority": "commissioning.comparators",
    "list_authorities": "commissioning.comparators",
    "Trend": "commissioning.analysis.trends",
    "trend_from_counts": "commissioning.analysis.trends",
    "trend_from_analyses": "commissioning.analysis.trends",
    "trend_from_returns": "commissioning.analysis.trends",
    "run_batch": "commissioning.batch.runner",
    "BatchSettings": "commissioning.batch.runner",
    "analyse": "commissioning.analysis.compare",
    "Analysis": "commissioning.analysis.compare",
    "draft": "commissioning.drafting.draft",
    "Section": "commissioning.drafting.draft",
    "make_safe": "commissioning.drafting.disclosure",
    "render_markdown": "commissioning.render.markdown",
    "render_html": "commissioning.render.html",
    "render_docx": "commissioning.render.docx",
    "insert_into": "commissioning.render.docx",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'commissioning' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
