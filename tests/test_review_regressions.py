"""Regressions from the first-time-user walkthrough: plain words in every output, one line
naming the fix for every mistake, and one rule where two commands used to have their own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from commissioning.analysis.compare import (
    analyse,
    suggested_mode,
)
from commissioning.checking.report import MSG_LABELS_HEADING, MSG_LAYOUT, build_check
from commissioning.cli import main
from commissioning.comparators import load_comparator, population
from commissioning.comparators.embedded import MSG_NO_COMPARATOR_FILE, MSG_UNKNOWN_SOURCE
from commissioning.comparators.sources import COMPARATOR_SOURCES
from commissioning.drafting.methodtext import SETTING_LABELS, analysis_parameters, setting_rows
from commissioning.errors import ComparatorError, OutputError
from commissioning.loading.filetype import MSG_NOT_A_FILE
from commissioning.outputs import MSG_CANNOT_WRITE
from commissioning.pipeline import MSG_CANNOT_ANALYSE
from commissioning.render.analysis_tables import HEADING_MODE, HEADING_RRI
from commissioning.returns import read_return
from commissioning.stats import adjust, goodness

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
YOUTH = ROOT / "provider_returns" / "kensington_chelsea_youth_2024q2.csv"
CHOICES = ", ".join(COMPARATOR_SOURCES)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- check ----------------------------------------------------------------------------
def test_check_layout_line_has_no_internal_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "r.csv", "Ethnicity,Gender\nIndian,Female\nAfrican,Male\n")
    code, out, _ = _run(["check", str(path)], capsys)
    assert code == 0
    assert MSG_LAYOUT.format(detail="one row per person") in out.splitlines()
    assert "(records)" not in out


def test_unrecognised_labels_say_row_for_one_row_and_never_unmapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "r.csv", "Ethnicity,Gender\nKurdish,Female\nVenusian,Male\n")
    code, out, _ = _run(["check", str(path)], capsys)
    assert code == 1
    assert MSG_LABELS_HEADING in out
    assert '"Kurdish" (ethnic group, 1 person, row 2)' in out
    assert "unmapped" not in out.lower()


def test_counts_without_ethnicity_are_one_table_not_separate_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "r.csv", "Gender,Age band,Count\nFemale,5-9,10\nMale,5-9,12\n")
    code, out, _ = _run(["check", str(path), "--format", "json"], capsys)
    report = json.loads(out)
    codes = [issue["code"] for issue in report["issues"]]
    assert code == 0  # gender and age can still be compared (issue 15)
    assert report["layout_detail"] == "a table of counts"
    assert report["total"] == 22
    assert "no-ethnicity-column" in codes and "separate-tables" not in codes
    assert report["characteristics"] == ["sex", "age_band"]


# -- analyse --------------------------------------------------------------------------
def test_analyse_heading_says_the_method_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["analyse", str(YOUTH), "-a", "Kensington and Chelsea"], capsys)
    assert code == 0
    lines = out.splitlines()
    want = HEADING_MODE.format(
        mode="a fixed population (a census)", test="exact binomial test", adjust="Holm's method"
    )
    assert want in lines and HEADING_RRI in lines
    assert "Comparison: fixed" not in out and "by holm" not in out


def test_all_labels_unrecognised_points_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "r.csv", "Ethnicity\nMartian\nVenusian\nJupiterian\n")
    # The check gates every front end the same way (commissioning.pipeline): its own
    # blocking reasons, then where to see the full list.
    problems = " ".join(i.message for i in build_check(read_return(path)).blocking)
    assert "(3)" in problems
    for command in (["analyse"], ["draft", "--service", "S"]):
        code, out, err = _run([*command, str(path), "-a", "Westminster"], capsys)
        assert code == 2 and out == ""
        assert err == "Error: " + MSG_CANNOT_ANALYSE.format(problems=problems) + "\n"


@pytest.mark.parametrize("command", ["analyse", "draft"])
def test_missing_comparator_file_is_named_as_a_file(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "out.md"
    args = [command, str(EXAMPLE), "-a", "Westminster", "--comparator", "my_population.csv"]
    if command == "draft":
        args += ["--service", "Holiday Activities and Food", "--out", str(out_file)]
    code, _, err = _run(args, capsys)
    assert code == 2
    assert err == "Error: " + MSG_NO_COMPARATOR_FILE.format(
        source="my_population.csv", choices=CHOICES
    ) + "\n"
    assert not out_file.exists()


def test_unknown_source_name_still_lists_the_sources() -> None:
    with pytest.raises(ComparatorError) as caught:
        population("Westminster", source="census2031")
    assert caught.value.message == MSG_UNKNOWN_SOURCE.format(source="census2031", choices=CHOICES)


@pytest.mark.parametrize("command", ["check", "analyse", "draft"])
def test_a_folder_given_as_the_return_gets_the_same_line_everywhere(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    args = [command, str(folder)]
    if command != "check":
        args += ["-a", "Westminster"]
    if command == "draft":
        args += ["--service", "Youth"]
    code, out, err = _run(args, capsys)
    assert code == 2 and out == ""
    assert err == "Error: " + MSG_NOT_A_FILE.format(name=folder.name) + "\n"


# -- draft ----------------------------------------------------------------------------
def test_audit_trail_settings_are_in_plain_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        ["draft", str(YOUTH), "-a", "Kensington and Chelsea", "--service", "Youth"], capsys
    )
    assert code == 0
    assert "| Adjustment for testing several groups | Holm's method |" in out
    assert "| Likely range (confidence level) | 95 per cent |" in out
    assert "| Comparator treated as | a fixed population (a census) |" in out
    assert "Setting:" not in out
    for key in SETTING_LABELS:
        assert f"| {key.replace('_', chr(92) + '_')} |" not in out


def test_setting_rows_leave_out_empty_settings_and_name_every_key() -> None:
    result = analyse(read_return(YOUTH).counts, population("Kensington and Chelsea"))
    parameters = analysis_parameters(result)
    rows = dict(setting_rows(parameters))
    assert "Compared within each" not in rows  # no --by
    assert "Rate ratios against" not in rows  # no --reference
    shown = {k for k in parameters if k != "level"}
    shown -= {k for k, v in parameters.items() if v in (None, [], "")}
    assert {SETTING_LABELS[k] for k in shown} == set(rows)


def test_markdown_into_a_missing_folder_names_the_markdown_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "section.md"
    code, _, err = _run(
        ["draft", str(YOUTH), "-a", "Kensington and Chelsea", "--service", "Youth",
         "--out", str(target)],
        capsys,
    )
    assert code == 2
    assert err == "Error: " + MSG_CANNOT_WRITE.format(
        path=target, reason="the folder does not exist"
    ) + "\n"


def test_write_section_refuses_before_writing_anything(tmp_path: Path) -> None:
    from commissioning.drafting.draft import draft
    from commissioning.render.write import write_section

    result = analyse(read_return(YOUTH).counts, population("Kensington and Chelsea"))
    section = draft(result, authority="Kensington and Chelsea", service="Youth")
    with pytest.raises(OutputError):
        write_section(section, tmp_path / "missing" / "s.md")
    written = write_section(section, tmp_path / "s.md")
    assert written == [tmp_path / "s.md", tmp_path / "s_chart.png", tmp_path / "s.audit.json"]
    assert "](s_chart.png)" in (tmp_path / "s.md").read_text(encoding="utf-8")


# -- one rule, one place --------------------------------------------------------------
def test_comparator_choice_is_shared(tmp_path: Path) -> None:
    own = _write(tmp_path, "mine.csv", "ethnicity,count\nWhite British,400\nAfrican,100\n")
    from_file = load_comparator("Westminster", str(own))
    assert from_file.info.source == "file" and suggested_mode(from_file.info) == "independent"
    embedded = load_comparator("Westminster", "census2021")
    assert embedded.info.source == "census2021" and suggested_mode(embedded.info) == "fixed"
    assert load_comparator("Westminster").info.source == population("Westminster").info.source


def test_trend_holm_is_the_adjustment_module_holm() -> None:
    from commissioning.stats import trend

    p = np.array([0.01, 0.04, 0.03, 0.2, 0.0001])
    assert trend.holm is adjust.holm
    np.testing.assert_array_equal(trend.holm(p), adjust.holm(p))


def test_trend_and_omnibus_share_monte_carlo_settings() -> None:
    from commissioning.stats import trend

    assert (trend.SEED, trend.DRAWS, trend.MIN_EXPECTED) == (
        goodness.SEED,
        goodness.DRAWS,
        goodness.MIN_EXPECTED,
    )
    assert trend.METHOD_MONTE_CARLO is goodness.METHOD_MONTE_CARLO


def test_typed_dates_are_read_the_same_by_the_web_form_and_the_cli() -> None:
    import datetime as dt

    from commissioning.cli.check import parse_date
    from commissioning.model.dates import parse_typed_date

    for text, want in (("30/06/2024", dt.date(2024, 6, 30)), ("2024-06-30", dt.date(2024, 6, 30))):
        assert parse_typed_date(text) == want == parse_date(text)
    for bad in ("31/02/2024", "June", "30-06-2024"):
        with pytest.raises(ValueError):
            parse_typed_date(bad)


PERSONAL = ("SW1A 1AA", "943 476 5919", "01/02/2015", "jane.doe@example.com")


def test_check_never_echoes_labels_that_look_like_personal_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from commissioning.checking.report import MSG_LABEL_WITHHELD

    rows = ["White British,Female"] * 30 + ["Latin American,Male", "Other 2,Male"]
    rows += [f'"{label}",Female' for label in PERSONAL]
    path = _write(tmp_path, "r.csv", "Ethnicity,Gender\n" + "\n".join(rows) + "\n")
    _, text, _ = _run(["check", str(path)], capsys)
    _, as_json, _ = _run(["check", str(path), "--format", "json"], capsys)
    for label in PERSONAL:
        assert label not in text and label not in as_json
    withheld = MSG_LABEL_WITHHELD.format(
        field="ethnic group", count=1, people_word="person", rows_word="row", rows=35
    )
    assert withheld in text  # the NHS number's row, so the provider can find it
    assert '"Latin American"' in text and '"Other 2"' in text  # ordinary labels still shown
    entries = json.loads(as_json)["unmapped"]
    assert sorted(e["rows"][0] for e in entries if e["label"] == "") == [34, 35, 36, 37]


def test_one_personal_data_rule_for_the_check_and_the_drafted_section() -> None:
    from commissioning.returns.identifiers import may_be_personal

    for label in PERSONAL:
        assert may_be_personal(label) and may_be_personal(label, any_digit=False)
    assert may_be_personal("Other 2") and not may_be_personal("Other 2", any_digit=False)
    assert not may_be_personal("Latin American")
    assert may_be_personal("one two three four five six")


def test_cli_choices_written_out_match_the_library() -> None:
    from commissioning.analysis.compare import MODES
    from commissioning.cli._common import MODE_CHOICES
    from commissioning.cli.draft import SUFFIXES
    from commissioning.render.write import SECTION_SUFFIXES

    assert MODE_CHOICES == MODES
    assert SUFFIXES == SECTION_SUFFIXES


def test_batch_summary_does_not_call_failed_returns_processed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from commissioning.cli.batch import MSG_DONE, MSG_SOME_FAILED

    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "Youth 2024-25 Q2.csv").write_bytes(YOUTH.read_bytes())
    (folder / "Broken 2024-25 Q2.xlsx").write_bytes(b"%PDF-1.4 not a spreadsheet")
    out = tmp_path / "out"
    code, stdout, _ = _run(
        ["batch", str(folder), "-a", "Kensington and Chelsea", "--out", str(out),
         "--workers", "1", "--no-draft"],
        capsys,
    )
    assert code == 1
    lines = stdout.splitlines()
    assert lines[0] == MSG_DONE.format(returns="2 returns", services="2 services", out=out)
    assert lines[1] == MSG_SOME_FAILED.format(failed=1, returns=2)
    assert "Processed" not in stdout
