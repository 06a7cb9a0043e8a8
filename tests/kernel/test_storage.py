"""Storage: a run round-trips through a real SQLite file and is written all or nothing."""

from __future__ import annotations

import sqlite3

import pytest

from dangjian import NotFound
from dangjian.runs import run_meta, score_batch
from dangjian.storage import Store, encode_result
from tests.conftest import evaluation

from .test_engine import weighted  # noqa: F401  (fixture)


def records():
    return [
        (1, evaluation("a", onsite=[95], superior=80)),
        (2, evaluation("b", onsite=[], superior=80)),
        (3, evaluation("c", org_type="committee", onsite=[70], superior=60)),
        (4, evaluation("d", onsite=["好", "较好"], superior=90, integrity_problem=True)),
    ]


def test_run_round_trips_results_lines_and_rejects(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    summary = score_batch(weighted, records(), store=store, meta=run_meta(weighted, sources=["x.jsonl"]))
    assert (summary.read, summary.scored, summary.rejected) == (4, 3, 1)
    assert summary.grades == {"好": 2, "一般": 1}
    run = store.run(summary.run_id)
    assert (run["read"], run["scored"], run["rejected"]) == (4, 3, 1)
    assert run["scheme_id"] == "test-weighted" and run["scheme_hash"] == weighted.ref.hash
    assert run["sources"] == ["x.jsonl"]
    stored = store.result(summary.run_id, "a")
    assert encode_result(stored) == encode_result(weighted.score(records()[0][1]))
    assert [r.org_id for r in store.results(summary.run_id, grade="好")] == ["a", "d"]
    assert [r.org_id for r in store.results(summary.run_id, org_type="committee")] == ["c"]
    assert [r.org_id for r in store.results(summary.run_id, limit=1, offset=1)] == ["c"]
    assert store.count_results(summary.run_id, grade="一般") == 1
    reject = store.rejects(summary.run_id)[0]
    assert (reject.row, reject.org_id) == (2, "b") and "评议人数" in reject.reason


def test_an_interrupted_run_leaves_nothing_behind(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")

    def exploding():
        yield from records()[:3]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        score_batch(weighted, exploding(), store=store)
    db = sqlite3.connect(tmp_path / "runs.db")
    for table in ("runs", "results", "lines", "rejects"):
        assert db.execute(f"select count(*) from {table}").fetchone()[0] == 0
    summary = score_batch(weighted, records(), store=store)
    assert summary.run_id is not None and store.runs()[0]["id"] == summary.run_id


def test_migrations_are_recorded_and_run_once(tmp_path):
    Store(tmp_path / "m.db").close()
    Store(tmp_path / "m.db").close()
    names = [r[0] for r in sqlite3.connect(tmp_path / "m.db").execute("select name from _migrations")]
    assert names[0] == "m001_initial" and len(names) == len(set(names))


def test_unknown_run_and_org_are_not_found(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    with pytest.raises(NotFound):
        store.run(99)
    with pytest.raises(NotFound):
        store.latest_run_id()
    run_id = score_batch(weighted, records(), store=store).run_id
    with pytest.raises(NotFound):
        store.result(run_id, "zzz")


def test_same_input_gives_byte_identical_stored_results(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    first = score_batch(weighted, records(), store=store).run_id
    second = score_batch(weighted, records(), store=store).run_id
    a = [tuple(r.values()) for r in store.stored_bytes(first)]
    b = [tuple(r.values()) for r in store.stored_bytes(second)]
    assert a == b and len(a) == 3
