"""`dangjian demo`: the main job on the bundled demo data, from nothing to an explanation."""

from pathlib import Path
from typing import Annotated

import typer

HELP = """演示：用 seeds/ 中的演示数据评分，并说明一个组织的得分。

按方案为演示数据中的全部组织评分，存入一个新的数据库文件（默认当前目录下的
dangjian-demo.db，每次重建），显示摘要和一个组织的得分说明，并提示接下来可以试的命令。"""
DEMO_DB = Path("dangjian-demo.db")
DEFAULT_SCHEME = "jilin-health-2019"


def demo(
    scheme: Annotated[str, typer.Option("--scheme", help="演示哪个方案的数据")] = DEFAULT_SCHEME,
    db: Annotated[Path, typer.Option("--db", help="演示数据库文件（会被覆盖）")] = DEMO_DB,
) -> None:
    from shlex import quote

    from ..batch import BatchRequest, run_batch
    from ..console import err, esc, out, runnable
    from ..explain_render import render_result
    from ..schemes import org_type_title
    from ..seeds import seed_folder
    from ..store import open_store
    from ..summary import print_summary

    folder = seed_folder(scheme)
    orgs = folder / "orgs.jsonl"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    console = err()
    console.print(f"[bold]演示[/]：按方案 {esc(scheme)} 为 {esc(folder)} 中的组织评分，"
                  f"结果存入 {esc(db)}")
    report = run_batch(BatchRequest(scheme=scheme, inputs=[folder / "evaluations.jsonl"],
                                    db=db, orgs=orgs if orgs.is_file() else None))
    print_summary(report)
    run_id = report.summary.run_id
    store = open_store(db)
    try:
        example = _example(store, run_id, report.plan.scheme)
        if example is not None:
            command = runnable(f"dangjian explain --db {quote(str(db))} {example.org_id}")
            console.print(f"\n[bold]得分说明示例[/]（{esc(command)}）：")
            render_result(out(), example, org_type_title(report.catalog, example.org_type))
    finally:
        store.close()
    first = example.org_id if example is not None else "ORG_ID"
    grade = example.grade if example is not None else "好"
    tries = [
        (f"dangjian results --db {quote(str(db))} --grade {grade}", f"列出等次为“{grade}”的组织"),
        (f"dangjian explain --db {quote(str(db))} {first}", "逐条说明一个组织的得分"),
        (f"dangjian show {scheme}", "查看方案的评分项、权重和等次"),
        (f"dangjian template {scheme} --format xlsx", "生成 Excel 评分表，填好后评分"),
        (f"dangjian score {scheme} 评分表.xlsx --out 结果.xlsx", "为自己的数据评分"),
    ]
    console.print("\n[bold]接下来可以试试[/]：")
    for command, what in tries:
        console.print(f"  {esc(runnable(command))}    # {what}")


def _example(store, run_id: int, scheme):
    """An organization worth explaining: one with a veto or consequence, else the first."""
    chosen = None
    for result in store.results(run_id, limit=500):
        if chosen is None:
            chosen = result
        if result.vetoes or result.consequences:
            chosen = result
            break
    return store.result(run_id, chosen.org_id) if chosen is not None else None


def register(app: typer.Typer) -> None:
    app.command("demo", help=HELP)(demo)
