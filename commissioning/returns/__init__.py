"""Reading provider monitoring returns: `read_return` turns a file into a `ProviderReturn`.

The loader (`loader.load_workbook`) opens files safely; `header`, `layout`,
`identifiers` and `classifying` interpret the cells; `check` reports on the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from commissioning.returns.model import ProviderReturn
    from commissioning.returns.read import read_return

__all__ = ["ProviderReturn", "read_return"]


def __getattr__(name: str) -> Any:
    # Lazy, so importing a submodule (the loader) does not pull in the whole reader.
    if name == "read_return":
        from commissioning.returns.read import read_return

        return read_return
    if name == "ProviderReturn":
        from commissioning.returns.model import ProviderReturn

        return ProviderReturn
    raise AttributeError(f"module 'commissioning.returns' has no attribute {name!r}")
