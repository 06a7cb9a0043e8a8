"""`dangjian runs` and `dangjian results`: what the run database holds."""

from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt, JsonOpt, OrgsOpt

RUNS_HELP = """列出数据库中的评分批次。

方案、时间、读入/评分/拒绝行数和等次分布。

示例：dangjian runs --db dangjian.db
"""
RESULTS_HELP = """列出一个批次的评分结果，或被拒绝的行。

默认最近一次批次，可按等次、组织类型筛选，输出为表格、JSONL、CSV 或 XLSX。--rejected 列出该批次被拒绝的行。

名次按总分从高到低排在整个批次中（筛选不改变名次）；总分相同者名次相同，其后名次顺延（如 1、2、2、4）。单位内名次在同一上级组织之下排列，上级组织取自评分时的组织信息或 --orgs 组织名册。

示例：

  dangjian results 3 --grade 一般

  dangjian results --out 结果.xlsx

  dangjian results 3 --rejected --format csv

  dangjian results 3 --out 结果.xlsx --explain
"""
FORMATS = ("table", "jsonl", "csv", "xlsx")


def runs(db: DbOpt = DEFAULT_DB,
         limit: Annotated[int, typer.Option("--limit", min=1, help="最多显示几个批次")] = 20,
         as_json: JsonOpt = False) -> None:
    from dangjian import load_catalog

    from ..console import emit_json, esc, out
    from ..store import open_store

    store = open_store(db)
    try:
        rows = store.runs(limit=limit)
    finally:
        store.close()
    if as_json:
        emit_json(rows)
        return
    console = out()
    if not rows:
        console.print("数据库中还没有评分批次")
        return
    from rich import box
    from rich.table import Table

    from ..console import local_time
    from ..summary import grade_order

    schemes = load_catalog().schemes
    table = Table(title=f"评分批次（{esc(db)}；时间为本地时间）", title_justify="left",
                  box=box.SIMPLE_HEAD)
    widest = max(len(row["scheme_id"]) for row in rows)
    table.add_column("批次", justify="right")
    table.add_column("方案 / 版本", min_width=widest, overflow="fold")
    table.add_column("完成时间")
    table.add_column("行数")
    table.add_column("等次分布")
    table.add_column("输入", overflow="fold")
    for row in rows:
        loaded = schemes.get(row["scheme_id"])
        order = grade_order(loaded.scheme, row["grades"]) if loaded else list(row["grades"])
        grades = "\n".join(f"{g} {row['grades'][g]}" for g in order)
        sources = "\n".join(Path(s).name for s in row["sources"])
        counts = f"读入 {row['read']}\n评分 {row['scored']}\n拒绝 {row['rejected']}"
        table.add_row(str(row["id"]), f"{esc(row['scheme_id'])}\n{esc(row['scheme_version'])}",
                      local_time(row["finished_at"]).replace(" ", "\n"), counts, esc(grades),
                      esc(sources))
    console.print(table, soft_wrap=False)  # wrap within cells to fit the terminal


