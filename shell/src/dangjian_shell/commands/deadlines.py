"""`dangjian deadlines`: the scheme's timeline, and whether submissions were on time."""

from pathlib import Path
from typing import Annotated

import typer

from .options import JsonOpt, SchemeArg

HELP = """时间节点与按时提交检查。

列出方案的时间节点（[[deadlines]]）；给出提交日期时检查是否按时。

提交日期写成“事项=日期”（事项用编号或名称），或用 --file 给出一个表
（.csv / .xlsx / .jsonl，列：组织编号 org_id（可选）、事项 step、日期 date），逐个组织检查。
有逾期、过早或未提交时退出码为 1。

示例：

  dangjian deadlines jilin-health-2019

  dangjian deadlines jilin-health-2019 report=2020-01-09 plan=2020-01-15

  dangjian deadlines jilin-health-2019 --file 提交情况.csv
"""
STEP_COLUMNS = {"org_id": ("org_id", "组织编号"), "step": ("step", "事项", "节点"),
                "date": ("date", "日期", "提交日期")}


def deadlines(
    scheme: SchemeArg,
    submitted: Annotated[list[str] | None, typer.Argument(
        metavar="[STEP=DATE]...", help="提交情况，如 report=2020-01-09")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="提交情况表")] = None,
    as_json: JsonOpt = False,
) -> None:
    from dangjian.tools.timeline import check_timeline, describe

    from ..console import emit_json, fail
    from ..schemes import load

    _, loaded = load(scheme)
    steps = loaded.scheme.deadlines
    if not steps:
        raise fail(f"方案 {loaded.scheme.id} 没有时间节点（[[deadlines]]）")
    resolve = _resolver(steps)
    if not submitted and file is None:
        rows = [{"id": d.id, "title": d.title, "rule": describe(d)} for d in steps]
        if as_json:
            emit_json(rows)
        else:
            _schedule(loaded.scheme, rows)
        return
    by_org: dict[str, dict] = {}
    if submitted:
        by_org[""] = _pairs(submitted, resolve)
    if file is not None:
        for org_id, values in _from_file(file, resolve).items():
            by_org.setdefault(org_id, {}).update(values)
    checked = {org: check_timeline(steps, dates) for org, dates in by_org.items()}
    if as_json:
        emit_json([{"org_id": org or None, "items": items} for org, items in checked.items()])
    else:
        _report(checked)
    if any(not item.ok for items in checked.values() for item in items):
        raise typer.Exit(1)


def _resolver(steps):
    from dangjian.errors import DangjianError

    keys = {d.id: d.id for d in steps} | {d.title: d.id for d in steps}

    def resolve(name: str, where: str = "") -> str:
        step = keys.get(name.strip())
        if step is None:
            raise DangjianError(f"{where}未知的事项“{name}”（可用：" +
                                "、".join(f"{d.id}/{d.title}" for d in steps) + "）")
        return step

    return resolve


def _pairs(pairs: list[str], resolve) -> dict:
    from dangjian.errors import DangjianError

    from ..activities import parse_date

    dates = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise DangjianError(f"“{pair}”应写成 事项=日期，如 report=2020-01-09")
        try:
            dates[resolve(name)] = parse_date(value)
        except ValueError as exc:
            raise DangjianError(f"“{pair}”：{exc}") from None
    return dates


def _from_file(path: Path, resolve) -> dict[str, dict]:
    from dangjian.errors import InputFileError

    from ..activities import parse_date
    from ..readers import (
        Table,
        bad_cell,
        bad_cell_reason,
        find_header,
        is_blank,
        kind_of,
        text_lines,
    )

    kind = kind_of(path)
    names = {n: key for key, options in STEP_COLUMNS.items() for n in options}
    rows: list[tuple[int, dict]] = []
    if kind == "jsonl":
        import msgspec

        for number, line in enumerate(text_lines(path, "utf-8-sig"), 1):
            if line.strip():
                try:
                    obj = msgspec.json.decode(line)
                except msgspec.DecodeError as exc:
                    raise InputFileError(f"不是有效的 JSON：{exc}", file=str(path),
                                         row=number) from None
                rows.append((number, obj if isinstance(obj, dict) else {}))
    else:
        table_rows = Table(path, kind).rows()
        _, header, pending = find_header(table_rows, set(STEP_COLUMNS["step"]))
        keys = [names.get(str(c).strip().lstrip("\ufeff")) if c is not None else None
                for c in header]
        for number, cells in [*pending, *table_rows]:
            if (broken := bad_cell(cells)) is not None:
                raise InputFileError(bad_cell_reason(broken[1]), file=str(path), row=number)
            if not is_blank(cells):
                rows.append((number, {k: v for k, v in zip(keys, cells) if k}))
    out: dict[str, dict] = {}
    for number, values in rows:
        where = f"{path} 第 {number} 行："
        if not values.get("step") or not values.get("date"):
            raise InputFileError("缺少事项（step）或日期（date）", file=str(path), row=number)
        step = resolve(str(values["step"]), where)
        try:
            date = parse_date(values["date"])
        except ValueError as exc:
            raise InputFileError(str(exc), file=str(path), row=number, field="date") from None
        org = str(values.get("org_id") or "")
        out.setdefault(org, {})[step] = date
    return out


def _schedule(scheme, rows: list[dict]) -> None:
    from rich.table import Table

    from ..console import esc, out

    table = Table(title=f"{esc(scheme.title)}：时间节点", title_justify="left")
    for name in ("事项编号", "事项", "要求"):
        table.add_column(name)
    for row in rows:
        table.add_row(esc(row["id"]), esc(row["title"]), esc(row["rule"]))
    out().print(table)


def _report(checked: dict) -> None:
    from ..console import esc, out

    console = out()
    for org, items in checked.items():
        if org:
            console.print(f"[bold]组织 {esc(org)}[/]")
        for item in items:
            mark = "[green]✓[/]" if item.ok else "[bold red]✗[/]"
            console.print(f"  {mark} {esc(item.message)}")
    late = sum(not i.ok for items in checked.values() for i in items)
    console.print(f"共 {sum(len(i) for i in checked.values())} 项，{late} 项未按要求完成")


def register(app: typer.Typer) -> None:
    app.command("deadlines", help=HELP)(deadlines)
