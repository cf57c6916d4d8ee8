"""Let ``commissioning.population(...)`` and ``commissioning.draft(...)`` be called.

The design card names both a module (``population/``, ``draft.py``) and the function a
user calls (``commissioning.population("Westminster")``, ``commissioning.draft(analysis,
...)``). Python binds the submodule to the package attribute on import, so we give those
two modules a class whose ``__call__`` is the function: the module keeps working as a
module (``commissioning.population.SOURCES``) and can also be called.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def make_module_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Calling the module ``module_name`` calls ``function``."""

    class _CallableModule(types.ModuleType):
        __doc__ = function.__doc__

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

    sys.modules[module_name].__class__ = _CallableModule
