"""API hardening: bodies bounded, JSON checked, fields and parameters validated, keys required
and never logged, CORS closed — and no response ever carries a traceback or a server path."""

from __future__ import annotations

import hmac
import inspect
import json
import sys
from pathlib import Path

import httpx
import pytest
from dangjian_shell.api import create_app
from dangjian_shell.api.keys import KeyRing
from dangjian_shell.api.settings import Settings
from litestar.testing import TestClient

from .conftest import SCHEME, LiveServer

WRITE_KEY = "hw-9d2f7a11c3"
READ_KEY = "hr-5e80b4d6a7"
KEYS = f"{WRITE_KEY}:write,{READ_KEY}:read"
WRITE = {"Authorization": f"Bearer {WRITE_KEY}"}
READ = {"Authorization": f"Bearer {READ_KEY}"}
LIMIT = 64 * 1024
REPO = str(Path(__file__).resolve().parents[2])
ENGLISH = ("Traceback", 'File "', "out of range", "malformed", "Expected `", "truncated",
           " - at `$", "Exception", "Error:")


def evaluation(org_id: str = "a", **inputs) -> dict:
    return {"org_id": org_id, "org": {"name": f"{org_id}支部", "type": "branch"},
            "inputs": {"onsite": [90, "好"], "superior": 80, **inputs}}


def clean(response: httpx.Response) -> httpx.Response:
    """No traceback, exception name or path of this machine in any response."""
    text = response.text
    for leak in (*ENGLISH[:2], REPO, sys.prefix, "site-packages", "dangjian_shell/"):
        assert leak not in text, (leak, text[:500])
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
    return response


@pytest.fixture
def client(catalog, tmp_path):
    app = create_app(catalog=catalog, db_path=str(tmp_path / "api.db"), api_keys=KEYS,
                     max_body=LIMIT, settings=Settings())
    with TestClient(app) as test_client:
        yield test_client


def post_raw(client, path: str, body: bytes, **headers):
    return clean(client.post(path, content=body,
                             headers={"content-type": "application/json", **headers}))


# -- bodies ---------------------------------------------------------------------------------
def test_oversized_bodies_are_refused_with_413_whether_announced_or_streamed(client):
    big = json.dumps({"evaluations": [evaluation(f"o{i}") for i in range(2000)]}).encode()
    assert len(big) > LIMIT
    announced = post_raw(client, f"/schemes/{SCHEME}/score/batch", big)
    streamed = post_raw(client, f"/schemes/{SCHEME}/score/batch",
                        iter([big[i:i + 4096] for i in range(0, len(big), 4096)]))
    for response in (announced, streamed):
        assert response.status_code == 413
        assert response.json()["detail"] == f"请求体超过 {LIMIT} 字节的上限"
    small = json.dumps({"evaluations": [evaluation("o1")]}).encode()
    assert post_raw(client, f"/schemes/{SCHEME}/score/batch", small).status_code == 200


def test_the_default_limit_is_ten_mebibytes(catalog, tmp_path):
    app = create_app(catalog=catalog, db_path=str(tmp_path / "api.db"), settings=Settings())
    body = b'{"org_id":"' + b"x" * (10 * 1024 * 1024) + b'"}'
    with TestClient(app) as test_client:
        response = post_raw(test_client, f"/schemes/{SCHEME}/score", body)
    assert response.status_code == 413
    assert response.json()["detail"] == f"请求体超过 {10 * 1024 * 1024} 字节的上限"


def deep(depth: int) -> bytes:
    return (b'{"org_id":"a","org":{"type":"branch"},"inputs":{"onsite":' + b"[" * depth
            + b"]" * depth + b',"superior":80}}')


