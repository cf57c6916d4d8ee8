"""Issue 14, law and voice: the equality duty paragraph quotes the law, names the council
in full and speaks of race, whichever council drafts it; Welsh councils get the Welsh
specific duties; only the Bi-Borough councils cite the Bi-Borough plan."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from test_draft_readability import flesch, narrative
from test_draft_support import build_analysis

from commissioning.cli import main
from commissioning.drafting.draft import draft

ROOT = Path(__file__).resolve().parents[1]
RETURN = ROOT / "provider_returns" / "kensington_chelsea_youth_2024q2.csv"
SERVICE = "Youth Service"
S149 = (
    "must, in the exercise of its functions, have due regard to the need to:\n\n"
    "- (a) eliminate discrimination, harassment, victimisation and any other conduct that "
    "is prohibited by or under this Act;\n"
    "- (b) advance equality of opportunity between persons who share a relevant protected "
    "characteristic and persons who do not share it;\n"
    "- (c) foster good relations between persons who share a relevant protected "
    "characteristic and persons who do not share it."
)
WELSH_DUTIES = "Equality Act 2010 (Statutory Duties) (Wales) Regulations 2011"
NEUTRAL = (
    "This is common practice in youth justice and education. We call a group "
    "over-represented at 1.5 or more"
)
BOROUGH_WORDS = ("Bi-Borough", "RBKC", "WCC", "Multi-Ethnic", "global majority")
BANNED = re.compile(r"\b(BAME|BME|non-White)\b", re.IGNORECASE)


def _markdown(authority: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["draft", str(RETURN), "--authority", authority, "--service", SERVICE])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


def _psed(text: str) -> str:
    """From the equality duty paragraph to the end of the actions part."""
    start = text.index("The Public Sector Equality Duty")
    appendix = re.search(r"^## \d+ Appendix$", text, re.M)
    assert appendix is not None
    return text[start : appendix.start()]


@pytest.mark.parametrize(
    ("authority", "council"),
    [("Kent", "Kent County Council"), ("Cardiff", "Cardiff Council"),
     ("E08000003", "Manchester City Council"), ("camden", "London Borough of Camden"),
     ("Swansea", "City and County of Swansea Council")],
)
def test_other_councils_are_named_in_full_in_neutral_words(
    authority: str, council: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _markdown(authority, capsys)
    psed = _psed(text)
    assert f"in section 149(1) of the Equality Act 2010. It applies to {council}." in psed
    assert S149 in psed
    assert "harassment, victimisation" in psed
    assert "people who share the protected characteristic of race" in psed
    assert NEUTRAL in text
    for word in BOROUGH_WORDS:
        assert word not in text, word
    assert not BANNED.search(text)


def test_cardiff_mentions_the_welsh_specific_duties_and_kent_does_not(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cardiff = _psed(_markdown("Cardiff", capsys))
    assert "In Wales, the Welsh specific duties also apply. They are in the " + WELSH_DUTIES in (
        cardiff
    )
    assert WELSH_DUTIES not in _markdown("Kent", capsys)


def test_the_duty_speaks_of_race_whichever_group_a_finding_is_about(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _markdown("Kent", capsys)
    assert "Black children and families were over-represented" in text  # the findings name groups
    psed = _psed(text)
    for label in ("Black", "Asian", "Mixed", "White", "Other", "ethnic minority", "families"):
        assert label not in psed, label


def test_westminster_keeps_its_own_wording(capsys: pytest.CaptureFixture[str]) -> None:
    text = _markdown("Westminster", capsys)
    assert "It applies to Westminster City Council." in text
    assert "As in the Bi-Borough anti-racist action plan, we call a group over-represented" in text
    assert NEUTRAL not in text
    assert S149 in _psed(text)
    assert WELSH_DUTIES not in text


def test_bi_borough_names_both_councils_abbreviations(capsys: pytest.CaptureFixture[str]) -> None:
    text = _markdown("Bi-Borough", capsys)
    assert "It applies to the Bi-Borough councils." in text
    assert "WCC means Westminster City Council" in text


def test_a_councils_own_terminology_can_use_the_full_name_and_its_own_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    terms = json.loads((ROOT / "templates" / "draft_terminology.json").read_text("utf-8"))
    terms["Kent"] = {"council": "{full_name} (KCC)",
                     "thresholds_from": "the Kent Race Equality Plan"}
    (tmp_path / "draft_terminology.json").write_text(json.dumps(terms), encoding="utf-8")
    code = main(["draft", str(RETURN), "--authority", "Kent", "--service", SERVICE,
                 "--template", str(tmp_path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "It applies to Kent County Council (KCC)." in out
    assert "As in the Kent Race Equality Plan, we call a group over-represented" in out


def test_an_older_terminology_file_still_drafts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A council's copy made before thresholds_from existed: neutral wording, own name."""
    old = {"default": {"council": "the council", "people": "residents",
                       "collective": "residents from ethnic minority groups"}}
    (tmp_path / "draft_terminology.json").write_text(json.dumps(old), encoding="utf-8")
    code = main(["draft", str(RETURN), "--authority", "Cardiff", "--service", SERVICE,
                 "--template", str(tmp_path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "It applies to the council." in out and NEUTRAL in out
    assert WELSH_DUTIES in out


@pytest.mark.parametrize("authority", ["Kent", "Cardiff", "Rhondda Cynon Taf"])
def test_the_narrative_still_reads_easily(authority: str) -> None:
    analysis = build_analysis([8, 10, 5, 20, 6], [3380, 4176, 2546, 5688, 5679])
    section = draft(analysis, authority=authority, service=SERVICE,
                    produced=dt.date(2026, 11, 28))
    assert flesch(narrative(section)) >= 60.0
