"""A what-if report as Chinese tables: the grade matrix, outcome changes, movers, exclusions."""

from __future__ import annotations

from decimal import Decimal

CHANGE_WORDS = {"added": "新增", "removed": "不再适用", "lost": "失去资格", "gained": "获得资格"}
KIND_WORDS = {"consequence": "结果运用", "honour": "荣誉"}


def _signed(value: Decimal) -> str:
    text = f"{value:f}"
    return text if value < 0 else f"+{text}"


def _names(orgs, count: int) -> str:
    names = "、".join(o.org_name or o.org_id for o in orgs)
    return names + (f" 等{count}个" if count > len(orgs) else "")


def _reason(org) -> str:
    """Why an organization is not comparable; a long list of missing inputs is cut short (the
    table above names them all)."""
    if len(org.missing) <= 3:
        return org.reason
    return f"缺少本方案要求的输入：{'、'.join(org.missing[:3])}等{len(org.missing)}项"


def render_whatif(report) -> None:
    from rich.table import Table

    from .console import esc, out

    console = out()
    base, target = report.baseline, report.target
    console.print(f"[bold]推演：批次 {report.run_id}[/]（{esc(base.id)} {esc(base.version)}）"
                  f" → {esc(target.id)} {esc(target.version)}")
    if report.overrides:
        console.print("参数修改：" + "；".join(f"{esc(k)} = {esc(v)}"
                                          for k, v in report.overrides.items()))
    console.print(f"共 {report.organizations} 个组织：可比较 {report.compared} 个，等次变化 "
                  f"[bold]{report.changed_grade}[/] 个（升 {report.raised}、降 {report.lowered}），"
                  f"不可比较 {report.not_comparable} 个")

    if report.matrix:
        cells = {(t.from_grade, t.to_grade): t.count for t in report.matrix}
        rows = [g for g in report.grades_from if any(k[0] == g for k in cells)]
        table = Table(title="等次变化（行：原等次，列：推演等次）", title_justify="left")
        table.add_column("原等次 \\ 推演等次")
        for grade in report.grades_to:
            table.add_column(esc(grade), justify="right")
        table.add_column("合计", justify="right")
        for old in rows:
            counts = [cells.get((old, new), 0) for new in report.grades_to]
            table.add_row(esc(old), *(
                f"[bold]{n}[/]" if n and old != new else (str(n) if n else "·")
                for n, new in zip(counts, report.grades_to, strict=True)), str(sum(counts)))
        console.print(table)

    if report.outcome_changes:
        table = Table(title="结果运用与荣誉资格的变化", title_justify="left")
        for name, justify in (("项目", "left"), ("变化", "left"), ("组织数", "right"),
                              ("组织", "left")):
            table.add_column(name, justify=justify)
        for change in report.outcome_changes:
            table.add_row(f"{KIND_WORDS[change.kind]}：{esc(change.title)}",
                          CHANGE_WORDS[change.change], str(change.count),
                          esc(_names(change.orgs, change.count)))
        console.print(table)

    if report.movers:
        table = Table(title=f"总分变化最大的 {len(report.movers)} 个组织", title_justify="left")
        for name, justify in (("组织编号", "left"), ("组织名称", "left"), ("原总分", "right"),
                              ("原等次", "left"), ("新总分", "right"), ("新等次", "left"),
                              ("变化", "right")):
            table.add_column(name, justify=justify)
        for m in report.movers:
            table.add_row(esc(m.org_id), esc(m.org_name), f"{m.old_total:f}", esc(m.old_grade),
                          f"{m.new_total:f}", esc(m.new_grade), _signed(m.change))
        console.print(table)

    if report.missing_inputs:
        table = Table(title="推演方案要求、而这些组织缺少的输入", title_justify="left")
        table.add_column("输入")
        table.add_column("缺少的组织数", justify="right")
        for missing in report.missing_inputs:
            table.add_row(f"{esc(missing.title)}（{esc(missing.name)}）", str(missing.count))
        console.print(table)
    if report.not_comparable_orgs:
        shown = len(report.not_comparable_orgs)
        more = f"，列出前 {shown} 个" if report.not_comparable > shown else ""
        table = Table(title=f"不可比较的组织（{report.not_comparable} 个{more}）",
                      title_justify="left")
        for name in ("组织编号", "组织名称", "原因"):
            table.add_column(name, overflow="fold")
        for org in report.not_comparable_orgs:
            table.add_row(esc(org.org_id), esc(org.org_name), esc(_reason(org)))
        console.print(table)
    if report.unused_inputs:
        console.print("推演方案不使用的输入（已忽略）：" + esc("、".join(report.unused_inputs)))
