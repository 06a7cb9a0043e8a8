"""The structure rules as a diagnostic (a finding) and as a scoring method (a check's points)."""

from __future__ import annotations

from dangjian import DiagnosticMethod, Finding, Method, Outcome
from dangjian.methods.params import Params
from dangjian.numbers import ZERO, fmt

from .rules import compile_rule


def compile_structure_diagnostic(diagnostic, scheme):
    """`params.rule` names the rule; the finding carries its sentence and the diagnostic's
    severity."""
    rule = compile_rule(diagnostic.params.get("rule"), scheme, f"diagnostics.{diagnostic.id}")

    def check(ctx) -> list[Finding]:
        message = rule(ctx)
        if message is None:
            return []
        return [Finding(code=diagnostic.id, severity=diagnostic.severity, message=message)]

    return check


def compile_structure_check(spec):
    """Full points when the named rule finds nothing, none when it does, with the reason."""
    p = Params(spec, "structure_check", {"rule"})
    rule = compile_rule(p.text("rule"), spec.scheme, spec.id)
    top = spec.max

    def score(ctx) -> Outcome:
        message = rule(ctx)
        if message is None:
            return Outcome(top, f"{spec.title}：符合要求，得{fmt(top)}分（满分{fmt(top)}分）", {})
        return Outcome(ZERO, f"{spec.title}：{message}，得0分（满分{fmt(top)}分）", {})

    return score


DIAGNOSTICS = [
    DiagnosticMethod(name="branch_structure", title="支部班子结构", compile=compile_structure_diagnostic,
                     doc="params.rule = committee / support / posts / ageing；阈值在方案的 "
                     "[extra.structure.<rule>] 中。"),
]
METHODS = [
    Method(name="structure_check", title="支部班子结构检查", compile=compile_structure_check,
           doc="规则不触发得满分，触发得0分并写明原因；规则与 branch_structure 诊断相同。",
           params={"rule": "committee / support / posts / ageing"}),
]
