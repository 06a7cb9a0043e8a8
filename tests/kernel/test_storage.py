"""Storage: a run round-trips through a real SQLite file, compactly, and is written all or
nothing; explanations come back byte for byte from the stored scheme and inputs."""

from __future__ import annotations

from pathlib import Path

import sqlite3

import msgspec
import pytest

from dangjian import NotFound
from dangjian.store.chunks import profile_id, unpack_rows
from dangjian.store.runner import RunInput, run_meta, score_batch, score_run
from dangjian.store.storage import (_MIGRATIONS_TABLE, MIGRATIONS, Store, encode_result, migrate,
                                    migration_name, pending_migrations)
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
    for table in ("runs", "run_chunks", "run_orgs", "profiles", "rejects", "schemes"):
        assert db.execute(f"select count(*) from {table}").fetchone()[0] == 0
    assert [p.name for p in tmp_path.iterdir() if "stage" in p.name] == []
    summary = score_batch(weighted, records(), store=store)
    assert summary.run_id is not None and store.runs()[0]["id"] == summary.run_id


def test_a_failure_in_the_stage_thread_stops_the_run_and_leaves_nothing_behind(
        tmp_path, weighted, monkeypatch):
    # The disk fills up while a chunk is written beside the scoring: the error reaches the
    # caller as it is, the staging file is removed and the switch interval is as it was.
    import sys

    from dangjian.store.storage import RunStage

    before = sys.getswitchinterval()
    written = []
    write = RunStage.write

    def failing(self, batch):
        if written:
            raise sqlite3.OperationalError("database or disk is full")
        written.append(batch.rows)
        return write(self, batch)

    monkeypatch.setattr(RunStage, "write", failing)
    store = Store(tmp_path / "runs.db")
    rows = [(n, evaluation(f"o{n}", onsite=[90], superior=80)) for n in range(1, 8)]
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        score_run(weighted, [RunInput(rows)], store=store, chunk_size=2)
    assert written == [2] and sys.getswitchinterval() == before
    assert [p.name for p in tmp_path.iterdir() if "stage" in p.name] == []
    assert sqlite3.connect(tmp_path / "runs.db").execute(
        "select count(*) from runs").fetchone()[0] == 0


def test_migrations_are_recorded_and_run_once(tmp_path):
    Store(tmp_path / "m.db").close()
    Store(tmp_path / "m.db").close()
    names = [r[0] for r in sqlite3.connect(tmp_path / "m.db").execute("select name from _migrations")]
    assert names[0] == "m001_initial" and len(names) == len(set(names))


