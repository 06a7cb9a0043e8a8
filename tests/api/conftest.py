"""API test fixtures: the app over the installed plugins, a real SQLite file, keys, seed data."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
from dangjian_shell.api import create_app
from dangjian_shell.api.settings import Settings
from litestar.testing import TestClient

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "jilin-health-2019"
SCHEME = "jilin-health-2019"
WRITE_KEY = "w-3f9c2a7e"
READ_KEY = "r-81d04b6c"
KEYS = f"{WRITE_KEY}:write,{READ_KEY}:read"
WRITE = {"Authorization": f"Bearer {WRITE_KEY}"}
READ = {"Authorization": f"Bearer {READ_KEY}"}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "schemathesis: property-based checks of the live OpenAPI schema "
        "(select with -m schemathesis)")


def seed_lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (SEEDS / name).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def branch(org_id: str = "g1", **inputs) -> dict:
    """An evaluation of a branch (党支部) with the given inputs, as a client sends it."""
    return {"org_id": org_id, "org": {"name": f"第{org_id}党支部", "type": "branch"},
            "inputs": inputs}


def make_app(catalog, db_path, **overrides):
    options = {"catalog": catalog, "db_path": str(db_path), "api_keys": KEYS,
               "settings": Settings(), **overrides}
    return create_app(**options)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "dangjian.db"


@pytest.fixture
def client(catalog, db_path):
    with TestClient(make_app(catalog, db_path)) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app served by uvicorn on 127.0.0.1 in a thread of this process: its base URL."""
    import uvicorn
    from dangjian import load_catalog

    db = tmp_path_factory.mktemp("live") / "dangjian.db"
    app = make_app(load_catalog(), db)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
