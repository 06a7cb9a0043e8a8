"""The leadership report as one self-contained HTML page: Chinese, A4 print CSS, system CJK
fonts only (never a web font), the chart inline as SVG, no script and no external resource."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from .chart import grade_chart
from .data import ReportData, Row

MAX_ROWS = 2000
"""Longest table printed in full; a larger batch shows its top and bottom and says so."""

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
       "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", sans-serif;
       font-size: 10.5pt; line-height: 1.5; color: #1d1d1f; margin: 0 auto; max-width: 190mm;
       padding: 8mm 0; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 2mm; color: #9b1c1c; }
h2 { font-size: 13pt; border-left: 4px solid #b71c1c; padding-left: 6px; margin: 7mm 0 3mm;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }
.meta { text-align: center; color: #555; margin: 0 0 5mm; }
.facts { display: flex; gap: 2.5mm; margin: 0 0 3mm; }
.fact { flex: 1 1 0; min-width: 0; border: 1px solid #d0d4d9; border-radius: 2mm; padding: 2mm 3mm; }
.fact b { display: block; font-size: 15pt; color: #9b1c1c; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 1mm 0 3mm; font-size: 9.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #c8ccd1; padding: 1.2mm 1.8mm; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; }
td { overflow-wrap: anywhere; }
#grades { width: 90mm; margin: 0 auto 3mm; }
.grade-top { color: #9b1c1c; font-weight: bold; }
.note { color: #555; font-size: 9pt; }
.empty { color: #555; }
.chart { display: block; margin: 2mm auto; max-width: 100%; height: auto; }
.chart text { font-family: inherit; font-size: 12px; fill: #1d1d1f; }
.chart .axis { fill: #666; font-size: 11px; }
.chart .label { font-size: 13px; font-weight: bold; }
.unit { break-inside: auto; }
.up { color: #1b5e20; } .down { color: #b71c1c; }
footer { margin-top: 8mm; color: #777; font-size: 8.5pt; border-top: 1px solid #ddd;
         padding-top: 2mm; }
@media print { body { padding: 0; max-width: none; } }
"""


def render(data: ReportData) -> str:
    """The whole report page."""
    run = data.run
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(data.scheme_title)} 评分报告（批次 {run['id']}）</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(data.scheme_title)}</h1>",
        f'<p class="meta">评分报告 · 批次 {run["id"]} · 方案 {_e(data.scheme_id)} '
        f"{_e(data.scheme_version)} · 评分时间 {_e(data.finished)}</p>",
        _overview(data), _rules(data), _units(data), _ranking(data), _consequences(data),
        _vetoes(data), _blocked(data), _comparison(data), _rejects(data), _whatif(data),
        f'<footer>由 dangjian 根据批次 {run["id"]} 的存储结果生成；每个组织的逐条得分说明见 '
        f'<code>dangjian explain --run {run["id"]} 组织编号</code>。</footer>',
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _overview(data: ReportData) -> str:
    run = data.run
    facts = [("读入行数", run.get("read", 0)), ("评分组织", data.scored),
             ("拒绝行数", run.get("rejected", 0)),
             *((grade, count) for grade, count in data.grades)]
    cells = "".join(f'<div class="fact">{_e(k)}<b>{v}</b></div>' for k, v in facts)
    shares = "".join(
        f"<tr><td>{_e(g)}</td><td class=num>{n}</td><td class=num>{_share(n, data.scored)}</td></tr>"
        for g, n in data.grades)
    table = (f"<table id=grades><thead><tr><th>等次</th><th class=num>个数</th>"
             f"<th class=num>占比</th></tr></thead><tbody>{shares}</tbody></table>")
    note = f'<p class="note">备注：{_e(run["note"])}</p>' if run.get("note") else ""
    if not data.grades:
        table = ""
    return (f'<section id="overview"><h2>一、总体情况</h2><div class="facts">{cells}</div>'
            f"<h3>等次分布</h3>{grade_chart(data.grades)}{table}{note}</section>")


def _rules(data: ReportData) -> str:
    if not data.batch_findings:
        return ""
    items = "".join(f"<li>{_e(m)}</li>" for m in data.batch_findings)
    return f'<section id="batch-rules"><h2>批次规则</h2><ul>{items}</ul></section>'


