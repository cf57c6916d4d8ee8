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
    "Counts": "commissioning.counts",
    "DataQuality": "commissioning.quality",
    "Issue": "commissioning.quality",
    "ProviderReturn": "commissioning.returns.model",
    "read_return": "commissioning.returns.read",
    "load_workbook": "commissioning.returns.loader",
    "Limits": "commissioning.returns.limits",
    "classify_ethnicity": "commissioning.classify",
    "classify_sex": "commissioning.classify",
    "classify_age": "commissioning.classify",
    "normalise_age_band": "commissioning.classify",
    "ages_from_dates_of_birth": "commissioning.classify",
    "Population": "commissioning.population",
    "PopulationInfo": "commissioning.population",
    "load_comparator_file": "commissioning.population",
    "load_comparator": "commissioning.population",
    "child_population": "commissioning.population",
    "find_authority": "commissioning.population",
    "list_authorities": "commissioning.population",
    "Trend": "commissioning.trends",
    "trend_from_counts": "commissioning.trends",
    "trend_from_analyses": "commissioning.trends",
    "trend_from_returns": "commissioning.trends",
    "run_batch": "commissioning.batch",
    "BatchSettings": "commissioning.batch",
    "analyse": "commissioning.analysis",
    "Analysis": "commissioning.analysis",
    "Section": "commissioning.draft",
    "make_safe": "commissioning.disclosure",
    "render_markdown": "commissioning.render.markdown",
    "render_html": "commissioning.render.html",
    "render_docx": "commissioning.render.docx",
    "insert_into": "commissioning.render.docx",
}

#: modules that can be called as the function of the same name (see commissioning._callable):
#: `commissioning.population("Westminster")`, `commissioning.draft(analysis, ...)`
_CALLABLE_MODULES = ("population", "draft")

__all__ = ["__version__", *_PUBLIC, *_CALLABLE_MODULES]


def __getattr__(name: str) -> Any:
    if name in _CALLABLE_MODULES:
        return importlib.import_module(f"commissioning.{name}")
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'commissioning' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
