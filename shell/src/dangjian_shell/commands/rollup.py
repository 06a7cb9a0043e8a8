"""`dangjian rollup`: the scheme's roll-ups over an organization tree (units, branches, members)."""

from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt, JsonOpt, SchemeArg

HELP = """按组织树汇总（各单位的党支部数、党员数、达标数等）。

汇总由方案的插件提供（如 tibet-health-2019 的“八化”达标汇总、city-health-2023 的组织结构汇总）。
组织名册给出组织树；评分结果取自数据库中该方案最近一个批次（或 --run 指定的批次），
数据库不存在时只按名册汇总。

示例：

  dangjian rollup tibet-health-2019 --orgs seeds/tibet-health-2019/orgs.jsonl --db dangjian-demo.db
"""


def rollup(
    scheme: SchemeArg,
    orgs: Annotated[Path, typer.Option("--orgs", help="组织名册（.jsonl / .csv / .xlsx）")],
    db: DbOpt = DEFAULT_DB,
    run: Annotated[int | None, typer.Option("--run", help="评分批次编号（默认该方案最近的批次）")] = None,
    as_json: JsonOpt = False,
) -> None:
    from ..console import emit_json, esc, fail, note, out
    from ..orgs import read_orgs
    from ..schemes import load
    from ..store import open_store

    catalog, loaded = load(scheme)
    rollups = catalog.rollups_for(loaded.scheme.id)
    if not rollups:
        raise fail(f"方案 {loaded.scheme.id} 的插件没有提供汇总")
    tree = read_orgs(orgs, catalog)
    results = []
    if run is not None or db.is_file():
        store = open_store(db)
        try:
            run_id = run if run is not None else _latest(store, loaded.scheme.id)
            if run_id is not None:
                results = list(store.results(run_id))
                note(f"评分结果取自批次 {run_id}（{len(results)} 个组织）")
        finally:
            store.close()
    if not results:
        note("没有评分结果，只按组织名册汇总")
    tables = {r.name: {"title": r.title, "rows": r.run(tree, results)} for r in rollups}
    if as_json:
        emit_json(tables)
        return
    console = out()
    for table in tables.values():
        console.print(f"[bold]{esc(table['title'])}[/]")
        for row in table["rows"]:
            console.print(f"  {esc(row.text())}")


def _latest(store, scheme_id: str) -> int | None:
    from dangjian.errors import NotFound

    try:
        return store.latest_run_id(scheme_id)
    except NotFound:
        return None


def register(app: typer.Typer) -> None:
    app.command("rollup", help=HELP)(rollup)
