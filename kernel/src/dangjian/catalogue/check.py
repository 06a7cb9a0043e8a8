"""Lint a scheme: weights, bands, vetoes that can never fire, unknown methods and inputs."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import msgspec

from dangjian.errors import DangjianError
from dangjian.catalogue.loading import SCHEME_FILE, LoadedScheme
from dangjian.numbers import ZERO, fmt
from dangjian.scheme import Criterion, Scheme


class CheckFinding(msgspec.Struct, frozen=True, kw_only=True):
    """One problem in a scheme: `error` blocks registration, `warning` is worth a look."""

    level: str
    where: str
    message: str


def _walk(nodes: list[Criterion], prefix: str = "criteria"):
    for node in nodes:
        yield prefix, node
        yield from _walk(node.children, f"{prefix}.{node.id}")


def _node_max(node: Criterion) -> Decimal | None:
    if node.max is not None:
        return node.max
    maxes = [m for m in (_node_max(c) for c in node.children) if m is not None]
    return sum(maxes, ZERO) if maxes else None


def _named_inputs(params: dict, inputs: dict) -> set[str]:
    """Inputs a method or diagnostic reads through its params (e.g. `people`, `attribute`)."""
    found = set()
    for value in params.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item in inputs:
                found.add(item)
    return found


LARGEST = Decimal("1e9")
"""No score, weight or bound in a scheme comes near a billion; beyond it is a typo or an attack."""
MAX_PLACES = 10


def _numbers(scheme: Scheme, nodes):
    """(where, value, must not be negative) for every number a scheme states."""
    yield "max", scheme.max, True
    for spec in scheme.inputs:
        yield f"inputs.{spec.name}.min", spec.min, False
        yield f"inputs.{spec.name}.max", spec.max, False
    for where, node in nodes:
        yield f"{where}.{node.id}.max", node.max, True
    for comp in scheme.components:
        yield f"components.{comp.id}.weight", comp.weight, True
        yield f"components.{comp.id}.max", comp.max, True
    for adj in scheme.adjustments:
        yield f"adjustments.{adj.id}.cap", adj.cap, True
    for band in scheme.bands:
        yield f"bands.{band.grade}.min", band.min, False
        yield f"bands.{band.grade}.below", band.below, False
    for kind, rules in (("vetoes", scheme.vetoes), ("consequences", scheme.consequences)):
        for rule in rules:
            yield f"{kind}.{rule.id}.when.total_below", rule.when.total_below, False
    if scheme.report is not None:
        yield "report.share_tolerance", scheme.report.share_tolerance, True


def _number_findings(scheme: Scheme, nodes) -> list[CheckFinding]:
    """Numbers no scheme can mean: NaN, infinities, absurd sizes, negative maxima, min > max.
    Any of these stops the check: the rest would compute with them."""
    found = []

    def error(where: str, message: str) -> None:
        found.append(CheckFinding(level="error", where=where, message=message))

    for where, value, positive in _numbers(scheme, nodes):
        if value is None:
            continue
        if not value.is_finite():
            error(where, f"应为有限的数，实为 {value}")
        elif abs(value) >= LARGEST:
            error(where, f"数值过大（{value:.3E}），应小于 10 亿")
        elif value != 0 and value.as_tuple().exponent < -MAX_PLACES:
            error(where, f"小数位数过多（超过 {MAX_PLACES} 位）")
        elif positive and value < 0:
            error(where, f"不能为负数（实为 {fmt(value)}）")
    if found:
        return found
    for spec in scheme.inputs:
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            error(f"inputs.{spec.name}", f"下限 min {fmt(spec.min)} 大于上限 max {fmt(spec.max)}")
    if not 0 <= scheme.rounding.places <= MAX_PLACES:
        error("rounding.places", f"保留小数位数应在 0—{MAX_PLACES} 之间，实为 {scheme.rounding.places}")
    return found


def check_scheme(scheme: Scheme, catalog) -> list[CheckFinding]:
    """Every finding for a scheme, errors first. Used at registration and by `dangjian check`."""
    found: list[CheckFinding] = []

    def error(where: str, message: str) -> None:
        found.append(CheckFinding(level="error", where=where, message=message))

    def warn(where: str, message: str) -> None:
        found.append(CheckFinding(level="warning", where=where, message=message))

    inputs = {spec.name: spec for spec in scheme.inputs}
    used_inputs: set[str] = set()

    # ids -------------------------------------------------------------------------------
    seen: dict[str, str] = {}
    nodes = list(_walk(scheme.criteria))
    for adj in scheme.adjustments:
        nodes.extend(_walk(adj.items, f"adjustments.{adj.id}"))
    numbers = _number_findings(scheme, nodes)
    if numbers:
        return numbers
    for where, node in nodes:
        if node.id in seen:
            error(f"{where}.{node.id}", f"评分项 id {node.id} 重复")
        seen[node.id] = where
    names = Counter(spec.name for spec in scheme.inputs)
    for dup in sorted(name for name, n in names.items() if n > 1):
        error(f"inputs.{dup}", f"输入 {dup} 重复声明")

    # methods and inputs -----------------------------------------------------------------------
    def check_method(where: str, method: str | None, input_name: str | None,
                     params: dict) -> None:
        if method is not None and method not in catalog.methods:
            error(f"{where}.method", f"未知的评分方法 {method}（已注册："
                  f"{'、'.join(sorted(catalog.methods))}）")
        for name in [input_name, *(v for k, v in params.items()
                                   if k in ("numerator", "denominator", "evidence"))]:
            if name is None:
                continue
            used_inputs.add(name)
            if name not in inputs:
                error(f"{where}.input", f"引用了未声明的输入 {name}")

    for where, node in nodes:
        check_method(f"{where}.{node.id}", node.method, node.input, node.params)
        if node.method is not None and node.children:
            error(f"{where}.{node.id}", "同一评分项不能既有评分方法又有下级评分项")
        if node.method is not None and node.max is None:
            error(f"{where}.{node.id}.max", "有评分方法的评分项必须给出满分 max")
        if node.children and node.max is not None:
            child_sum = sum((m for m in (_node_max(c) for c in node.children) if m is not None),
                            ZERO)
            if child_sum and child_sum < node.max:
                warn(f"{where}.{node.id}", f"下级满分合计{fmt(child_sum)}分，达不到本项满分"
                     f"{fmt(node.max)}分")
    for comp in scheme.components:
        check_method(f"components.{comp.id}", comp.method, comp.input, comp.params)
        if comp.method is None and not comp.criteria:
            error(f"components.{comp.id}", "分项需要评分方法 method 或引用评分项 criteria")
        for ref in comp.criteria:
            if ref not in seen:
                error(f"components.{comp.id}.criteria", f"引用的评分项 {ref} 不存在")
    for spec in scheme.inputs:
        if spec.type == "choice" and not spec.choices:
            error(f"inputs.{spec.name}", "选择题输入需要 choices")

    # weights -------------------------------------------------------------------------------
    if scheme.components:
        reach = sum((c.weight * c.max for c in scheme.components), ZERO)
        if reach != scheme.max:
            error("components", f"各分项 权重×满分 合计{fmt(reach)}分，与方案满分{fmt(scheme.max)}分不符")
    else:
        tops = [m for m in (_node_max(n) for n in scheme.criteria) if m is not None]
        reach = sum(tops, ZERO)
        if tops and reach != scheme.max:
            warn("criteria", f"一级评分项满分合计{fmt(reach)}分，与方案满分{fmt(scheme.max)}分不符")

    # bands ---------------------------------------------------------------------------------
    grades = [b.grade for b in scheme.bands]
    grade_set = set(grades)
    if not scheme.bands:
        warn("bands", "没有等次划分，结果将为“未定等次”")
    for dup in sorted(g for g, n in Counter(grades).items() if n > 1):
        error("bands", f"等次“{dup}”重复")
    ordered = sorted(scheme.bands, key=lambda b: b.min)
    step = Decimal(1).scaleb(-scheme.rounding.places)
    for band in ordered:
        if band.below is not None and band.below <= band.min:
            error(f"bands.{band.grade}", f"下限{fmt(band.min)}不小于上限{fmt(band.below)}")
    if ordered:
        if ordered[0].min > 0:
            error("bands", f"0—{fmt(ordered[0].min)}分之间的总分没有对应等次")
        for low, high in zip(ordered, ordered[1:]):
            if low.below is None:
                continue
            if low.below > high.min:
                error("bands", f"等次“{low.grade}”与“{high.grade}”重叠（“{high.grade}”从"
                      f"{fmt(high.min)}分起）")
            elif low.below < high.min:
                error("bands", f"{fmt(low.below)}—{fmt(high.min - step)}分之间的总分没有对应等次")
        top = ordered[-1]
        if top.below is not None and top.below <= scheme.max:
            error("bands", f"{fmt(top.below)}分及以上的总分没有对应等次")

    # vetoes, honours, consequences --------------------------------------------------------------
    honours = {h.id for h in scheme.honours}
    finding_codes = {d.id for d in scheme.diagnostics}

    def check_condition(where: str, cond) -> None:
        for flag in cond.flags:
            used_inputs.add(flag)
            if flag not in inputs:
                error(where, f"条件引用的输入 {flag} 未声明，永远不会触发")
            elif inputs[flag].type != "boolean":
                warn(where, f"条件引用的输入 {flag} 不是是/否类型")
        for grade in cond.grades:
            if grade not in grade_set:
                error(where, f"条件中的等次“{grade}”不在等次划分中，永远不会触发")
        if cond.total_below is not None and cond.total_below <= 0:
            error(where, f"总分低于{fmt(cond.total_below)}分的条件永远不会触发")
        for code in cond.findings:
            if code not in finding_codes:
                error(where, f"条件引用的诊断 {code} 不存在，永远不会触发")

    for veto in scheme.vetoes:
        where = f"vetoes.{veto.id}"
        check_condition(where, veto.when)
        if veto.cap_grade is not None and veto.cap_grade not in grade_set:
            error(where, f"封顶等次“{veto.cap_grade}”不在等次划分中")
        for honour in veto.blocks:
            if honour not in honours:
                error(where, f"否决的荣誉 {honour} 未在 honours 中声明")
        if veto.cap_grade is None and not veto.blocks:
            warn(where, "一票否决既不封顶等次也不否决荣誉，不起作用")
    for honour in scheme.honours:
        for grade in honour.requires_grades:
            if grade not in grade_set:
                error(f"honours.{honour.id}", f"要求的等次“{grade}”不在等次划分中")
    for rule in scheme.consequences:
        check_condition(f"consequences.{rule.id}", rule.when)

    # org types, diagnostics, reports ---------------------------------------------------------
    for type_id in scheme.org_types:
        if type_id not in catalog.org_types:
            error("org_types", f"未知的组织类型 {type_id}")
    for diag in scheme.diagnostics:
        if diag.method not in catalog.diagnostics:
            error(f"diagnostics.{diag.id}", f"未知的诊断方法 {diag.method}")
    if scheme.report is not None and scheme.report.check not in catalog.document_checks:
        error("report.check", f"未知的报告检查 {scheme.report.check}")
    for position, line in enumerate(scheme.reporting_lines):
        where = f"reporting_lines[{position}]"
        named = set(re.findall(r"\{(\w*)\}", line.reports_to))
        for unknown in sorted(named - {"parent", "nearest"}):
            error(where, f"reports_to 中的 {{{unknown}}} 不可用（可用 {{parent}}、{{nearest}}）")
        if "nearest" in named and not line.nearest_types:
            error(where, "reports_to 用了 {nearest}，但没有给出 nearest_types")
        for type_id in [*line.org_types, *line.parent_types, *line.nearest_types]:
            if type_id not in catalog.org_types:
                error(where, f"未知的组织类型 {type_id}")
    for rule in scheme.batch_rules:
        if rule.method not in catalog.batch_rules:
            error(f"batch_rules.{rule.id}", f"未知的批次规则 {rule.method}")
    for _, node in nodes:
        used_inputs.update(_named_inputs(node.params, inputs))
    for comp in scheme.components:
        used_inputs.update(_named_inputs(comp.params, inputs))
    for diag in scheme.diagnostics:
        used_inputs.update(_named_inputs(diag.params, inputs))
    for name in inputs:
        if name not in used_inputs:
            warn(f"inputs.{name}", f"输入 {name} 未被任何评分项或条件使用")

    # compile: method params ----------------------------------------------------------------------
    if not any(f.level == "error" for f in found):
        from dangjian.scoring.engine import compile_scheme

        try:
            compile_scheme(LoadedScheme(scheme, SCHEME_FILE, None, ""), catalog)
        except DangjianError as exc:
            error(exc.field or "scheme", exc.message)
    found.sort(key=lambda f: f.level != "error")
    return found
