"""Access rules: open catalogue and scoring; Bearer keys for runs; read-only keys cannot write."""

from __future__ import annotations

import pytest
from dangjian.errors import DangjianError
from dangjian_shell.api.keys import KeyRing, keys_from_env
from dangjian_shell.api.settings import Settings
from litestar.testing import TestClient

from .conftest import READ, READ_KEY, SCHEME, WRITE, WRITE_KEY, branch, make_app

RUNS = f"/schemes/{SCHEME}/runs"
ONE = {"evaluations": [branch(onsite=[95], superior=80)]}


def test_catalogue_and_stateless_scoring_need_no_key(client):
    assert client.get("/schemes").status_code == 200
    assert client.post(f"/schemes/{SCHEME}/score",
                       json=branch(onsite=[95], superior=80)).status_code == 200


@pytest.mark.parametrize("method,path", [
    ("POST", RUNS), ("GET", "/runs"), ("GET", "/runs/1"), ("GET", "/runs/1/results"),
    ("GET", "/runs/1/results/g1"), ("GET", "/runs/1/rejects")])
def test_stored_runs_without_a_key_are_401_with_a_bearer_challenge(client, method, path):
    response = client.request(method, path, json=ONE if method == "POST" else None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer wrong-key", f"Basic {WRITE_KEY}", "Bearer",
                                    WRITE_KEY, f"Bearer {WRITE_KEY}x"])
def test_wrong_or_malformed_keys_are_401(client, header):
    response = client.get("/runs", headers={"Authorization": header})
    assert response.status_code == 401


def test_read_key_reads_but_cannot_create_a_run(client):
    assert client.get("/runs", headers=READ).status_code == 200
    response = client.post(RUNS, headers=READ, json=ONE)
    assert response.status_code == 403
    assert response.json()["detail"] == "此 API 密钥只能读取，不能创建评分批次（需要 write 权限）"
    assert client.get("/runs", headers=READ).json() == []


def test_write_key_creates_and_also_reads(client):
    assert client.post(RUNS, headers=WRITE, json=ONE).status_code == 201
    assert client.get("/runs/1/results/g1", headers=WRITE).json()["total"] == 90.5


def test_bearer_scheme_is_case_insensitive(client):
    assert client.get("/runs", headers={"Authorization": f"bearer {READ_KEY}"}).status_code == 200


def test_a_server_without_keys_refuses_stored_runs_and_says_why(catalog, db_path):
    app = make_app(catalog, db_path, api_keys=KeyRing())
    with TestClient(app) as client:
        response = client.get("/runs", headers=READ)
    assert response.status_code == 401
    assert "未配置 API 密钥" in response.json()["detail"]


def test_keys_from_environment_and_file_with_read_and_write(tmp_path, catalog, db_path):
    key_file = tmp_path / "keys.txt"
    key_file.write_text("# 数据平台\nfile-reader:read\n\nfile-writer\n", encoding="utf-8")
    ring = keys_from_env({"DANGJIAN_API_KEYS": "env-writer:write, env-reader:read",
                          "DANGJIAN_API_KEYS_FILE": str(key_file)})
    assert len(ring) == 4
    assert ring.access("env-writer") == "write"
    assert ring.access("env-reader") == "read"
    assert ring.access("file-reader") == "read"
    assert ring.access("file-writer") == "write"
    assert ring.access("file-reader:read") is None
    assert ring.access("") is None
    app = make_app(catalog, db_path, settings=Settings(keys=ring), api_keys=None)
    with TestClient(app) as client:
        assert client.post(RUNS, headers={"Authorization": "Bearer file-writer"},
                           json=ONE).status_code == 201
        assert client.post(RUNS, headers={"Authorization": "Bearer file-reader"},
                           json=ONE).status_code == 403


def test_the_same_key_listed_read_and_write_may_write():
    assert KeyRing.parse("k:read,k:write", source="test").access("k") == "write"


def test_key_ring_never_shows_its_keys():
    ring = KeyRing.parse("top-secret-1:read,top-secret-2", source="test")
    assert "top-secret" not in repr(ring) and "top-secret" not in str(vars(ring))


@pytest.mark.parametrize("text,message", [
    (":read", "第 1 项缺少密钥"),
    ("good, key:", "第 2 项在冒号后缺少权限"),
    ("two words", "第 1 项的密钥含有空白字符"),
])
def test_bad_key_entries_name_their_position_not_the_key(text, message):
    with pytest.raises(DangjianError) as caught:
        KeyRing.parse(text, source="环境变量 DANGJIAN_API_KEYS", separators=",")
    assert message in caught.value.message
    assert "环境变量 DANGJIAN_API_KEYS" in caught.value.message


def test_missing_key_file_is_a_chinese_error(tmp_path):
    with pytest.raises(DangjianError) as caught:
        keys_from_env({"DANGJIAN_API_KEYS_FILE": str(tmp_path / "absent.txt")})
    assert "API 密钥文件" in caught.value.message and "不存在" in caught.value.message
