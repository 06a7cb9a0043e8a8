"""第9条“建强抓实支部”中的按期换届：任期年限按组织类型（机关党的基层委员会每届5年，党支部
委员会每届3年），组织属性 term_years 写明的从其写法；其余按内核的期限核对（deadline）计分。"""

from __future__ import annotations

import dataclasses

from dangjian import EvalContext, EvaluationRejected, Method, MethodSpec, SchemeError
from dangjian.methods.activity import compile_deadline


def compile_term(spec: MethodSpec):
    params = dict(spec.params)
    by_type = params.pop("years_by_type", None)
    if not isinstance(by_type, dict) or not by_type or not all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in by_type.values()):
        raise SchemeError(f"评分项 {spec.id}（{spec.title}）：jilin_term 需要 years_by_type"
                          "（组织类型 = 每届年数，如 { branch = 3 }）",
                          scheme=spec.scheme.id, field=f"{spec.id}.params.years_by_type")
    if "years" in params or "months" in params:
        raise SchemeError(f"评分项 {spec.id}（{spec.title}）：jilin_term 的年限由 years_by_type "
                          "给出，不写 years 或 months", scheme=spec.scheme.id,
                          field=f"{spec.id}.params.years")
    declared = spec.scheme.org_types
    unknown = [t for t in by_type if declared and t not in declared]
    missing = [t for t in declared if t not in by_type]
    if unknown or missing:
        raise SchemeError(f"评分项 {spec.id}（{spec.title}）：years_by_type 应恰好列出方案适用的"
                          f"组织类型（{'、'.join(declared)}）", scheme=spec.scheme.id,
                          field=f"{spec.id}.params.years_by_type")
    scorers = {org_type: compile_deadline(dataclasses.replace(
        spec, params={**params, "years": years})) for org_type, years in by_type.items()}

    def score(ctx: EvalContext):
        scorer = scorers.get(ctx.org.type)
        if scorer is None:  # the scheme admits only the listed types; kept as a guard
            raise EvaluationRejected(f"{spec.title}：未规定{ctx.org.type}的任期年限",
                                     field=spec.id)
        return scorer(ctx)

    return score


METHODS = [
    Method(name="jilin_term", title="任期届满按期换届（按组织类型定任期）", compile=compile_term,
           doc="从本届选举日期起按组织类型的任期年数（years_by_type；组织属性 years_attribute "
           "写明的优先）内须换届：有换届日期时看是否按期，没有时看核对日是否已届满；"
           "逾期得0分并写明逾期天数。",
           params={"since": "本届选举日期的属性或输入名", "done": "换届日期的属性或输入名",
                   "years_by_type": "组织类型 = 每届年数",
                   "years_attribute": "组织属性中写明的任期年数（优先）",
                   "when_absent": "没有选举日期时 pass 或 fail，默认 fail",
                   "since_title": "起始日期的中文名", "done_title": "完成的中文说法"}),
]
