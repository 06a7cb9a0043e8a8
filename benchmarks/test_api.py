"""API: requests per second of the score endpoint against a bare endpoint that only decodes the
same body, on the same server in the same run (keep-alive connections from 127.0.0.1)."""

from __future__ import annotations

import http.client
import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import msgspec
import pytest

from .conftest import SCHEME, check_goal
from .synthetic import evaluations_jilin

pytest.importorskip("dangjian_shell.api.app", reason="the HTTP API is not installed")

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("DANGJIAN_BENCH_API_SECONDS", "5"))
CONNECTIONS = 4
SCORE_PATH = f"/schemes/{SCHEME}/score"
BARE_PATH = "/bench/decode"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(data_dir):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.api_server", str(port),
                             str(data_dir / "api.db")], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode())
            time.sleep(0.1)
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def _load(port: int, path: str, bodies: list[bytes], seconds: float) -> tuple[int, list[int]]:
    """Send the bodies round-robin on keep-alive connections until time is up."""
    counts = [0] * CONNECTIONS
    failures: list[int] = []
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"Content-Type": "application/json"}
        for body in itertools.cycle(bodies[index::CONNECTIONS]):
            if time.monotonic() >= deadline:
                break
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
            counts[index] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts), failures


def test_score_endpoint_against_bare_decoding(server, figures):
    bodies = [msgspec.json.encode(e) for e in evaluations_jilin(1000)]
    for path in (SCORE_PATH, BARE_PATH):  # warm both up
        _load(server, path, bodies[:50], 0.5)
    rates = {}
    for path in (BARE_PATH, SCORE_PATH):
        count, failures = _load(server, path, bodies, SECONDS)
        assert not failures, f"{path}: {len(failures)} failed requests, e.g. {failures[:3]}"
        rates[path] = count / SECONDS
    figures.add("API: bare decode endpoint", rates[BARE_PATH], "requests/s")
    figures.add("API: score endpoint", rates[SCORE_PATH], "requests/s")
    check_goal(figures.ratio("API score / bare decode", rates[SCORE_PATH] / rates[BARE_PATH], 0.6))
