"""The examples in the public API's docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

import commissioning

#: Every module that defines a public name, plus the package itself.
MODULES = sorted({"commissioning", *commissioning._PUBLIC.values()})


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_the_main_entry_points_have_examples() -> None:
    for name in ("analyse", "run", "check"):
        doc = getattr(commissioning, name).__doc__ or ""
        assert ">>> " in doc, name
