"""The command line: a thin layer over the library.

Every command lives in its own module in this package and is registered below. Errors a
user can cause become one plain line on stderr and exit code 2; ``--debug`` shows the
traceback instead.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from commissioning import __version__
from commissioning.cli.say import say
from commissioning.errors import CommissioningError

MSG_USAGE = "{problem} Run '{command} --help' to see how to use it."
MSG_INTERRUPTED = "Stopped before finishing; no output file was written."
MSG_OS_ERROR = (
    "Cannot use {path}: {reason}. Check the file name and that you may read and write there."
)
MSG_INTERNAL = (
    "Something went wrong inside commissioning ({kind}); no output file was written. "
    "Please report it, with the output of the same command run with --debug before the "
    "command name."
)
#: Exit code for a fault in the program itself (sysexits EX_SOFTWARE), not a user mistake.
EXIT_INTERNAL = 70


class _LazyGroup(click.Group):
    """Imports a command's module only when that command is used, so that starting one
    command does not pay for importing every other command's dependencies."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            _load(cmd_name)
        if cmd_name not in self.commands:
            _register()  # a module whose command has another name
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="commissioning")
@click.option("--debug", is_flag=True, help="Show the full technical detail when something fails.")
def cli(debug: bool) -> None:
    """Check provider monitoring returns and draft the Disproportionality Implications
    section of a council decision report.

    Run 'commissioning COMMAND --help' for help on one command.
    """


_LOADED: set[str] = set()


def _load(module_name: str) -> None:
    if module_name not in _LOADED:
        module = importlib.import_module(f"commissioning.cli.{module_name}")
        cli.add_command(module.command)
        _LOADED.add(module_name)


def _register() -> None:
    # Each command module exposes `command`; add its name to COMMAND_MODULES when it works.
    # Commands load on first use (see _LazyGroup); this loads them all (for --help).
    for module_name in COMMAND_MODULES:
        _load(module_name)


#: Command modules, in the order `--help` lists them.
COMMAND_MODULES: list[str] = [
    "check", "template", "authorities", "analyse", "batch", "draft", "serve",
]


def _one_line(text: str) -> str:
    """One line for the terminal: no line breaks, no control characters or escape sequences
    (a file or folder name in a message could otherwise rewrite the terminal)."""
    from commissioning.model.sanitise import strip_control_characters

    return " ".join(strip_control_characters(str(text)).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code (never raises for user mistakes)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        result = cli.main(args=args, prog_name="commissioning", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # pragma: no cover - click >= 8.2
        say(exc.ctx.get_help() if exc.ctx else "", err=False)
        return 0
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "commissioning"
        say(
            "Error: " + _one_line(MSG_USAGE.format(problem=_usage_problem(exc), command=command)),
            err=True,
        )
        return 2
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        say("Error: " + MSG_INTERRUPTED, err=True)
        return 130
    except CommissioningError as exc:
        if debug:
            raise
        say("Error: " + _one_line(exc.message), err=True)
        return exc.exit_code
    except click.ClickException as exc:
        say("Error: " + _one_line(exc.format_message()), err=True)
        return exc.exit_code
    except OSError as exc:
        if debug:
            raise
        reason = (exc.strerror or type(exc).__name__).lower()
        path = exc.filename if exc.filename is not None else "a file"
        say("Error: " + _one_line(MSG_OS_ERROR.format(path=path, reason=reason)), err=True)
        return 2
    except Exception as exc:
        if debug:
            raise
        say("Error: " + MSG_INTERNAL.format(kind=type(exc).__name__), err=True)
        return EXIT_INTERNAL
    return int(result) if isinstance(result, int) else 0


def _usage_problem(exc: click.UsageError) -> str:
    message = _one_line(exc.format_message())
    return message if message.endswith(".") else message + "."
