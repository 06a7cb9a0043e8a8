"""`dangjian template`: an input template for a scheme that `score` accepts back."""

from pathlib import Path
from typing import Annotated

import typer

from .options import SchemeArg

HELP = """生成评分输入模板（XLSX、CSV 或 JSONL）。

按方案生成中文表头和一行示例，填好后直接交给 dangjian score。

多人评分写在一个单元格内，用分号分隔（如“95;88;好”）。表格放不下活动记录，
--activities 生成单独的活动记录模板（列：组织编号、活动类型、日期、人员、备注），
评分时用 score --activities 指定。

示例：

  dangjian template jilin-health-2019 --format xlsx

  dangjian template hubei-organs-2022 --activities --format csv --out 活动记录.csv
"""
FORMATS = ("xlsx", "csv", "jsonl")


def template(
    scheme: SchemeArg,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="xlsx、csv 或 jsonl（默认按 --out 的扩展名，否则 xlsx）")] = None,
    out_path: Annotated[Path | None, typer.Option(
        "--out", "-o", help="模板文件；- 表示写到标准输出（csv、jsonl）。"
        "默认为当前目录下的“方案编号-评分表.扩展名”")] = None,
    activities: Annotated[bool, typer.Option(
        "--activities", help="生成活动记录模板（供 score --activities 使用）")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
) -> None:
    from .. import templates
    from ..console import err, esc, fail, runnable
    from ..schemes import load

    if fmt is None:
        suffix = out_path.suffix.lower().lstrip(".") if out_path is not None else ""
        fmt = suffix if suffix in FORMATS else "xlsx"
    if fmt not in FORMATS:
        raise fail(f"不支持的模板格式 {fmt}（可用：{'、'.join(FORMATS)}）")
    catalog, loaded = load(scheme)
    target = loaded.scheme
    if out_path is None:
        name = "活动记录" if activities else "评分表"
        out_path = Path(f"{target.id}-{name}.{fmt}")
    to_stdout = str(out_path) == "-"
    if to_stdout and fmt == "xlsx":
        raise fail("XLSX 模板需要写入文件，请用 --out 指定文件名")
    if not to_stdout:
        if out_path.suffix.lower() != f".{fmt}":
            raise fail(f"输出文件 {out_path} 的扩展名应为 .{fmt}")
        if out_path.exists() and not force:
            raise fail(f"{out_path} 已存在（可能是已填写的表），如需覆盖请加 --force")
    path = None if to_stdout else out_path
    if activities:
        text = templates.write_activities(path, fmt, target)
    elif fmt == "csv":
        text = templates.write_csv(path, target, catalog)
    elif fmt == "jsonl":
        text = templates.write_jsonl(path, target, catalog)
    else:
        templates.write_xlsx(out_path, target, catalog)
        text = ""
    if to_stdout:
        typer.echo(text, nl=False)
        return
    console = err()
    what = "活动记录模板" if activities else "评分输入模板"
    console.print(f"已生成{what} {esc(out_path)}（方案 {esc(target.id)} {esc(target.version)}）")
    if not activities:
        problem = _example_problem(catalog, target.id, out_path)
        if problem:
            console.print(f"[yellow]注意：[/]示例行按本方案评分被拒绝：{esc(problem)}"
                          "（方案的 inputs 可用 example 给出示例值）")
        console.print("填好后评分：" + esc(runnable(f"dangjian score {scheme} {out_path}")))
    else:
        console.print("评分时使用：" + esc(runnable(
            f"dangjian score {scheme} 评分表 --activities {out_path}")))


def _example_problem(catalog, scheme_id: str, path: Path) -> str | None:
    """Read the written template back as `score` would and score its example row."""
    from dangjian.models import Reject
    from dangjian.scoring.pipeline import score_records

    from ..sources import InputFile

    plan = catalog.plan(scheme_id)
    source = InputFile(path, plan.scheme, skip_example=False)
    for item in score_records(plan, source.records(), source=source.source):
        if isinstance(item, Reject):
            return item.reason
    return None


def register(app: typer.Typer) -> None:
    app.command("template", help=HELP)(template)
