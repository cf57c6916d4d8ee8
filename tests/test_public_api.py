"""The names the issues promise users can call from `commissioning` directly."""

from __future__ import annotations

from pathlib import Path

import commissioning
from commissioning.model.categories import MAJOR_GROUPS


def test_every_public_name_resolves() -> None:
    for name in commissioning.__all__:
        assert getattr(commissioning, name) is not None, name


def test_population_and_draft_are_plain_functions() -> None:
    import inspect

    from commissioning.comparators import SOURCES

    westminster = commissioning.population("Westminster", source="census2021")
    assert westminster.counts.total == 204_236
    assert "census2021" in SOURCES
    assert inspect.isfunction(commissioning.population)
    assert inspect.isfunction(commissioning.draft)


def test_end_to_end_through_the_top_level_names(tmp_path) -> None:
    ret = commissioning.read_return(
        Path(__file__).resolve().parents[1]
        / "provider_returns/westminster_holiday_activities_2024q2.xlsx"
    )
    comparator = commissioning.population("Westminster")
    analysis = commissioning.analyse(ret.counts, comparator)
    assert list(analysis.table["group"]) == list(MAJOR_GROUPS)
    section = commissioning.draft(
        analysis, authority="Westminster", service="Holiday Activities and Food"
    )
    assert isinstance(section, commissioning.Section)
    assert "Disproportionality Implications" in commissioning.render_markdown(section)