def _units(data: ReportData) -> str:
    if data.units_source:
        note = f"上级组织取自{_e(data.units_source)}；单位内名次在同一上级组织之下排列。"
    else:
        note = ("评分数据中没有上级组织，下表为全部组织；命令行可用 --orgs 组织名册按单位分表。")
    blocks = []
    for unit in data.units:
        counts: dict[str, int] = {}
        for row in unit.rows:
            counts[row.grade] = counts.get(row.grade, 0) + 1
        order = [g for g, _ in data.grades if g in counts]
        summary = "、".join(f"{g}{counts[g]}个" for g in order)
        rows = "".join(
            f"<tr><td class=num>{_n(row.unit_rank) if data.units_source else _rank(row)}</td>"
            f"<td>{_e(row.name)}</td><td>{_e(row.type_title)}</td>"
            f"<td class=num>{_total(row.total)}</td><td>{_grade(row.grade, data)}</td>"
            f"<td class=num>{_rank(row)}</td><td>{_e('、'.join(row.consequences))}</td></tr>"
            for row in _limited(unit.rows))
        first = "单位内名次" if data.units_source else "名次"
        blocks.append(
            f'<div class="unit"><h3>{_e(unit.title)}（{len(unit.rows)}个：{_e(summary)}）</h3>'
            f"<table>{_cols(20, 54, 18, 16, 12, 24, 38)}<thead><tr><th class=num>{first}</th><th>组织</th><th>类型</th>"
            f"<th class=num>总分</th><th>等次</th><th class=num>批次名次</th><th>结果运用</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>{_cut(unit.rows)}</div>")
    return (f'<section id="units"><h2>二、各单位评分结果</h2><p class="note">{note}</p>'
            f'{"".join(blocks)}</section>')


def _ranking(data: ReportData) -> str:
    rows = "".join(
        f"<tr><td class=num>{_rank(row)}</td><td>{_e(row.name)}</td>"
        f"<td>{_e(row.unit or '')}</td><td class=num>{_total(row.total)}</td>"
        f"<td>{_grade(row.grade, data)}</td></tr>" for row in _limited(data.ranking))
    unit_head = "<th>上级组织</th>"
    return (f'<section id="ranking"><h2>三、名次</h2><p class="note">名次规则：{_e(data.tie_rule)}。'
            f"</p><table>{_cols(24, 66, 58, 18, 14)}<thead><tr><th class=num>名次</th><th>组织</th>{unit_head}"
            f"<th class=num>总分</th><th>等次</th></tr></thead><tbody>{rows}</tbody></table>"
            f"{_cut(data.ranking)}</section>")


def _consequences(data: ReportData) -> str:
    if not data.consequences:
        body = '<p class="empty">本批次没有需要约谈、限期整改或问责的组织。</p>'
    else:
        body = ""
        for title, rows in data.consequences.items():
            items = "".join(
                f"<tr><td>{_e(row.name)}</td><td>{_e(row.unit or '')}</td>"
                f"<td class=num>{_total(row.total)}</td><td>{_grade(row.grade, data)}</td></tr>"
                for row in _limited(rows))
            body += (f"<h3>{_e(title)}（{len(rows)}个）</h3><table>{_cols(66, 66, 26, 24)}"
                     f"<thead><tr><th>组织</th>"
                     f"<th>上级组织</th><th class=num>总分</th><th>等次</th></tr></thead>"
                     f"<tbody>{items}</tbody></table>{_cut(rows)}")
    return f'<section id="consequences"><h2>四、结果运用：约谈、限期整改、问责</h2>{body}</section>'


def _vetoes(data: ReportData) -> str:
    rows = data.vetoed
    if not rows:
        body = '<p class="empty">本批次没有一票否决。</p>'
    else:
        items = "".join(
            f"<tr><td>{_e(row.name)}</td><td>{_e(row.unit or '')}</td>"
            f"<td>{_e('；'.join(t if not r or r == t else f'{t}（{r}）' for t, r in row.vetoes))}"
            f"</td><td>{_grade(row.grade, data)}</td></tr>" for row in _limited(rows))
        body = (f"<table>{_cols(50, 50, 58, 24)}<thead><tr><th>组织</th><th>上级组织</th>"
                f"<th>一票否决</th><th>等次</th>"
                f"</tr></thead><tbody>{items}</tbody></table>{_cut(rows)}")
    return f'<section id="vetoes"><h2>五、一票否决</h2>{body}</section>'


