"""Every line the command line prints goes through `say`: control characters and
terminal escapes are removed first, so a file, folder or service name cannot rewrite the
officer's terminal (an OSC sequence can set its title or fake a prompt)."""

from __future__ import annotations

import click

from commissioning.model.sanitise import strip_control_characters


def say(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """`click.echo` of ``message`` with control characters removed (line breaks kept)."""
    click.echo(strip_control_characters(str(message)), err=err, nl=nl)
