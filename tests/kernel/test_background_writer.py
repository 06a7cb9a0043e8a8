"""A long run is stored by a second process: the same rows as storing in process, one
transaction, nothing left behind when the batch stops halfway or SQLite refuses a row."""

from __future__ import annotations

import sqlite3

import msgspec
import pytest
from dangjian import load_catalog, storage
from dangjian.pipeline import score_records
from dangjian.runs import run_meta
from dangjian.storage import Store

GRADES = ["好", "较好", "一般", "差"]


@pytest.fixture(scope="module")
def plan():
    return load_catalog().plan("jilin-health-2019")


@pytest.fixture(scope="module")
def items(plan):
    lines = []
    for i in range(1200):
        inputs = {"onsite": [60 + i % 41, GRADES[i % 4], 85], "superior": 50 + i % 51}
        if i % 101 == 0:
            inputs["onsite"] = []  # rejected: fewer raters than the scheme allows
        lines.append((i + 1, msgspec.json.encode({
            "org_id": f"o{i}", "org": {"name": f"第{i}支部", "type": "branch"}, "inputs": inputs})))
    return list(score_records(plan, lines))


@pytest.fixture
def small_batches(monkeypatch):
    """Hand runs of more than 50 items to the writer process, in batches of 100 rows."""
    monkeypatch.setattr(storage, "BACKGROUND_AFTER", 50)
    monkeypatch.setattr(storage, "CHUNK", 100)


def runs_in(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, read FROM runs").fetchall() + \
            conn.execute("SELECT count(*), 0 FROM results").fetchall()


def test_the_writer_process_stores_what_storing_in_process_stores(tmp_path, plan, items,
                                                                  monkeypatch):
    store = Store(tmp_path / "runs.db")
    here = store.write_run(run_meta(plan), iter(items))
    monkeypatch.setattr(storage, "BACKGROUND_AFTER", 50)
    monkeypatch.setattr(storage, "CHUNK", 100)
    there = store.write_run(run_meta(plan, workers=2), iter(items))
    assert (here.run_id, there.run_id) == (1, 2)
    assert (there.read, there.scored, there.rejected) == (1200, 1188, 12)
    assert there.grades == here.grades
    assert list(store.stored_bytes(1)) == list(store.stored_bytes(2))
    assert store.rejects(1) == store.rejects(2)
    assert [r.row for r in store.rejects(2)][:3] == [1, 102, 203]
    first, second = store.run(1), store.run(2)
    assert (second["read"], second["scored"], second["rejected"], second["workers"]) == \
        (1200, 1188, 12, 2)
    assert second["grades"] == first["grades"] and second["finished_at"]
    # o1: 70% × (61 + 85 + 85) / 3 + 30% × 51 = 53.9 + 15.3 = 69.20 (一般)
    result = store.result(2, "o1")
    assert (str(result.total), result.grade) == ("69.20", "一般")


def test_a_batch_stopped_halfway_leaves_nothing(tmp_path, plan, items, small_batches):
    store = Store(tmp_path / "runs.db")

    def stops():
        yield from items[:700]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.write_run(run_meta(plan), stops())
    assert runs_in(tmp_path / "runs.db") == [(0, 0)]
    assert store.write_run(run_meta(plan), iter(items)).run_id == 1


def test_a_row_sqlite_refuses_fails_the_run_with_its_reason(tmp_path, plan, items,
                                                           small_batches):
    store = Store(tmp_path / "runs.db")
    store.db.conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON results WHEN NEW.org_id = 'o900'"
                          " BEGIN SELECT RAISE(ABORT, '不接受 o900'); END")
    with pytest.raises(sqlite3.DatabaseError, match="不接受 o900"):
        store.write_run(run_meta(plan), iter(items))
    assert runs_in(tmp_path / "runs.db") == [(0, 0)]
