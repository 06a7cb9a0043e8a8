"""`POST /runs/{id}/whatif` with a read key: the same bytes as `dangjian whatif --format json`."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient
from typer.testing import CliRunner

from dangjian_shell.api import create_app
from dangjian_shell.api.settings import Settings

from .conftest import SCHEME, seed_lines

WRITE = {"Authorization": "Bearer w-5be0c1"}
READ = {"Authorization": "Bearer r-77a2d9"}
BODY = {"set": {"components.onsite.weight": "0.6", "components.superior.weight": "0.4",
                "bands.好.min": "92"}, "top": 3}


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "dangjian.db"


@pytest.fixture
def client(catalog, db_path):
    app = create_app(catalog=catalog, db_path=str(db_path), settings=Settings(),
                     api_keys="w-5be0c1:write,r-77a2d9:read")
    with TestClient(app) as test_client:
        created = test_client.post(f"/schemes/{SCHEME}/runs", headers=WRITE, json={
            "evaluations": seed_lines("evaluations.jsonl"), "orgs": seed_lines("orgs.jsonl")})
        assert created.status_code == 201, created.text
        yield test_client


def test_the_api_answers_what_the_cli_prints_byte_for_byte(client, db_path, monkeypatch,
                                                           tmp_path):
    from dangjian_shell.cli import app

    response = client.post("/runs/1/whatif", headers=READ, json=BODY)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["changed_grade"], body["lowered"]) == (1, 1)
    assert body["movers"][0] == {"org_id": "jl-s02", "org_name": "省医学会党支部",
                                 "old_total": 92.11, "old_grade": "好", "new_total": 91.52,
                                 "new_grade": "较好", "change": -0.59}
    monkeypatch.chdir(tmp_path)
    printed = CliRunner().invoke(app, [
        "whatif", "1", "--set", "components.onsite.weight=0.6",
        "--set", "components.superior.weight=0.4", "--set", "bands.好.min=92", "--top", "3",
        "--format", "json", "--db", str(db_path)])
    assert printed.exit_code == 0, printed.stderr
    assert printed.stdout_bytes == response.content + b"\n"


def test_another_installed_scheme_lists_the_organizations_that_lack_its_inputs(client):
    body = client.post("/runs/1/whatif", headers=READ,
                       json={"scheme": "jilin-health-2020", "top": 1}).json()
    assert (body["compared"], body["not_comparable"]) == (0, 55)
    assert body["missing_inputs"][0] == {"name": "p01", "title": "带头做到“两个维护”完成情况",
                                         "count": 55}


def test_a_read_key_is_needed_and_nothing_is_stored(client):
    assert client.post("/runs/1/whatif", json=BODY).status_code == 401
    assert client.post("/runs/1/whatif", headers=READ, json=BODY).status_code == 200
    assert [run["id"] for run in client.get("/runs", headers=READ).json()] == [1]


@pytest.mark.parametrize(("body", "status", "detail"), [
    ({"set": {"components.onsite.weight": "0.6"}}, 400,
     "components：各分项 权重×满分 合计90分，与方案满分100分不符"),
    ({"set": {"bands.优秀.min": "95"}}, 400, "bands 中没有“优秀”（有：好、较好、一般、差）"),
    ({"scheme": "no-such-scheme"}, 404, "未知的方案 no-such-scheme"),
    ({"scheme": "/etc/scheme.toml"}, 404, "未知的方案 /etc/scheme.toml"),
    ({}, 400, "请给出推演用的方案"),
])
def test_bad_requests_are_problems_in_chinese(client, body, status, detail):
    response = client.post("/runs/1/whatif", headers=READ, json=body)
    assert response.status_code == status, response.text
    assert detail in response.json()["detail"]


def test_an_unknown_field_or_top_out_of_range_is_a_400(client):
    assert client.post("/runs/1/whatif", headers=READ, json={"sets": {}}).status_code == 400
    assert client.post("/runs/1/whatif", headers=READ, json={"top": 0,
                       "set": BODY["set"]}).status_code == 400
    assert client.post("/runs/9/whatif", headers=READ, json=BODY).status_code == 404


def test_the_request_in_docs_api_is_answered_as_described(client):
    import json
    import re

    from .conftest import ROOT

    section = (ROOT / "docs" / "api.md").read_text(encoding="utf-8").split("### 推演", 1)[1]
    body = json.loads(re.search(r"```json\n(.*?)```", section, re.DOTALL).group(1))
    answer = client.post("/runs/1/whatif", headers=READ, json=body).json()
    assert (answer["changed_grade"], answer["outcome_changes"][0]["title"]) == (1, "年度考核优秀等次")
