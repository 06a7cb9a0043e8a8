"""Commands for plugin authors: `dangjian plugin new`, `dangjian test`, `dangjian diff`.

`register(app)` adds them to the main `dangjian` app. Only Typer is imported here; the kernel
and rich are imported when a command runs, so `dangjian --help` stays fast.
"""

from __future__ import annotations

import typer

from . import commands


def register(app: typer.Typer) -> None:
    """Add the `plugin` sub-app and the `test` and `diff` commands to the main app."""
    plugin_app = typer.Typer(help="编写考核方案插件：生成插件骨架、导出方案格式的 JSON Schema。",
                             no_args_is_help=True)
    plugin_app.command("new")(commands.plugin_new)
    plugin_app.command("schema")(commands.plugin_schema)
    app.add_typer(plugin_app, name="plugin")
    app.command("test")(commands.run_golden_tests)
    app.command("diff")(commands.diff)
