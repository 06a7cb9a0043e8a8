"""`dangjian score --workers 2` stores, writes and rejects byte for byte what `--workers 1` does,
on inputs of several chunks with rejected rows among them: the reference scheme, and a work-point
scheme scored from completion, evidence, activity records and deadlines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dangjian.store.storage import Store

ROOT = Path(__file__).resolve().parents[2]
DANGJIAN = str(Path(sys.executable).with_name("dangjian"))
GRADES = ["好", "较好", "一般", "差"]


def score(tmp_path: Path, scheme: str, source: Path, workers: int) -> dict:
    env = {**os.environ}
    env.pop("DANGJIAN_DB", None)
    proc = subprocess.run(
        [DANGJIAN, "score", scheme, str(source), "--db", "runs.db", "--workers", str(workers),
         "--out", f"out-{workers}.jsonl", "--rejects", f"rejects-{workers}.jsonl", "--quiet",
         "--note", f"{workers} 个进程",
         "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def assert_identical(tmp_path: Path, one: dict, two: dict) -> Store:
    assert (two["workers"], one["workers"]) == (2, 1)
    for key in ("read", "scored", "rejected", "grades"):
        assert one[key] == two[key]
    store = Store(tmp_path / "runs.db")
    first, second = one["run_id"], two["run_id"]
    assert list(store.stored_bytes(first)) == list(store.stored_bytes(second))
    assert store.rejects(first) == store.rejects(second)
    for name in ("out", "rejects"):
        assert (tmp_path / f"{name}-1.jsonl").read_bytes() == \
            (tmp_path / f"{name}-2.jsonl").read_bytes()
    return store


def test_reference_scheme_over_several_chunks(tmp_path):
    lines = []
    for i in range(4500):
        inputs = {"onsite": [60 + (i * 7) % 41, GRADES[i % 4], 55 + i % 46, GRADES[(i // 3) % 4]],
                  "superior": 50 + (i * 13) % 51}
        if i % 97 == 0:
            inputs["integrity_problem"] = True
        if i % 1111 == 0:
            inputs["onsite"] = []  # fewer raters than the scheme allows: rejected
        lines.append(json.dumps({"org_id": f"o{i:05d}", "org": {"name": f"第{i}党支部",
                                 "type": "branch"}, "inputs": inputs}, ensure_ascii=False))
        if i in (1999, 2000, 3999):
            lines.append('{"org_id": "broken", ')
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    one = score(tmp_path, "jilin-health-2019", tmp_path / "in.jsonl", 1)
    two = score(tmp_path, "jilin-health-2019", tmp_path / "in.jsonl", 2)
    assert (one["read"], one["rejected"]) == (4503, 8)
    store = assert_identical(tmp_path, one, two)
    # o00001: 70% × (67 + 85 + 56 + 95) / 4 + 30% × 63 = 53.025 + 18.9 = 71.93 (一般)
    result = store.result(two["run_id"], "o00001")
    assert (str(result.total), result.grade) == ("71.93", "一般")
    rows = [r.row for r in store.rejects(two["run_id"])]
    assert rows == [1, 1112, 2001, 2003, 2225, 3336, 4003, 4448]


@pytest.mark.skipif(not (ROOT / "seeds" / "hubei-organs-2022").is_dir(),
                    reason="the Hubei demo data is not in this checkout")
def test_work_points_with_activity_records_over_several_chunks(tmp_path):
    seeds = ROOT / "seeds" / "hubei-organs-2022"
    orgs = {o["id"]: o for o in map(json.loads, seeds.joinpath("orgs.jsonl").read_text(
        encoding="utf-8").splitlines())}
    evaluations = [json.loads(line) for line in
                   seeds.joinpath("evaluations.jsonl").read_text(encoding="utf-8").splitlines()]
    lines = []
    for copy in range(300):
        for evaluation in evaluations:
            org = orgs[evaluation["org_id"]]
            lines.append(json.dumps({
                **evaluation, "org_id": f"{org['id']}-{copy}",
                "org": {"name": org["name"], "type": org["type"],
                        "attributes": org.get("attributes", {})}}, ensure_ascii=False))
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    one = score(tmp_path, "hubei-organs-2022", tmp_path / "in.jsonl", 1)
    two = score(tmp_path, "hubei-organs-2022", tmp_path / "in.jsonl", 2)
    assert one["read"] == 300 * len(evaluations)
    assert_identical(tmp_path, one, two)
