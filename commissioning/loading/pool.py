"""Which reader pool, if any, this process reads files through (set by the server).

Kept apart from `workers` (which starts the processes and imports `loader` inside them)
so that `loader` can ask "is there a pool?" without an import cycle.
"""

from __future__ import annotations

from typing import Protocol

from commissioning.loading.limits import Limits
from commissioning.loading.rawtypes import RawWorkbook


class Pool(Protocol):
    """Anything that reads a whole file elsewhere (`workers.ParsePool`)."""

    def load(self, path: str, limits: Limits | None = None) -> RawWorkbook: ...


_active: Pool | None = None


def use_pool(pool: Pool | None) -> None:
    """Read every file in this process through ``pool`` (None: back to the default)."""
    global _active
    _active = pool


def active_pool() -> Pool | None:
    return _active
