"""Load: `dangjian serve --workers 2` on 127.0.0.1 scores and serves runs while a CLI batch
writes to the same database. No 5xx, no lost run, memory steady after warm-up.

The default variant loads for 10 seconds; `-m slow` runs the 60-second one.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from dangjian.store.storage import Store

from .conftest import SCHEME, LiveServer, rss_kib, start, write_batch

WRITE_KEY = "load-writer-61b0e2"
AUTH = {"Authorization": f"Bearer {WRITE_KEY}"}


def evaluations(rng: random.Random, count: int) -> list[dict]:
    """A small batch; after the first, about one in eight cannot be scored (a superior score
    above 100)."""
    out = []
    for i in range(count):
        superior = 101 if i and rng.random() < 0.125 else rng.randint(40, 100)
        out.append({"org_id": f"b{i}", "org": {"name": f"第{i}党支部", "type": "branch"},
                    "inputs": {"onsite": [rng.randint(50, 100), rng.choice(["好", "较好", "一般"])],
                               "superior": superior}})
    return out


class Load:
    """Clients hitting the server from threads until `until`; every answer is counted."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []
        self.created: dict[int, tuple[int, int, int]] = {}
        self.lock = threading.Lock()

    def one(self, client: httpx.Client, rng: random.Random) -> None:
        roll = rng.random()
        known = list(self.created)
        if roll < 0.25:
            batch = evaluations(rng, rng.randint(5, 40))
            response = client.post(f"/schemes/{SCHEME}/runs", json={"evaluations": batch},
                                   headers=AUTH)
            if response.status_code == 201:
                body = response.json()
                with self.lock:
                    self.created[body["run_id"]] = (body["read"], body["scored"],
                                                    body["rejected"])
        elif roll < 0.45:
            response = client.post(f"/schemes/{SCHEME}/score/batch",
                                   json={"evaluations": evaluations(rng, 30)})
        elif roll < 0.60:
            response = client.get("/runs", params={"limit": 20}, headers=AUTH)
        elif roll < 0.85 and known:
            response = client.get(f"/runs/{rng.choice(known)}/results",
                                  params={"limit": 50, "lines": rng.random() < 0.5},
                                  headers=AUTH)
        elif known:
            response = client.get(f"/runs/{rng.choice(known)}/results/b0", headers=AUTH)
        else:
            response = client.get("/schemes")
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                self.failures.append(f"{response.request.url}: {response.text[:200]}")

    def worker(self, seed: int, until: float) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while time.monotonic() < until:
                try:
                    self.one(client, rng)
                except httpx.HTTPError as exc:
                    with self.lock:
                        self.failures.append(f"{type(exc).__name__}: {exc}")

    def run(self, seconds: float, threads: int = 4, seed: int = 0) -> None:
        until = time.monotonic() + seconds
        pool = [threading.Thread(target=self.worker, args=(seed + n, until))
                for n in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()


def settle_rss(server: LiveServer) -> int:
    time.sleep(1.0)
    return rss_kib(server.worker_pids())


def load_while_the_cli_writes(tmp_path: Path, seconds: float, cli_rows: int) -> None:
    server = LiveServer(tmp_path, workers=2, keys=f"{WRITE_KEY}:write")
    try:
        server.wait_ready()
        workers = server.worker_pids()
        assert len(workers) >= 2, server.log()
        load = Load(server.base)
        load.run(min(10.0, seconds / 3), seed=1)  # warm-up: imports, caches, first runs
        warm = settle_rss(server)

        batch = tmp_path / "cli.jsonl"
        bad = write_batch(batch, cli_rows)
        cli = start("score", SCHEME, batch, "--db", server.db, "--quiet", cwd=tmp_path)
        load.run(seconds, seed=100)
        _, cli_err = cli.communicate(timeout=600)
        assert cli.returncode == 0, cli_err
        after = settle_rss(server)
        assert server.worker_pids() == workers, "a worker process died and was replaced"

        assert load.failures == [], load.failures[:5]
        assert set(load.statuses) == {200, 201}, load.statuses  # no 5xx, nor any 4xx
        assert load.statuses[201] >= 5 and load.statuses[200] >= 20, load.statuses

        # zero lost runs: every run the API created, and the CLI's, are stored whole
        with httpx.Client(base_url=server.base, timeout=60) as client:
            for run_id, counts in load.created.items():
                stored = client.get(f"/runs/{run_id}", headers=AUTH)
                assert stored.status_code == 200, stored.text
                body = stored.json()
                assert (body["read"], body["scored"], body["rejected"]) == counts
        store = Store(server.db)
        try:
            runs = store.runs(limit=100_000)
            cli_runs = [r for r in runs if r["sources"] != ["HTTP API"]]
            assert len(cli_runs) == 1 and (cli_runs[0]["read"], cli_runs[0]["rejected"]) == (
                cli_rows, bad)
            assert store.count_results(cli_runs[0]["id"]) == cli_rows - bad
            assert len(runs) == len(load.created) + 1
        finally:
            store.close()

        print(f"负载：{dict(load.statuses)}；内存 {warm} KiB → {after} KiB")
        assert after <= warm * 1.2, f"内存在负载后增长：{warm} KiB → {after} KiB"
    finally:
        server.stop()
    assert "Traceback" not in server.log()


def test_ten_seconds_of_load_while_a_cli_batch_writes_loses_nothing(tmp_path):
    load_while_the_cli_writes(tmp_path, seconds=10, cli_rows=20_000)


@pytest.mark.slow
def test_sixty_seconds_of_load_while_a_cli_batch_writes_loses_nothing(tmp_path):
    load_while_the_cli_writes(tmp_path, seconds=60, cli_rows=200_000)

