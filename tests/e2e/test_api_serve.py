"""End to end: `dangjian serve` (the installed command) on 127.0.0.1 in a subprocess with two
workers, used over real HTTP, sharing its SQLite database with the CLI."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "jilin-health-2019"
SCHEME = "jilin-health-2019"
DANGJIAN = str(Path(sys.executable).with_name("dangjian"))
WRITE = {"Authorization": "Bearer e2e-writer-5b1f"}
READ = {"Authorization": "Bearer e2e-reader-77ac"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    return {**env, "COLUMNS": "200"}


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([DANGJIAN, *map(str, args)], cwd=cwd, env=environment(), check=False,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`dangjian serve --workers 2` with a write key and a read key: (base URL, database path)."""
    home = tmp_path_factory.mktemp("serve")
    db = home / "dangjian.db"
    port = free_port()
    env = {**environment(), "DANGJIAN_API_KEYS": "e2e-writer-5b1f:write,e2e-reader-77ac:read"}
    log = open(home / "server.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [DANGJIAN, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
         "--db", str(db)], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if proc.poll() is not None:
                break
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert proc.poll() is None, (home / "server.log").read_text(encoding="utf-8")
        yield base, db, home
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    output = (home / "server.log").read_text(encoding="utf-8")
    assert "Traceback" not in output
    assert "e2e-writer-5b1f" not in output and "e2e-reader-77ac" not in output  # never logged


def test_scoring_over_real_http(server):
    base, _, _ = server
    response = httpx.post(f"{base}/schemes/{SCHEME}/score", json={
        "org_id": "g1", "org": {"type": "党支部"}, "inputs": {"onsite": [95], "superior": 80}})
    assert response.status_code == 200
    assert (response.json()["total"], response.json()["grade"]) == (90.5, "好")
    rejected = httpx.post(f"{base}/schemes/{SCHEME}/score", json={
        "org_id": "g2", "org": {"type": "branch"}, "inputs": {"onsite": [95]}})
    assert rejected.status_code == 400
    assert rejected.headers["content-type"] == "application/problem+json"
    assert rejected.json()["field"] == "inputs.superior"


def test_a_run_created_with_a_key_is_read_back_and_equals_the_cli_byte_for_byte(server):
    base, db, home = server
    evaluations = [json.loads(line) for line in
                   (SEEDS / "evaluations.jsonl").read_text(encoding="utf-8").splitlines()]
    orgs = [json.loads(line) for line in
            (SEEDS / "orgs.jsonl").read_text(encoding="utf-8").splitlines()]
    body = {"evaluations": evaluations, "orgs": orgs, "note": "端到端"}
    assert httpx.post(f"{base}/schemes/{SCHEME}/runs", json=body).status_code == 401
    assert httpx.post(f"{base}/schemes/{SCHEME}/runs", json=body,
                      headers=READ).status_code == 403
    created = httpx.post(f"{base}/schemes/{SCHEME}/runs", json=body, headers=WRITE, timeout=60)
    assert created.status_code == 201, created.text
    run = created.json()
    assert (run["read"], run["scored"], run["rejected"]) == (55, 55, 0)
    run_id = run["run_id"]

    listed = httpx.get(f"{base}/runs", headers=READ).json()
    assert listed[0]["id"] == run_id and listed[0]["note"] == "端到端"
    page = httpx.get(f"{base}/runs/{run_id}/results", params={"grade": "差"}, headers=READ).json()
    assert page["total"] == 2

    # the CLI scores the same files; every API result is the CLI's JSONL line, byte for byte
    scored = cli("score", SCHEME, SEEDS / "evaluations.jsonl", "--orgs", SEEDS / "orgs.jsonl",
                 "--no-db", "--out", "cli.jsonl", "--explain", "-q", cwd=home)
    assert scored.returncode == 0, scored.stderr
    lines = (home / "cli.jsonl").read_bytes().splitlines()
    assert len(lines) == 55
    for line in lines:
        org_id = json.loads(line)["org_id"]
        api = httpx.get(f"{base}/runs/{run_id}/results/{org_id}", headers=READ)
        assert api.status_code == 200
        assert api.content == line, org_id

    # and the CLI reads the run the API stored, from the same database
    explained = cli("explain", "--run", run_id, "jl-b01", "--json", "--db", db, cwd=home)
    assert explained.returncode == 0, explained.stderr
    api = httpx.get(f"{base}/runs/{run_id}/results/jl-b01", headers=READ)
    assert explained.stdout.strip().encode("utf-8") == api.content


def test_stateless_score_equals_the_cli_output_for_the_same_line(server):
    base, _, home = server
    evaluation = {"org_id": "x1", "org": {"name": "科教处党支部", "type": "branch"},
                  "inputs": {"onsite": ["好", 88, "较好", 91.5], "superior": 86.5,
                             "many_problems": True}}
    (home / "one.jsonl").write_text(json.dumps(evaluation, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    scored = cli("score", SCHEME, "one.jsonl", "--no-db", "--out", "one-out.jsonl", "--explain", "-q",
                 cwd=home)
    assert scored.returncode == 0, scored.stderr
    api = httpx.post(f"{base}/schemes/{SCHEME}/score", json=evaluation)
    assert api.content == (home / "one-out.jsonl").read_bytes().strip()
    assert [v["id"] for v in api.json()["vetoes"]] == ["many_problems"]


def test_two_workers_store_concurrent_runs_in_the_same_database(server):
    from concurrent.futures import ThreadPoolExecutor

    base = server[0]

    def create(number: int) -> int:
        body = {"evaluations": [{"org_id": f"c{number}-{i}", "org": {"type": "branch"},
                                 "inputs": {"onsite": [80 + i], "superior": 85}}
                                for i in range(20)], "note": f"并发{number}"}
        response = httpx.post(f"{base}/schemes/{SCHEME}/runs", json=body, headers=WRITE,
                              timeout=60)
        assert response.status_code == 201, response.text
        return response.json()["run_id"]

    with ThreadPoolExecutor(6) as pool:
        run_ids = list(pool.map(create, range(6)))
    assert len(set(run_ids)) == 6
    for run_id in run_ids:
        page = httpx.get(f"{base}/runs/{run_id}/results", params={"limit": 1000},
                         headers=READ).json()
        assert page["total"] == 20
        assert len({r["org_id"].split("-")[0] for r in page["results"]}) == 1
