"""Built-in structural diagnostics over an organization's attributes."""

from __future__ import annotations

import operator

from dangjian.errors import SchemeError
from dangjian.extension import DiagnosticMethod, EvalContext
from dangjian.methods.activity import compile_uncounted_activities
from dangjian.models import Finding
from dangjian.numbers import fmt, to_decimal
from dangjian.scheme import Diagnostic, Scheme

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
        "==": operator.eq, "!=": operator.ne}


def _value(ctx: EvalContext, name: str):
    value = ctx.inputs.get(name)
    return ctx.org.attributes.get(name) if value is None else value


def compile_missing(diagnostic: Diagnostic, scheme: Scheme):
    """Fires when an attribute (or input) is absent, empty, zero or false."""
    attribute = diagnostic.params.get("attribute")
    message = diagnostic.params.get("message", f"{diagnostic.title}：未配备或未填报")
    if not isinstance(attribute, str):
        raise SchemeError(f"诊断 {diagnostic.id} 需要 attribute 参数", scheme=scheme.id,
                          field=f"diagnostics.{diagnostic.id}.params.attribute")

    def check(ctx: EvalContext) -> list[Finding]:
        value = _value(ctx, attribute)
        if value in (None, "", 0, False, []):
            return [Finding(code=diagnostic.id, severity=diagnostic.severity, message=message)]
        return []

    return check


def compile_threshold(diagnostic: Diagnostic, scheme: Scheme):
    """Fires when a numeric attribute compares to `value` by `op`; `{value}` fills the message."""
    params = diagnostic.params
    attribute, op = params.get("attribute"), params.get("op")
    if not isinstance(attribute, str) or op not in _OPS or "value" not in params:
        raise SchemeError(f"诊断 {diagnostic.id} 需要 attribute、op（{' '.join(_OPS)}）和 value",
                          scheme=scheme.id, field=f"diagnostics.{diagnostic.id}.params")
    limit = to_decimal(params["value"])
    compare = _OPS[op]
    template = params.get("message", diagnostic.title + "：{value}")

    def check(ctx: EvalContext) -> list[Finding]:
        value = _value(ctx, attribute)
        if value is None:
            return []
        number = to_decimal(value)
        if compare(number, limit):
            return [Finding(code=diagnostic.id, severity=diagnostic.severity,
                            message=template.format(value=fmt(number), limit=fmt(limit)))]
        return []

    return check


BUILTIN_DIAGNOSTICS = [
    DiagnosticMethod(name="missing", title="未配备 / 未填报", compile=compile_missing,
                     doc="attribute 为空、0 或否时给出诊断。"),
    DiagnosticMethod(name="threshold", title="数值越线", compile=compile_threshold,
                     doc="attribute 与 value 按 op 比较成立时给出诊断；message 中 {value} 为实际值。"),
    DiagnosticMethod(name="uncounted_activities", title="未计分的活动记录",
                     compile=compile_uncounted_activities,
                     doc="列出未计入任何评分项的活动记录：本方案没有评分项统计的类型（如“团日活动”），"
                     "或日期不在方案年度、备注也未写明该年度的记录；also 列出接受但不计分的类型。"),
]
