"""The HTTP API: a Litestar app over the same kernel calls as the `dangjian` command.

Litestar is imported only inside this package, and only when the app is built, so the
settings (`settings`, `keys`) stay importable by `dangjian serve` without the web stack.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app_from_env", "create_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
