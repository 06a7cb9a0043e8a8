"""`dangjian score`: a whole batch from JSONL, CSV or XLSX files."""

from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt, JsonOpt, OrgsOpt, SchemeArg

HELP = """按方案为一批组织评分（JSONL、CSV、XLSX）。

输入文件按扩展名读取：.jsonl（每行一个评分对象）、.csv、.xlsx（每行一个组织，
表头用 dangjian template 生成的中文列名或英文键名）。多人评分写在一个单元格里，
用分号、顿号或逗号分隔，如“95;88;好”。

有问题的行不会中断评分：它被拒绝并写明文件、行号、字段和原因（--rejects 保存），
读入行数 = 评分个数 + 拒绝行数。同一组织编号出现多次时只评第一行，其后各行被拒绝并写明第一行的位置。

结果文件默认只含分数、等次和结果运用；加 --explain 附逐条得分说明。
数据库只存输入和分数，说明在查看时（dangjian explain）按存下的方案重新生成。

示例：

  dangjian score jilin-health-2019 评分表.xlsx --out 结果.xlsx --rejects 拒绝.csv

  dangjian score hubei-organs-2022 支部.csv --activities 活动记录.csv --orgs 组织.jsonl
"""


def score(
    scheme: SchemeArg,
    inputs: Annotated[list[Path], typer.Argument(
        metavar="INPUT...", help="评分输入文件：.jsonl、.csv 或 .xlsx，可以给多个")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="结果文件：.jsonl、.csv 或 .xlsx；- 表示以 JSONL 写到标准输出")] = None,
    db: DbOpt = DEFAULT_DB,
    no_db: Annotated[bool, typer.Option("--no-db", help="不存入数据库")] = False,
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="被拒绝的行写入此文件：.csv、.xlsx 或 .jsonl")] = None,
    orgs: OrgsOpt = None,
    activities: Annotated[Path | None, typer.Option(
        "--activities", help="活动记录文件（.csv / .xlsx / .jsonl，列 org_id、kind、date、person、"
        "note），按组织编号并入评分输入")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=1, help="并行进程数；结果与单进程完全相同")] = 1,
    note: Annotated[str, typer.Option("--note", help="批次备注，存入数据库")] = "",
    explain: Annotated[bool, typer.Option(
        "--explain", help="结果文件附逐条得分说明（JSONL 的 lines，CSV/XLSX 的“得分说明”列）")] = False,
    as_json: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条和摘要")] = False,
) -> None:
    from ..batch import BatchRequest, run_batch
    from ..console import fail
    from ..summary import print_summary

    if as_json and out is not None and str(out) == "-":
        raise fail("--json 与 --out - 都要写标准输出，只能选一个")
    try:
        report = run_batch(BatchRequest(
            scheme=scheme, inputs=inputs, out=out, db=None if no_db else db, rejects=rejects,
            orgs=orgs, activities=activities, workers=workers, note=note, progress=not quiet,
            explain=explain))
    except KeyboardInterrupt:
        raise fail("评分已中断：这一批次没有存入数据库，结果文件和拒绝行文件也没有写出；"
                   "重新运行同一命令即可", 130) from None
    if not quiet:
        print_summary(report)
        run_id = report.summary.run_id
        if run_id is not None and report.first_org is not None and not as_json:
            from ..console import err, esc, runnable

            err().print(esc(runnable(f"查看单个组织的得分说明：dangjian explain --run {run_id} "
                                     f"{report.first_org}" + _db_flag(db))))
    if as_json:
        from ..console import emit_json

        emit_json(report.to_dict())


def register(app: typer.Typer) -> None:
    app.command("score", help=HELP)(score)


def _db_flag(db: Path) -> str:
    return "" if db == DEFAULT_DB else f" --db {db}"
