"""Plain English: banned terms never appear, and the narrative reads easily.

Flesch reading ease = 206.835 - 1.015 (words / sentences) - 84.6 (syllables / words),
and the Flesch-Kincaid grade = 0.39 (words / sentences) + 11.8 (syllables / words) -
15.59, with a small vowel-group syllable counter (no extra dependency). The limits are
the plan's plain-language standard (reading ease 60 or more, grade 9 or below), so any
edit that makes the text harder fails here.
"""

from __future__ import annotations

import re

import pytest
from test_draft_support import build_analysis, build_split_analysis

from commissioning.drafting.draft import Section, draft
from commissioning.render.html import render_html
from commissioning.render.markdown import render_markdown

BANNED = re.compile(r"\b(BAME|BME|non-White|non White|nonwhite)\b", re.IGNORECASE)
FLESCH_FLOOR = 60.0
GRADE_CEILING = 9.0
COMPARATOR = [3380, 4176, 2546, 5688, 5679]
AUTHORITIES = ("Westminster", "Kensington and Chelsea", "Bi-Borough", "Camden")

SCENARIOS = {
    "concerns": dict(counts=[120, 260, 90, 300, 30], not_known=40, unmapped=12),
    "no concern": dict(counts=[157, 195, 119, 265, 264]),
    "indicative": dict(counts=[8, 10, 5, 20, 6]),
    "hidden groups": dict(counts=[18, 22, 12, 32, 2]),
    "unreliable": dict(counts=[60, 60, 60, 60, 60], not_known=200),
    "tiny": dict(counts=[3, 3, 1, 3, 1], not_known=1),
    # clear differences inside the thresholds (as in the K&C youth return)
    "difference": dict(counts=[170, 300, 160, 350, 140], not_known=11),
}
SERVICES = {"reach": "Holiday Activities and Food", "intervention": "Youth Justice Service"}


def syllables(word: str) -> int:
    word = word.lower().strip(".,;:!?()'\"")
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def _counts(text: str) -> tuple[int, int, int]:
    sentences = [s for s in re.split(r"[.!?:]+(?:\s|$)", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    return len(sentences), len(words), sum(syllables(w) for w in words)


def flesch(text: str) -> float:
    sentences, words, syl = _counts(text)
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syl / words)


def grade(text: str) -> float:
    """Flesch-Kincaid grade level."""
    sentences, words, syl = _counts(text)
    return 0.39 * (words / sentences) + 11.8 * (syl / words) - 15.59


def narrative(section: Section) -> str:
    """Summary to actions: the words a councillor reads (the appendix is reference)."""
    text = section.text()
    return text.split("\nAppendix\n")[0]


def sections() -> list[tuple[str, Section]]:
    out = []
    for name, spec in SCENARIOS.items():
        for authority in AUTHORITIES:
            analysis = build_analysis(spec["counts"], COMPARATOR,  # type: ignore[arg-type]
                                      not_known=spec.get("not_known", 0),  # type: ignore[arg-type]
                                      unmapped=spec.get("unmapped", 0))  # type: ignore[arg-type]
            for kind, service in SERVICES.items():
                if kind == "intervention" and authority != "Camden":
                    continue
                out.append((f"{name}/{authority}/{kind}", draft(
                    analysis, authority=authority, service=service,
                    provider="Play Well Ltd", period="2024-25 Q2")))
    # With the ethnic groups split by sex and by age band (small cells included).
    cells = [[20, 3, 9, 14], [22, 60, 30, 52], [21, 19, 2, 38], [110, 80, 90, 100], [27, 23, 6, 44]]
    comparator = [[100, 100, 100, 100]] * 3 + [[600, 600, 600, 600], [100, 100, 100, 100]]
    main = build_analysis([sum(r) for r in cells], [sum(r) for r in comparator])
    splits = [
        build_split_analysis([r[:2] for r in cells], [r[:2] for r in comparator],
                             ("Female", "Male")),
        build_split_analysis([r[2:] for r in cells], [r[2:] for r in comparator],
                             ("5-9", "10-14"), by="age_band"),
    ]
    for authority in AUTHORITIES:
        out.append((f"intersections/{authority}", draft(
            main, authority=authority, service="Holiday Activities and Food",
            provider="Play Well Ltd", period="2024-25 Q2", intersections=splits)))
    return out


SECTIONS = sections()


def test_syllable_counter_on_known_words() -> None:
    counts = {w: syllables(w) for w in ("the", "service", "population", "family", "analysis")}
    assert counts == {"the": 1, "service": 2, "population": 4, "family": 3, "analysis": 4}


@pytest.mark.parametrize(("name", "section"), SECTIONS, ids=[n for n, _ in SECTIONS])
def test_no_banned_terms_or_slashes_in_any_rendering(name: str, section: Section) -> None:
    md = render_markdown(section)
    html = render_html(section, chart_png=None)
    for text in (md, html, section.text()):
        assert not BANNED.search(text), name
    # No slashes in prose (the audit table and web addresses in citations aside).
    prose = re.sub(r"https?://\S+", "", section.text())
    assert "/" not in prose, name


@pytest.mark.parametrize(("name", "section"), SECTIONS, ids=[n for n, _ in SECTIONS])
def test_reading_ease_of_the_narrative(name: str, section: Section) -> None:
    score, level = flesch(narrative(section)), grade(narrative(section))
    print(f"Flesch reading ease {name}: {score:.1f}, grade {level:.1f}")
    assert score >= FLESCH_FLOOR, f"{name}: {score:.1f}"
    assert level <= GRADE_CEILING, f"{name}: grade {level:.1f}"


def test_group_names_are_capitalised_in_prose() -> None:
    text = " ".join(s.text() for _, s in SECTIONS)
    for group in ("asian", "black", "mixed", "white"):
        assert not re.search(rf"\b{group} (children|people|families)", text)
