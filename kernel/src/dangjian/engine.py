"""The engine: compile a scheme once into a plan, then score evaluations with plain calls.

Hooks are never called here per evaluation: methods were looked up in the catalogue and
compiled into scorers when the plan was built.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Any

import msgspec

from .errors import DangjianError, EvaluationRejected, SchemeError
from .extension import EvalContext, MethodSpec, Outcome
from .inputs import InputChecker
from .models import (ComponentScore, Evaluation, Finding, Line, Organization, Reject, Result,
                     SchemeRef)
from .numbers import ROUNDING_MODES, ZERO, clamp, fmt, round_total
from .outcomes import Judge
from .scheme import Component, Criterion, Scheme

_MODE_WORDS = {"half_up": "四舍五入", "half_even": "银行家舍入", "down": "截尾"}
NodeFn = Callable[[EvalContext, list], "Decimal | None"]


def _method_scorer(catalog, scheme: Scheme, node_id: str, title: str, method: str,
                   max_points: Decimal, input_name: str | None, params: dict,
                   used_plugins: set[str]):
    entry = catalog.methods.get(method)
    if entry is None:
        raise SchemeError(f"评分项 {node_id} 使用了未知的方法 {method}（已注册："
                          f"{'、'.join(sorted(catalog.methods))}）", scheme=scheme.id,
                          field=f"{node_id}.method")
    used_plugins.add(catalog.owner("method", method) or "dangjian")
    spec = MethodSpec(id=node_id, title=title, max=max_points, input=input_name,
                      params=params, scheme=scheme)
    return entry.compile(spec)


def _node_max(node: Criterion) -> Decimal | None:
    if node.max is not None:
        return node.max
    if node.children:
        maxes = [_node_max(child) for child in node.children]
        present = [m for m in maxes if m is not None]
        return sum(present, ZERO) if present else None
    return None


def _is_scored(node: Criterion) -> bool:
    return node.method is not None or any(_is_scored(c) for c in node.children)


def _compile_node(catalog, scheme: Scheme, node: Criterion, depth: int,
                  used_plugins: set[str]) -> NodeFn | None:
    """A function that appends this node's lines and returns its points (None: content)."""
    if not _is_scored(node):
        return None
    top = _node_max(node)
    if node.method is not None:
        if top is None:
            raise SchemeError(f"评分项 {node.id} 有评分方法但没有满分 max", scheme=scheme.id,
                              field=f"{node.id}.max")
        scorer = _method_scorer(catalog, scheme, node.id, node.title, node.method, top,
                                node.input, node.params, used_plugins)

        def leaf(ctx: EvalContext, lines: list) -> Decimal:
            points, text, used = scorer(ctx)
            points = clamp(points, ZERO, top)
            lines.append(Line(kind="criterion", id=node.id, title=node.title, text=text,
                              points=points, max=top, inputs=used, depth=depth))
            return points

        return leaf

    children = [fn for fn in (_compile_node(catalog, scheme, c, depth + 1, used_plugins)
                              for c in node.children) if fn is not None]
    cap = node.max

    def section(ctx: EvalContext, lines: list) -> Decimal:
        slot = len(lines)
        lines.append(None)
        total = sum((fn(ctx, lines) for fn in children), ZERO)
        capped = min(total, cap) if cap is not None else total
        note = f"（小计{fmt(total)}分，封顶{fmt(cap)}分）" if capped != total else ""
        lines[slot] = Line(kind="section", id=node.id, title=node.title,
                           text=f"{node.title}：得{fmt(capped)}分{note}（满分{fmt(top)}分）",
                           points=capped, max=top, depth=depth)
        return capped

    return section


def _find(nodes: list[Criterion], node_id: str) -> Criterion | None:
    for node in nodes:
        if node.id == node_id:
            return node
        found = _find(node.children, node_id)
        if found is not None:
            return found
    return None


class _ComponentPlan:
    __slots__ = ("component", "criteria", "input", "missing_line", "scorer", "weight_text")

    def __init__(self, component: Component, scorer, criteria: list[str]) -> None:
        self.component = component
        self.scorer = scorer
        self.criteria = criteria
        self.input = component.input
        self.weight_text = f"；权重{fmt(component.weight * 100)}%，计入总分"
        self.missing_line = Line(kind="component", id=component.id, title=component.title,
                                 text=f"{component.title}：缺项", max=component.max)


