"""Checks of written reports (述职报告): length, required lists and their share of the text."""

from __future__ import annotations

from decimal import Decimal

from dangjian.extension import DocumentCheck
from dangjian.models import Finding
from dangjian.scheme import ReportRule


def _count(text: str) -> int:
    """Characters as a reader counts them: everything but white space."""
    return sum(1 for ch in text if not ch.isspace())


def check_lists(text: str, rule: ReportRule) -> list[Finding]:
    """Length within `max_chars`; every section present; each about an equal share."""
    findings: list[Finding] = []
    total = _count(text)
    if rule.max_chars is not None and total > rule.max_chars:
        findings.append(Finding(code="too_long", severity="中",
                                message=f"{rule.title}共{total}字，超过{rule.max_chars}字的要求"))
    positions = {name: text.find(name) for name in rule.sections}
    missing = [name for name, pos in positions.items() if pos < 0]
    for name in missing:
        findings.append(Finding(code="missing_section", severity="高",
                                message=f"{rule.title}缺少“{name}”"))
    present = sorted((pos, name) for name, pos in positions.items() if pos >= 0)
    if rule.share_tolerance is not None and len(rule.sections) > 1 and not missing and total:
        expected = Decimal(1) / len(rule.sections)
        for i, (pos, name) in enumerate(present):
            end = present[i + 1][0] if i + 1 < len(present) else len(text)
            size = _count(text[pos:end])
            share = Decimal(size) / total
            if abs(share - expected) > rule.share_tolerance:
                findings.append(Finding(
                    code="unbalanced_section", severity="低",
                    message=(f"“{name}”{size}字，占全文{share * 100:.1f}%，"
                             f"偏离三分之一（{expected * 100:.1f}%）超过"
                             f"{rule.share_tolerance * 100:.0f}个百分点")
                    if len(rule.sections) == 3 else
                    (f"“{name}”{size}字，占全文{share * 100:.1f}%，偏离应占的"
                     f"{expected * 100:.1f}%超过{rule.share_tolerance * 100:.0f}个百分点")))
    return findings


BUILTIN_DOCUMENT_CHECKS = [
    DocumentCheck(name="lists", title="字数与清单检查", check=check_lists,
                  doc="字数不超过 max_chars；sections 中每个清单都出现；各清单篇幅与均分的偏差不超过"
                  " share_tolerance（按非空白字符计）。"),
]


def check_report(text: str, rule: ReportRule, catalog) -> list[Finding]:
    """Run the document check the scheme's `[report]` table names."""
    from dangjian.errors import NotFound

    check = catalog.document_checks.get(rule.check)
    if check is None:
        raise NotFound(f"未知的报告检查 {rule.check}")
    return check.check(text, rule)
