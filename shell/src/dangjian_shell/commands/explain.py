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
    run: Annotated[int | None, typer.Option("--run", help="批次编号（默认最近一次）")] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    from dangjian.storage import encode_result

    from ..console import out
    from ..schemes import org_type_title
    from ..store import open_store

    store = open_store(db)
    try:
        run_id = run if run is not None else store.latest_run_id()
        result = store.result(run_id, org_id)
    finally:
        store.close()
    if as_json:
        typer.echo(encode_result(result).decode())
        return
    from dangjian import load_catalog

    from ..explain_render import render_result

    render_result(out(), result, org_type_title(load_catalog(), result.org_type))


def register(app: typer.Typer) -> None:
    app.command("explain", help=HELP)(explain)