def _blocked(data: ReportData) -> str:
    rows = data.blocked
    if not rows:
        body = '<p class="empty">没有不得评定的荣誉。</p>'
    else:
        groups: dict[tuple[str, str], list[Row]] = {}
        for row in rows:
            for title, reason in row.blocked:
                groups.setdefault((title, reason), []).append(row)
        body = f'<p class="note">共 {len(rows)} 个组织有不得评定的荣誉，按荣誉和原因列出。</p>'
        for (title, reason), members in groups.items():
            names = "、".join(f"{_e(row.name)}（{_e(row.grade)}）" for row in _limited(members))
            body += (f"<h3>{_e(title)}：{len(members)}个不得评定</h3>"
                     f'<p class="note">原因：{_e(reason or "未说明")}</p><p>{names}</p>'
                     f"{_cut(members)}")
    return f'<section id="blocked"><h2>六、不得评定的荣誉</h2>{body}</section>'


def _comparison(data: ReportData) -> str:
    c = data.comparison
    if c is None:
        return ""
    before = c.run
    head = (f'<p class="note">与批次 {before["id"]}（{_e(before.get("scheme_id", ""))} '
            f'{_e(before.get("scheme_version") or "")}）比较同一组织的等次：上升 {len(c.up)} 个，'
            f"下降 {len(c.down)} 个，不变 {c.same} 个"
            + (f"；本批次新增 {len(c.only_now)} 个" if c.only_now else "")
            + (f"；上次有、本次没有 {len(c.only_before)} 个" if c.only_before else "")
            + (f"；{c.unordered} 个等次无法比较高低" if c.unordered else "") + "。</p>")
    body = head
    for title, moves, css in (("等次上升", c.up, "up"), ("等次下降", c.down, "down")):
        if not moves:
            body += f'<h3>{title}</h3><p class="empty">无。</p>'
            continue
        items = "".join(
            f"<tr><td>{_e(m.row.name)}</td><td>{_e(m.row.unit or '')}</td>"
            f"<td>{_e(m.before_grade)}（{_total(m.before_total)}）</td>"
            f'<td class="{css}">{_e(m.row.grade)}（{_total(m.row.total)}）</td>'
            f"<td class=num>{m.before_rank} → {m.row.rank}</td></tr>" for m in moves)
        body += (f"<h3>{title}（{len(moves)}个）</h3><table>{_cols(54, 46, 30, 30, 22)}"
                 f"<thead><tr><th>组织</th>"
                 f"<th>上级组织</th><th>批次 {before['id']}</th><th>本批次</th>"
                 f"<th class=num>名次</th></tr></thead><tbody>{items}</tbody></table>")
    return f'<section id="comparison"><h2>七、与上次比较</h2>{body}</section>'