def indexes(conn) -> set[str]:
    return {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


MIXED = [(1, evaluation("a", onsite=[95], superior=80)),
         (2, evaluation("c1", org_type="committee", onsite=[95], superior=90)),
         (3, evaluation("c2", org_type="committee", onsite=[70], superior=60)),
         (4, evaluation("b", onsite=[70], superior=60)),
         (5, evaluation("d", onsite=[96], superior=85))]


def filtered(store, run_id) -> dict:
    """Org ids and counts of a run by grade, by type and by both."""
    out = {}
    for grade in (None, "好", "一般"):
        for org_type in (None, "branch", "committee"):
            ids = [r.org_id for r in store.results(run_id, grade=grade, org_type=org_type)]
            assert store.count_results(run_id, grade=grade, org_type=org_type) == len(ids)
            out[grade, org_type] = ids
    return out


EXPECTED = {
    (None, None): ["a", "c1", "c2", "b", "d"], (None, "branch"): ["a", "b", "d"],
    (None, "committee"): ["c1", "c2"], ("好", None): ["a", "c1", "d"],
    ("好", "branch"): ["a", "d"], ("好", "committee"): ["c1"], ("一般", None): ["c2", "b"],
    ("一般", "branch"): ["b"], ("一般", "committee"): ["c2"]}


def test_results_filtered_by_grade_and_type_read_only_their_run(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    assert "scored_grade" not in indexes(store.conn)
    score_batch(weighted, records(), store=store)
    run_id = score_batch(weighted, MIXED, store=store).run_id
    score_batch(weighted, records(), store=store, meta=run_meta(weighted, note="后一批"))
    assert filtered(store, run_id) == EXPECTED
    assert store.count_results(run_id, grade="较差") == 0
    assert list(store.results(run_id, grade="好", org_type="branch", limit=1, offset=1)) != []
    assert [r.org_id for r in store.results(run_id, grade="好", limit=1, offset=1)] == ["c1"]


def test_a_database_from_before_m005_has_its_runs_converted_to_chunks(tmp_path, weighted):
    # The same two runs stored now, and as m001-m004 stored them: one `scored` row each.
    new = Store(tmp_path / "new.db")
    first = score_batch(weighted, records(), store=new).run_id
    run_id = score_batch(weighted, MIXED, store=new).run_id
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(_MIGRATIONS_TABLE)
    for migration in MIGRATIONS[:4]:
        migration(conn)
        conn.execute("INSERT INTO _migrations VALUES (?, 'x')", (migration_name(migration),))
    conn.execute("ATTACH DATABASE ? AS new", (str(tmp_path / "new.db"),))
    for table in ("runs", "schemes", "profiles", "rejects"):
        conn.execute(f"INSERT INTO {table} SELECT * FROM new.{table}")
    for run in (first, run_id):
        start = (conn.execute("SELECT max(id) FROM scored").fetchone()[0] or 0) + 1
        for (body,) in conn.execute("SELECT body FROM new.run_chunks WHERE run_id = ?"
                                    " ORDER BY id", (run,)).fetchall():
            conn.executemany("INSERT INTO scored (run_id, org_id, org_type, grade, total,"
                             " profile, head, input, org) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(run, *row) for row in unpack_rows(body)])
        end = conn.execute("SELECT max(id) FROM scored").fetchone()[0]
        conn.execute("UPDATE runs SET layout = 2, first_id = ?, last_id = ? WHERE id = ?",
                     (start, end, run))
    conn.execute("DETACH DATABASE new")
    conn.close()

    store = Store(path)
    assert pending_migrations(store.conn) == []
    # A new database takes the largest pages (chunks of ~600 KB); one made before keeps its own.
    assert new.conn.execute("PRAGMA page_size").fetchone()[0] == 65536
    assert store.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    tables = {name for (name,) in store.conn.execute("SELECT name FROM sqlite_master")}
    assert "scored" not in tables and "scored_org_id" not in indexes(store.conn)
    assert filtered(store, run_id) == EXPECTED
    for run in (first, run_id):
        assert list(store.stored_bytes(run)) == list(new.stored_bytes(run))
        assert [encode_result(r) for r in store.results(run)] == \
            [encode_result(r) for r in new.results(run)]
    assert encode_result(store.result(run_id, "c2")) == encode_result(new.result(run_id, "c2"))
    assert [r["id"] for r in store.runs_with("a")] == [run_id, first]
    assert [r.org_id for r in store.rejects(first)] == ["b"]


def test_chunks_stored_before_compression_read_as_they_did(tmp_path, weighted):
    # The previous layout: each chunk plain msgpack, profiles numbered 1, 2, … in the run.
    path = tmp_path / "runs.db"
    store = Store(path)
    run_id = score_batch(weighted, MIXED, store=store).run_id
    compressed = list(store.stored_bytes(run_id))
    results = [encode_result(r) for r in store.results(run_id)]
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    numbers = {old: new for new, (old,) in enumerate(conn.execute(
        "SELECT id FROM profiles WHERE run_id = ? ORDER BY id", (run_id,)), 1)}
    for old, new in numbers.items():
        conn.execute("UPDATE profiles SET id = ? WHERE run_id = ? AND id = ?",
                     (new, run_id, old))
    for chunk, body in conn.execute("SELECT id, body FROM run_chunks").fetchall():
        assert body[:4] == b"\x28\xb5\x2f\xfd"  # Zstandard's magic number
        rows = [[*row[:4], numbers.get(row[4], row[4]), *row[5:]] for row in unpack_rows(body)]
        conn.execute("UPDATE run_chunks SET body = ? WHERE id = ?",
                     (msgspec.msgpack.encode(rows), chunk))
    conn.close()
    store = Store(path)
    assert list(store.stored_bytes(run_id)) == compressed
    assert [encode_result(r) for r in store.results(run_id)] == results
    assert store.result(run_id, "c2").grade == "一般"


def test_a_profile_is_referred_to_by_an_id_made_from_its_bytes(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    run_id = score_batch(weighted, MIXED, store=store).run_id
    stored = store.conn.execute("SELECT id, body FROM profiles WHERE run_id = ?",
                                (run_id,)).fetchall()
    assert stored and all(number == profile_id(body) for number, body in stored)
    assert all(0 < number < 1 << 63 for number, _ in stored)


def test_a_new_database_is_made_without_sqlite_utils(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from dangjian.store.storage import Store; Store(sys.argv[1]).close();"
            " print('sqlite_utils' in sys.modules)")
    for _ in range(2):  # new, then opened again
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "n.db")],
                              capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "False"


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
    a = list(store.stored_bytes(first))
    b = list(store.stored_bytes(second))
    assert a == b and len(a) == 3


def test_explanations_are_rendered_again_byte_for_byte(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    run_id = score_batch(weighted, records(), store=store).run_id
    db = sqlite3.connect(tmp_path / "runs.db")
    columns = [row[1] for row in db.execute("pragma table_info(scored)")]
    assert "lines" not in columns and "payload" not in columns
    for row, given in records():
        if row == 2:
            continue
        full = weighted.score(given)
        assert encode_result(store.result(run_id, given.org_id)) == encode_result(full)
        plain = store.result(run_id, given.org_id, with_lines=False)
        assert plain.lines == [] and encode_result(plain) == \
            encode_result(msgspec.structs.replace(full, lines=[]))
    listed = list(store.results(run_id, with_lines=True))
    assert [encode_result(r) for r in listed] == \
        [encode_result(weighted.score(e)) for row, e in records() if row != 2]


def test_stored_evaluations_scheme_and_runs_holding_an_org(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    run_id = score_batch(weighted, records(), store=store).run_id
    stored = list(store.evaluations(run_id))
    assert stored == [(1, records()[0][1]), (2, records()[2][1]), (3, records()[3][1])]
    text, fmt = store.scheme_text(run_id)
    assert fmt == "json" and msgspec.json.decode(text)["id"] == "test-weighted"
    assert store.latest_run_id("test-weighted") == run_id
    with pytest.raises(NotFound):
        store.latest_run_id("no-such-scheme")
    assert [r["id"] for r in store.runs_with("c")] == [run_id]
    assert store.runs_with("b") == []  # rejected: not held


def test_a_repeated_org_id_is_rejected_naming_its_first_row(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    rows = [*records(), (5, evaluation("a", onsite=[60], superior=60)),
            (6, evaluation("b", onsite=[60], superior=60))]
    summary = score_batch(weighted, rows, store=store, source="x.jsonl")
    assert (summary.read, summary.scored, summary.rejected) == (6, 4, 2)
    rejects = store.rejects(summary.run_id)
    assert [(r.row, r.org_id) for r in rejects] == [(2, "b"), (5, "a")]
    assert rejects[1].field == "org_id" and "x.jsonl 第 1 行" in rejects[1].reason
    # b's first row was rejected, so its later row is the one scored
    assert store.result(summary.run_id, "b").total == weighted.score(rows[5][1]).total
    assert store.result(summary.run_id, "a").total == weighted.score(rows[0][1]).total


def test_a_run_of_identical_inputs_is_found_not_stored_twice(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    meta = run_meta(weighted, input_digest="d1")
    first = score_run(weighted, [RunInput(records())], store=store, meta=meta).summary
    again = score_run(weighted, [RunInput(records())], store=store,
                      meta=run_meta(weighted, input_digest="d1")).summary
    assert (again.run_id, again.existing, first.existing) == (first.run_id, True, False)
    other = score_run(weighted, [RunInput(records())], store=store,
                      meta=run_meta(weighted, input_digest="d1", note="重评")).summary
    assert other.run_id == first.run_id + 1


def test_a_database_of_the_previous_layout_still_opens_and_reads(tmp_path, weighted):
    import sqlite_utils

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for migration in MIGRATIONS[:2]:
        migration(db.conn)
        db["_migrations"].insert({"name": migration.__name__.lstrip("_"), "applied_at": "x"})
    full = weighted.score(records()[0][1])
    payload = encode_result(msgspec.structs.replace(full, lines=[])).decode()
    db.execute("INSERT INTO runs (id, scheme_id, scheme_version, scheme_hash, plugin_versions,"
               " input_digest, sources, started_at, finished_at, read, scored, rejected,"
               " workers, grades, note) VALUES (1, 'test-weighted', '1', 'h', '{}', '', '[]',"
               " 's', 'f', 1, 1, 0, 1, '{\"好\": 1}', '')")
    db.execute("INSERT INTO results VALUES (1, 1, 'a', '组织a', 'branch', 90.5, '好', ?)",
               [payload])
    db.execute("INSERT INTO lines VALUES (1, 1, 'a', ?)",
               [msgspec.json.Encoder(decimal_format="number").encode(full.lines).decode()])
    db.conn.commit()
    db.close()
    store = Store(path)
    assert encode_result(store.result(1, "a")) == encode_result(full)
    assert [r.org_id for r in store.results(1, grade="好")] == ["a"]
    assert [r["id"] for r in store.runs_with("a")] == [1]
    run_id = score_batch(weighted, records(), store=store).run_id
    assert run_id == 2 and store.result(2, "a").total == full.total
    migrate(store.conn)  # nothing left to do
    assert pending_migrations(store.conn) == []


QUOTA = (Path(__file__).parents[1] / "cli" / "data" / "quota.toml").read_text(encoding="utf-8")


def test_batch_rules_run_at_the_end_and_are_stored_with_the_run(tmp_path):
    from tests.conftest import catalog_with_scheme

    catalog = catalog_with_scheme(QUOTA)
    plan = catalog.plan("quota-test")
    rows = [(i, evaluation(f"o{i}", x=95 if i <= 3 else 50)) for i in range(1, 11)]
    store = Store(tmp_path / "runs.db", catalog=catalog)
    summary = score_run(plan, [RunInput(rows)], store=store, catalog=catalog).summary
    assert [f.code for f in summary.findings] == ["excellent_quota"]
    assert "符合条件3个" in summary.findings[0].message
    assert "10个中至多2个" in summary.findings[0].message
    stored = store.run(summary.run_id)["batch_findings"]
    assert stored[0]["message"] == summary.findings[0].message


def test_a_batch_being_scored_holds_no_lock_on_the_database(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    written = []

    def each_chunk(items):
        if not written:  # mid-batch, another program writes to the same database
            other = sqlite3.connect(tmp_path / "runs.db", timeout=0)
            other.execute("CREATE TABLE other_program (x)")
            other.commit()
            other.close()
            written.append(True)

    summary = score_run(weighted, [RunInput(records())], store=store,
                        each_chunk=each_chunk).summary
    assert written and summary.run_id == 1 and store.run(1)["scored"] == 3


def test_the_same_file_given_twice_has_every_row_of_the_second_rejected(tmp_path, weighted):
    store = Store(tmp_path / "runs.db")
    rows = [(1, evaluation("a", onsite=[95], superior=80)),
            (2, evaluation("c", onsite=[70], superior=60))]
    summary = score_run(weighted, [RunInput(rows, "x.jsonl"), RunInput(rows, "x.jsonl")],
                        store=store).summary
    assert (summary.scored, summary.rejected) == (2, 2)
    assert [(r.row, r.org_id, "x.jsonl 第 " + str(r.row) + " 行" in r.reason)
            for r in store.rejects(summary.run_id)] == [(1, "a", True), (2, "c", True)]


def test_chunks_are_packed_and_read_in_several_threads_at_once():
    # The API scores requests in several threads: each packs and reads its own chunks.
    from concurrent.futures import ThreadPoolExecutor

    from dangjian.store.chunks import pack_rows

    def round_trip(seed: int) -> bool:
        rows = [[f"o{seed}-{i}", "branch", "好", "91.50", 7, b"\x01" * 20,
                 b'{"org_id": "o%d"}' % i, None] for i in range(2000)]
        return all(unpack_rows(pack_rows(rows)) == rows for _ in range(20))

    with ThreadPoolExecutor(4) as threads:
        assert all(threads.map(round_trip, range(8)))