class Plan:
    """A compiled scheme: call `score(evaluation)` per organization."""

    def __init__(self, loaded, catalog) -> None:
        scheme: Scheme = loaded.scheme
        self.scheme = scheme
        self.loaded = loaded
        used_plugins: set[str] = {loaded.plugin}
        self.check_inputs = InputChecker(scheme.inputs)
        self.org_types = catalog.org_types
        self.allowed_types = set(scheme.org_types)
        self._type_by_title = {t.title: t.id for t in catalog.org_types.values()}
        self.year = scheme.year or datetime.date.today().year
        self.as_of = scheme.as_of or scheme.effective_to or datetime.date(self.year, 12, 31)

        self.nodes: list[tuple[str, NodeFn]] = []
        for node in scheme.criteria:
            fn = _compile_node(catalog, scheme, node, 0, used_plugins)
            if fn is not None:
                self.nodes.append((node.id, fn))
        scored_ids = {node_id for node_id, _ in self.nodes}

        self.components: list[_ComponentPlan] = []
        for comp in scheme.components:
            scorer = None
            if comp.method is not None:
                scorer = _method_scorer(catalog, scheme, comp.id, comp.title, comp.method,
                                        comp.max, comp.input, comp.params, used_plugins)
            for ref in comp.criteria:
                if ref not in scored_ids:
                    raise SchemeError(f"分项 {comp.id} 引用的评分项 {ref} 不存在或不计分",
                                      scheme=scheme.id, field=f"components.{comp.id}.criteria")
            self.components.append(_ComponentPlan(comp, scorer, comp.criteria))

        self.adjustments = []
        for adj in scheme.adjustments:
            fns = [fn for fn in (_compile_node(catalog, scheme, item, 1, used_plugins)
                                 for item in adj.items) if fn is not None]
            self.adjustments.append((adj, fns))

        self.diagnostics = []
        for diag in scheme.diagnostics:
            entry = catalog.diagnostics.get(diag.method)
            if entry is None:
                raise SchemeError(f"诊断 {diag.id} 使用了未知的诊断方法 {diag.method}",
                                  scheme=scheme.id, field=f"diagnostics.{diag.id}.method")
            used_plugins.add(catalog.owner("diagnostic", diag.method) or "dangjian")
            self.diagnostics.append(entry.compile(diag, scheme))

        self.judge = Judge(scheme)
        self.ref = SchemeRef(id=scheme.id, version=scheme.version, hash=loaded.hash,
                             plugin=loaded.plugin, plugins=catalog.versions(used_plugins))
        r = scheme.rounding
        self._round = lambda value: round_total(value, r.places, r.mode)
        self._quantum = Decimal(1).scaleb(-r.places)
        self._rounding = ROUNDING_MODES[r.mode]
        self._bands_raw = r.bands_read == "raw"
        self._exact_note = f"，{_MODE_WORDS[r.mode]}保留{r.places}位小数）"

    # -- organizations ----------------------------------------------------------------------
    def resolve_org(self, evaluation: Evaluation,
                    registry: Mapping[str, Organization] | None = None) -> Organization:
        """The evaluated organization: the inline `org`, else the registry, with its type checked."""
        org = None
        if evaluation.org is not None:
            inline = evaluation.org
            org = Organization(id=evaluation.org_id, name=inline.name, type=inline.type,
                               parent_id=inline.parent_id, attributes=inline.attributes)
        elif registry is not None:
            org = registry.get(evaluation.org_id)
        if org is None:
            org = Organization(id=evaluation.org_id)
        type_id = org.type
        if type_id and type_id not in self.org_types:
            type_id = self._type_by_title.get(type_id, "")
            if not type_id:
                raise EvaluationRejected(
                    f"未知的组织类型“{org.type}”（可用：" +
                    "、".join(f"{t.id}/{t.title}" for t in self.org_types.values()) + "）",
                    field="org.type")
        if self.allowed_types:
            if not type_id:
                raise EvaluationRejected("缺少组织类型（org.type），无法确定是否适用本方案",
                                         field="org.type")
            if type_id not in self.allowed_types:
                title = self.org_types[type_id].title
                raise EvaluationRejected(f"组织类型“{title}”不在本方案的适用范围内", field="org.type")
        if type_id != org.type:
            org = Organization(id=org.id, name=org.name, type=type_id, parent_id=org.parent_id,
                               attributes=org.attributes)
        return org

    # -- scoring ----------------------------------------------------------------------------
    def score(self, evaluation: Evaluation,
              registry: Mapping[str, Organization] | None = None) -> Result:
        """Score one evaluation; raises `EvaluationRejected` with the field and reason."""
        org = self.resolve_org(evaluation, registry)
        inputs = self.check_inputs(evaluation.inputs)
        ctx = EvalContext(org, inputs, evaluation.activities, self.as_of, self.year)
        lines: list[Any] = []
        node_points: dict[str, Decimal] = {}
        for node_id, fn in self.nodes:
            node_points[node_id] = fn(ctx, lines)

        components: list[ComponentScore] = []
        scheme = self.scheme
        if self.components:
            weighted = ZERO
            present_weight = ZERO
            all_weight = ZERO
            missing: list[str] = []
            for cp in self.components:
                comp = cp.component
                all_weight += comp.weight
                if cp.scorer is not None:
                    if cp.input is not None and inputs.get(cp.input) is None:
                        missing.append(comp.title)
                        components.append(ComponentScore(id=comp.id, title=comp.title,
                                                         weight=comp.weight, points=None,
                                                         max=comp.max))
                        lines.append(cp.missing_line)
                        continue
                    points, text, used = cp.scorer(ctx)
                    points = clamp(points, ZERO, comp.max)
                else:
                    raw = sum((node_points[ref] for ref in cp.criteria), ZERO)
                    points = min(raw, comp.max)
                    text = f"{comp.title}：{'、'.join(cp.criteria)}合计得{fmt(points)}分"
                    used = {}
                contribution = comp.weight * points
                weighted += contribution
                present_weight += comp.weight
                components.append(ComponentScore(id=comp.id, title=comp.title,
                                                 weight=comp.weight, points=points, max=comp.max))
                lines.append(Line(kind="component", id=comp.id, title=comp.title,
                                  text=f"{text}{cp.weight_text}{fmt(contribution)}分",
                                  points=points, max=comp.max, inputs=used))
            if missing:
                if scheme.missing_components != "reweight" or present_weight == 0:
                    raise EvaluationRejected(
                        f"缺少{'、'.join(missing)}，本方案不允许缺项", field="inputs")
                weighted = weighted * all_weight / present_weight
                lines.append(Line(kind="component", id="reweight", title="缺项重新加权",
                                  text=f"缺少{'、'.join(missing)}，按其余分项权重"
                                  f"（合计{fmt(present_weight * 100)}%）折算"))
            raw_total = weighted
        else:
            raw_total = sum(node_points.values(), ZERO)

        bonus_beyond = ZERO
        for adj, fns in self.adjustments:
            sub: list[Any] = []
            amount = min(sum((fn(ctx, sub) for fn in fns), ZERO), adj.cap)
            sign = "加" if adj.kind == "bonus" else "减"
            lines.append(Line(kind="adjustment", id=adj.id, title=adj.title,
                              text=f"{adj.title}：{sign}{fmt(amount)}分（上限{fmt(adj.cap)}分）",
                              points=amount, max=adj.cap))
            lines.extend(sub)
            if adj.kind == "deduction":
                raw_total -= amount
            elif adj.beyond_max:
                bonus_beyond += amount
            else:
                raw_total += amount
        raw_total = clamp(raw_total, ZERO, scheme.max) + bonus_beyond

        findings: list[Finding] = []
        for check in self.diagnostics:
            findings.extend(check(ctx))
        for finding in findings:
            lines.append(Line(kind="finding", id=finding.code, title=finding.severity,
                              text=f"【{finding.severity}】{finding.message}"))

        total = raw_total.quantize(self._quantum, rounding=self._rounding)
        verdict = self.judge(raw_total if self._bands_raw else total, inputs, findings)
        lines.append(Line(kind="total", id="total", title="总分",
                          text=self._total_text(raw_total, total, verdict.points_grade),
                          points=total, max=scheme.max))
        lines.extend(verdict.lines)
        return Result(
            org_id=org.id, org_name=org.name, org_type=org.type, total=total, max=scheme.max,
            grade=verdict.grade, points_grade=verdict.points_grade, components=components,
            lines=lines, vetoes=verdict.vetoes, consequences=verdict.consequences,
            eligibility=verdict.eligibility, findings=findings,
            to_next_band=verdict.to_next_band, scheme=self.ref)

    def assess(self, evaluation, registry=None):  # numbers only, no explanation lines
        return msgspec.structs.replace(self.score(evaluation, registry), lines=[])

    def _total_text(self, raw: Decimal, total: Decimal, grade: str) -> str:
        exact = f"（精确值{_exact(raw)}{self._exact_note}" if raw != total else ""
        return f"总分{total:f}分{exact}，按分数应为“{grade}”"

    def score_many(
        self,
        evaluations: Iterable[tuple[int, Evaluation | Reject]],
        registry: Mapping[str, Organization] | None = None,
    ) -> Iterator[Result | Reject]:
        """Score a stream of (row, evaluation) pairs; a failing row becomes a Reject, never an
        exception, and a method that raises rejects only its own organization."""
        for row, evaluation in evaluations:
            if isinstance(evaluation, Reject):
                yield evaluation
                continue
            try:
                yield self.score(evaluation, registry)
            except DangjianError as exc:
                yield Reject(row=row, reason=exc.message, field=exc.field,
                             org_id=evaluation.org_id)
            except Exception as exc:  # a plugin's method failing for this organization only
                yield Reject(row=row, field=None, org_id=evaluation.org_id,
                             reason=f"评分方法出错（插件 {self.loaded.plugin}）：{type(exc).__name__}: {exc}")


def compile_scheme(loaded, catalog) -> Plan:
    """Compile a registered scheme (a `LoadedScheme`) against the catalogue's methods."""
    return Plan(loaded, catalog)


def outcome(points: Decimal | int | str, text: str, **used: Any) -> Outcome:
    """Shorthand for plugin methods: `outcome(5, "……得5分", count=3)`."""
    return Outcome(Decimal(points) if not isinstance(points, Decimal) else points, text, used)


_SHOWN = Decimal("0.000001")


def _exact(raw: Decimal) -> str:
    """The unrounded total for a sentence: exact up to six decimals, cut short with … beyond
    (94.129032…, not the 28 digits of 2918 ÷ 31)."""
    exact = raw.normalize()
    if exact.as_tuple().exponent >= -6:
        return f"{exact:f}"
    return f"{raw.quantize(_SHOWN, rounding=ROUND_DOWN):f}…"
