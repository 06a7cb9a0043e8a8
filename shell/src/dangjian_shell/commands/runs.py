"""`dangjian runs` and `dangjian results`: what the run database holds."""

from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt, JsonOpt

RUNS_HELP = """列出数据库中的评分批次。

方案、时间、读入/评分/拒绝行数和等次分布。

示例：dangjian runs --db dangjian.db
"""
RESULTS_HELP = """列出一个批次的评分结果，或被拒绝的行。

默认最近一次批次，可按等次、组织类型筛选，输出为表格、JSONL、CSV 或 XLSX。--rejected 列出该批次被拒绝的行。

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
    from rich.table import Table

    table = Table(title=f"评分批次（{esc(db)}）", title_justify="left")
    for name, justify in (("批次", "right"), ("方案", "left"), ("版本", "left"),
                          ("完成时间", "left"), ("读入", "right"), ("评分", "right"),
                          ("拒绝", "right"), ("等次分布", "left"), ("输入", "left")):
        table.add_column(name, justify=justify)
    for row in rows:
        grades = "、".join(f"{g}{n}" for g, n in row["grades"].items())
        sources = "、".join(Path(s).name for s in row["sources"])
        table.add_row(str(row["id"]), esc(row["scheme_id"]), esc(row["scheme_version"]),
                      esc(row["finished_at"] or ""), str(row["read"]), str(row["scored"]),
                      str(row["rejected"]), esc(grades), esc(sources))
    console.print(table)


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
    store = open_store(db)
    try:
        run_id = run if run is not None else store.latest_run_id()
        meta = store.run(run_id)
        if rejected:
            _show_rejects(store.rejects(run_id)[:limit] if limit else store.rejects(run_id),
                          fmt, out_path)
            return
        type_id = _type_id(catalog, org_type)
        if grade is not None:
            _check_grade(store, run_id, grade)
        items = store.results(run_id, grade=grade, org_type=type_id, limit=limit,
                              with_lines=explain)
        total = store.count_results(run_id, grade=grade, org_type=type_id)
        if fmt == "table":
            _table(catalog, meta, items, total)
        else:
            _write(catalog, meta, items, fmt, out_path, explain)
    finally:
        store.close()


def _type_id(catalog, org_type: str | None) -> str | None:
    if org_type is None or org_type in catalog.org_types:
        return org_type
    by_title = {t.title: t.id for t in catalog.org_types.values()}
    return by_title.get(org_type, org_type)


def _check_grade(store, run_id: int, grade: str) -> None:
    """A grade the run's scheme does not have is a mistake, not an empty list."""
    from dangjian.errors import NotFound
    from dangjian.loading import decode_scheme
    from dangjian.outcomes import UNGRADED

    from ..console import fail

    try:
        text, fmt = store.scheme_text(run_id)
    except NotFound:  # a run stored before schemes were kept with runs: not checked
        return
    scheme = decode_scheme(text.encode(), file=f"批次 {run_id} 的方案", fmt=fmt)
    grades = [b.grade for b in sorted(scheme.bands, key=lambda b: b.min, reverse=True)]
    if grade not in grades and grade != UNGRADED:
        raise fail(f"方案 {scheme.id} 没有等次“{grade}”（可用：{'、'.join(grades)}）")


def _table(catalog, meta: dict, items, total: int) -> None:
    from rich.table import Table

    from ..console import esc, out
    from ..schemes import org_type_title

    table = Table(title=f"批次 {meta['id']}：{esc(meta['scheme_id'])} {esc(meta['scheme_version'])}"
                  f"，共 {total} 个", title_justify="left")
    for name, justify in (("组织编号", "left"), ("组织名称", "left"), ("类型", "left"),
                          ("总分", "right"), ("等次", "left"), ("一票否决 / 结果运用", "left")):
        table.add_column(name, justify=justify)
    shown = 0
    for r in items:
        shown += 1
        fired = "、".join([*(v.title for v in r.vetoes), *(c.title for c in r.consequences)])
        table.add_row(esc(r.org_id), esc(r.org_name), esc(org_type_title(catalog, r.org_type)),
                      f"{r.total:f}", esc(r.grade), esc(fired))
    console = out()
    console.print(table)
    if shown < total:
        console.print(f"（显示 {shown} 个，共 {total} 个）")


def _write(catalog, meta: dict, items, fmt: str, out_path: Path | None,
           explain: bool = False) -> None:
    import itertools

    from ..writers import ResultColumns, ResultWriter

    first = next(items, None)
    scheme = catalog.schemes.get(meta["scheme_id"])
    components = None
    if scheme is None or scheme.scheme.version != meta["scheme_version"]:
        components = [(c.id, c.title) for c in first.components] if first else []
    columns = ResultColumns(scheme.scheme if scheme else None, catalog, components,
                            explain=explain)
    if out_path is None and fmt == "csv":
        writer = _StdoutCsv(columns)
    else:
        writer = ResultWriter(out_path if out_path is not None else "-", columns)
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

    def __init__(self, columns) -> None:
        import csv
        import sys

        self.columns = columns
        self.count = 0
        self._csv = csv.writer(sys.stdout, lineterminator="\n")
        self._csv.writerow(columns.header())

    def write(self, result) -> None:
        from decimal import Decimal

        self.count += 1
        self._csv.writerow(["" if v is None else f"{v:f}" if isinstance(v, Decimal) else v
                            for v in self.columns.row(result)])

    def close(self) -> None:
        return None


def _show_rejects(rejects, fmt: str, out_path: Path | None) -> None:
    import csv
    import sys

    import msgspec

    from ..console import err, esc, out
    from ..summary import reject_text
    from ..writers import REJECT_COLUMNS, RejectWriter

    if out_path is not None:
        writer = RejectWriter(out_path)
        for reject in rejects:
            writer.write(reject)
        writer.close()
        err().print(f"已写入 {writer.count} 个拒绝的行到 {esc(out_path)}")
    elif fmt == "jsonl":
        for reject in rejects:
            typer.echo(msgspec.json.encode(reject).decode())
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([title for _, title in REJECT_COLUMNS])
        for reject in rejects:
            writer.writerow([getattr(reject, key) or "" if key != "row" else reject.row
                             for key, _ in REJECT_COLUMNS])
    else:
        console = out()
        if not rejects:
            console.print("本批次没有被拒绝的行")
        for reject in rejects:
            console.print(esc(reject_text(reject)))


def register(app: typer.Typer) -> None:
    app.command("runs", help=RUNS_HELP)(runs)
    app.command("results", help=RESULTS_HELP)(results)
