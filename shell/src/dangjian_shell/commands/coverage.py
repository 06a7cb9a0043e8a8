"""`dangjian coverage`: who reports to whom, and whether every organization was assessed."""

from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt, JsonOpt, SchemeArg

HELP = """述职关系与全覆盖检查。

按方案的述职关系（[[reporting_lines]]）列出每个组织向谁述职，并检查是否全覆盖：
名册中每个适用的组织都有评分结果。已评组织取自评分输入文件，或数据库中的批次
（默认该方案最近一次）。未全覆盖时退出码为 1。

示例：

  dangjian coverage jilin-health-2019 --orgs 组织.jsonl

  dangjian coverage jilin-health-2019 --orgs 组织.jsonl 评分表.xlsx
"""


def coverage(
    scheme: SchemeArg,
    orgs: Annotated[Path, typer.Option(
        "--orgs", help="组织名册：.jsonl 或 .csv / .xlsx（列 id、name、type、parent_id）")],
    inputs: Annotated[list[Path] | None, typer.Argument(
        metavar="[INPUT]...", help="评分输入文件（不给则用数据库中的批次）")] = None,
    run: Annotated[int | None, typer.Option("--run", help="批次编号")] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    from dangjian.errors import DangjianError
    from dangjian.tools.orgtree import coverage as compute

    from ..console import emit_json, fail
    from ..orgs import read_orgs
    from ..schemes import load

    catalog, loaded = load(scheme)
    lines = loaded.scheme.reporting_lines
    if not lines:
        raise fail(f"方案 {loaded.scheme.id} 没有述职关系（[[reporting_lines]]），无法检查覆盖")
    registry = read_orgs(orgs, catalog)
    if inputs:
        known = {org.id: org for org in registry}
        evaluated = _from_inputs(inputs, catalog, loaded.scheme.id, known)
        source = "、".join(map(str, inputs))
    else:
        evaluated, source = _from_run(db, run, loaded.scheme.id)
    try:
        result = compute(registry, evaluated, lines, loaded.scheme.org_types)
    except DangjianError as exc:
        exc.file = exc.file or str(orgs)
        raise
    if as_json:
        import msgspec

        emit_json({**msgspec.to_builtins(result), "source": source})
    else:
        _print(catalog, result, source)
    if not result.complete:
        raise typer.Exit(1)


def _from_inputs(paths: list[Path], catalog, scheme_id: str, registry: dict) -> list[str]:
    """Organizations the input files score, with the org tree as registry (a rejected row does
    not count as assessed)."""
    from dangjian.models import Reject
    from dangjian.scoring.pipeline import score_records

    from ..sources import InputFile

    plan = catalog.plan(scheme_id)
    ids = []
    for path in paths:
        source = InputFile(path, plan.scheme)
        ids.extend(item.org_id for item in score_records(plan, source.records(), registry=registry)
                   if not isinstance(item, Reject))
    return ids


def _from_run(db: Path, run: int | None, scheme_id: str) -> tuple[list[str], str]:
    from dangjian.errors import NotFound

    from ..store import open_store

    store = open_store(db)
    try:
        if run is None:
            try:
                run = store.latest_run_id(scheme_id)
            except NotFound:
                raise NotFound(f"数据库 {db} 中没有方案 {scheme_id} 的评分批次（可给出评分输入文件）"
                               ) from None
        meta = store.run(run)
        if meta["scheme_id"] != scheme_id:
            raise NotFound(f"批次 {run} 是方案 {meta['scheme_id']} 的评分，不是 {scheme_id}")
        return [r.org_id for r in store.results(run)], f"批次 {run}"
    finally:
        store.close()


def _print(catalog, result, source: str) -> None:
    from rich.table import Table

    from ..console import err, esc, out
    from ..schemes import org_type_title

    console = out()
    groups: dict[str, list] = {}
    for a in result.assignments:
        groups.setdefault(a.reports_to or "（未找到述职对象）", []).append(a)
    table = Table(title="述职关系", title_justify="left")
    for name, justify in (("述职对象", "left"), ("组织数", "right"), ("已评", "right"),
                          ("未评", "right")):
        table.add_column(name, justify=justify)
    for target, items in groups.items():
        done = sum(a.evaluated for a in items)
        table.add_row(esc(target), str(len(items)), str(done), str(len(items) - done))
    console.print(table)
    if result.missing:
        missing = Table(title=f"未评分的组织（{len(result.missing)} 个）", title_justify="left")
        for name in ("组织编号", "组织名称", "类型", "述职对象"):
            missing.add_column(name)
        for a in result.assignments:
            if not a.evaluated:
                missing.add_row(esc(a.org_id), esc(a.name), esc(org_type_title(catalog, a.type)),
                                esc(a.reports_to or "（未找到）"))
        console.print(missing)
    verdict = "[green]已全覆盖[/]" if result.complete else "[bold red]未全覆盖[/]"
    err().print(f"覆盖情况（{esc(source)}）：应评 {result.total} 个，已评 {result.evaluated} 个，"
                f"未评 {len(result.missing)} 个，{verdict}")
    if result.unknown:
        shown = "、".join(result.unknown[:10]) + ("等" if len(result.unknown) > 10 else "")
        err().print(f"[yellow]注意：[/]{len(result.unknown)} 个已评组织不在名册中：{esc(shown)}")


def register(app: typer.Typer) -> None:
    app.command("coverage", help=HELP)(coverage)
