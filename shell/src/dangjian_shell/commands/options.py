"""Options several commands share, so they read the same everywhere."""

from pathlib import Path
from typing import Annotated

import typer

DB_ENV = "DANGJIAN_DB"

SchemeArg = Annotated[str, typer.Argument(
    metavar="SCHEME", help="方案编号（见 dangjian schemes），或方案文件 .toml / .json 的路径")]
DbOpt = Annotated[Path, typer.Option(
    "--db", envvar=DB_ENV, help="评分数据库（SQLite）文件", show_default=True)]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON（供程序读取）")]
OrgsOpt = Annotated[Path | None, typer.Option(
    "--orgs", help="组织名册：.jsonl（每行一个组织）或 .csv / .xlsx（列 id、name、type、parent_id）")]
DEFAULT_DB = Path("dangjian.db")
