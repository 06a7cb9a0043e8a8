"""Methods over counts and checks: checklist, per occurrence, ratio, boolean, completion."""

from __future__ import annotations

from decimal import Decimal

from dangjian.errors import EvaluationRejected
from dangjian.extension import EvalContext, Method, MethodSpec, Outcome, with_points
from dangjian.numbers import ZERO, clamp, fmt, to_decimal
from dangjian.methods.params import Params


def compile_checklist(spec: MethodSpec):
    p = Params(spec, "checklist", {"items", "deduct"})
    field = p.require_input()
    items = p.strings("items")
    deduct = p.decimal("deduct")
    if deduct is None or deduct <= 0:
        p.fail("deduct", "checklist 需要正数 deduct（每项扣分）")
    top = spec.max
    top_text = fmt(top)
    deduct_text = fmt(deduct)
    known = set(items)

    def score(ctx: EvalContext) -> Outcome:
        raw = ctx.inputs.get(field)
        if raw is None:
            missed: list[str] = []
        elif isinstance(raw, list):
            missed = [str(x) for x in raw]
            unknown = [x for x in missed if known and x not in known]
            if unknown:
                raise EvaluationRejected(f"检查项“{unknown[0]}”不在方案的检查清单中", field=field)
        else:
            missed = [f"第{i}项" for i in range(1, int(raw) + 1)]
        lost = deduct * len(missed)
        points = clamp(top - lost, ZERO, top)
        checked = f"检查{len(items)}项，" if items else ""
        detail = f"（{'、'.join(missed)}）" if missed and isinstance(raw, list) else ""
        text = (f"{spec.title}：{checked}未达标{len(missed)}项{detail}，每项扣{deduct_text}分，"
                f"扣完为止，得{fmt(points)}分（满分{top_text}分）")
        return Outcome(points, text, {field: raw})

    def points(ctx: EvalContext) -> Decimal:
        raw = ctx.inputs.get(field)
        if raw is None:
            count = 0
        elif isinstance(raw, list):
            if known:
                for item in raw:
                    if str(item) not in known:
                        raise EvaluationRejected(f"检查项“{item}”不在方案的检查清单中",
                                                 field=field)
            count = len(raw)
        else:
            count = max(int(raw), 0)
        return clamp(top - deduct * count, ZERO, top)

    return with_points(score, points)


def compile_per_occurrence(spec: MethodSpec):
    p = Params(spec, "per_occurrence", {"points", "cap", "kind"})
    each = p.decimal("points")
    if each is None or each <= 0:
        p.fail("points", "per_occurrence 需要正数 points（每次得分）")
    cap = min(p.decimal("cap", spec.max), spec.max)
    kind = p.text("kind")
    field = spec.input
    if not kind and not field:
        p.fail("input", "per_occurrence 需要 input（次数）或 kind（活动记录类型）")
    top = spec.max
    top_text = fmt(top)
    rate_text = f"次，每次{fmt(each)}分，上限{fmt(cap)}分，得"

    def score(ctx: EvalContext) -> Outcome:
        if kind:
            count = len([a for a in ctx.activities_of(kind) if a.date.year == ctx.year])
            used = {"kind": kind, "count": count}
        else:
            count = ctx.inputs.get(field) or 0
            used = {field: count}
        points = min(each * count, cap)
        label = kind or spec.title
        text = f"{label}共{count}{rate_text}{fmt(points)}分（满分{top_text}分）"
        return Outcome(points, text, used)

    def points(ctx: EvalContext) -> Decimal:
        if kind:
            year = ctx.year
            count = sum(1 for a in ctx.activities_of(kind) if a.date.year == year)
        else:
            count = ctx.inputs.get(field) or 0
        return min(each * count, cap)

    return with_points(score, points)


def compile_ratio(spec: MethodSpec):
    p = Params(spec, "ratio", {"numerator", "denominator", "thresholds", "percent"})
    numerator = p.text("numerator")
    denominator = p.text("denominator")
    field = spec.input
    if not field and not (numerator and denominator):
        p.fail("input", "ratio 需要 input（比率），或 numerator 与 denominator（两个输入名）")
    percent = bool(p.get("percent", False))
    raw_thresholds = p.get("thresholds", [])
    thresholds: list[tuple[Decimal, Decimal]] = []
    for i, t in enumerate(raw_thresholds):
        if not isinstance(t, dict) or set(t) != {"at_least", "points"}:
            p.fail("thresholds", f"第{i + 1}个阈值应为 {{at_least = …, points = …}}")
        thresholds.append((to_decimal(t["at_least"]), to_decimal(t["points"])))
    thresholds.sort(reverse=True)
    top = spec.max
    top_text = fmt(top)

    def score(ctx: EvalContext) -> Outcome:
        if numerator:
            num, den = ctx.inputs.get(numerator), ctx.inputs.get(denominator)
            used = {numerator: num, denominator: den}
            if not den:
                return Outcome(ZERO, f"{spec.title}：缺少分母（{denominator}），得0分", used)
            ratio = to_decimal(num or 0) / to_decimal(den)
        else:
            value = ctx.inputs.get(field)
            used = {field: value}
            if value is None:
                return Outcome(ZERO, f"{spec.title}：未填报，得0分（满分{top_text}分）", used)
            value = to_decimal(value)
            ratio = value / 100 if percent else value
        if thresholds:
            points = next((pts for bound, pts in thresholds if ratio >= bound), ZERO)
            points = clamp(points, ZERO, top)
        else:
            points = clamp(ratio * top, ZERO, top)
        return Outcome(points, f"{spec.title}：比率{fmt(ratio * 100)}%，得{fmt(points)}分"
                       f"（满分{top_text}分）", used)

    def points(ctx: EvalContext) -> Decimal:
        if numerator:
            num, den = ctx.inputs.get(numerator), ctx.inputs.get(denominator)
            if not den:
                return ZERO
            ratio = to_decimal(num or 0) / to_decimal(den)
        else:
            value = ctx.inputs.get(field)
            if value is None:
                return ZERO
            value = to_decimal(value)
            ratio = value / 100 if percent else value
        if thresholds:
            return clamp(next((pts for bound, pts in thresholds if ratio >= bound), ZERO),
                         ZERO, top)
        return clamp(ratio * top, ZERO, top)

    return with_points(score, points)


