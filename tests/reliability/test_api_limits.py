"""API limits an attacker meets: integer bounds published as integers, oversized headers and
open batches refused as Chinese problems, keys in query strings kept out of the access log, and
a client hanging up mid-body logged as what it is, not as a 500 with a traceback."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
from dangjian_shell.api import create_app
from dangjian_shell.api.limits import HEADER_LIMIT, redact
from dangjian_shell.api.settings import Settings
from litestar.testing import TestClient

from .conftest import SCHEME, LiveServer

WRITE_KEY = "lw-4c1e99d0b7"
READ_KEY = "lr-0a7f3e55c2"
KEYS = f"{WRITE_KEY}:write,{READ_KEY}:read"
BATCH = f"/schemes/{SCHEME}/score/batch"


def evaluation(org_id: str) -> dict:
    return {"org_id": org_id, "org": {"type": "branch"},
            "inputs": {"onsite": [90, "好"], "superior": 80}}


def batch(n: int) -> dict:
    return {"evaluations": [evaluation(f"o{i}") for i in range(n)]}


@pytest.fixture
def client(catalog, tmp_path):
    app = create_app(catalog=catalog, db_path=str(tmp_path / "api.db"), api_keys=KEYS,
                     settings=Settings(open_batch=3, open_batch_body=4096))
    with TestClient(app) as test_client:
        yield test_client


def test_openapi_publishes_integer_bounds_as_integers(client):
    text = client.get("/docs/openapi.json").text
    assert "e+18" not in text and "e18" not in text
    document = json.loads(text)
    bounds = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "integer":
                bounds.extend(node[k] for k in ("maximum", "minimum") if k in node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert bounds and all(type(b) is int for b in bounds)
    run_id = next(p for p in document["paths"]["/runs/{run_id}"]["get"]["parameters"]
                  if p["name"] == "run_id")
    assert run_id["schema"]["maximum"] == 2**63 - 1


def test_an_open_batch_is_bounded_and_a_key_lifts_the_bound(client):
    assert client.post(BATCH, json=batch(3)).status_code == 200
    over = client.post(BATCH, json=batch(4))
    assert over.status_code == 413
    assert over.headers["content-type"].startswith("application/problem+json")
    assert over.json()["detail"] == (
        "未提供 API 密钥时，一批 4 个组织超过上限（每批最多 3 个组织、请求体最多 4,096 字节）；"
        "请分批提交，或在请求头中加入 Authorization: Bearer <密钥> 以提交更大的批次")
    body = json.dumps({"evaluations": [evaluation("o" * 5000)]}).encode()
    too_long = client.post(BATCH, content=body, headers={"content-type": "application/json"})
    assert too_long.status_code == 413
    assert too_long.json()["detail"].startswith(f"未提供 API 密钥时，请求体 {len(body):,} 字节超过上限")
    streamed = client.post(BATCH, content=iter([body[:3000], body[3000:]]),
                           headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    for key in (READ_KEY, WRITE_KEY):
        keyed = client.post(BATCH, json=batch(50), headers={"Authorization": f"Bearer {key}"})
        assert keyed.status_code == 200 and keyed.json()["scored"] == 50
    wrong = client.post(BATCH, json=batch(4), headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 413


def test_headers_over_the_limit_are_a_431_problem_in_chinese(client):
    response = client.get("/health", headers={"Authorization": "Bearer " + "x" * HEADER_LIMIT})
    assert response.status_code == 431
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "请求头过大" and problem["detail"].startswith("请求头共 ")
    assert client.get("/health", headers={"Authorization": "Bearer " + "x" * 4000}
                      ).status_code == 200


def test_query_values_that_are_secrets_are_redacted():
    class Keys:
        @staticmethod
        def access(token):
            return "read" if token == READ_KEY else None

    assert redact(f"/runs?api_key={WRITE_KEY}&limit=5", Keys) == "/runs?api_key=***&limit=5"
    assert redact(f"/runs?limit={READ_KEY}&Token=abc", Keys) == "/runs?limit=***&Token=***"
    assert redact("/runs?grade=%E5%A5%BD", Keys) == "/runs?grade=%E5%A5%BD"


def raw(port: int, request: bytes, *, piece: int = 4096) -> bytes:
    """Send a request in pieces (as a slow client would) and read what comes back."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        for i in range(0, len(request), piece):
            sock.sendall(request[i:i + piece])
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                if len(rest) >= length:
                    break
        return b"".join(chunks)


def test_a_live_server_keeps_keys_out_of_its_log_and_never_logs_a_500(tmp_path):
    server = LiveServer(tmp_path, keys=KEYS)
    try:
        server.wait_ready()
        base = server.base
        httpx.get(f"{base}/runs", params={"api_key": WRITE_KEY})
        httpx.get(f"{base}/runs", params={"limit": READ_KEY})
        header = b"Bearer " + b"k" * 100_000
        answer = raw(server.port, b"GET /runs HTTP/1.1\r\nHost: x\r\nAuthorization: " + header
                     + b"\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 431")
        assert json.loads(body)["title"] == "请求头过大"
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(f"POST /schemes/{SCHEME}/score HTTP/1.1\r\nHost: x\r\n"
                         "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
                         '{"org_id": "a", "inputs": {'.encode())
            time.sleep(0.3)
        ten_mb = json.dumps(batch(60_000)).encode()
        assert len(ten_mb) > 5_000_000
        open_batch = httpx.post(f"{base}{BATCH}", content=ten_mb, timeout=60,
                                headers={"content-type": "application/json"})
        assert open_batch.status_code == 413 and len(open_batch.content) < 1000
        assert "1,000 个组织" in open_batch.json()["detail"]
        assert httpx.get(f"{base}/health").status_code == 200
        time.sleep(0.5)
    finally:
        server.stop()
    log = server.log()
    assert WRITE_KEY not in log and READ_KEY not in log
    assert "api_key=***" in log and "limit=***" in log
    assert "Traceback" not in log and '" 500' not in log and "内部错误" not in log
    assert "客户端在请求体传完前断开了连接" in log
