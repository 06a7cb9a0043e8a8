"""`dangjian flags`: flags (软弱涣散、后进 …) tracked across runs until they are cleared."""

import datetime
from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt, JsonOpt, SchemeArg

HELP = """跟踪标记：软弱涣散、后进等问题从标记到销号的记录。

方案在 extra.tracked_flags 中列出要跟踪的诊断；每次 dangjian score 存库后自动更新：
新出现的标记、后续批次中不再出现而销号的标记。整顿验收完成可手工销号。

示例：

  dangjian flags tibet-health-2019                       # 未销号的标记

  dangjian flags tibet-health-2019 --history             # 全部记录

  dangjian flags tibet-health-2019 --clear tb-u01-b03:weak_committee --on 2020-06-30 --note 整顿验收
"""


def flags(
    scheme: SchemeArg,
    db: DbOpt = DEFAULT_DB,
    history: Annotated[bool, typer.Option("--history", help="列出全部记录（含已销号）")] = False,
    clear: Annotated[str | None, typer.Option(
        "--clear", metavar="ORG:FLAG", help="手工销号：组织编号:标记编号")] = None,
    on: Annotated[str | None, typer.Option("--on", help="销号日期 YYYY-MM-DD（默认今天）")] = None,
    note_text: Annotated[str, typer.Option("--note", help="销号说明")] = "",
    as_json: JsonOpt = False,
) -> None:
    from dangjian.store import tracking
    from dangjian.errors import DangjianError

    from ..console import emit_json, esc, note, out
    from ..schemes import load
    from ..store import open_store

    _, loaded = load(scheme)
    store = open_store(db)
    try:
        if clear is not None:
            org_id, _, flag = clear.partition(":")
            if not org_id or not flag:
                raise DangjianError("--clear 应写成 组织编号:标记编号", field="--clear")
            try:
                day = datetime.date.fromisoformat(on) if on else datetime.date.today()
            except ValueError:
                raise DangjianError(f"日期“{on}”应为 YYYY-MM-DD", field="--on") from None
            record = tracking.clear(store, loaded.scheme.id, org_id, flag, day, note_text)
            note(f"已销号：{record.text()}")
            return
        listing = (tracking.flag_history if history else tracking.open_flags)(
            store, scheme_id=loaded.scheme.id)
    finally:
        store.close()
    if as_json:
        emit_json(listing)
        return
    console = out()
    for record in listing:
        console.print(f"  {'●' if record.open else '○'} {esc(record.text())}")
    state = "全部" if history else "未销号"
    console.print(f"{state}标记共 {len(listing)} 条")


def register(app: typer.Typer) -> None:
    app.command("flags", help=HELP)(flags)
