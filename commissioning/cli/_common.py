"""Pieces shared by the command modules (options, echoing, output files)."""

from __future__ import annotations

import click

authority_option = click.option(
    "--authority",
    "-a",
    required=True,
    metavar="NAME",
    help='Local authority, by name or code: "Westminster", "E09000033", "Bi-Borough".',
)
