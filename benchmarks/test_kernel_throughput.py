"""The kernel alone, in process: decode and score, nothing stored, for the reference scheme
and for a 25-criterion scheme using every built-in method; with the explanation's text
(`Plan.score`) and, where the kernel has it, without (`Plan.assess`)."""

from __future__ import annotations

import msgspec
import pytest
from dangjian import load_catalog

from .conftest import RECORDS, best_of
from .kernel_calls import decoder, has_assess
from .synthetic import BenchPlugin, evaluations_25


def _calls(plan):
    calls = [("Plan.score, with text", plan.score)]
    if has_assess(plan):
        calls.append(("Plan.assess, no text", plan.assess))
    return calls


@pytest.fixture(scope="module")
def plan_25():
    return load_catalog(entry_points=False, plugins=[BenchPlugin()]).plan("bench-25")


def _measure(plan, lines, label, figures):
    decode = decoder(plan)
    for how, score in _calls(plan):
        def run(score=score):
            return [score(decode(line, row)) for row, line in enumerate(lines, 1)]

        seconds, results = best_of(run)
        assert len(results) == len(lines)
        figures.add(f"kernel: {label} ({how})", len(lines) / seconds, "records/s")


def test_25_criteria_every_method(plan_25, figures):
    lines = [msgspec.json.encode(e) for e in evaluations_25(RECORDS)]
    _measure(plan_25, lines, "25 criteria, every method", figures)


def test_reference_scheme(plan, jilin_lines, figures):
    _measure(plan, jilin_lines, "jilin-health-2019", figures)
