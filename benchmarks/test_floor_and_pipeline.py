"""The floor and the pipeline: `dangjian score` against merely decoding and storing.

Run: `uv run --group bench pytest benchmarks --benchmark-enable` (see benchmarks/README.md).
"""

from __future__ import annotations

from .conftest import RECORDS, check_goal


def test_floor_decodes_and_stores_every_record(floor):
    assert floor.records == RECORDS


def test_pipeline_with_one_worker_against_the_floor(pipeline, floor, figures):
    rate = RECORDS / pipeline[1].seconds
    check_goal(figures.ratio("pipeline --workers 1 / floor", rate / floor.rate, 0.5))


def test_pipeline_with_two_workers_against_the_floor(pipeline, floor, figures):
    rate = RECORDS / pipeline[2].seconds
    check_goal(figures.ratio("pipeline --workers 2 / floor (aim)", rate / floor.rate, 1.0))
