"""Which comparator a command means: the authority's default, an embedded source by name,
or the user's own comparator file.

One rule in one place, so that `analyse`, `draft` and `batch` read the same
``--comparator`` value the same way (a name that is an existing file is a file; anything
else is a source name, and a missing file gets its own message from `source_key`).
"""

from __future__ import annotations

from pathlib import Path

from commissioning.comparators.embedded import population
from commissioning.comparators.info import Population
from commissioning.comparators.userfile import load_comparator_file


def comparator_file(comparator: str | None) -> Path | None:
    """The user's comparator file named by ``comparator``; None for a source name or None."""
    if comparator is None:
        return None
    path = Path(comparator)
    return path if path.is_file() else None


def load_comparator(
    authority: str | None,
    comparator: str | None = None,
    *,
    ages: str | None = None,
    year: str | int | None = None,
) -> Population:
    """The comparator for ``authority``: ``comparator`` as a file, else as a source name
    (None: the authority's default). ``ages`` and ``year`` apply to embedded sources; a
    file needs no authority, and names its place after it when it has no area column."""
    path = comparator_file(comparator)
    if path is not None:
        return load_comparator_file(path, authority=authority)
    return population(authority or "", source=comparator, ages=ages, year=year)
