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


def test_a_fault_in_the_program_is_one_line_not_a_traceback(monkeypatch, capsys) -> None:
    import commissioning.cli as cli_module

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyError("internal")

    monkeypatch.setattr(cli_module.cli, "main", broken)
    assert main(["check", "x.csv"]) == cli_module.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err == "Error: " + cli_module.MSG_INTERNAL.format(kind="KeyError") + "\n"


def test_an_operating_system_error_names_the_file(monkeypatch, capsys) -> None:
    import commissioning.cli as cli_module

    def denied(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", "/secure/return.xlsx")

    monkeypatch.setattr(cli_module.cli, "main", denied)
    assert main(["check", "x.csv"]) == 2
    err = capsys.readouterr().err
    assert err == "Error: " + cli_module.MSG_OS_ERROR.format(
        path="/secure/return.xlsx", reason="permission denied"
    ) + "\n"
