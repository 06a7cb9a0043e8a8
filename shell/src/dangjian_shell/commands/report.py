"""`dangjian report`: the leadership report of a stored run, as HTML or PDF."""

from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt, OrgsOpt

HELP = """生成一个批次的评分报告（供领导阅读、A4 打印）：HTML 或 PDF。

报告包括：总体情况和等次分布图、各单位评分结果、名次、约谈/限期整改/问责名单、一票否决、不得评定的荣誉、被拒绝的行；有批次规则结论时一并列出。

用 --compare 与更早的批次比较，列出等次上升和下降的组织。

用 --whatif 方案 或 --set 路径=值 在报告后附上推演：按另一方案或修改后的参数重新评定本批次（不存储），列出等次变化矩阵、结果运用与荣誉资格的变化和总分变化最大的组织（与 dangjian whatif 相同）。

名次按总分从高到低；总分相同者名次相同，其后名次顺延（如 1、2、2、4）。按单位分表需要上级组织：取自评分时的组织信息，或 --orgs 组织名册。

PDF 由本机的 Chromium 浏览器（无界面模式）生成，不访问网络；中文字体用系统字体（如 Noto CJK）。

示例：

  dangjian report --out 报告.html

  dangjian report --run 3 --compare 1 --orgs 组织.jsonl --out 报告.pdf

  dangjian report --set components.onsite.weight=0.6 --set components.superior.weight=0.4 --out 报告.html
"""
OUT_KINDS = (".html", ".htm", ".pdf")


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="报告文件：.html 或 .pdf")],
    run: Annotated[int | None, typer.Option("--run", help="批次编号（默认最近一次）")] = None,
    compare: Annotated[int | None, typer.Option(
        "--compare", help="与此批次（同一批组织的更早一次评分）比较等次升降")] = None,
    orgs: OrgsOpt = None,
    whatif_scheme: Annotated[str | None, typer.Option(
        "--whatif", help="附上按此方案（编号或方案文件）推演本批次的结果")] = None,
    overrides: Annotated[list[str] | None, typer.Option(
        "--set", help="附上修改参数后的推演，路径=值，可多次给出（如 bands.好.min=92）")] = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    from dangjian import load_catalog

    from ..console import err, esc, fail
    from ..store import open_store

    kind = out.suffix.lower()
    if kind not in OUT_KINDS:
        raise fail(f"不支持的报告文件类型“{out.suffix or '无扩展名'}”（可用：.html、.pdf）")
    if not out.parent.is_dir():
        raise fail(f"目录 {out.parent} 不存在")
    catalog = load_catalog()
    registry = None
    if orgs is not None:
        from ..orgs import read_orgs

        registry = read_orgs(orgs, catalog)
    store = open_store(db, catalog)
    try:
        from ..report import report_html

        run_id = run if run is not None else store.latest_run_id()
        if compare is not None and compare == run_id:
            raise fail(f"--compare {compare} 就是要报告的批次，请指定一个更早的批次")
        whatif = None
        if whatif_scheme is not None or overrides:
            from dangjian.catalogue.overrides import parse_assignment
            from dangjian.store.whatif import whatif_run

            whatif = whatif_run(store, catalog, run_id, scheme=whatif_scheme, top=20,
                                overrides=dict(parse_assignment(t) for t in overrides or []))
        html = report_html(store, run_id, catalog, compare=compare, orgs=registry,
                           orgs_source=f"组织名册 {orgs.name}" if orgs is not None else "",
                           whatif=whatif)
    finally:
        store.close()
    if kind == ".pdf":
        from ..report.pdf import html_to_pdf

        html_to_pdf(html, out)
    else:
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(html, encoding="utf-8")
        partial.replace(out)
    err().print(f"已写入批次 {run_id} 的评分报告到 {esc(out)}")


def register(app: typer.Typer) -> None:
    app.command("report", help=HELP)(report)
