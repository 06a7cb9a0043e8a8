"""The pipeline: results for output files equal the one encoding; two workers store what one
stores."""

from __future__ import annotations

import msgspec

from dangjian import load_catalog
from dangjian.store.compact import Scored
from dangjian.models import Reject
from dangjian.scoring.pipeline import score_records
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
