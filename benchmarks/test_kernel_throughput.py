"""Kernel throughput: 100,000 evaluations of a 25-criterion scheme with a compiled plan.

Run explicitly: `uv run pytest benchmarks --benchmark-enable`.
"""

from __future__ import annotations

import time

import msgspec
import pytest

from dangjian import Evaluation, load_catalog

from .synthetic import BenchPlugin, evaluations_25

N = 100_000


@pytest.fixture(scope="module")
def prepared():
    plan = load_catalog(entry_points=False, plugins=[BenchPlugin()]).plan("bench-25")
    evaluations = msgspec.convert(list(evaluations_25(N)), list[Evaluation])
    return plan, evaluations


def test_score_100k_evaluations_of_25_criteria(benchmark, prepared):
    plan, evaluations = prepared

    def run():
        return sum(1 for _ in plan.score_many(enumerate(evaluations, 1)))

    start = time.perf_counter()
    count = benchmark.pedantic(run, rounds=1, iterations=1)
    elapsed = time.perf_counter() - start
    assert count == N
    print(f"\n25-criterion scheme: {N} evaluations in {elapsed:.2f} s = {N / elapsed:,.0f} evaluations/s")
