"""Built-in rules over a finished batch."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from dangjian.extension import BatchRule
from dangjian.models import Finding, Result
from dangjian.scheme import BatchRuleSpec


def run_quota(results: Iterable[Result], spec: BatchRuleSpec) -> list[Finding]:
    """At most `max_share` of the scored organizations may hold `honour` (eligible)."""
    honour = spec.params["honour"]
    share = Fraction(str(spec.params["max_share"]))
    total = eligible = 0
    for result in results:
        total += 1
        eligible += any(e.honour == honour and e.eligible for e in result.eligibility)
    allowed = int(share * total)
    if eligible > allowed:
        return [Finding(code=spec.id, severity="中",
                        message=f"{spec.title}：符合条件{eligible}个，超过比例上限"
                        f"{float(share) * 100:.0f}%（{total}个中至多{allowed}个），需择优确定")]
    return []


BUILTIN_BATCH_RULES = [
    BatchRule(name="quota", title="比例限额", run=run_quota,
              doc="params: honour（荣誉 id）、max_share（如 0.2）。符合条件者超过比例时给出提示。"),
]
