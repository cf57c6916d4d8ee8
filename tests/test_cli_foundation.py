"""The command line's shared behaviour: version, help, one-line errors, exit codes."""

from __future__ import annotations

import subprocess
import sys

from commissioning import __version__
from commissioning.cli import main


def test_version_prints_and_exits_zero(capsys) -> None:
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_option_is_one_line_and_exit_2(capsys) -> None:
    assert main(["--no-such-option"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("Error: No such option")
    assert "--help" in err
    assert "Traceback" not in err


def test_unknown_command_is_one_line_and_exit_2(capsys) -> None:
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-command" in err


def test_python_dash_m_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "commissioning", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "Disproportionality Implications" in " ".join(done.stdout.split())
