"""The authoring commands themselves; heavy imports stay inside each function."""

import sys
from pathlib import Path
from typing import Annotated

import typer


def _fail(message: str, code: int = 1) -> typer.Exit:
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"[bold red]错误：[/]{escape(message)}")
    return typer.Exit(code)


def _echo(text: str) -> None:
    typer.echo(text)


def plugin_new(
    name: Annotated[str, typer.Argument(
        help="插件名，小写字母、数字和连字符，如 anhui-organs-2024")],
    from_scheme: Annotated[str | None, typer.Option(
        "--from", help="从已安装的方案开始（复制其方案文件和黄金用例，换新的编号和版本）")] = None,
    directory: Annotated[Path, typer.Option(
        "--dir", help="在此目录下创建插件文件夹 dangjian-NAME（默认当前目录）")] = Path("."),
    scheme_version: Annotated[str | None, typer.Option(
        "--scheme-version", help="新方案的版本号（默认按插件名中的年份，如 2024.1）")] = None,
) -> None:
    """生成一个考核方案插件：pyproject、模块、方案文件、黄金用例、测试和 README，装上即可通过测试。

    例：dangjian plugin new anhui-organs-2024
        dangjian plugin new jilin-health-2020 --from jilin-health-2019
    """
    from dangjian.errors import DangjianError

    from .scaffold import from_scheme_plan, plugin_name, starter_plan, write_plugin

    try:
        clean = plugin_name(name)
        target = directory / f"dangjian-{clean}"
        if from_scheme:
            from dangjian import load_catalog

            plan = from_scheme_plan(clean, target, from_scheme, load_catalog(), scheme_version)
        else:
            plan = starter_plan(clean, target, scheme_version)
        written = write_plugin(plan)
    except DangjianError as exc:
        raise _fail(str(exc)) from None
    _echo(f"已生成插件 {plan.dist}（方案 {plan.scheme_id}，版本 {plan.version}）：{target}")
    for path in written:
        _echo(f"  {path.relative_to(target)}")
    origin = f"，由方案 {from_scheme} 复制" if from_scheme else ""
    _echo(f"\n下一步{origin}：\n"
          f"  cd {target}\n"
          f"  dangjian test src/{plan.module}/{plan.scheme_file}   # 核对黄金用例\n"
          f"  pip install -e '.[test]' && pytest                  # 安装并运行插件测试\n"
          f"  dangjian schemes                                      # 安装后可见 {plan.scheme_id}")


def plugin_schema() -> None:
    """输出方案文件格式的 JSON Schema（编辑器可据此提示和校验方案文件）。"""
    import json

    from dangjian.catalogue.loading import scheme_json_schema

    _echo(json.dumps(scheme_json_schema(), ensure_ascii=False, indent=2))


def _file_plan(path: Path, catalog):
    """A scheme file not (or not yet) installed, compiled against the installed methods."""
    return catalog.plan(catalog.add_scheme_file(path).scheme.id)


def _plans(target: str | None, catalog) -> tuple[list, bool]:
    """The plans to test and whether the target was named explicitly."""
    from dangjian.errors import NotFound
    from dangjian.tools.golden import golden_files

    if target is None:
        ids = [sid for sid, loaded in sorted(catalog.schemes.items())
               if golden_files(loaded.path)]
        return [catalog.plan(sid) for sid in ids], False
    path = Path(target)
    if path.suffix.lower() in (".toml", ".json") and path.is_file():
        return [_file_plan(path, catalog)], True
    if target in catalog.schemes:
        return [catalog.plan(target)], True
    if target in catalog.plugins:
        ids = sorted(catalog.plugins[target].registered.get("scheme", []))
        if not ids:
            raise NotFound(f"插件 {target} 没有注册方案")
        return [catalog.plan(sid) for sid in ids], True
    known = "、".join(sorted(catalog.schemes)) or "无"
    raise NotFound(f"没有名为 {target} 的方案、插件或方案文件（已安装的方案：{known}）")


def run_golden_tests(
    target: Annotated[str | None, typer.Argument(
        help="方案编号、插件名或方案文件路径；省略时测试所有带黄金用例的已安装方案",
        show_default=False)] = None,
    pattern: Annotated[str | None, typer.Option(
        "-k", help="只运行名称包含此文字的用例")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """运行方案的黄金用例（方案文件旁的 golden.toml / golden.csv / golden.xlsx），列出覆盖情况。

    有用例未通过时退出码为 1。例：dangjian test jilin-health-2019 -k 否决
    """
    import json

    from dangjian import load_catalog
    from dangjian.errors import DangjianError
    from dangjian.tools.golden import run_golden

    catalog = load_catalog()
    try:
        plans, explicit = _plans(target, catalog)
        reports = [run_golden(plan, pattern=pattern) for plan in plans]
    except DangjianError as exc:
        raise _fail(str(exc), 2 if exc.status == 404 else 1) from None
    total = sum(len(r.cases) for r in reports)
    failed = sum(len(r.failed) for r in reports)
    if as_json:
        _echo(json.dumps({"ok": failed == 0 and total > 0, "cases": total, "failed": failed,
                          "schemes": [r.to_dict() for r in reports]}, ensure_ascii=False,
                         indent=2))
    else:
        for report in reports:
            if not report.cases:
                where = "、".join(report.files) or "方案文件旁"
                _echo(f"方案 {report.scheme_id}：没有黄金用例（{where}）\n")
                continue
            _echo(report.text() + "\n")
    if total == 0:
        hint = "（-k 没有选中任何用例）" if pattern else "（在方案文件旁放 golden.toml）"
        raise _fail("没有可运行的黄金用例" + hint)
    if failed:
        raise _fail(f"{failed} 个黄金用例未通过（共 {total} 个）")
    if not as_json:
        _echo(f"全部通过：{total} 个黄金用例")


def diff(
    scheme_a: Annotated[str, typer.Argument(help="原方案：方案编号或方案文件路径")],
    scheme_b: Annotated[str, typer.Argument(help="新方案：方案编号或方案文件路径")],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """比较两个方案：评分项的增删改、满分与权重、等次、一票否决、荣誉和后果，按树形列出。

    例：dangjian diff jilin-health-2019 src/dangjian_jilin_health_2020/scheme.toml
    """
    import json

    from dangjian import load_catalog
    from dangjian.catalogue.diff import diff_schemes, resolve_scheme
    from dangjian.errors import DangjianError

    catalog = load_catalog()
    try:
        a = resolve_scheme(scheme_a, catalog)
        b = resolve_scheme(scheme_b, catalog)
    except DangjianError as exc:
        raise _fail(str(exc), 2 if exc.status == 404 else 1) from None
    result = diff_schemes(a, b)
    if as_json:
        _echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _echo(result.text())
    sys.stdout.flush()