def results(
    run: Annotated[int | None, typer.Argument(metavar="[RUN]", help="批次编号（默认最近一次）")] = None,
    grade: Annotated[str | None, typer.Option("--grade", help="只列此等次，如 好、一般")] = None,
    org_type: Annotated[str | None, typer.Option(
        "--type", help="只列此组织类型（编号或名称，如 branch 或 党支部）")] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="table、jsonl、csv 或 xlsx（默认按 --out 的扩展名，否则 table）")] = None,
    out_path: Annotated[Path | None, typer.Option(
        "--out", "-o", help="写入文件（.jsonl、.csv、.xlsx）")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="最多列出几个")] = None,
    rejected: Annotated[bool, typer.Option("--rejected", help="列出被拒绝的行及原因")] = False,
    orgs: OrgsOpt = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="附逐条得分说明（JSONL 的 lines，CSV/XLSX 的“得分说明”列）")] = False,
    db: DbOpt = DEFAULT_DB,
) -> None:
    from dangjian import load_catalog

    from ..console import fail
    from ..store import open_store
    from ..writers import output_kind

    if fmt is not None and fmt not in FORMATS:
        raise fail(f"不支持的格式 {fmt}（可用：{'、'.join(FORMATS)}）")
    if fmt is None:
        fmt = output_kind(out_path) if out_path is not None else "table"
    elif out_path is not None and output_kind(out_path) != fmt:
        raise fail(f"--format {fmt} 与输出文件 {out_path} 的扩展名不一致")
    if fmt == "xlsx" and out_path is None:
        raise fail("XLSX 格式需要用 --out 指定文件")
    catalog = load_catalog()
    store = open_store(db, catalog)
    try:
        run_id = run if run is not None else store.latest_run_id()
        meta = store.run(run_id)
        loaded = catalog.schemes.get(meta["scheme_id"])
        scheme = loaded.scheme if loaded is not None else None
        if rejected:
            _show_rejects(store.rejects(run_id)[:limit] if limit else store.rejects(run_id),
                          fmt, out_path, scheme)
            return
        type_id = _type_id(catalog, org_type)
        if grade is not None:
            _check_grade(store, run_id, grade)
        units, ranking = None, None
        if fmt != "jsonl":
            from ..orgs import read_orgs
            from ..units import rank_run, units_of_run

            units = units_of_run(store, run_id, read_orgs(orgs, catalog) if orgs else None,
                                 f"组织名册 {orgs}" if orgs else "")
            ranking = rank_run(store, run_id, units)
        items = store.results(run_id, grade=grade, org_type=type_id, limit=limit,
                              with_lines=explain)
        total = store.count_results(run_id, grade=grade, org_type=type_id)
        if fmt == "table":
            _table(catalog, meta, items, total, units, ranking)
        else:
            _write(catalog, meta, items, fmt, out_path, units, ranking,
                   store.rejects(run_id) if fmt == "xlsx" else [], explain)
    finally:
        store.close()


def _type_id(catalog, org_type: str | None) -> str | None:
    """A type filter written as an id or a title; an unknown one is kept (it matches nothing)."""
    return None if org_type is None else catalog.type_id(org_type) or org_type


def _check_grade(store, run_id: int, grade: str) -> None:
    """A grade the run's scheme does not have is a mistake, not an empty list."""
    from dangjian.errors import NotFound
    from dangjian.catalogue.loading import decode_scheme
    from dangjian.scoring.judge import UNGRADED

    from ..console import fail

    try:
        text, fmt = store.scheme_text(run_id)
    except NotFound:  # a run stored before schemes were kept with runs: not checked
        return
    scheme = decode_scheme(text.encode(), file=f"批次 {run_id} 的方案", fmt=fmt)
    grades = [b.grade for b in sorted(scheme.bands, key=lambda b: b.min, reverse=True)]
    if grade not in grades and grade != UNGRADED:
        raise fail(f"方案 {scheme.id} 没有等次“{grade}”（可用：{'、'.join(grades)}）")


