"""The engine: compile a scheme once into a plan, then score evaluations with plain calls.

Hooks are never called here per evaluation: methods were looked up in the catalogue and
compiled into scorers when the plan was built. Each node compiles twice: a renderer that
writes the Chinese explanation (`Plan.score`) and a points-only function (`Plan.assess`).
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Any

import msgspec

from dangjian.scoring.containment import contain_diagnostic, contain_scorer
from dangjian.errors import DangjianError, EvaluationRejected, SchemeError
from dangjian.extension import EvalContext, MethodSpec, Outcome
from dangjian.scoring.inputs import InputChecker, combine
from dangjian.scoring.judge import Judge
from dangjian.scoring.lane import Lane
from dangjian.models import (ComponentScore, Evaluation, Finding, Line, Organization, Reject, Result,
                     SchemeRef, org_type_id)
from dangjian.numbers import ROUNDING_MODES, ZERO, clamp, fmt, round_total
from dangjian.scoring.records import decode_evaluation, org_id_problem
from dangjian.scheme import Component, Criterion, Scheme
from dangjian.scoring.typed import typed_decoder

_MODE_WORDS = {"half_up": "四舍五入", "half_even": "银行家舍入", "down": "截尾"}
NodeFn = Callable[[EvalContext, list], "Decimal | None"]
FastFn = Callable[[EvalContext], Decimal]
BUILTIN = "dangjian"  # the plugin name the kernel's own methods register under
SWEEP = 5_000  # rows between sweeps of the youngest generation while `assess_many` runs


def _method_scorer(catalog, scheme: Scheme, node_id: str, title: str, method: str,
                   max_points: Decimal, input_name: str | None, params: dict,
                   used_plugins: set[str]):
    """The compiled scorer of one criterion or component, and its points-only variant."""
    entry = catalog.methods.get(method)
    if entry is None:
        raise SchemeError(f"评分项 {node_id} 使用了未知的方法 {method}（已注册："
                          f"{'、'.join(sorted(catalog.methods))}）", scheme=scheme.id,
                          field=f"{node_id}.method")
    owner = catalog.owner("method", method) or BUILTIN
    used_plugins.add(owner)
    spec = MethodSpec(id=node_id, title=title, max=max_points, input=input_name,
                      params=params, scheme=scheme, org_types=dict(catalog.org_types))
    scorer = entry.compile(spec)
    if owner != BUILTIN:
        return contain_scorer(scorer, method=method, plugin=owner, field=node_id)
    points = getattr(scorer, "points", None)
    return scorer, points if points is not None else _points_of(scorer)


def _points_of(scorer) -> FastFn:
    """A method without a points-only variant: its full scorer, the text discarded."""
    def text_discarded(ctx: EvalContext) -> Decimal:
        return scorer(ctx)[0]
    return text_discarded


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
                  used_plugins: set[str]) -> tuple[NodeFn, FastFn] | None:
    """This node's renderer (appends its lines, returns its points) and its points-only
    function; None for content that is not scored."""
    if not _is_scored(node):
        return None
    top = _node_max(node)
    if node.method is not None:
        if top is None:
            raise SchemeError(f"评分项 {node.id} 有评分方法但没有满分 max", scheme=scheme.id,
                              field=f"{node.id}.max")
        scorer, points_of = _method_scorer(catalog, scheme, node.id, node.title, node.method,
                                           top, node.input, node.params, used_plugins)

        def leaf(ctx: EvalContext, lines: list) -> Decimal:
            points, text, used = scorer(ctx)
            points = clamp(points, ZERO, top)
            lines.append(Line(kind="criterion", id=node.id, title=node.title, text=text,
                              points=points, max=top, inputs=used, depth=depth))
            return points

        def fast_leaf(ctx: EvalContext) -> Decimal:
            points = points_of(ctx)
            return ZERO if points < ZERO else top if points > top else points

        return leaf, fast_leaf

    compiled = [pair for pair in (_compile_node(catalog, scheme, c, depth + 1, used_plugins)
                                  for c in node.children) if pair is not None]
    children = [render for render, _ in compiled]
    fast_children = [fast for _, fast in compiled]
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

    def fast_section(ctx: EvalContext) -> Decimal:
        total = sum([fn(ctx) for fn in fast_children], ZERO)
        return min(total, cap) if cap is not None else total

    return section, fast_section


def _find(nodes: list[Criterion], node_id: str) -> Criterion | None:
    for node in nodes:
        if node.id == node_id:
            return node
        found = _find(node.children, node_id)
        if found is not None:
            return found
    return None


class _ComponentPlan:
    __slots__ = ("component", "criteria", "input", "missing_line", "points", "scorer",
                 "weight_text")

    def __init__(self, component: Component, scorer, points, criteria: list[str]) -> None:
        self.component = component
        self.scorer = scorer
        self.points = points
        self.criteria = criteria
        self.input = component.input
        self.weight_text = f"；权重{fmt(component.weight * 100)}%，计入总分"
        self.missing_line = Line(kind="component", id=component.id, title=component.title,
                                 text=f"{component.title}：缺项", max=component.max)


class Plan:
    """A compiled scheme: `decode` a record, then `assess` it (numbers only) or `score` it
    (numbers and the Chinese explanation, byte for byte the same numbers)."""

    def __init__(self, loaded, catalog) -> None:
        scheme: Scheme = loaded.scheme
        self.scheme = scheme
        self.loaded = loaded
        used_plugins: set[str] = {loaded.plugin}
        self.check_inputs = InputChecker(scheme.inputs)
        self.org_types = catalog.org_types
        self.allowed_types = set(scheme.org_types)
        self.year = scheme.year or datetime.date.today().year
        self.as_of = scheme.as_of or scheme.effective_to or datetime.date(self.year, 12, 31)

        self.nodes: list[tuple[str, NodeFn]] = []
        self._fast_nodes: list[tuple[str, FastFn]] = []
        for node in scheme.criteria:
            pair = _compile_node(catalog, scheme, node, 0, used_plugins)
            if pair is not None:
                self.nodes.append((node.id, pair[0]))
                self._fast_nodes.append((node.id, pair[1]))
        scored_ids = {node_id for node_id, _ in self.nodes}

        self.components: list[_ComponentPlan] = []
        for comp in scheme.components:
            scorer = points = None
            if comp.method is not None:
                scorer, points = _method_scorer(catalog, scheme, comp.id, comp.title,
                                                comp.method, comp.max, comp.input, comp.params,
                                                used_plugins)
            for ref in comp.criteria:
                if ref not in scored_ids:
                    raise SchemeError(f"分项 {comp.id} 引用的评分项 {ref} 不存在或不计分",
                                      scheme=scheme.id, field=f"components.{comp.id}.criteria")
            self.components.append(_ComponentPlan(comp, scorer, points, comp.criteria))

        self.adjustments = []
        self._fast_adjustments = []
        for adj in scheme.adjustments:
            pairs = [pair for pair in (_compile_node(catalog, scheme, item, 1, used_plugins)
                                       for item in adj.items) if pair is not None]
            self.adjustments.append((adj, [render for render, _ in pairs]))
            self._fast_adjustments.append((adj, [fast for _, fast in pairs]))

        self.diagnostics = []
        for diag in scheme.diagnostics:
            entry = catalog.diagnostics.get(diag.method)
            if entry is None:
                raise SchemeError(f"诊断 {diag.id} 使用了未知的诊断方法 {diag.method}",
                                  scheme=scheme.id, field=f"diagnostics.{diag.id}.method")
            owner = catalog.owner("diagnostic", diag.method) or BUILTIN
            used_plugins.add(owner)
            check = entry.compile(diag, scheme)
            if owner != BUILTIN:
                check = contain_diagnostic(check, method=diag.method, plugin=owner)
            self.diagnostics.append(check)

        self.judge = Judge(scheme)
        self.ref = SchemeRef(id=scheme.id, version=scheme.version, hash=loaded.hash,
                             plugin=loaded.plugin, plugins=catalog.versions(used_plugins))
        r = scheme.rounding
        self._round = lambda value: round_total(value, r.places, r.mode)
        self._quantum = Decimal(1).scaleb(-r.places)
        self._rounding = ROUNDING_MODES[r.mode]
        self._bands_raw = r.bands_read == "raw"
        self._exact_note = f"，{_MODE_WORDS[r.mode]}保留{r.places}位小数）"
        self._typed, self._typed_complete = typed_decoder(scheme.inputs)
        self._input_names = tuple(spec.name for spec in scheme.inputs)
        self._required = frozenset(spec.name for spec in scheme.inputs if spec.required)
        self.lane = Lane.build(self)
        """The compiled lane from a JSONL line to its stored row (`scoring.lane`), or None."""

    # -- organizations ----------------------------------------------------------------------
    def org_type_id(self, text: str) -> str | None:
        """The id of an organization type written as its id or its Chinese title."""
        return org_type_id(self.org_types, text)

    def resolve_org(self, evaluation: Evaluation,
                    registry: Mapping[str, Organization] | None = None) -> Organization:
        """The evaluated organization: the inline `org`, else the registry, with its type checked."""
        problem = org_id_problem(evaluation.org_id)
        if problem is not None:
            raise EvaluationRejected(problem, field="org_id")
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
            type_id = org_type_id(self.org_types, type_id) or ""
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

    def _prepare(self, evaluation: Evaluation,
                 registry: Mapping[str, Organization] | None) -> tuple[Organization, dict]:
        """The organization and the typed inputs; a bad type and bad cells are named together."""
        try:
            org = self.resolve_org(evaluation, registry)
        except EvaluationRejected as bad_org:
            problems = [bad_org]
            if bad_org.field != "org_id":
                problems.extend(self.check_inputs.problems(evaluation.inputs))
            raise combine(problems) from None
        return org, self.check_inputs(evaluation.inputs)

    # -- decoding ---------------------------------------------------------------------------
    def decode(self, raw: bytes, *, row: int, source: str | None = None) -> Evaluation | Reject:
        """One JSONL record as an Evaluation whose inputs passed the scheme's checks, or a
        Reject naming the row and every bad field in Chinese."""
        try:
            record = self._typed.decode(raw)
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
            return self._decode_slowly(raw, row, source)
        org_id = record.org_id
        if not org_id or org_id.isspace() or "\x00" in org_id:
            return self._decode_slowly(raw, row, source)
        values = msgspec.structs.astuple(record.inputs)
        inputs = {name: value for name, value in zip(self._input_names, values)
                  if value is not None}
        if self._required and not self._required.issubset(inputs):
            return self._decode_slowly(raw, row, source)
        if not self._typed_complete and self.check_inputs.problems(inputs):
            return self._decode_slowly(raw, row, source)
        return Evaluation(org_id=org_id, org=record.org, inputs=inputs,
                          activities=record.activities)

    def _decode_slowly(self, raw: bytes, row: int, source: str | None) -> Evaluation | Reject:
        """The record through the general decoder and the per-field checks, which find every
        bad cell (the typed decoder stops at the first)."""
        evaluation = decode_evaluation(raw, row=row, source=source)
        if isinstance(evaluation, Reject):
            return evaluation
        problems: list[EvaluationRejected] = []
        if evaluation.org is not None:
            try:
                self.resolve_org(evaluation)
            except EvaluationRejected as exc:
                problems.append(exc)
        problems.extend(self.check_inputs.problems(evaluation.inputs))
        if not problems:
            return evaluation
        bad = combine(problems)
        return Reject(row=row, source=source, field=bad.field, reason=bad.message,
                      org_id=evaluation.org_id)

    # -- scoring ----------------------------------------------------------------------------
    def score(self, evaluation: Evaluation,
              registry: Mapping[str, Organization] | None = None) -> Result:
        """Score one evaluation with every explanation line; raises `EvaluationRejected` with
        the field and reason."""
        org, inputs = self._prepare(evaluation, registry)
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

    def assess(self, evaluation: Evaluation,
               registry: Mapping[str, Organization] | None = None) -> Result:
        """The same Result as `score` with `lines=[]`, computed without rendering any text;
        raises the same `EvaluationRejected`."""
        org, inputs = self._prepare(evaluation, registry)
        ctx = EvalContext(org, inputs, evaluation.activities, self.as_of, self.year)
        node_points = {node_id: fn(ctx) for node_id, fn in self._fast_nodes}

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
                if cp.points is not None:
                    if cp.input is not None and inputs.get(cp.input) is None:
                        missing.append(comp.title)
                        components.append(ComponentScore(id=comp.id, title=comp.title,
                                                         weight=comp.weight, points=None,
                                                         max=comp.max))
                        continue
                    points = cp.points(ctx)
                    top = comp.max
                    points = ZERO if points < ZERO else top if points > top else points
                else:
                    points = min(sum((node_points[ref] for ref in cp.criteria), ZERO), comp.max)
                weighted += comp.weight * points
                present_weight += comp.weight
                components.append(ComponentScore(id=comp.id, title=comp.title,
                                                 weight=comp.weight, points=points, max=comp.max))
            if missing:
                if scheme.missing_components != "reweight" or present_weight == 0:
                    raise EvaluationRejected(
                        f"缺少{'、'.join(missing)}，本方案不允许缺项", field="inputs")
                weighted = weighted * all_weight / present_weight
            raw_total = weighted
        else:
            raw_total = sum(node_points.values(), ZERO)

        if self._fast_adjustments:
            bonus_beyond = ZERO
            for adj, fns in self._fast_adjustments:
                amount = min(sum([fn(ctx) for fn in fns], ZERO), adj.cap)
                if adj.kind == "deduction":
                    raw_total -= amount
                elif adj.beyond_max:
                    bonus_beyond += amount
                else:
                    raw_total += amount
            raw_total = clamp(raw_total, ZERO, scheme.max) + bonus_beyond
        else:
            raw_total = clamp(raw_total, ZERO, scheme.max) + ZERO

        findings: list[Finding] = []
        for check in self.diagnostics:
            findings.extend(check(ctx))

        total = raw_total.quantize(self._quantum, rounding=self._rounding)
        verdict = self.judge.assess(raw_total if self._bands_raw else total, inputs, findings)
        return Result(
            org_id=org.id, org_name=org.name, org_type=org.type, total=total, max=scheme.max,
            grade=verdict.grade, points_grade=verdict.points_grade, components=components,
            lines=[], vetoes=verdict.vetoes, consequences=verdict.consequences,
            eligibility=verdict.eligibility, findings=findings,
            to_next_band=verdict.to_next_band, scheme=self.ref)

    def _total_text(self, raw: Decimal, total: Decimal, grade: str) -> str:
        exact = f"（精确值{_exact(raw)}{self._exact_note}" if raw != total else ""
        return f"总分{total:f}分{exact}，按分数应为“{grade}”"

    def score_many(
        self,
        evaluations: Iterable[tuple[int, Evaluation | Reject]],
        registry: Mapping[str, Organization] | None = None,
    ) -> Iterator[Result | Reject]:
        """Score a stream of (row, evaluation) pairs with explanations; a failing row becomes
        a Reject, never an exception, and a method that raises rejects only its own
        organization."""
        return self._many(self.score, evaluations, registry)

    def assess_many(
        self,
        evaluations: Iterable[tuple[int, Evaluation | Reject]],
        registry: Mapping[str, Organization] | None = None,
    ) -> Iterator[Result | Reject]:
        """`score_many` without explanations, through the compiled fast path.

        Python's automatic garbage collector is paused while the stream runs (records hold no
        cycles, and its full passes over a large heap cost more than scoring). A rejection's
        exception does leave a cycle (its traceback and the frames that raised it), so the
        youngest generation, where those sit, is swept every `SWEEP` rows."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            for count, outcome in enumerate(self._many(self.assess, evaluations, registry), 1):
                if not count % SWEEP:
                    gc.collect(0)
                yield outcome
        finally:
            if enabled:
                gc.enable()

    def _many(self, fn, evaluations, registry) -> Iterator[Result | Reject]:
        for row, evaluation in evaluations:
            if isinstance(evaluation, Reject):
                yield evaluation
                continue
            try:
                outcome: Result | Reject = fn(evaluation, registry)
            except DangjianError as exc:
                outcome = Reject(row=row, reason=exc.message, field=exc.field,
                                 org_id=evaluation.org_id)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # a plugin's method failing for this organization only
                outcome = Reject(row=row, field=None, org_id=evaluation.org_id,
                                 reason=f"评分方法出错（插件 {self.loaded.plugin}）："
                                 f"{type(exc).__name__}: {exc}")
            yield outcome


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
