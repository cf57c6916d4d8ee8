"""Every command has help, a section in docs/cli.md and a mention in the README
(as sqlite-utils checks its own commands)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from commissioning.cli import COMMAND_MODULES, cli

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(cli.list_commands(None))  # type: ignore[arg-type]


def test_every_registered_module_is_a_command() -> None:
    assert sorted(COMMAND_MODULES) == COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {name}" in result.output or f"Usage: commissioning {name}" in result.output
    assert len(result.output.split()) > 20


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name: str) -> None:
    assert f"## `commissioning {name}`" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"commissioning {name}" in (ROOT / "README.md").read_text(encoding="utf-8")
