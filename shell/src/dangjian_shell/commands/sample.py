"""`dangjian sample`: the reproducible random draw of who reports on site (现场述职抽取)."""

from pathlib import Path
from typing import Annotated

import typer

from .options import JsonOpt, SchemeArg

HELP = """随机抽取现场述职的组织（可复现）。

按方案的现场抽取规则（[draw]），从组织名册中随机抽取现场述职的组织，其余书面述职。
抽取可复现：同样的名册和种子（--seed）得到同样的结果；输出中的名册摘要供事后核对。

示例：

  dangjian sample jilin-health-2019 --orgs 组织.jsonl --seed 2020-01-08

  dangjian sample jilin-health-2019 --orgs 组织.jsonl --under 单位党委编号 --seed 1

  dangjian sample jilin-health-2019 --orgs 组织.jsonl --seed 2020-01-08 --out 抽取名单.xlsx
"""


def sample(
    scheme: SchemeArg,
    orgs: Annotated[Path, typer.Option(
        "--orgs", help="组织名册：.jsonl 或 .csv / .xlsx（列 id、name、type、parent_id）")],
    seed: Annotated[str | None, typer.Option(
        "--seed", help="随机种子；不给则随机生成并显示，以便复核")] = None,
    under: Annotated[str | None, typer.Option(
        "--under", help="只在此组织的直接下级中抽取（如委直属机关党委抽取所属单位，"
        "党委建制单位抽取所属支部）")] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="把抽取名单连同种子和名册摘要写入文件（.csv / .xlsx / .jsonl），供存档复核")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    import secrets

    from dangjian.tools.draw import draw_onsite
    from dangjian.errors import DangjianError
    from dangjian.tools.orgtree import OrgTree

    from ..console import err, esc, fail, out
    from ..orgs import read_orgs
    from ..schemes import load, org_type_title

    if out_file is not None:
        from ..writers import output_kind

        kind = output_kind(out_file)
    catalog, loaded = load(scheme)
    rule = loaded.scheme.draw
    if rule is None:
        raise fail(f"方案 {loaded.scheme.id} 没有现场抽取规则（[draw]），无法抽取")
    registry = read_orgs(orgs, catalog)
    types = set(rule.org_types or loaded.scheme.org_types)
    candidates = registry
    if under is not None:
        try:
            tree = OrgTree(registry)
        except DangjianError as exc:
            exc.file = exc.file or str(orgs)
            raise
        if under not in tree.orgs:
            raise fail(f"组织名册中没有组织 {under}")
        below = set(tree.children.get(under, []))
        candidates = [o for o in registry if o.id in below]
    population = [o for o in candidates if not types or o.type in types]
    if not population:
        kinds = "、".join(org_type_title(catalog, t) for t in sorted(types))
        raise fail(f"名册中没有可抽取的组织（应为：{kinds or '任意类型'}）")
    generated = seed is None
    seed = seed if seed is not None else secrets.token_hex(4)
    result = draw_onsite([o.id for o in population], rule, seed)
    by_id = {o.id: o for o in population}
    if out_file is not None:
        from ..draw_output import draw_rows, write_draw

        rows = draw_rows(result, loaded.scheme.id, by_id,
                         lambda type_id: org_type_title(catalog, type_id))
        write_draw(out_file, kind, result, loaded.scheme.id, rows)
        err().print(f"抽取名单（含种子和名册摘要）已写入 {esc(out_file)}")
    if as_json:
        import msgspec

        from ..console import emit_json

        emit_json(msgspec.to_builtins(result))
        return
    console = out()
    from rich.table import Table

    for title, ids in ((result.onsite_title, result.onsite), (result.written_title, result.written)):
        table = Table(title=f"{esc(title)}（{len(ids)} 个）", title_justify="left")
        for name in ("组织编号", "组织名称", "类型"):
            table.add_column(name)
        for org_id in ids:
            org = by_id[org_id]
            table.add_row(esc(org.id), esc(org.name), esc(org_type_title(catalog, org.type)))
        console.print(table)
    err().print(f"抽取记录：种子 {esc(result.seed)}，比例不少于 {esc(result.fraction)}，"
                f"共 {result.population} 个组织，抽取 {len(result.onsite)} 个，"
                f"名册摘要 {result.population_digest}")
    if generated:
        err().print(f"未指定种子，已随机生成；复核时用 --seed {esc(result.seed)} 可得到同样结果")


def register(app: typer.Typer) -> None:
    app.command("sample", help=HELP)(sample)
