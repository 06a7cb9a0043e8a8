"""The pipeline: results for output files equal the one encoding; two workers store what one
stores."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter, deque

import msgspec

from dangjian import load_catalog
from dangjian.store.compact import Scored, Tally
from dangjian.models import Reject
from dangjian.scoring import pipeline
from dangjian.scoring.pipeline import (Claims, Lines, _shipped, _take_back, assess_chunk,
                                        score_chunks, score_records)
from dangjian.store.chunks import ChunkPacker
from dangjian.store.runner import RunInput, run_meta, score_run
from dangjian.store.storage import Store, encode_result
from tests.conftest import evaluation


def jilin_lines(n: int) -> list[tuple[int, bytes]]:
    grades = ["好", "较好", "一般", "差"]
    lines = []
    for i in range(n):
        obj = {"org_id": f"o{i}", "org": {"name": f"第{i}支部", "type": "branch"},
               "inputs": {"onsite": [60 + i % 41, grades[i % 4], 85], "superior": 50 + i % 51}}
        if i % 17 == 0:
            obj["inputs"]["onsite"] = []
        if i % 23 == 0:
            obj["inputs"]["integrity_problem"] = True
        lines.append((i + 1, msgspec.json.encode(obj)))
    lines.append((n + 1, b'{"org_id": "broken", '))
    return lines


def test_output_json_is_encode_result_with_lines_only_when_asked():
    plan = load_catalog().plan("jilin-health-2019")
    given = evaluation(onsite=["好", 90, "一般"], superior=88, org_type="branch")
    result = plan.score(given)
    [plain] = score_records(plan, [(1, given)], out=True)
    [explained] = score_records(plan, [(1, given)], out=True, lines=True)
    assert explained.out == encode_result(result)
    assert plain.out == encode_result(msgspec.structs.replace(result, lines=[]))
    assert (plain.grade, plain.total) == ("较好", "85.90")
    [bare] = score_records(plan, [(1, given)])
    assert bare.out is None


def test_two_workers_store_byte_identical_results_to_one(tmp_path):
    plan = load_catalog().plan("jilin-health-2019")
    records = jilin_lines(5000)
    one = list(score_records(plan, records, workers=1, source="a.jsonl", chunk_size=300))
    two = list(score_records(plan, records, workers=2, source="a.jsonl", chunk_size=300))
    assert one == two
    assert len(one) == 5001
    rejects = [item for item in one if isinstance(item, Reject)]
    assert all(isinstance(item, Scored) for item in one if not isinstance(item, Reject))
    assert rejects[-1].row == 5001 and "不是有效的 JSON" in rejects[-1].reason
    store = Store(tmp_path / "runs.db")
    first = score_run(plan, [RunInput(records, "a.jsonl")], store=store,
                      meta=run_meta(plan, input_digest="x", note="1")).summary.run_id
    second = score_run(plan, [RunInput(records, "a.jsonl")], store=store, workers=2,
                       meta=run_meta(plan, input_digest="x", note="2", workers=2)).summary.run_id
    assert first != second
    assert list(store.stored_bytes(first)) == list(store.stored_bytes(second))
    assert store.run(first)["read"] == 5001


def test_a_line_without_org_id_is_rejected_naming_the_field():
    from dangjian.scoring.records import decode_evaluation

    reject = decode_evaluation(b'{"inputs": {}}', row=7, source="in.jsonl")
    assert (reject.row, reject.field, reject.source) == (7, "org_id", "in.jsonl")
    assert "缺少必填字段 org_id" in reject.reason
    nested = decode_evaluation(b'{"org_id": "a", "activities": [{"date": "2022-01-01"}]}', row=8)
    assert nested.field == "activities[0].kind"
    unknown = decode_evaluation(b'{"org_id": "a", "input": {}}', row=9)
    assert unknown.field == "input" and "未知字段 input" in unknown.reason


def stored_by_one_and_two(plan, records, tmp_path):
    """The records stored by one worker and by two (chunks of 100), which must store the same
    bytes, rejects and counts; the store and both summaries."""
    store = Store(tmp_path / "runs.db")
    runs = [score_run(plan, [RunInput(records, "a.jsonl")], store=store, workers=workers,
                      chunk_size=100, meta=run_meta(plan, input_digest="x", note=str(workers),
                                                    workers=workers)).summary
            for workers in (1, 2)]
    one, two = (s.run_id for s in runs)
    assert list(store.stored_bytes(one)) == list(store.stored_bytes(two))
    assert store.rejects(one) == store.rejects(two)
    assert runs[0].grades == runs[1].grades
    return store, runs


def test_two_workers_reject_repeated_ids_in_chunks_packed_by_the_other_as_one_does(tmp_path):
    plan = load_catalog().plan("jilin-health-2019")
    records = jilin_lines(3000)
    # Every 29th line repeats the id of a line about 700 lines before (another chunk).
    records = [(row, line.replace(b'"o%d"' % (row - 1), b'"o%d"' % (row - 701))
                if row > 701 and row % 29 == 0 else line) for row, line in records]
    chunks = list(score_chunks(plan, records, workers=2, chunk_size=100, pack=True))
    assert any(packed is not None for _, packed in chunks)  # some came packed by the other
    store, runs = stored_by_one_and_two(plan, records, tmp_path)
    assert [(s.read, s.scored, s.rejected) for s in runs] == [(3001, 2753, 248)] * 2
    two = runs[1].run_id
    repeated = [r for r in store.rejects(two) if r.field == "org_id"]
    # Line 725 repeats o24, first met on line 25; 178 lines are rejected for other reasons.
    assert len(repeated) == 70
    assert repeated[0].row == 725 and "a.jsonl 第 25 行" in repeated[0].reason


def well_formed_lines(n: int) -> list[tuple[int, bytes]]:
    """`jilin_lines` without the ones rejected (no ballots, the broken last line)."""
    return [(row, line) for row, line in jilin_lines(n)[:-1] if (row - 1) % 17]


def test_a_chunk_another_process_scored_whole_comes_as_its_tally():
    plan = load_catalog().plan("jilin-health-2019")
    records = well_formed_lines(1200)
    here = [item for chunk, _ in score_chunks(plan, records, chunk_size=100) for item in chunk]
    chunks = list(score_chunks(plan, records, workers=2, chunk_size=100, pack=True))
    tallies = [(at, chunk) for at, (chunk, packed) in enumerate(chunks) if chunk.__class__ is Tally]
    assert tallies and all(packed is not None for chunk, packed in chunks
                           if chunk.__class__ is Tally)
    for at, tally in tallies:
        expected = here[at * 100:(at + 1) * 100]
        assert tally.count == len(expected) == 100
        assert tally.grades == Counter(item.grade for item in expected)
        assert tally.ids.rows() == [item.row for item in expected]
        assert tally.ids.first_id() == expected[0].org_id


def test_two_workers_reject_a_repeated_id_in_a_chunk_the_other_scored_whole(tmp_path):
    plan = load_catalog().plan("jilin-health-2019")
    # Lines that follow one another, none rejected but for every 41st from row 533 on, which
    # repeats the id of the line 500 rows before it (in another chunk).
    lines = [line for _, line in well_formed_lines(3000)]
    ids = [msgspec.json.decode(line)["org_id"] for line in lines]
    records = []
    for row, line in enumerate(lines, 1):
        if row > 501 and row % 41 == 0:
            line = line.replace(b'"%s"' % ids[row - 1].encode(), b'"%s"' % ids[row - 501].encode())
        records.append((row, line))
    store, runs = stored_by_one_and_two(plan, records, tmp_path)
    assert [(s.read, s.scored, s.rejected) for s in runs] == [(2823, 2767, 56)] * 2
    one, two = (s.run_id for s in runs)
    first = store.rejects(two)[0]
    assert (first.row, first.org_id) == (533, ids[32]) and "a.jsonl 第 33 行" in first.reason
    # Each organization is found where it is stored, those after a repeated row included.
    for row in (532, 534, 535, 575, 2800):
        found = [store.result(run, ids[row - 1], with_lines=False) for run in (one, two)]
        assert found[0] == found[1] and found[1].org_id == ids[row - 1]


def test_lines_as_read_cross_to_another_process_whole():
    plan = load_catalog().plan("jilin-health-2019")
    lines = [line + b"\n" for _, line in jilin_lines(30)]
    lines[-1] = lines[-1][:-1]  # a file's last line, without its line end
    lines[3] = lines[3][:-1] + b"\r\n"
    chunk = Lines(11, lines)
    pipeline._worker_plan, pipeline._worker_packer = plan, ChunkPacker()
    try:
        items, packed = pipeline._work((1, _shipped(chunk), "a.jsonl", False, False, False))
    finally:
        pipeline._worker_plan = pipeline._worker_packer = None
    here = assess_chunk(plan, chunk, "a.jsonl", None)
    received, _ = pipeline._received((items, packed), chunk)
    assert received == here and [item.row for item in here] == list(range(11, 42))
    assert here[3].input == lines[3][:-2] and here[29].row == 40


class _Promise:
    def __init__(self) -> None:
        self.done = False

    def ready(self) -> bool:
        return self.done


def test_the_chunks_another_process_has_not_begun_are_half_taken_back():
    claims = Claims(threading.Lock())
    assert claims.begin(3)
    pending = deque([["scored here"], (["c3"], _Promise(), 3), (["c4"], _Promise(), 4),
                     (["c5"], _Promise(), 5), (["c6"], _Promise(), 6), (["c7"], _Promise(), 7)])
    _take_back(pending, claims, lambda chunk: [f"{chunk[0]} here"])
    # Chunk 3 is begun; of 4-7, the other keeps 4 and 5 and chunks after 5 are taken back.
    assert claims.values[1] == 5
    assert claims.begin(5) and not claims.begin(6)
    assert [entry if entry.__class__ is list else entry[2] for entry in pending] == [
        ["scored here"], 3, 4, 5, ["c6 here"], ["c7 here"]]


def test_claims_are_shared_with_a_forked_process():
    context = multiprocessing.get_context("fork")
    claims = Claims(context.Lock())
    claims.values[1] = 4  # chunks after 4 are taken back
    child = context.Process(target=lambda: exit(0 if claims.begin(4) and not claims.begin(5)
                                                else 1))
    child.start()
    child.join()
    assert child.exitcode == 0
    assert claims.values[0] == 4  # the child's begun chunk, seen here


def test_lines_as_read_from_a_file_cross_joined_and_score_as_in_one_process():
    plan = load_catalog().plan("jilin-health-2019")
    # As a JSONL file is read: each line with its line end (some Windows ones), the last
    # line without one.
    records = [(row, line + (b"\r\n" if row % 3 == 0 else b"\n"))
               for row, line in jilin_lines(1000)]
    records[-1] = (records[-1][0], records[-1][1].rstrip(b"\r\n"))
    shipped = _shipped(records[:100])
    assert shipped[0] == list(range(1, 101)) and shipped[1].count(b"\n") == 99
    assert _shipped(records[-100:]) == records[-100:]  # the last line has no line end
    one = list(score_records(plan, records, workers=1, chunk_size=100))
    two = list(score_records(plan, records, workers=2, chunk_size=100))
    assert one == two and len(one) == 1001
    assert one[2].input == records[2][1].rstrip(b"\r\n") and records[2][1].endswith(b"\r\n")


def test_runs_stored_from_several_threads_at_once_leave_the_switch_interval_as_it_was(tmp_path):
    # As the API stores runs: several requests at once, each its own store.
    import sys
    from concurrent.futures import ThreadPoolExecutor

    plan = load_catalog().plan("jilin-health-2019")
    before = sys.getswitchinterval()

    def store_one(n: int) -> tuple[int, int]:
        store = Store(tmp_path / f"runs-{n}.db")
        try:
            summary = score_run(plan, [RunInput(jilin_lines(700 + n), "a.jsonl")], store=store,
                                chunk_size=50).summary
            return summary.read, len(list(store.stored_bytes(summary.run_id)))
        finally:
            store.close()

    with ThreadPoolExecutor(4) as threads:
        done = list(threads.map(store_one, range(6)))
    assert sys.getswitchinterval() == before
    # Every line read, every scored one stored: one in 17 has no raters, the last is broken.
    assert done == [(701 + n, 700 + n - len(range(0, 700 + n, 17))) for n in range(6)]


def test_a_chunk_of_evaluations_or_of_other_bytes_crosses_as_it_is():
    given = evaluation(onsite=["好", 90, "一般"], superior=88, org_type="branch")
    assert _shipped([(1, given), (2, given)]) == [(1, given), (2, given)]
    odd = [(1, bytearray(b'{"org_id": "a"}\n')), (2, b'{"org_id": "b"}\n')]
    assert _shipped(odd) == odd
    # As many line ends as lines, but the first is inside a line.
    inner = [(1, b'{\n"org_id": "a"}'), (2, b'{"org_id": "b"}\n')]
    assert _shipped(inner) == inner
