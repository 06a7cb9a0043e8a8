"""The peer: zen-engine evaluating the reference scheme as a decision graph on the same records,
per record and in batch, checked to agree with the kernel on totals, grades, vetoes, honours and
consequences; reported as ratios to the pipeline and to the kernel alone."""

from __future__ import annotations

import itertools

import pytest
from dangjian.pipeline import score_records
from dangjian.records import decode_evaluation

from .conftest import PEER_RECORDS, RECORDS, check_goal, jilin_input, timed
from .zen_graph import graph_json, verdict

zen = pytest.importorskip("zen", reason="zen-engine is in the `bench` dependency group")
BATCH = 1000


@pytest.fixture(scope="module")
def peer_lines(data_dir) -> list[bytes]:
    path = jilin_input(data_dir, RECORDS)
    with open(path, "rb") as f:
        return [line for line in itertools.islice(f, PEER_RECORDS)]


@pytest.fixture(scope="module")
def kernel_verdicts(plan, peer_lines):
    """What the kernel decides for each peer record (every one of them is scored)."""
    out = []
    for line in peer_lines:
        r = plan.score(decode_evaluation(line, row=0))
        out.append((f"{r.total:f}", r.grade, tuple(sorted(v.id for v in r.vetoes)),
                    tuple(sorted(e.honour for e in r.eligibility if e.eligible)),
                    tuple(sorted(c.id for c in r.consequences))))
    return out


def _agree(kernel, results) -> None:
    mismatched = [(i, k, z) for i, (k, z) in enumerate(zip(kernel, results)) if k != z]
    assert len(results) == len(kernel)
    assert not mismatched, f"{len(mismatched)} records differ, first: {mismatched[:3]}"


def test_zen_evaluate_per_record(plan, peer_lines, kernel_verdicts, pipeline, figures, benchmark):
    decision = zen.ZenEngine().create_decision(graph_json(plan.scheme))

    def evaluate():
        return [decision.evaluate(line)["result"] for line in peer_lines]

    seconds, results = timed(benchmark, evaluate)
    rate = figures.add("peer: zen-engine evaluate (per record)", len(peer_lines) / seconds,
                       "records/s")
    _agree(kernel_verdicts, [verdict(r, plan.scheme) for r in results])
    pipeline_rate = RECORDS / pipeline[1].seconds
    check_goal(figures.ratio("pipeline --workers 1 / zen evaluate", pipeline_rate / rate, 50))


def test_zen_evaluate_batch(plan, peer_lines, kernel_verdicts, pipeline, figures, benchmark):
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
    rate = figures.add("peer: zen-engine evaluate_batch", len(peer_lines) / seconds,
                       "records/s")
    _agree(kernel_verdicts, [verdict(r, plan.scheme) for r in results])
    pipeline_rate = RECORDS / pipeline[1].seconds
    check_goal(figures.ratio("pipeline --workers 1 / zen evaluate_batch", pipeline_rate / rate,
                             10))


def test_kernel_alone_on_the_peer_records(plan, peer_lines, figures, benchmark):
    """Decode and assess into compact rows (no explanation text), in process, nothing stored:
    the part of the pipeline that does what the peer does."""
    def score():
        return sum(1 for _ in score_records(plan, enumerate(peer_lines, 1)))

    seconds, scored = timed(benchmark, score)
    assert scored == len(peer_lines)
    rate = figures.add("kernel: decode + score + encode, in process", len(peer_lines) / seconds,
                       "records/s")
    zen_rates = {k: v for k, (v, _) in figures.values.items() if k.startswith("peer:")}
    for name, zen_rate in zen_rates.items():
        figures.ratio(f"kernel alone / {name.removeprefix('peer: zen-engine ')}",
                      rate / zen_rate, 10 if "batch" in name else 50)
