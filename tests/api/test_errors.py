"""One error format (RFC 9457 problem details) for every failure, in Chinese, no tracebacks."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from .conftest import READ, SCHEME, branch, make_app

SCORE = f"/schemes/{SCHEME}/score"
PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert PROBLEM_KEYS <= set(body)
    assert body["status"] == status
    assert body["type"].startswith("urn:dangjian:problem:")
    assert "Traceback" not in response.text
    return body


@pytest.mark.parametrize("body,field,detail", [
    ({"inputs": {}}, "org_id", "缺少必填字段 org_id"),
    ({"org_id": 5}, "org_id", "类型应为文本，实为整数"),
    ({"org_id": "a", "score": 90}, "score", "未知字段 score"),
    ({"org_id": "a", "org": {"type": "branch", "level": 3}}, "org.level", "未知字段 level"),
    ({"org_id": "a", "activities": [{"kind": "党课", "date": "一月"}]},
     "activities[0].date", "日期格式应为 YYYY-MM-DD"),
    ([branch()], None, "类型应为对象，实为数组"),
])
def test_invalid_bodies_are_400_naming_the_field_in_chinese(client, body, field, detail):
    problem = assert_problem(client.post(SCORE, json=body), 400)
    assert problem["title"] == "请求无效"
    assert problem.get("field") == field
    assert detail in problem["detail"]
    assert problem["instance"] == SCORE


def test_malformed_json_and_empty_body_are_400(client):
    bad = assert_problem(client.post(SCORE, content=b'{"org_id": ',
                                     headers={"content-type": "application/json"}), 400)
    assert bad["detail"] == "请求体不是有效的 JSON"
    empty = assert_problem(client.post(SCORE, content=b"",
                                       headers={"content-type": "application/json"}), 400)
    assert "请求体" in empty["detail"]


def test_a_body_over_the_limit_is_413_with_the_limit_stated(catalog, db_path):
    with TestClient(make_app(catalog, db_path, max_body=2048)) as client:
        small = client.post(SCORE, json=branch(onsite=[95], superior=80))
        assert small.status_code == 200
        big = client.post(SCORE, json=branch(onsite=[95] * 1000, superior=80))
    problem = assert_problem(big, 413)
    assert problem["detail"] == "请求体超过 2048 字节的上限"


def test_unknown_path_and_wrong_method(client):
    assert "/docs" in assert_problem(client.get("/nothing-here"), 404)["detail"]
    assert assert_problem(client.get(SCORE), 405)["title"] == "不支持的请求方法"
    assert assert_problem(client.get("/runs/abc", headers=READ), 404)


def test_an_unexpected_failure_is_500_without_traceback_or_internals(client, caplog):
    class Broken:
        @property
        def schemes(self):
            raise RuntimeError("/srv/secret/place exploded")

    client.app.state.catalog = Broken()
    problem = assert_problem(client.get("/schemes"), 500)
    assert problem["detail"] == "服务器内部错误，已记录在服务器日志中，请联系管理员"
    assert "secret" not in str(problem) and "RuntimeError" not in str(problem)
    assert "exploded" in caplog.text  # logged for the operator, not shown to the client


def test_a_damaged_database_is_500_without_its_path(catalog, tmp_path):
    db = tmp_path / "runs.db"
    with TestClient(make_app(catalog, db)) as client:
        for suffix in ("", "-wal", "-shm"):
            path = tmp_path / f"runs.db{suffix}"
            if path.exists():
                path.unlink()
        db.write_bytes(b"this is not a database file at all" * 100)
        problem = assert_problem(client.get("/runs", headers=READ), 500)
    assert problem["detail"] == "评分数据库出错，已记录在服务器日志中，请联系管理员"
    assert str(tmp_path) not in str(problem)


def test_a_misspelt_query_parameter_is_400_not_silently_ignored(client):
    problem = assert_problem(client.get("/runs/1/results?grdae=好", headers=READ), 400)
    assert problem["field"] == "grdae"
    assert "未知的查询参数“grdae”" in problem["detail"]
    assert "grade" in problem["detail"]


def test_run_ids_beyond_sqlite_integers_are_400_not_a_crash(client):
    problem = assert_problem(client.get(f"/runs/{2**64}", headers=READ), 400)
    assert problem["field"] == "run_id"
    assert assert_problem(client.get("/runs/0", headers=READ), 400)["field"] == "run_id"


def test_several_invalid_parameters_are_each_listed(client):
    problem = assert_problem(client.get("/runs?limit=0&offset=-1", headers=READ), 400)
    assert {(e["field"], e["detail"]) for e in problem["errors"]} == {
        ("limit", "应为不小于 1 的整数"), ("offset", "应为不小于 0 的整数")}
    assert "另有 1 处错误" in problem["detail"]