BAD_BODIES = [
    pytest.param(b"{not json", id="not-json"),
    pytest.param(b'{"org_id":"a",', id="truncated"),
    pytest.param(b'{"org_id":"a","inputs":{"superior":NaN}}', id="nan"),
    pytest.param(b"[]", id="array"),
    pytest.param(b"", id="empty"),
    *(pytest.param(deep(depth), id=f"nested-{depth}") for depth in (1_000, 30_000)),
    pytest.param(b'{"org_id":"a\xff"}', id="not-utf8"),
    pytest.param(b'{"org_id":"a","org":{"type":"branch"},"inputs":{"onsite":[90],"superior":1e400}}',
                 id="number-beyond-range"),
    pytest.param(b'{"org_id":"a","org":{"type":"branch"},"inputs":{"onsite":[90],"superior":'
                 + b"9" * 5000 + b"}}", id="integer-beyond-range"),
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_malformed_deep_or_huge_json_is_a_400_in_chinese(client, body):
    response = post_raw(client, f"/schemes/{SCHEME}/score", body)
    assert response.status_code == 400, response.text[:300]
    detail = response.json()["detail"]
    assert not any(word in detail for word in ENGLISH), detail


def test_an_absurd_number_gives_a_short_answer(client):
    response = clean(client.post(f"/schemes/{SCHEME}/score",
                                 json=evaluation(superior="1E+10000")))
    assert response.status_code == 400 and response.json()["field"] == "inputs.superior"
    assert len(response.content) < 2000


# -- fields and parameters --------------------------------------------------------------------
@pytest.mark.parametrize(("path", "body", "field"), [
    (f"/schemes/{SCHEME}/score", {**evaluation(), "scroe": 1}, "scroe"),
    (f"/schemes/{SCHEME}/score", {**evaluation(), "org": {"type": "branch", "nmae": "x"}},
     "org.nmae"),
    (f"/schemes/{SCHEME}/score/batch", {"evaluations": [evaluation()], "limit": 5}, "limit"),
    (f"/schemes/{SCHEME}/score/batch", {"evaluations": [evaluation(), {**evaluation("b"),
                                                                       "inputz": {}}]},
     "evaluations[1].inputz"),
    (f"/schemes/{SCHEME}/score/batch",
     {"evaluations": [{**evaluation(), "activities": [{"kind": "党课", "date": "2019-05-01",
                                                        "place": "会议室"}]}]},
     "evaluations[0].activities[0].place"),
    (f"/schemes/{SCHEME}/runs", {"evaluations": [evaluation()], "notes": "x"}, "notes"),
])
def test_unknown_fields_are_a_400_naming_them(client, path, body, field):
    response = clean(client.post(path, json=body, headers=WRITE))
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert f"未知字段 {field.rsplit('.', 1)[-1]}" in response.json()["detail"]


@pytest.fixture
def stored_run(client) -> int:
    body = {"evaluations": [evaluation(f"o{i}", superior=50 + i * 10) for i in range(5)]}
    created = clean(client.post(f"/schemes/{SCHEME}/runs", json=body, headers=WRITE))
    assert created.status_code == 201
    return created.json()["run_id"]


@pytest.mark.parametrize(("query", "field"), [
    ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"),
    ("offset=-1", "offset"), ("lines=maybe", "lines"), ("grdae=好", "grdae"),
])
def test_paging_and_filters_are_validated(client, stored_run, query, field):
    response = clean(client.get(f"/runs/{stored_run}/results?{query}", headers=READ))
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field


@pytest.mark.parametrize("value", ["' OR '1'='1", "好' --", "x); DROP TABLE results; --",
                                   "%", "_"])
def test_filter_values_are_bound_parameters_not_sql(client, stored_run, value):
    for name in ("grade", "org_type"):
        response = clean(client.get(f"/runs/{stored_run}/results", params={name: value},
                                    headers=READ))
        assert response.status_code == 200
        assert response.json()["total"] == 0 and response.json()["results"] == []
    everything = clean(client.get(f"/runs/{stored_run}/results", headers=READ)).json()
    assert everything["total"] == 5
    assert clean(client.get(f"/runs/{stored_run}/results/{value}", headers=READ)).status_code \
        == 404


def test_run_ids_are_bounded(client):
    for run_id, status in (("0", 400), ("99999999999999999999", 400), ("12345", 404),
                           ("abc", 404)):
        response = clean(client.get(f"/runs/{run_id}", headers=READ))
        assert response.status_code == status, (run_id, response.text)


# -- keys -----------------------------------------------------------------------------------
def test_keys_decide_who_reads_and_who_writes(client, stored_run):
    body = {"evaluations": [evaluation()]}
    runs = f"/schemes/{SCHEME}/runs"
    cases = [
        (client.post(runs, json=body), 401),
        (client.post(runs, json=body, headers={"Authorization": "Bearer not-a-key"}), 401),
        (client.post(runs, json=body, headers={"Authorization": WRITE_KEY}), 401),
        (client.post(runs, json=body, headers=READ), 403),
        (client.get("/runs"), 401),
        (client.get(f"/runs/{stored_run}/results", headers={"Authorization": "Bearer "}), 401),
        (client.get(f"/runs?api_key={READ_KEY}"), 401),  # never taken from the URL
        (client.get("/runs", headers=READ), 200),
        (client.get("/runs", headers=WRITE), 200),
        (client.post(runs, json=body, headers=WRITE), 201),
    ]
    for response, status in cases:
        assert clean(response).status_code == status, response.text
    assert len(clean(client.get("/runs", headers=READ)).json()) == 2


def test_no_key_configured_means_no_access_to_runs(catalog, tmp_path):
    app = create_app(catalog=catalog, db_path=str(tmp_path / "api.db"), api_keys="",
                     settings=Settings())
    with TestClient(app) as test_client:
        response = clean(test_client.get("/runs", headers=READ))
    assert response.status_code == 401 and "服务器未配置 API 密钥" in response.json()["detail"]


def test_keys_are_compared_in_constant_time_against_every_key(monkeypatch):
    source = inspect.getsource(KeyRing.access)
    assert "hmac.compare_digest(" in source and "break" not in source and "return" in source
    assert " == " not in source and "in self._entries" in source
    ring = KeyRing.parse("k1:read,k2:write,k3:read", source="测试")
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    for presented in ("k1", "k3", "nope", "k" * 10_000):
        calls.clear()
        ring.access(presented)
        assert len(calls) == 3, presented  # every key, whichever matched, whatever the length
    assert "k2" not in repr(ring) and "k2" not in repr(vars(ring))


# -- CORS -----------------------------------------------------------------------------------
def preflight(test_client, origin: str):
    return test_client.options("/schemes", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Authorization"})


def test_cors_is_closed_unless_origins_are_configured(catalog, tmp_path):
    closed = create_app(catalog=catalog, db_path=str(tmp_path / "a.db"), settings=Settings())
    with TestClient(closed) as test_client:
        for response in (preflight(test_client, "https://evil.example"),
                         test_client.get("/schemes", headers={"Origin": "https://evil.example"})):
            assert "access-control-allow-origin" not in response.headers
            assert "access-control-allow-credentials" not in response.headers
    opened = create_app(catalog=catalog, db_path=str(tmp_path / "b.db"), settings=Settings(),
                        cors_origins=["https://dangjian.example"])
    with TestClient(opened) as test_client:
        allowed = preflight(test_client, "https://dangjian.example")
        refused = preflight(test_client, "https://evil.example")
    assert allowed.headers["access-control-allow-origin"] == "https://dangjian.example"
    assert "access-control-allow-origin" not in refused.headers


# -- a live server --------------------------------------------------------------------------
def test_a_live_server_never_logs_a_key_nor_answers_with_a_traceback(tmp_path):
    server = LiveServer(tmp_path, keys=KEYS)
    try:
        server.wait_ready()
        base = server.base
        body = {"evaluations": [evaluation()]}
        responses = [
            httpx.post(f"{base}/schemes/{SCHEME}/runs", json=body, headers=WRITE),
            httpx.post(f"{base}/schemes/{SCHEME}/runs", json=body, headers=READ),
            httpx.get(f"{base}/runs", headers={"Authorization": f"Bearer {WRITE_KEY}x"}),
            httpx.get(f"{base}/runs", headers=READ),
            httpx.post(f"{base}/schemes/{SCHEME}/score", content=b'{"org_id":"a\xff"}',
                       headers={"content-type": "application/json", **WRITE}),
            httpx.post(f"{base}/schemes/{SCHEME}/score", content=deep(1_000),
                       headers={"content-type": "application/json", **READ}),
            httpx.get(f"{base}/runs/1/results", params={"grade": "' OR 1=1 --"}, headers=READ),
            httpx.get(f"{base}/no/such/path", headers=WRITE),
        ]
        statuses = [clean(r).status_code for r in responses]
    finally:
        server.stop()
    assert statuses[:4] == [201, 403, 401, 200] and statuses[6:] == [200, 404]
    log = server.log()
    for key in (WRITE_KEY, READ_KEY, f"{WRITE_KEY}x"):
        assert key not in log
