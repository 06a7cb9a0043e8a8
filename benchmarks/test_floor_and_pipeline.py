"""The floor and the pipeline: `dangjian score SCHEME FILE --db DB` against merely decoding
the records and storing one ~300-byte row each, and the size of the database it leaves.

Run: `uv run --group bench pytest benchmarks --benchmark-enable` (see benchmarks/README.md).
"""

from __future__ import annotations

from .conftest import RECORDS, check_goal

# Issue 13: at most 400 bytes per organization on the reference scheme (2.5 GB for 5,000,000).
DB_BYTES_PER_ORG = 400


def test_floor_decodes_and_stores_every_record(floor):
    assert floor.records == RECORDS


def test_pipeline_with_one_worker_against_the_floor(pipeline, floor, figures):
    runs, _ = pipeline
    rate = RECORDS / runs[1].seconds
    check_goal(figures.ratio("dangjian score --db, 1 worker / floor", rate / floor.rate, 0.5))


def test_pipeline_with_two_workers_against_the_floor(pipeline, floor, figures):
    runs, _ = pipeline
    rate = RECORDS / runs[2].seconds
    check_goal(figures.ratio("dangjian score --db, 2 workers / floor", rate / floor.rate, 0.8))


def test_database_bytes_per_organization(pipeline, figures):
    _, sizes = pipeline
    check_goal(figures.ratio(f"database bytes per organization / {DB_BYTES_PER_ORG} B",
                             sizes[1] / RECORDS / DB_BYTES_PER_ORG, 1.0,
                             higher_is_better=False))
