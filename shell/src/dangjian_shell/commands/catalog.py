"""`dangjian plugins`, `schemes`, `show` and `check`: what is installed and what a scheme says."""

from typing import Annotated

import typer

from .options import JsonOpt, SchemeArg

PLUGINS_HELP = """列出已安装的插件及其注册的内容。

名称、版本、注册了什么（组织类型、评分方法、方案……），以及加载失败的原因。环境变量 DANGJIAN_PLUGINS 可只加载指定插件（逗号分隔）。"""
SCHEMES_HELP = "列出已安装的考核方案。"
SHOW_HELP = """以树的形式显示一个方案。

输入、分项权重、评分项、等次、一票否决、荣誉、结果运用，以及现场抽取、报告要求、时间节点、述职关系。

示例：dangjian show jilin-health-2019"""
CHECK_HELP = """检查一个方案，有错误时退出码为 1。

检查已安装的方案编号或方案文件：权重、等次区间、永远不会触发的否决条件、未知的方法和输入。有错误时退出码为 1。

示例：dangjian check my-scheme.toml"""

_KINDS = {"org_type": "组织类型", "method": "评分方法", "diagnostic": "诊断", "scheme": "方案",
          "document_check": "报告检查", "batch_rule": "批次规则"}


def plugins(as_json: JsonOpt = False) -> None:
    from dangjian import load_catalog

    from ..console import emit_json, esc, out

    catalog = load_catalog()
    infos = list(catalog.plugins.values())
    if as_json:
        emit_json([info.to_dict() for info in infos])
        return
    from rich.table import Table

    table = Table(title="已安装的插件", title_justify="left")
    table.add_column("插件")
    table.add_column("版本")
    table.add_column("注册内容", overflow="fold")
    table.add_column("问题")
    for info in infos:
        registered = "\n".join(f"{_KINDS.get(kind, kind)}：{'、'.join(ids)}"
                               for kind, ids in info.registered.items())
        name = info.name + ("（内置）" if info.default else "")
        table.add_row(esc(name), esc(info.version), esc(registered or "（无）"),
                      f"[red]{esc('；'.join(info.errors))}[/]" if info.errors else "")
    out().print(table)


def schemes(as_json: JsonOpt = False) -> None:
    from dangjian import load_catalog

    from ..console import emit_json, esc, out

    catalog = load_catalog()
    rows = [{"id": loaded.scheme.id, "title": loaded.scheme.title,
             "version": loaded.scheme.version, "region": loaded.scheme.region,
             "year": loaded.scheme.year, "plugin": loaded.plugin, "hash": loaded.hash}
            for loaded in catalog.schemes.values()]
    if as_json:
        emit_json(rows)
        return
    console = out()
    if not rows:
        console.print("没有已安装的方案（DANGJIAN_PLUGINS 是否限制了插件？）")
        return
    from rich.table import Table

    table = Table(title="已安装的考核方案", title_justify="left")
    for name in ("方案编号", "名称", "版本", "地区", "年度", "插件"):
        table.add_column(name)
    for row in rows:
        table.add_row(*(esc(row[k] if row[k] is not None else "")
                        for k in ("id", "title", "version", "region", "year", "plugin")))
    console.print(table)
    _problems(catalog)


def _problems(catalog) -> None:
    from ..console import err, esc

    for plugin, message in catalog.problems:
        err().print(f"[yellow]注意：[/]插件 {esc(plugin)} 有问题：{esc(message)}")


def show(scheme: SchemeArg, as_json: JsonOpt = False) -> None:
    from ..console import emit_json, out
    from ..scheme_render import scheme_tree
    from ..schemes import load

    catalog, loaded = load(scheme)
    if as_json:
        emit_json({"plugin": loaded.plugin, "hash": loaded.hash, "scheme": loaded.scheme})
        return
    out().print(scheme_tree(loaded, catalog), soft_wrap=False)


def check(scheme: SchemeArg, as_json: JsonOpt = False,
          strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束")] = False,
          ) -> None:
    from dangjian import load_catalog, load_scheme
    from dangjian.catalogue.check import check_scheme

    from ..console import emit_json, err, esc, out
    from ..schemes import is_scheme_file

    catalog = load_catalog()
    if is_scheme_file(scheme):
        target = load_scheme(scheme)
    elif scheme in catalog.schemes:
        target = catalog.scheme(scheme).scheme
    else:
        refused = [message for _, message in catalog.problems if f"方案 {scheme}" in message]
        if not refused:
            catalog.scheme(scheme)  # raises NotFound listing the installed schemes
        for message in refused:
            err().print(f"[bold red]错误[/] 方案 {esc(scheme)} 未能注册：{esc(message)}")
        raise typer.Exit(1)
    findings = check_scheme(target, catalog)
    errors = [f for f in findings if f.level == "error"]
    warnings = [f for f in findings if f.level != "error"]
    if as_json:
        emit_json({"scheme": target.id, "version": target.version, "ok": not errors,
                   "findings": findings})
    else:
        console = out()
        for f in findings:
            label = "[bold red]错误[/]" if f.level == "error" else "[yellow]警告[/]"
            console.print(f"{label} {esc(f.where)}：{esc(f.message)}")
        verdict = "[bold red]未通过[/]" if errors else "[green]通过[/]"
        err().print(f"方案 {esc(target.id)} {esc(target.version)}：{verdict}"
                    f"（{len(errors)} 个错误，{len(warnings)} 个警告）")
    if errors or (strict and warnings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("plugins", help=PLUGINS_HELP)(plugins)
    app.command("schemes", help=SCHEMES_HELP)(schemes)
    app.command("show", help=SHOW_HELP)(show)
    app.command("check", help=CHECK_HELP)(check)
