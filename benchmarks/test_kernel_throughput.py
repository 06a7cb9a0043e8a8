"""The kernel alone, in process: decode and assess into compact rows (no explanation text),
nothing stored.

A 25-criterion scheme using every built-in method, and the reference scheme, on the same
numbers of generated records as the pipeline.
"""

from __future__ import annotations

import msgspec
from dangjian import load_catalog
from dangjian.models import Reject
from dangjian.pipeline import score_records

from .conftest import RECORDS, timed
from .synthetic import BenchPlugin, evaluations_25


def test_25_criteria_every_method(figures, benchmark):
    plan = load_catalog(entry_points=False, plugins=[BenchPlugin()]).plan("bench-25")
    lines = [msgspec.json.encode(e) for e in evaluations_25(RECORDS)]

    def score():
        return [item for item in score_records(plan, enumerate(lines, 1))
                if isinstance(item, Reject)]

    seconds, rejects = timed(benchmark, score)
    figures.add("kernel: 25 criteria, every method", RECORDS / seconds, "records/s")
    assert not rejects, rejects[:3]


def test_reference_scheme(plan, jilin_file, figures, benchmark):
    with open(jilin_file, "rb") as f:
        lines = f.read().splitlines()

    def score():
        return sum(1 for item in score_records(plan, enumerate(lines, 1))
                   if not isinstance(item, Reject))

    seconds, scored = timed(benchmark, score)
    figures.add("kernel: jilin-health-2019", RECORDS / seconds, "records/s")
    assert scored == RECORDS
