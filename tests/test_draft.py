"""Drafting: what the section says in the situations the brief names."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from test_draft_support import build_analysis

from commissioning.drafting.disclosure import make_safe
from commissioning.drafting.draft import BulletList, Heading, Paragraph, Section, Table, draft
from commissioning.drafting.findings import find
from commissioning.drafting.wording import (
    MSG_ACTIONS_SHAPE,
    MSG_TEMPLATE_UNDEFINED,
    load_terminology,
)
from commissioning.errors import AnalysisError, TemplateProblemError
from commissioning.render.markdown import render_markdown

WESTMINSTER = [3380, 4176, 2546, 5688, 5679]
SERVICE = "Holiday Activities and Food"


def _draft(counts: list[int], **kwargs: object) -> Section:
    extra = {k: kwargs.pop(k) for k in ("not_known", "unmapped") if k in kwargs}
    analysis = build_analysis(counts, WESTMINSTER, **extra)  # type: ignore[arg-type]
    return draft(analysis, authority=str(kwargs.pop("authority", "Westminster")),
                 service=SERVICE, produced=dt.date(2026, 11, 28), **kwargs)  # type: ignore[arg-type]


def _part(section: Section, title: str) -> str:
    """The text of one numbered part."""
    out, inside = [], False
    for block in section.blocks:
        if isinstance(block, Heading) and block.level == 2:
            inside = block.text == title
        elif inside and isinstance(block, Paragraph):
            out.append(block.text)
        elif inside and isinstance(block, BulletList):
            out.extend(block.items)
    return "\n".join(out)


def test_structure_six_numbered_parts_and_numbered_paragraphs() -> None:
    section = _draft([120, 260, 90, 300, 30])
    headings = [(b.number, b.text) for b in section.blocks if isinstance(b, Heading)]
    assert headings == [
        ("", "Disproportionality Implications"),
        ("1", "Summary"), ("2", "What was compared"), ("3", "Findings"),
        ("4", "Data quality"), ("5", "Implications and actions"), ("6", "Appendix"),
    ]
    numbers = [b.number for b in section.blocks if isinstance(b, Paragraph) and b.number]
    assert numbers[:2] == ["1.1", "1.2"] and "3.1" in numbers
    assert {t.name for t in section.tables()} == {"findings", "full", "audit"}
    assert section.chart() is not None


def test_section_is_immutable() -> None:
    section = _draft([120, 260, 90, 300, 30])
    with pytest.raises(dataclasses.FrozenInstanceError):
        section.title = "x"  # type: ignore[misc]
    assert isinstance(section.blocks, tuple)


def test_concerns_lead_the_summary_strongest_first() -> None:
    section = _draft([120, 260, 90, 300, 30])
    summary = _part(section, "Summary")
    assert summary.startswith("We found two clear differences")
    other, black = summary.index("from Other ethnic groups"), summary.index("Black children")
    assert other < black  # RRI 0.14 is further from 1 than 1.67
    assert [f.group for f in section.findings.concerns] == ["Other", "Black"]


def test_each_concern_gets_its_actions_and_the_placeholders_go_to_the_author() -> None:
    section = _draft([120, 260, 90, 300, 30])
    actions = _part(section, "Implications and actions")
    lead = "For children and families from Other ethnic groups, who were under-represented:"
    assert lead in actions
    assert "Targeted outreach." in actions and "Add a contract measure." in actions
    assert "For Black children and families, who were over-represented:" in actions
    # A service people should reach: an over-represented group is checked against need,
    # never met with "remove any barrier".
    black = actions[actions.index("For Black children"):]
    black = black[:black.index("\n", black.index("Check whether this matches need"))]
    assert "barrier" not in black and "action plan on" not in black
    assert "[" not in actions  # no placeholder to fill in the published text
    assert any("Name an owner and a review date" in n for n in section.author_notes)
    assert "These figures show a difference, not its cause." in actions
    assert "section 149(1) of the Equality Act 2010" in actions


def test_every_group_proportionate_is_a_calm_no_concern_section() -> None:
    # Shares close to Westminster's: every RRI between 0.9 and 1.1.
    section = _draft([157, 195, 119, 265, 264])
    assert section.findings.status == "no_concern"
    summary = _part(section, "Summary")
    assert summary.startswith("No concern found.")
    actions = _part(section, "Implications and actions")
    assert "no extra action is needed now" in actions and "Keep monitoring." in actions
    text = "\n".join(_part(section, p) for p in ("Summary", "Findings", "Data quality",
                                                 "Implications and actions"))
    for alarm in ("over-represented:", "under-represented:", "cannot be relied on", "too small"):
        assert alarm not in text


def test_forty_percent_unknown_cannot_be_relied_on_and_asks_the_provider() -> None:
    section = _draft([60, 60, 60, 60, 60], not_known=200, provider="Play Well Ltd")
    assert section.findings.status == "unreliable"
    summary = _part(section, "Summary")
    assert summary.startswith("This analysis cannot be relied on.")
    assert "about 4 in 10" in summary
    assert "Play Well Ltd should fix its ethnicity records and send a corrected return." in summary
    actions = _part(section, "Implications and actions")
    assert "Ask the provider to fix the data." in actions
    assert "Ask Play Well Ltd to record ethnicity for everyone" in actions


def test_tiny_service_says_too_small_and_shows_no_small_counts() -> None:
    section = _draft([3, 3, 1, 3, 1], not_known=1)  # n = 12
    assert section.findings.status == "too_small"
    assert "The numbers are too small to judge" in _part(section, "Summary")
    for table in section.tables():
        for row in table.rows:
            if table.name in ("findings", "full") and row[0] != "Total":
                assert row[1] == "fewer than 5"
                assert all(c in ("fewer than 5", "not shown", "15.7%", "19.5%", "11.9%",
                                 "26.5%", "Fewer than 5, not shown") for c in row[1:])
    assert section.chart() is None
    assert "12" not in section.text().replace("2024-25", "")


def test_indicative_only_says_possible_difference() -> None:
    section = _draft([8, 10, 5, 20, 6])
    assert section.findings.status == "indicative"
    summary = _part(section, "Summary")
    assert summary.startswith("We found no clear difference")
    assert ("There may be a difference for White children and families and children and "
            "families from Other ethnic groups") in summary or (
        "There may be a difference for children and families from Other ethnic groups and "
        "White children and families") in summary
    assert "Watch the next period." in _part(section, "Implications and actions")


def test_hidden_groups_never_let_the_summary_say_plain_no_concern() -> None:
    # Other (2 people) is far below its share, but its count must stay hidden: the
    # summary may not claim "no concern", and says the same whatever the hidden result.
    section = _draft([18, 22, 12, 32, 2])
    summary = _part(section, "Summary")
    assert summary.startswith("No concern found among the groups large enough to show.")
    assert "Numbers for Other are too small to publish." in summary  # and only Other
    actions = _part(section, "Implications and actions")
    # What to check goes to the author, never into the published text.
    assert "full analysis" not in summary + actions and "commissioning analyse" not in actions
    assert any(n.startswith("Numbers for Other are too small") for n in section.author_notes)
    assert "under-represented" not in summary + actions


def test_terminology_follows_the_authority() -> None:
    words = {}
    for authority in ("Westminster", "Kensington and Chelsea", "Bi-Borough", "E09000020"):
        text = _draft([120, 260, 90, 300, 30], authority=authority).text()
        words[authority] = text
    assert "It applies to Westminster City Council." in words["Westminster"]
    rbkc = "It applies to the Royal Borough of Kensington and Chelsea."
    assert rbkc in words["Kensington and Chelsea"]
    for text in words.values():
        assert "As in the Bi-Borough anti-racist action plan, we call" in text
    # The equality duty speaks of race, not of any council's own collective phrase.
    for phrase in ("global majority", "Black, Asian and Multi-Ethnic backgrounds"):
        assert phrase not in words["Westminster"] + words["Kensington and Chelsea"]
    assert "WCC means Westminster City Council" in words["Bi-Borough"]
    assert words["E09000020"] == words["Kensington and Chelsea"]
    assert "global majority" in load_terminology("Westminster")["collective"]
    assert "Multi-Ethnic" in load_terminology("Kensington and Chelsea")["collective"]


def test_unknown_council_uses_default_terms() -> None:
    terms = load_terminology("Camden")
    assert terms["council"] == "London Borough of Camden"
    assert terms["collective"] == "children and families from ethnic minority groups"
    assert terms["thresholds_from"] == ""
    assert load_terminology("Nowhere Shire")["council"] == "the council"


def test_previous_periods_describe_the_trend() -> None:
    earlier = build_analysis([100, 200, 90, 300, 90], WESTMINSTER)
    section = draft(build_analysis([120, 260, 90, 300, 30], WESTMINSTER),
                    authority="Westminster", service=SERVICE,
                    previous=[("2024-25 Q1", earlier)])
    findings = _part(section, "Findings")
    before = earlier.table.set_index("group")["rri"]
    now = section.findings.concerns[0].row.rri
    assert section.findings.concerns[0].group == "Other" and now is not None
    expected = f"Earlier, the RRI was {before['Other']:.2f} in 2024-25 Q1; it is now {now:.2f}."
    assert expected in findings  # two decimals, as in the tables
    assert f"Earlier, the RRI was {before['Black']:.2f} in 2024-25 Q1" in findings


def test_audit_trail_has_the_file_hash_version_and_date() -> None:
    from commissioning import __version__
    from commissioning.model.counts import Counts
    from commissioning.model.quality import DataQuality
    from commissioning.returns.model import ProviderReturn

    source = ProviderReturn(path="/data/hafs q2.xlsx", sha256="ab" * 32, file_format="xlsx",
                            encoding=None, sheet="Return", layout="records",
                            counts=Counts.empty(), quality=DataQuality())
    section = _draft([120, 260, 90, 300, 30], source_return=source)
    audit = next(t for t in section.tables() if t.name == "audit")
    rows = dict(audit.rows)
    # A fingerprint of a small file can be brute-forced, and names are provider text:
    # both go to the internal audit record only.
    assert "Input file" not in rows and "ab" * 32 not in render_markdown(section)
    assert "hafs q2" not in render_markdown(section)
    internal = dict(section.audit.items)
    assert internal["input_file"] == "hafs q2.xlsx"  # the name only, never the folder
    assert internal["sha256"] == "ab" * 32
    assert rows["Tool"] == f"commissioning {__version__}"
    assert rows["Date produced"] == "2026-11-28"
    assert rows["Small-number threshold"] == "5"
    sources = _part(section, "Appendix")
    assert "Open Government Licence v3.0" in sources


def test_unmapped_labels_never_reach_the_section() -> None:
    import pandas as pd

    from commissioning.model.quality import DataQuality

    unmapped = pd.DataFrame({
        "dimension": ["ethnicity", "ethnicity", "ethnicity"],
        "label": ["Latin American", "Jo Bloggs 01/02/2015", "<b>Kurdish</b>"],
        "count": [8, 1, 7],
        "rows": [tuple(range(2, 10)), (11,), tuple(range(12, 19))],
    })
    section = _draft([120, 260, 90, 300, 30], not_known=0, unmapped=16,
                     quality=DataQuality(unmapped=unmapped))
    quality = _part(section, "Data quality")
    assert ("Some ethnicity labels in the return did not match any Census 2021 group. The "
            "check report lists them, so the provider can correct them.") in quality
    text = render_markdown(section)
    for typed in ("Latin American", "Jo Bloggs", "01/02/2015", "Kurdish"):
        assert typed not in text


def test_a_misspelt_template_value_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "draft_section.txt.j2").write_text("@title {{ titel }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblemError) as info:
        _draft([120, 260, 90, 300, 30], template=tmp_path)
    assert str(info.value) == MSG_TEMPLATE_UNDEFINED.format(
        name="draft_section.txt.j2", problem="'titel' is undefined")


def test_a_council_can_replace_the_action_library(tmp_path: Path) -> None:
    library = tmp_path / "ours.json"
    library.write_text(json.dumps({"actions": [
        {"key": "talk", "applies_to": ["under", "over"], "title": "Talk to families",
         "text": "Hold a listening event with {{ groups }}.", "owner": "Head of Youth",
         "review": "[March]"}]}), encoding="utf-8")
    section = _draft([120, 260, 90, 300, 30], actions=library)
    actions = _part(section, "Implications and actions")
    # A real owner is published; a [placeholder] is left for the author to fill.
    assert ("Talk to families. Hold a listening event with Black children and families. "
            "Owner: Head of Youth.\n") in actions + "\n"
    assert "[March]" not in actions
    assert "Targeted outreach" not in actions
    library.write_text(json.dumps({"actions": [{"key": "x"}]}), encoding="utf-8")
    with pytest.raises(TemplateProblemError) as info:
        _draft([120, 260, 90, 300, 30], actions=library)
    assert str(info.value) == MSG_ACTIONS_SHAPE.format(name="ours.json")


def test_findings_order_concerns_then_indicative_then_too_few() -> None:
    analysis = build_analysis([120, 260, 90, 300, 30], WESTMINSTER)
    findings = find(analysis, make_safe(analysis))
    kinds = [f.kind for f in findings.ordered]
    order = ["concern", "difference", "indicative", "too_few", "hidden"]
    assert kinds == sorted(kinds, key=order.index)


def test_split_analyses_are_refused_with_a_fix() -> None:
    analysis = dataclasses.replace(build_analysis([10, 20, 30, 40, 50], WESTMINSTER), by=("sex",))
    with pytest.raises(AnalysisError, match="draft the section from the analysis of ethnicity"):
        draft(analysis, authority="Westminster", service=SERVICE)


def test_tables_have_as_many_cells_as_columns() -> None:
    section = _draft([120, 260, 90, 300, 30])
    for table in section.tables():
        assert isinstance(table, Table)
        assert all(len(r) == len(table.columns) for r in table.rows)
