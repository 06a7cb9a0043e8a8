"""The `dangjian` command: batch scoring, explanations, stored runs and the seed tools.

Only Typer is imported at start; each command imports the kernel, rich and openpyxl when it
runs, so `dangjian --help` stays fast and never imports the HTTP stack. Help is Click's plain
layout (`rich_markup_mode=None`): Typer's rich help alone imports rich's Markdown and syntax
modules, twice the time of importing Typer. The command modules have no
`from __future__ import annotations`: Typer would compile every string annotation on each start.
"""

import gc
from typing import Annotated

import typer
from typer.core import TyperCommand

from . import __version__, authoring
from .commands import (
    catalog,
    coverage,
    deadlines,
    demo,
    explain,
    flags,
    lint_report,
    report,
    rollup,
    runs,
    sample,
    score,
    template,
    whatif,
)
from .commands.options import DEFAULT_DB, DbOpt
from .guard import GuardedGroup, LocalCommand

HELP = """dangjian：党建考核的规则与计分。

按各省、各年度的考核方案（插件）批量评分，逐条说明每一分，结果存入 SQLite。

常用命令：

  dangjian demo                                  用演示数据走一遍

  dangjian schemes                               已安装的考核方案

  dangjian template SCHEME --format xlsx         生成 Excel 评分表

  dangjian score SCHEME 评分表.xlsx --out 结果.xlsx   评分

  dangjian explain ORG_ID                        一个组织的得分说明
"""

app = typer.Typer(cls=GuardedGroup, help=HELP, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None)


def _version(value: bool) -> None:
    if value:
        from importlib import metadata

        try:
            kernel = metadata.version("dangjian")
        except metadata.PackageNotFoundError:
            kernel = "?"
        typer.echo(f"dangjian-shell {__version__}（内核 dangjian {kernel}）")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="显示版本并退出")] = False,
) -> None:
    """dangjian：党建考核的规则与计分。"""


for module in (demo, catalog, template, score, explain, runs, report, sample, coverage,
               lint_report, deadlines, rollup, flags, whatif):
    module.register(app)


@app.command(help="启动 HTTP API（Litestar），与命令行使用同一内核和数据库。\n\n"
             "接口文档在 /docs（不需要连接互联网）。\n\n"
             "示例：dangjian serve --port 8000 --db dangjian.db")
def serve(
    host: Annotated[str, typer.Option(
        "--host", help="监听的地址；127.0.0.1 只供本机访问，0.0.0.0 供局域网访问")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="监听的端口")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", help="工作进程数；多个进程可同时处理更多请求")] = 1,
    db: DbOpt = DEFAULT_DB,
) -> None:
    from dangjian_shell.serve import serve as run_server
    run_server(host=host, port=port, workers=workers, db=str(db))


authoring.register(app)
for _info in app.registered_commands:
    if _info.cls in (None, TyperCommand):
        _info.cls = LocalCommand


def main() -> None:
    try:
        app()
    finally:
        # The process ends here. The collector's passes at teardown would visit every object
        # left (the plan's caches alone hold tens of thousands: some 60 ms after a batch) only
        # to hand memory back that the system takes back at exit anyway. Files and databases
        # are closed by the commands themselves.
        gc.freeze()
