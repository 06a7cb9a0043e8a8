"""`dangjian explain`: one organization's result, line by line, in Chinese."""

from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt, JsonOpt

HELP = """逐条说明一个组织的得分。

各项得分、权重、总分、等次、一票否决、结果运用，
以及距上一等次还差多少分。

示例：

  dangjian explain jl-oc-b01

  dangjian explain --run 3 jl-oc-b01 --json
"""


def explain(
    org_id: Annotated[str, typer.Argument(metavar="ORG_ID", help="组织编号")],
    run: Annotated[int | None, typer.Option(
        "--run", help="批次编号（默认含此组织的最近一次批次）")] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    from dangjian import load_catalog
    from dangjian.errors import NotFound
    from dangjian.store.storage import encode_result

    from ..console import err, esc, out
    from ..schemes import org_type_title
    from ..store import open_store

    catalog = load_catalog()
    store = open_store(db, catalog)
    try:
        if run is None:
            holding = store.runs_with(org_id)
            if not holding:
                store.latest_run_id()  # an empty database says so
                raise NotFound(f"数据库 {db} 的评分批次中没有组织 {org_id}")
            found = holding[0]
            run = found["id"]
            err().print(f"取自批次 {run}（方案 {esc(found['scheme_id'])} "
                        f"{esc(found['scheme_version'])}，{esc(_local(found['finished_at']))}）"
                        + (f"；共有 {len(holding)} 个批次含此组织" if len(holding) > 1 else ""))
        result = store.result(run, org_id)
    finally:
        store.close()
    if as_json:
        typer.echo(encode_result(result).decode())
        return
    from ..explain_render import render_result

    render_result(out(), result, org_type_title(catalog, result.org_type))


def _local(stamp: str | None) -> str:
    """A stored time as local time, to the minute."""
    import datetime

    if not stamp:
        return ""
    moment = datetime.datetime.fromisoformat(stamp)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def register(app: typer.Typer) -> None:
    app.command("explain", help=HELP)(explain)
