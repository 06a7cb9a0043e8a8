"""The zen-engine peer: the reference scheme as a decision graph (`zen_graph.py`) on the same
records, per record and in batch, checked to agree with the kernel on totals, grades, vetoes,
honours and consequences.

Goal (issue 13): in process, decode + check + score without the explanation's text
(`Plan.assess` where the kernel has it) ≥ 10 × zen-engine `evaluate_batch`.
"""

from __future__ import annotations

import pytest

from .conftest import PEER_RECORDS, agree, check_goal, timed
from .kernel_calls import has_assess, score_all
from .zen_graph import graph_json, verdict

zen = pytest.importorskip("zen", reason="zen-engine is in the `bench` dependency group")
BATCH = 1000


@pytest.fixture(scope="module")
def peer_lines(jilin_lines) -> list[bytes]:
    return jilin_lines[:PEER_RECORDS]


@pytest.fixture(scope="module")
def peer_verdicts(kernel_verdicts, peer_lines) -> list[tuple]:
    return kernel_verdicts[:len(peer_lines)]


def test_zen_evaluate_per_record(plan, peer_lines, peer_verdicts, figures, benchmark):
    decision = zen.ZenEngine().create_decision(graph_json(plan.scheme))

    def evaluate():
        return [decision.evaluate(line)["result"] for line in peer_lines]

    seconds, results = timed(benchmark, evaluate)
    figures.add("peer: zen-engine evaluate (per record)", len(peer_lines) / seconds,
                "records/s")
    agree(peer_verdicts, [verdict(r, plan.scheme) for r in results])


def test_zen_evaluate_batch(plan, peer_lines, peer_verdicts, figures, benchmark):
    graph = graph_json(plan.scheme)
    engine = zen.ZenEngine({"loader": lambda key: graph})

    def evaluate():
        out = []
        for i in range(0, len(peer_lines), BATCH):
            batch = engine.evaluate_batch([{"key": "jilin", "context": line}
                                           for line in peer_lines[i:i + BATCH]])
            out.extend(item["data"]["result"] for item in batch)
        return out

    seconds, results = timed(benchmark, evaluate)
    figures.add("peer: zen-engine evaluate_batch", len(peer_lines) / seconds, "records/s")
    agree(peer_verdicts, [verdict(r, plan.scheme) for r in results])


def test_kernel_in_process_against_zen(plan, peer_lines, figures, benchmark):
    """Decode, check and score the same records in process, nothing stored or written, through
    the kernel's batch entry as zen-engine's is `evaluate_batch`: without the explanation's text
    where the kernel can (`Plan.assess_many`), with it otherwise."""

    def score():
        return score_all(plan, peer_lines)

    seconds, results = timed(benchmark, score)
    assert len(results) == len(peer_lines)
    how = "Plan.assess, no text" if has_assess(plan) else "Plan.score, with text"
    rate = figures.add(f"kernel in process: decode + check + score ({how})",
                       len(peer_lines) / seconds, "records/s")
    zen_rate = figures.values.get("peer: zen-engine evaluate_batch")
    if zen_rate is None:
        pytest.skip("zen-engine evaluate_batch was not measured in this run")
    check_goal(figures.ratio(f"kernel in process ({how}) / zen evaluate_batch",
                             rate / zen_rate[0], 10))
