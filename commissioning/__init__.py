"""commissioning: who does a commissioned service reach, compared with the local population?

Read provider monitoring returns, compare them with census and school-census populations
using the Relative Rate Index and exact tests, and draft the "Disproportionality
Implications" section of council decision reports.

The public names are listed here and imported on first use, so that ``commissioning
--help`` and ``commissioning check`` do not pay for scipy, matplotlib and python-docx.
Type checkers see the real imports below.

    >>> import commissioning
    >>> commissioning.AnalysisSettings().over
    1.5
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from commissioning.analysis.compare import Analysis, analyse
    from commissioning.analysis.settings import AnalysisSettings
    from commissioning.analysis.trends import (
        Trend,
        trend_from_analyses,
        trend_from_counts,
        trend_from_returns,
    )
    from commissioning.batch.runner import BatchSettings, run_batch
    from commissioning.checking.report import CheckReport
    from commissioning.classify import (
        ages_from_dates_of_birth,
        classify_age,
        classify_ethnicity,
        classify_sex,
        normalise_age_band,
    )
    from commissioning.comparators import (
        Population,
        PopulationInfo,
        child_population,
        find_authority,
        list_authorities,
        load_comparator,
        load_comparator_file,
        population,
    )
    from commissioning.drafting.disclosure import make_safe
    from commissioning.drafting.draft import Section, draft
    from commissioning.errors import (
        AnalysisError,
        CommissioningError,
        ComparatorError,
        InvalidReturnError,
        UnknownAuthorityError,
        UnreadableFileError,
    )
    from commissioning.loading.limits import Limits
    from commissioning.loading.loader import load_workbook
    from commissioning.model.counts import Counts
    from commissioning.model.quality import DataQuality, Issue
    from commissioning.pipeline import RunResult, RunSettings, check, run
    from commissioning.render.docx import insert_into, render_docx
    from commissioning.render.html import render_html
    from commissioning.render.markdown import render_markdown
    from commissioning.render.write import write_section
    from commissioning.returns.model import ProviderReturn
    from commissioning.returns.read import read_return

__version__ = "0.1.0"

#: public name -> module that defines it
_PUBLIC: dict[str, str] = {
    "CommissioningError": "commissioning.errors",
    "Counts": "commissioning.model.counts",
    "DataQuality": "commissioning.model.quality",
    "Issue": "commissioning.model.quality",
    "ProviderReturn": "commissioning.returns.model",
    "read_return": "commissioning.returns.read",
    "check": "commissioning.pipeline",
    "CheckReport": "commissioning.checking.report",
    "run": "commissioning.pipeline",
    "RunSettings": "commissioning.pipeline",
    "RunResult": "commissioning.pipeline",
    "AnalysisSettings": "commissioning.analysis.settings",
    "write_section": "commissioning.render.write",
    "AnalysisError": "commissioning.errors",
    "ComparatorError": "commissioning.errors",
    "InvalidReturnError": "commissioning.errors",
    "UnreadableFileError": "commissioning.errors",
    "UnknownAuthorityError": "commissioning.errors",
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
