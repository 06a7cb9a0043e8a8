"""A scheme as a readable tree: inputs, weights, criteria, bands, vetoes and the tools' sections."""

from __future__ import annotations

from decimal import Decimal

from .console import esc

_TYPES = {"number": "数字", "integer": "整数", "boolean": "是/否", "text": "文本", "date": "日期",
          "choice": "单选", "list": "多个值"}
_ROUNDING = {"half_up": "四舍五入", "half_even": "银行家舍入", "down": "截尾"}


def num(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def condition_text(cond, inputs: dict[str, str]) -> str:
    parts = []
    if cond.flags:
        parts.append("、".join(inputs.get(f, f) for f in cond.flags) + "（任一为是）")
    if cond.grades:
        parts.append("等次为" + "、".join(f"“{g}”" for g in cond.grades))
    if cond.total_below is not None:
        parts.append(f"总分低于{num(cond.total_below)}分")
    if cond.findings:
        parts.append("诊断出现 " + "、".join(cond.findings))
    return "，且".join(parts) or "无条件"


def band_text(band, upper: Decimal | None = None) -> str:
    """“80分及以上、低于90分”: the band's own upper bound, else the next band's minimum."""
    below = band.below if band.below is not None else upper
    if below is None:
        return f"{num(band.min)}分及以上"
    return f"{num(band.min)}分及以上、低于{num(below)}分"


def rounding_text(scheme) -> str:
    r = scheme.rounding
    basis = "按取舍后的总分定等次" if r.bands_read == "rounded" else "按未取舍的精确总分定等次"
    return f"总分{_ROUNDING[r.mode]}保留{r.places}位小数，{basis}"


def _title(table: dict, key: str) -> str:
    """A registered thing's Chinese title (method, diagnostic, org type), else its id."""
    found = table.get(key)
    return getattr(found, "title", None) or key


def _criterion_label(node, methods: dict, inputs: dict[str, str]) -> str:
    bits = []
    if node.max is not None:
        bits.append(f"满分{num(node.max)}")
    if node.method:
        bits.append(f"方法：{_title(methods, node.method)}")
    if node.input:
        bits.append(f"输入：{inputs.get(node.input, node.input)}")
    if node.method:
        from dangjian.methods.activity import wording

        looks_for = wording(node.params)
        if looks_for:
            bits.append(looks_for)
    if not node.method and not node.children:
        bits.append("内容项，不计分")
    suffix = f"（{'，'.join(bits)}）" if bits else ""
    return f"{esc(node.id)} {esc(node.title)}[dim]{esc(suffix)}[/]"


def _add_criteria(branch, nodes, methods: dict, inputs: dict[str, str]) -> None:
    for node in nodes:
        child = branch.add(_criterion_label(node, methods, inputs))
        _add_criteria(child, node.children, methods, inputs)


def scheme_tree(loaded, catalog):
    """A rich Tree of everything a scheme says, in the order a reader needs it."""
    from rich.tree import Tree

    scheme = loaded.scheme
    titles = {t.id: t.title for t in catalog.org_types.values()}
    inputs = {spec.name: spec.title for spec in scheme.inputs}
    honours = {h.id: h.title for h in scheme.honours}
    tree = Tree(f"[bold]{esc(scheme.title)}[/]（{esc(scheme.id)}，版本 {esc(scheme.version)}，"
                f"插件 {esc(loaded.plugin)}）")
    info = tree.add("基本信息")
    for label, value in (("地区", scheme.region), ("年度", scheme.year),
                         ("适用组织", "、".join(titles.get(t, t) for t in scheme.org_types)),
                         ("满分", num(scheme.max)), ("计分基准日", scheme.as_of),
                         ("依据", scheme.source), ("说明", scheme.description)):
        if value:
            info.add(f"{label}：{esc(value)}")
    info.add(f"取舍：{rounding_text(scheme)}")
    info.add(f"内容哈希：{esc(loaded.hash)}")

    if scheme.inputs:
        branch = tree.add("输入（评分表的列）")
        for spec in scheme.inputs:
            bits = [_TYPES.get(spec.type, spec.type), "必填" if spec.required else "选填"]
            if spec.min is not None and spec.max is not None:
                bits.append(f"{num(spec.min)}—{num(spec.max)}")
            elif spec.min is not None:
                bits.append(f"不小于{num(spec.min)}")
            elif spec.max is not None:
                bits.append(f"不大于{num(spec.max)}")
            if spec.choices:
                bits.append("可选 " + " / ".join(spec.choices))
            branch.add(f"{esc(spec.title)}（{esc(spec.name)}）：{esc('，'.join(bits))}")
    if scheme.components:
        branch = tree.add("分项与权重")
        for comp in scheme.components:
            how = (f"方法：{_title(catalog.methods, comp.method)}" if comp.method
                   else "评分项 " + "、".join(comp.criteria))
            given = f"，输入：{inputs.get(comp.input, comp.input)}" if comp.input else ""
            branch.add(f"{esc(comp.title)}：权重 {num(comp.weight * 100)}%，满分{num(comp.max)}，"
                       f"{esc(how + given)}")
        if scheme.missing_components == "reweight":
            branch.add("缺项时按其余分项权重折算")
    if scheme.criteria:
        _add_criteria(tree.add("评分项"), scheme.criteria, catalog.methods, inputs)
    for adj in scheme.adjustments:
        kind = "加分" if adj.kind == "bonus" else "扣分"
        _add_criteria(tree.add(f"{esc(adj.title)}（{kind}，上限{num(adj.cap)}分）"), adj.items,
                      catalog.methods, inputs)
    if scheme.bands:
        branch = tree.add("等次")
        upper = None
        for band in sorted(scheme.bands, key=lambda b: b.min, reverse=True):
            branch.add(f"“{esc(band.grade)}”：{band_text(band, upper)}")
            upper = band.min
        branch.add(rounding_text(scheme))
    if scheme.vetoes:
        branch = tree.add("一票否决")
        for veto in scheme.vetoes:
            effects = []
            if veto.cap_grade:
                effects.append(f"等次最高为“{veto.cap_grade}”")
            if veto.blocks:
                effects.append("不得评为" + "、".join(honours.get(h, h) for h in veto.blocks))
            branch.add(f"{esc(veto.title)}：当{esc(condition_text(veto.when, inputs))}时，"
                       f"{esc('；'.join(effects) or '无效果')}")
    if scheme.honours:
        branch = tree.add("荣誉与评优")
        for honour in scheme.honours:
            need = ("要求等次为" + "、".join(f"“{g}”" for g in honour.requires_grades)
                    if honour.requires_grades else "不限等次")
            branch.add(f"{esc(honour.title)}：{esc(need)}")
    if scheme.consequences:
        branch = tree.add("结果运用")
        for rule in scheme.consequences:
            branch.add(f"{esc(rule.title)}：当{esc(condition_text(rule.when, inputs))}时")
    if scheme.diagnostics:
        branch = tree.add("诊断")
        for diag in scheme.diagnostics:
            branch.add(f"{esc(diag.title)}（{esc(diag.id)}，严重程度 {diag.severity}，"
                       f"方法：{esc(_title(catalog.diagnostics, diag.method))}）")
    _add_tools(tree, scheme, titles)
    return tree


def _add_tools(tree, scheme, titles: dict[str, str]) -> None:
    if scheme.draw is not None:
        d = scheme.draw
        types = "、".join(titles.get(t, t) for t in d.org_types) or "全部适用组织"
        tree.add(f"现场抽取：从{esc(types)}中随机抽取不少于 {esc(d.fraction)}（向上取整）"
                 f"{esc(d.title)}，其余{esc(d.rest_title)}（dangjian sample）")
    if scheme.report is not None:
        r = scheme.report
        bits = []
        if r.max_chars:
            bits.append(f"不超过{r.max_chars}字")
        if r.sections:
            bits.append("须有" + "、".join(f"“{s}”" for s in r.sections))
        if r.share_tolerance is not None and r.sections:
            bits.append(f"各部分篇幅均分，偏差不超过{num(r.share_tolerance * 100)}个百分点")
        tree.add(f"{esc(r.title)}要求：{esc('；'.join(bits) or r.check)}（dangjian lint-report）")
    if scheme.deadlines:
        from dangjian.tools.timeline import describe

        branch = tree.add("时间节点（dangjian deadlines）")
        for d in scheme.deadlines:
            branch.add(f"{esc(d.title)}：{esc(describe(d))}")
    if scheme.reporting_lines:
        branch = tree.add("述职关系（dangjian coverage）")
        for line in scheme.reporting_lines:
            who = "、".join(titles.get(t, t) for t in line.org_types)
            under = ("（上级为" + "、".join(titles.get(t, t) for t in line.parent_types) + "）"
                     if line.parent_types else "")
            if line.nearest_types:
                nearest = "或".join(titles.get(t, t) for t in line.nearest_types)
                under += f"（上级中有{nearest}）"
                target = line.reports_to.replace("{nearest}", f"最近的上级{nearest}")
            else:
                target = line.reports_to
            target = target.replace("{parent}", "所在的上级组织")
            branch.add(f"{esc(who)}{esc(under)} → {esc(target)}")
