"""One chain for every front end: `analyse`, `draft`, the web page and `batch` agree."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pandas as pd
import pytest
from werkzeug.datastructures import FileStorage

from commissioning.analysis.compare import analyse
from commissioning.analysis.settings import AnalysisSettings
from commissioning.batch.runner import BatchSettings, run_batch
from commissioning.cli import main
from commissioning.cli._common import ANALYSIS_OPTION_NAMES
from commissioning.comparators import population
from commissioning.errors import AnalysisError
from commissioning.pipeline import RunSettings, run
from commissioning.render.markdown import render_markdown
from commissioning.returns import read_return
from commissioning.web.forms import FormInput
from commissioning.web.pipeline import run as web_run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
YOUTH = ROOT / "provider_returns" / "kensington_chelsea_youth_2024q2.csv"


def _csv(capsys: pytest.CaptureFixture[str], args: list[str]) -> pd.DataFrame:
    assert main(args) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False, skiprows=1)


@pytest.mark.parametrize(
    "options",
    [[], ["--mode", "independent", "--adjust", "fdr_bh"], ["--reference", "White"],
     ["--level", "detailed", "--adjust", "none"]],
)
def test_analyse_and_draft_run_the_same_tests(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    table = _csv(capsys, ["analyse", str(YOUTH), "-a", "Kensington and Chelsea",
                          "--format", "csv", *options])
    chosen = dict(zip(options[::2], options[1::2], strict=True))
    settings = RunSettings(
        authority="Kensington and Chelsea", service="Youth",
        analysis=AnalysisSettings().replace(**{k.lstrip("-"): v for k, v in chosen.items()}),
    )
    result = run(YOUTH, settings)
    assert result.analysis is not None and result.section is not None
    ours = result.analysis.table
    assert list(table["group"]) == list(ours["group"])
    printed = pd.to_numeric(table["p_adjusted"].replace("", None)).to_numpy(float)
    assert printed == pytest.approx(ours["p_adjusted"].to_numpy(float), nan_ok=True)
    assert list(table["band"]) == list(ours["band"])
    # The drafted section, from the command line with the same options, is run()'s section.
    assert main(["draft", str(YOUTH), "-a", "Kensington and Chelsea", "--service", "Youth",
                 *options]) == 0
    assert capsys.readouterr().out == render_markdown(result.section)


def test_draft_changes_its_findings_with_the_analysis_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["draft", str(YOUTH), "-a", "Kensington and Chelsea", "--service", "Youth"]
    assert main(args) == 0
    holm = capsys.readouterr().out
    assert main([*args, "--mode", "independent"]) == 0
    independent = capsys.readouterr().out
    assert holm != independent
    assert "independent" in independent.lower()


def test_analyse_takes_the_comparators_mode_when_none_is_given() -> None:
    counts = read_return(YOUTH).counts
    comparator = population("Kensington and Chelsea")
    default = analyse(counts, comparator)
    assert default.settings.mode == "fixed"
    assert analyse(counts, comparator, settings=AnalysisSettings(mode="independent")).mode == (
        "independent"
    )


def test_every_shared_option_is_an_analysis_setting() -> None:
    fields = set(AnalysisSettings.__dataclass_fields__)
    assert set(ANALYSIS_OPTION_NAMES) <= fields
    defaults = AnalysisSettings()
    # The help texts state the defaults; keep them true.
    from click.testing import CliRunner

    from commissioning.cli import cli

    for command in ("analyse", "draft"):
        shown = " ".join(CliRunner().invoke(cli, [command, "--help"]).output.split())
        assert f"Default: {defaults.adjust}." in shown
        assert f"Default: {defaults.persistence}." in shown
        assert f"Default: {defaults.threshold}." in shown
        assert f"Default: {defaults.level}." in shown


def test_settings_refuse_impossible_values_in_one_line() -> None:
    with pytest.raises(AnalysisError, match="under < 1 < over"):
        AnalysisSettings(over=0.9)
    with pytest.raises(AnalysisError, match="threshold"):
        AnalysisSettings(threshold=1)


def test_the_web_page_drafts_what_draft_drafts(tmp_path: Path) -> None:
    settings = RunSettings(authority="Westminster", service="Holiday Activities and Food")
    expected = run(EXAMPLE, settings).require_section()
    form = FormInput(authority="Westminster", service="Holiday Activities and Food")
    upload = FileStorage(stream=io.BytesIO(EXAMPLE.read_bytes()), filename=EXAMPLE.name)
    page = web_run(form, upload, [], tmp_path, kinds=("md",))
    assert page.section is not None
    assert page.section.blocks == expected.blocks


def _docx_text(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_batch_drafts_what_draft_drafts(tmp_path: Path) -> None:
    folder = tmp_path / "returns" / "Holiday Activities and Food"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    result = run_batch(tmp_path / "returns", tmp_path / "out", BatchSettings("Westminster"),
                       workers=1)
    assert result.ok
    drafted = [Path(p) for p in result.outputs if p.endswith(".docx")]
    assert len(drafted) == 1
    target = tmp_path / "by_draft.docx"
    from commissioning.render.docx import write_docx

    batch_text = _docx_text(drafted[0])
    # batch names the period from the return; draft it the same way to compare.
    ret = read_return(EXAMPLE)
    from commissioning.analysis.trends import period_label

    section = run(
        ret,
        RunSettings(authority="Westminster", service="Holiday Activities and Food",
                    period=period_label(ret)),
    ).require_section()
    write_docx(section, target)
    assert batch_text == _docx_text(target)