def _table(catalog, meta: dict, items, total: int, units, ranking) -> None:
    from dangjian.store.ranking import TIE_RULE
    from rich.table import Table

    from ..console import esc, out
    from ..schemes import org_type_title

    table = Table(title=f"批次 {meta['id']}：{esc(meta['scheme_id'])} {esc(meta['scheme_version'])}"
                  f"，共 {total} 个", title_justify="left")
    by_unit = units.known
    for name, justify in (("组织编号", "left"), ("组织名称", "left"), ("类型", "left"),
                          ("总分", "right"), ("等次", "left"), ("名次", "right"),
                          *((("上级组织", "left"), ("单位内名次", "right")) if by_unit else ()),
                          ("一票否决 / 结果运用", "left")):
        table.add_column(name, justify=justify)
    shown = 0
    for r in items:
        shown += 1
        fired = "、".join([*(v.title for v in r.vetoes), *(c.title for c in r.consequences)])
        unit = []
        if by_unit:
            parent = units.unit_of(r.org_id)
            unit_rank = ranking.unit_rank(r.org_id, r.total)
            unit = [esc(units.title(parent)) if parent is not None else "",
                    str(unit_rank) if unit_rank is not None else ""]
        table.add_row(esc(r.org_id), esc(r.org_name), esc(org_type_title(catalog, r.org_type)),
                      f"{r.total:f}", esc(r.grade), _rank_text(ranking, r.total), *unit,
                      esc(fired))
    console = out()
    console.print(table)
    if shown < total:
        console.print(f"（显示 {shown} 个，共 {total} 个）")
    console.print(f"名次：{TIE_RULE}" + ("" if by_unit else
                  "；单位内名次需要上级组织，可用 --orgs 组织名册给出"))


def _rank_text(ranking, total) -> str:
    rank = ranking.rank(total)
    return f"{rank}（并列）" if ranking.batch.shared(total) else str(rank)


def _write(catalog, meta: dict, items, fmt: str, out_path: Path | None, units, ranking,
           rejects, explain: bool = False) -> None:
    import itertools

    from ..writers import ResultColumns, ResultWriter, run_facts

    first = next(items, None)
    scheme = catalog.schemes.get(meta["scheme_id"])
    components = None
    if scheme is None or scheme.scheme.version != meta["scheme_version"]:
        components = [(c.id, c.title) for c in first.components] if first else []
    columns = ResultColumns(scheme.scheme if scheme else None, catalog, components, units=units,
                            explain=explain)
    if out_path is None and fmt == "csv":
        writer = _StdoutCsv(columns, ranking)
    else:
        writer = ResultWriter(out_path if out_path is not None else "-", columns,
                              ranking=ranking, facts=run_facts(meta, columns.scheme))
        for reject in rejects:
            writer.reject(reject)
    try:
        for r in itertools.chain([first] if first else [], items):
            writer.write(r)
    finally:
        writer.close()
    if out_path is not None:
        from ..console import err, esc

        err().print(f"已写入 {writer.count} 个结果到 {esc(out_path)}")


class _StdoutCsv:
    """CSV of results on stdout (for pipes); files go through `ResultWriter`."""

    def __init__(self, columns, ranking) -> None:
        import csv
        import sys

        from ..cells import csv_row

        self.columns = columns
        self.ranking = ranking
        self.count = 0
        self._csv = csv.writer(sys.stdout, lineterminator="\n")
        self._csv.writerow(csv_row(columns.header()))

    def write(self, result) -> None:
        from ..cells import csv_row

        self.count += 1
        self._csv.writerow(csv_row(self.columns.row(result, self.ranking)))

    def close(self) -> None:
        return None


def _show_rejects(rejects, fmt: str, out_path: Path | None, scheme) -> None:
    import csv
    import sys

    import msgspec

    from ..cells import csv_row
    from ..console import err, esc, out
    from ..summary import reject_text
    from ..writers import RejectWriter, reject_columns, reject_row

    if out_path is not None:
        writer = RejectWriter(out_path, scheme)
        for reject in rejects:
            writer.write(reject)
        writer.close()
        err().print(f"已写入 {writer.count} 个拒绝的行到 {esc(out_path)}")
    elif fmt == "jsonl":
        for reject in rejects:
            typer.echo(msgspec.json.encode(reject).decode())
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([column.title for column in reject_columns(scheme)])
        for reject in rejects:
            writer.writerow(csv_row(reject_row(reject, scheme)))
    else:
        console = out()
        if not rejects:
            console.print("本批次没有被拒绝的行")
        for reject in rejects:
            console.print(esc(reject_text(reject)))


def register(app: typer.Typer) -> None:
    app.command("runs", help=RUNS_HELP)(runs)
    app.command("results", help=RESULTS_HELP)(results)
