"""Commands for plugin authors: `dangjian plugin new`, `dangjian test`, `dangjian diff`.

`register(app)` adds them to the main `dangjian` app. Only Typer is imported here; the kernel
and rich are imported when a command runs, so `dangjian --help` stays fast.
"""

from __future__ import annotations

import typer

from ..guard import GuardedGroup, LocalCommand
from . import commands


def register(app: typer.Typer) -> None:
    """Add the `plugin` sub-app and the `test` and `diff` commands to the main app."""
    plugin_app = typer.Typer(cls=GuardedGroup,
                             help="编写考核方案插件：生成插件骨架、导出方案格式的 JSON Schema。",
                             no_args_is_help=True, rich_markup_mode=None)
    plugin_app.command("new", cls=LocalCommand)(commands.plugin_new)
    plugin_app.command("schema", cls=LocalCommand)(commands.plugin_schema)
    app.add_typer(plugin_app, name="plugin")
    app.command("test", cls=LocalCommand)(commands.run_golden_tests)
    app.command("diff", cls=LocalCommand)(commands.diff)