def compile_boolean(spec: MethodSpec):
    p = Params(spec, "boolean", {"yes", "no", "points_if_false"})
    field = p.require_input()
    yes = p.text("yes", "是")
    no = p.text("no", "否")
    if_false = p.decimal("points_if_false", ZERO)
    top = spec.max
    top_text = fmt(top)

    def score(ctx: EvalContext) -> Outcome:
        value = ctx.inputs.get(field)
        points = top if value else if_false
        return Outcome(points, f"{spec.title}：{yes if value else no}，得{fmt(points)}分"
                       f"（满分{top_text}分）", {field: value})

    def points(ctx: EvalContext) -> Decimal:
        return top if ctx.inputs.get(field) else if_false

    return with_points(score, points)


DEFAULT_LEVELS = {"完成": Decimal(1), "部分完成": Decimal("0.5"), "未完成": ZERO}


def compile_completion(spec: MethodSpec):
    p = Params(spec, "completion", {"levels", "evidence", "evidence_title"})
    field = p.require_input()
    levels = p.mapping("levels") or DEFAULT_LEVELS
    evidence = p.text("evidence")
    evidence_title = p.text("evidence_title", "佐证材料")
    top = spec.max
    top_text = fmt(top)

    def score(ctx: EvalContext) -> Outcome:
        level = ctx.inputs.get(field)
        used = {field: level}
        if evidence:
            proof = ctx.inputs.get(evidence)
            used[evidence] = proof
        if level is None:
            return Outcome(ZERO, f"{spec.title}：未填报完成情况，得0分（满分{top_text}分）", used)
        if level not in levels:
            raise EvaluationRejected(
                f"完成情况“{level}”不是 {' / '.join(levels)} 之一", field=field)
        if evidence and not proof and levels[level] > 0:
            return Outcome(ZERO, f"{spec.title}：填报“{level}”但缺少{evidence_title}，"
                           f"得0分（满分{top_text}分）", used)
        points = top * levels[level]
        proof_text = f"，{evidence_title}：{proof}" if evidence and proof else ""
        return Outcome(points, f"{spec.title}：{level}{proof_text}，得{fmt(points)}分"
                       f"（满分{top_text}分）", used)

    def points(ctx: EvalContext) -> Decimal:
        level = ctx.inputs.get(field)
        if level is None:
            return ZERO
        if level not in levels:
            raise EvaluationRejected(
                f"完成情况“{level}”不是 {' / '.join(levels)} 之一", field=field)
        if evidence and not ctx.inputs.get(evidence) and levels[level] > 0:
            return ZERO
        return top * levels[level]

    return with_points(score, points)


METHODS = [
    Method(name="checklist", title="清单扣分（扣完为止）", compile=compile_checklist,
           doc="输入为未达标项的列表（或个数），每项扣 deduct 分，最低0分。",
           params={"items": "检查项名称列表（可选；给出时未达标项须在其中）", "deduct": "每项扣分"}),
    Method(name="per_occurrence", title="按次计分（封顶）", compile=compile_per_occurrence,
           doc="次数 × 每次分值，不超过 cap 与满分；次数来自 input 或当年 kind 类活动记录。",
           params={"points": "每次得分", "cap": "封顶分，默认满分", "kind": "活动记录类型（可选）"}),
    Method(name="ratio", title="比率阈值", compile=compile_ratio,
           doc="比率（0—1，或 percent = true 时为百分数）按阈值表取分；无阈值表时按比率折算满分。",
           params={"numerator": "分子输入名", "denominator": "分母输入名",
                   "thresholds": "[{at_least = 0.9, points = 10}, …]", "percent": "输入为百分数"}),
    Method(name="boolean", title="是否达标", compile=compile_boolean,
           doc="是得满分，否得 points_if_false（默认0）。",
           params={"yes": "“是”的说法", "no": "“否”的说法", "points_if_false": "否时得分"}),
    Method(name="completion", title="完成情况（完成/部分完成/未完成）", compile=compile_completion,
           doc="按完成程度折算满分（默认 完成=1、部分完成=0.5、未完成=0）；"
           "指定 evidence 时，没有佐证材料即得0分并说明缺什么。",
           params={"levels": "完成程度折算表", "evidence": "佐证材料的输入名",
                   "evidence_title": "佐证材料的名称，如“会议记录”"}),
]