def _whatif(data: ReportData) -> str:
    """附：推演 — the same organizations rescored under another scheme or changed parameters."""
    w = data.whatif
    if w is None:
        return ""
    other = w.target.id != w.baseline.id or w.target.version != w.baseline.version
    under = f"方案 {_e(w.target.id)} {_e(w.target.version)}" if other else "本方案"
    if w.overrides:
        under += "，修改参数 " + "、".join(f"<code>{_e(k)}={_e(v)}</code>"
                                         for k, v in w.overrides.items())
    body = (f'<p class="note">按{under}重新评定本批次存储的输入（不存储、不改变上面的结果）：'
            f"可比较 {w.compared} 个，等次变化 {w.changed_grade} 个（上升 {w.raised} 个，"
            f"下降 {w.lowered} 个），不可比较 {w.not_comparable} 个。</p>")
    cells = {(t.from_grade, t.to_grade): t.count for t in w.matrix}
    head = "".join(f"<th class=num>{_e(g)}</th>" for g in w.grades_to)
    rows = "".join(
        f"<tr><th>{_e(g)}</th>" + "".join(
            f"<td class=num>{cells.get((g, to), '') or ''}</td>" for to in w.grades_to)
        + "</tr>" for g in w.grades_from)
    body += (f"<h3>等次变化（行：原等次，列：推演等次）</h3><table><thead><tr><th>原＼推演</th>"
             f"{head}</tr></thead><tbody>{rows}</tbody></table>")
    if w.outcome_changes:
        from dangjian.store.whatif import CONSEQUENCE_CHANGES, HONOUR_CHANGES

        words = {**CONSEQUENCE_CHANGES, **HONOUR_CHANGES}
        items = "".join(
            f"<tr><td>{_e(c.title)}</td><td>{_e(words.get(c.change, c.change))}</td><td class=num>{c.count}</td>"
            f"<td>{_e('、'.join(o.org_name or o.org_id for o in c.orgs))}"
            f"{'等' if c.count > len(c.orgs) else ''}</td></tr>" for c in w.outcome_changes)
        body += (f"<h3>结果运用与荣誉资格的变化</h3><table>{_cols(40, 24, 16, 100)}<thead><tr>"
                 f"<th>事项</th><th>变化</th><th class=num>个数</th><th>组织</th></tr></thead>"
                 f"<tbody>{items}</tbody></table>")
    if w.movers:
        items = "".join(
            f"<tr><td>{_e(m.org_name or m.org_id)}</td><td>{_e(m.old_grade)}（{_total(m.old_total)}）"
            f"</td><td>{_e(m.new_grade)}（{_total(m.new_total)}）</td>"
            f"<td class=num>{_total(m.change) if m.change < 0 else '+' + _total(m.change)}</td></tr>"
            for m in w.movers)
        body += (f"<h3>总分变化最大的组织</h3><table>{_cols(60, 34, 34, 22)}<thead><tr>"
                 f"<th>组织</th><th>原</th><th>推演</th><th class=num>变化</th></tr></thead>"
                 f"<tbody>{items}</tbody></table>")
    if w.not_comparable_orgs:
        shown = "；".join(f"{_e(o.org_name or o.org_id)}：{_e(o.reason)}"
                         for o in w.not_comparable_orgs)
        body += f'<h3>不可比较的组织</h3><p class="note">{shown}</p>'
    return f'<section id="whatif"><h2>附：推演</h2>{body}</section>'


def _rejects(data: ReportData) -> str:
    if not data.rejects:
        body = '<p class="empty">本批次没有被拒绝的行。</p>'
    else:
        items = "".join(
            f"<tr><td>{_e(r.source or '')}</td><td class=num>{r.row}</td><td>{_e(r.org_id or '')}"
            f"</td><td>{_e(title)}</td><td>{_e(r.reason)}</td></tr>"
            for r, title in data.rejects[:MAX_ROWS])
        more = (f'<p class="note">另有 {len(data.rejects) - MAX_ROWS} 行未列出'
                f'（dangjian results {data.run["id"]} --rejected）。</p>'
                if len(data.rejects) > MAX_ROWS else "")
        body = (f'<p class="note">这些行没有评分，需核对后重新提交：</p><table>'
                f"{_cols(36, 12, 22, 28, 84)}<thead><tr>"
                f"<th>文件</th><th class=num>行号</th><th>组织编号</th><th>字段</th><th>原因</th>"
                f"</tr></thead><tbody>{items}</tbody></table>{more}")
    number = "八" if data.comparison is not None else "七"
    return f'<section id="rejects"><h2>{number}、被拒绝的行</h2>{body}</section>'


def _cols(*widths: int) -> str:
    """Column widths in millimetres, so every table of one kind lines up on the page."""
    return "<colgroup>" + "".join(f'<col style="width:{w}mm">' for w in widths) + "</colgroup>"


def _limited(rows: list[Row]) -> list[Row]:
    return rows if len(rows) <= MAX_ROWS else rows[:MAX_ROWS]


def _cut(rows: list[Row]) -> str:
    if len(rows) <= MAX_ROWS:
        return ""
    return f'<p class="note">只列出前 {MAX_ROWS} 个，共 {len(rows)} 个（完整名单见结果表）。</p>'


def _rank(row: Row) -> str:
    return f"{row.rank}（并列）" if row.tied else str(row.rank)


def _n(value: int | None) -> str:
    return "—" if value is None else str(value)


def _grade(grade: str, data: ReportData) -> str:
    top = data.grades[0][0] if data.grades else None
    return f'<span class="grade-top">{_e(grade)}</span>' if grade == top else _e(grade)


def _total(value: Decimal) -> str:
    return f"{value:f}"


def _share(count: int, total: int) -> str:
    return f"{count / total * 100:.1f}%" if total else "—"


def _e(text: object) -> str:
    return escape(str(text))
