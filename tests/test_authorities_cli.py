"""`commissioning authorities`: what a commissioner sees, and the machine formats."""

from __future__ import annotations

import json

from click.testing import CliRunner

from commissioning.cli import authorities as cmd
from commissioning.cli import cli, main
from commissioning.comparators import list_authorities
from commissioning.comparators.embedded import MSG_UNKNOWN_SOURCE


def run(*args: str):
    return CliRunner().invoke(cli, ["authorities", *args])


def test_default_lists_sources_then_places() -> None:
    result = run()
    assert result.exit_code == 0
    out = result.output
    assert out.index("school-census (default)") < out.index("Westminster")
    assert "2015/16 to 2021/22" in out
    assert "E09000033" in out and "213" in out
    assert cmd.MSG_BI_BOROUGH in out
    assert f"{len(list_authorities())} places." in out


def test_source_filter_shows_only_its_years() -> None:
    result = run("--source", "census2011", "--search", "canterbury")
    assert result.exit_code == 0
    assert "Canterbury" in result.output and "Census 2011" in result.output
    assert "School census" not in result.output
    assert "1 place." in result.output


def test_search_with_no_match_suggests() -> None:
    result = run("--search", "westmister")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == cmd.MSG_NO_MATCH.format(
        search="westmister", matches="Westminster, West Lindsey, Worcester"
    )


def test_unknown_source_is_one_line_exit_2(capsys) -> None:
    assert main(["authorities", "--source", "nope"]) == 2
    err = capsys.readouterr().err
    assert err == "Error: " + cmd.MSG_UNKNOWN_LIST_SOURCE.format(source="nope") + "\n"
    assert MSG_UNKNOWN_SOURCE  # the library message stays for population()


def test_csv_has_stable_columns() -> None:
    result = run("--format", "csv", "--search", "kensington")
    lines = result.output.splitlines()
    assert lines[0] == (
        "name,level,codes,old_la_codes,census2021,census2011,school-census,fsm,"
        "child-population,cla,mye2021,mye2022,mye2024,census2021-age"
    )
    assert lines[1].startswith("Kensington and Chelsea,authority,E09000020,207,2021,2011,")
    assert len(lines) == 2


def test_json_lists_years() -> None:
    result = run("--format", "json", "--search", "westminster")
    body = json.loads(result.output)
    assert [s["source"] for s in body["sources"]] == [
        "census2021", "census2011", "school-census", "fsm", "child-population", "cla",
        "mye2021", "mye2022", "mye2024", "census2021-age",
    ]
    (place,) = body["authorities"]
    assert place["name"] == "Westminster" and place["codes"] == ["E09000033"]
    assert place["school-census"][-1] == "2021/22"
    assert place["census2021"] == ["2021"]
    default = [s for s in body["sources"] if s["default"]]
    assert [s["source"] for s in default] == ["school-census"]
