"""Stored runs: created from a batch with a write key, read back with a read key, in SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
from dangjian.store.storage import Store, encode_result

from .conftest import READ, ROOT, SCHEME, WRITE, branch, seed_lines

RUNS = f"/schemes/{SCHEME}/runs"


def demo_run(client) -> dict:
    response = client.post(RUNS, headers=WRITE, json={
        "evaluations": seed_lines("evaluations.jsonl"), "orgs": seed_lines("orgs.jsonl"),
        "note": "2019年度述职评议"})
    assert response.status_code == 201, response.text
    return response.json()


def test_creating_a_run_stores_every_row_and_returns_its_id_and_counts(client, db_path):
    created = client.post(RUNS, headers=WRITE, json={"evaluations": [
        branch("a", onsite=[95], superior=80),
        branch("b", onsite=[95]),
        branch("c", onsite=[60], superior=59),
    ], "note": "试评"})
    assert created.status_code == 201
    body = created.json()
    assert body == {"run_id": 1, "scheme_id": SCHEME, "scheme_version": "2019.1", "read": 3,
                    "scored": 2, "rejected": 1, "grades": {"好": 1, "差": 1}, "batch_findings": []}
    assert created.headers["location"] == "/runs/1"
    # the same SQLite file the CLI reads
    store = Store(db_path)
    try:
        run = store.run(1)
        assert (run["read"], run["scored"], run["rejected"], run["note"]) == (3, 2, 1, "试评")
        assert run["sources"] == ["HTTP API"]
        assert [r.org_id for r in store.results(1)] == ["a", "c"]
        [reject] = store.rejects(1)
        assert (reject.row, reject.org_id, reject.field) == (2, "b", "inputs.superior")
    finally:
        store.close()


def test_runs_list_newest_first_with_scheme_hash_and_plugin_versions(client, catalog):
    demo_run(client)
    client.post(RUNS, headers=WRITE, json={"evaluations": [branch(onsite=[90], superior=90)]})
    runs = client.get("/runs", headers=READ).json()
    assert [r["id"] for r in runs] == [2, 1]
    first = runs[1]
    assert first["scheme_hash"] == catalog.scheme(SCHEME).hash
    assert first["plugin_versions"]["jilin-health-2019"] == "0.1.0"
    assert first["grades"] == {"好": 34, "较好": 16, "一般": 3, "差": 2}
    assert first["note"] == "2019年度述职评议"
    assert client.get("/runs?limit=1&offset=1", headers=READ).json()[0]["id"] == 1
    assert client.get("/runs/1", headers=READ).json()["read"] == 55


def test_results_filter_by_grade_and_org_type_title_with_paging(client):
    demo_run(client)
    poor = client.get("/runs/1/results", params={"grade": "差"}, headers=READ).json()
    assert poor["total"] == 2 and len(poor["results"]) == 2
    assert all(r["grade"] == "差" for r in poor["results"])
    assert all(r["lines"] == [] for r in poor["results"])
    by_title = client.get("/runs/1/results", params={"org_type": "党支部", "limit": 5},
                          headers=READ).json()
    by_id = client.get("/runs/1/results", params={"org_type": "branch", "limit": 5},
                       headers=READ).json()
    assert by_title == by_id
    assert by_title["limit"] == 5 and len(by_title["results"]) == 5
    assert all(r["org_type"] == "branch" for r in by_title["results"])
    page2 = client.get("/runs/1/results", params={"limit": 10, "offset": 50},
                       headers=READ).json()
    assert page2["total"] == 55 and len(page2["results"]) == 5
    with_lines = client.get("/runs/1/results", params={"limit": 1, "lines": "true"},
                            headers=READ).json()
    assert with_lines["results"][0]["lines"]


def test_paging_is_validated_with_the_parameter_named(client):
    demo_run(client)
    for query, field, words in (("limit=0", "limit", "不小于 1"),
                                ("limit=1001", "limit", "不大于 1000"),
                                ("offset=-1", "offset", "不小于 0"),
                                ("limit=ten", "limit", "整数")):
        response = client.get(f"/runs/1/results?{query}", headers=READ)
        assert response.status_code == 400, query
        problem = response.json()
        assert problem["field"] == field
        assert words in problem["detail"]


def test_one_organization_in_a_run_equals_the_kernel_encoding_of_the_stored_result(
        client, db_path):
    demo_run(client)
    response = client.get("/runs/1/results/jl-b01", headers=READ)
    assert response.status_code == 200
    store = Store(db_path)
    try:
        assert response.content == encode_result(store.result(1, "jl-b01"))
    finally:
        store.close()
    result = msgspec.json.decode(response.content)
    assert result["org_name"] == "办公室党支部" and result["lines"]


def test_rejects_of_a_run_name_row_field_and_reason(client):
    client.post(RUNS, headers=WRITE, json={"evaluations": [
        branch("a", onsite=[95], superior=80), {"org_id": "z", "inputs": {}}]})
    [reject] = client.get("/runs/1/rejects", headers=READ).json()
    assert reject == {"row": 2, "org_id": "z", "field": "org.type",
                      "reason": "缺少组织类型（org.type），无法确定是否适用本方案；"
                      "缺少必填输入 onsite（现场评议测评）；缺少必填输入 superior（上级党组织评议得分）"}


def test_unknown_run_organization_and_scheme_are_404(client):
    assert client.get("/runs/9", headers=READ).status_code == 404
    assert "没有编号为 9 的评分批次" in client.get("/runs/9/results", headers=READ).json()["detail"]
    assert client.get("/runs/9/rejects", headers=READ).status_code == 404
    demo_run(client)
    missing = client.get("/runs/1/results/nobody", headers=READ)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "批次 1 中没有组织 nobody 的结果"
    unknown = client.post("/schemes/nope/runs", headers=WRITE, json={"evaluations": []})
    assert unknown.status_code == 404


def test_a_malformed_evaluation_in_a_run_is_400_and_nothing_is_stored(client):
    response = client.post(RUNS, headers=WRITE, json={"evaluations": [
        branch("a", onsite=[95], superior=80),
        {"org_id": "b", "inputs": {}, "activities": [{"kind": "党课", "date": "2019-13-01"}]}]})
    assert response.status_code == 400
    assert response.json()["field"] == "evaluations[1].activities[0].date"
    assert client.get("/runs", headers=READ).json() == []


def test_a_run_through_the_api_stores_the_rows_and_flags_the_cli_stores(client, db_path, tmp_path):
    import os
    import subprocess
    import sys

    from dangjian.store.storage import Store
    from dangjian.store.tracking import flag_history

    seeds = ROOT / "seeds" / "tibet-health-2019"
    lines = [json.loads(line) for line in
             seeds.joinpath("evaluations.jsonl").read_text(encoding="utf-8").splitlines()]
    orgs = [json.loads(line) for line in
            seeds.joinpath("orgs.jsonl").read_text(encoding="utf-8").splitlines()]
    created = client.post("/schemes/tibet-health-2019/runs", headers=WRITE,
                          json={"evaluations": lines, "orgs": orgs})
    assert created.status_code == 201, created.text
    env = {k: v for k, v in os.environ.items() if k != "DANGJIAN_DB"}
    cli_db = tmp_path / "cli.db"
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("dangjian")), "score", "tibet-health-2019",
         str(seeds / "evaluations.jsonl"), "--orgs", str(seeds / "orgs.jsonl"), "--db",
         str(cli_db), "--quiet"], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    api, cli = Store(db_path), Store(cli_db)
    # every stored column but the input's bytes (JSONL as read by the CLI, re-encoded by the
    # API) is the same, and the inputs decode to the same evaluations
    assert [row[:6] + row[7:] for row in api.stored_bytes(1)] == \
        [row[:6] + row[7:] for row in cli.stored_bytes(1)]
    assert list(api.evaluations(1)) == list(cli.evaluations(1))
    assert [(r.row, r.reason) for r in api.rejects(1)] == [(r.row, r.reason) for r in cli.rejects(1)]
    flags = [[(f.org_id, f.flag, f.raised_on.isoformat(), f.message) for f in flag_history(s)]
             for s in (api, cli)]
    assert flags[0] == flags[1] and len(flags[0]) == 7
    assert {on for _, _, on, _ in flags[0]} == {"2019-12-31"}  # the scheme's as_of


def test_a_database_locked_by_another_writer_is_a_503_with_retry_after(client, db_path,
                                                                       monkeypatch):
    import sqlite3

    from dangjian_shell.api import database

    assert client.post(RUNS, headers=WRITE, json={"evaluations": [branch("a", onsite=[95],
                                                                        superior=80)]}
                       ).status_code == 201
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        busy = client.post(RUNS, headers=WRITE, json={"evaluations": [branch("b", onsite=[90],
                                                                             superior=80)]})
        # reading still works while another program writes
        assert client.get("/runs/1", headers=READ).status_code == 200
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "5"
    assert busy.headers["content-type"].startswith("application/problem+json")
    body = busy.json()
    assert body["status"] == 503 and "正被另一个程序写入" in body["detail"]
    assert client.get("/runs", headers=READ).json()[0]["id"] == 1  # nothing half-stored
