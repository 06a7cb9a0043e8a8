"""A run's batch-rule findings (a quota on an honour) in the report and the XLSX summary, when
the store records them with the run; a run without them shows no such section."""

from __future__ import annotations

import msgspec
from dangjian.methods.batch_rules import run_quota
from dangjian.scheme import BatchRuleSpec
from dangjian.store.storage import Store
from dangjian_shell.report import report_html
from dangjian_shell.writers import run_facts

from .conftest import SCHEME

QUOTA = BatchRuleSpec(id="excellent_quota", title="年度考核优秀等次比例", method="quota",
                      params={"honour": "excellent_rating", "max_share": 0.2})


class StoreWithBatchRules(Store):
    """A store whose runs carry the findings of the scheme's batch rules."""

    findings: list = []

    def run(self, run_id: int) -> dict:
        return {**super().run(run_id), "batch_findings": self.findings}


def test_quota_finding_appears_in_the_report_and_the_summary(runs, catalog):
    plain = Store("runs.db")
    try:
        findings = [msgspec.to_builtins(f) for f in run_quota(plain.results(1), QUOTA)]
    finally:
        plain.close()
    store = StoreWithBatchRules("runs.db")
    store.findings = findings
    try:
        html = report_html(store, 1, catalog)
        facts = dict(run_facts(store.run(1), catalog.scheme(SCHEME).scheme))
    finally:
        store.close()
    message = "年度考核优秀等次比例：符合条件34个，超过比例上限20%（55个中至多11个），需择优确定"
    assert f'<section id="batch-rules"><h2>批次规则</h2><ul><li>{message}</li>' in html
    assert facts["批次规则"] == message


def test_a_run_without_batch_rules_has_no_such_section(runs, catalog):
    store = Store("runs.db")
    try:
        html = report_html(store, 1, catalog)
    finally:
        store.close()
    assert 'id="batch-rules"' not in html
