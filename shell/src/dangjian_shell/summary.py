"""The summary after a run: counts, grade distribution, where things went, what to look at."""

from __future__ import annotations

from .console import err, esc, runnable


def grade_order(scheme, grades: dict[str, int]) -> list[str]:
    """Grades in the scheme's band order (好, 较好, 一般, 差), then any others."""
    bands = [b.grade for b in sorted(scheme.bands, key=lambda b: b.min, reverse=True)]
    return [g for g in bands if g in grades] + sorted(g for g in grades if g not in bands)


def grade_table(scheme, grades: dict[str, int], scored: int):
    from rich.table import Table

    table = Table(title="等次分布", title_justify="left", show_edge=False)
    table.add_column("等次")
    table.add_column("个数", justify="right")
    table.add_column("占比", justify="right")
    for grade in grade_order(scheme, grades):
        share = f"{grades[grade] / scored * 100:.1f}%" if scored else "—"
        table.add_row(esc(grade), str(grades[grade]), share)
    return table


def print_summary(report) -> None:
    console = err()
    s = report.summary
    r = report.request
    ref = report.plan.ref
    console.print(f"[bold]评分完成[/]：读入 {s.read} 行，评分 {s.scored} 个，"
                  f"拒绝 {s.rejected} 行（{esc(ref.id)} {esc(ref.version)}"
                  f"，{report.workers} 个进程）")
    if s.read == 0:
        console.print("[yellow]注意：[/]输入文件中没有任何评分行")
    if s.scored:
        console.print(grade_table(report.plan.scheme, s.grades, s.scored))
    where = []
    if s.run_id is not None:
        where.append(f"批次 {s.run_id} 已存入 {esc(r.db)}")
    if r.out is not None:
        where.append(f"结果已写入 {esc(r.out) if str(r.out) != '-' else '标准输出'}")
    if r.rejects is not None:
        where.append(f"拒绝的行已写入 {esc(r.rejects)}")
    if where:
        console.print("；".join(where))
    for note in report.notes:
        console.print(f"[yellow]注意：[/]{esc(note)}")
    for finding in s.findings:
        console.print(f"[magenta]批次规则【{esc(finding.severity)}】[/]{esc(finding.message)}")
    if report.first_rejects:
        console.print("[bold]拒绝的行[/]" + (f"（前 {len(report.first_rejects)} 行）"
                                           if s.rejected > len(report.first_rejects) else "") + "：")
        for reject in report.first_rejects:
            console.print("  " + esc(reject_text(reject)))
        if r.rejects is None:
            hint = (runnable(f"dangjian results {s.run_id} --rejected") if s.run_id is not None
                    else "加 --rejects 文件")
            console.print(f"  全部拒绝原因：{esc(hint)}")


def reject_text(reject) -> str:
    parts = [reject.source or "", f"第 {reject.row} 行"]
    if reject.org_id:
        parts.append(f"组织 {reject.org_id}")
    if reject.field:
        parts.append(f"字段 {reject.field}")
    return "，".join(p for p in parts if p) + f"：{reject.reason}"
