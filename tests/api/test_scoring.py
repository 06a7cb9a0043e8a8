"""Stateless scoring: one evaluation or a batch, results equal to the kernel's bytes."""

from __future__ import annotations

import msgspec
from dangjian.models import Evaluation, Organization
from dangjian.store.storage import encode_result
from dangjian_shell.api.wire import BatchScore

from .conftest import SCHEME, branch, seed_lines

URL = f"/schemes/{SCHEME}/score"


def test_seventy_percent_onsite_95_and_thirty_superior_80_gives_90_50_good(client):
    response = client.post(URL, json=branch(onsite=[95], superior=80))
    assert response.status_code == 200
    result = response.json()
    assert response.text.count('"total":90.50') == 1  # a JSON number with the scheme's 2 places
    assert result["grade"] == "好"
    assert [(c["id"], c["points"]) for c in result["components"]] == [
        ("onsite", 95), ("superior", 80)]
    assert result["vetoes"] == [] and result["consequences"] == []
    assert any("计入总分66.5分" in line["text"] for line in result["lines"])
    assert result["scheme"]["id"] == SCHEME


def test_ballots_good_fair_average_then_89_99_is_fair_not_good(client):
    # 好(95)、较好(85)、一般(70) average 83.333…; 0.7×83.333…+0.3×90 = 85.33
    result = client.post(URL, json=branch(onsite=["好", "较好", "一般"], superior=90)).json()
    assert result["total"] == 85.33 and result["grade"] == "较好"
    # 0.7×89.99+0.3×89.99 = 89.99: below 90, 较好, 0.01 short of 好
    edge = client.post(URL, json=branch(onsite=[89.99], superior=89.99)).json()
    assert edge["total"] == 89.99 and edge["grade"] == "较好"
    assert edge["to_next_band"] == {"grade": "好", "points": 0.01}


def test_below_sixty_is_poor_with_admonitory_talk_and_rectification(client):
    # 0.7×60 + 0.3×59 = 59.70
    result = client.post(URL, json=branch(onsite=[60], superior=59)).json()
    assert result["total"] == 59.70 and result["grade"] == "差"
    assert [c["id"] for c in result["consequences"]] == ["admonitory_talk", "rectify_by_deadline"]


def test_integrity_problem_blocks_advanced_collective_but_not_the_grade(client):
    result = client.post(URL, json=branch(onsite=[95], superior=95,
                                          integrity_problem=True)).json()
    assert result["grade"] == "好"
    assert [v["id"] for v in result["vetoes"]] == ["integrity_problem"]
    eligible = {e["honour"]: e["eligible"] for e in result["eligibility"]}
    assert eligible["advanced_collective"] is False
    assert eligible["excellent_rating"] is True


def test_api_result_is_byte_for_byte_the_kernel_encoding(client, catalog):
    body = branch("g7", onsite=["好", 88, "较好", 91], superior=86.5)
    response = client.post(URL, json=body)
    expected = encode_result(catalog.plan(SCHEME).score(msgspec.convert(body, Evaluation)))
    assert response.content == expected


def test_score_out_of_range_is_400_naming_the_input(client):
    response = client.post(URL, json=branch(onsite=[95, 101], superior=80))
    assert response.status_code == 400
    problem = response.json()
    assert problem["field"] == "inputs.onsite"
    assert "第2项101超出0—100" in problem["detail"]
    assert problem["type"] == "urn:dangjian:problem:rejected"
    assert problem["title"] == "无法评分"


def test_missing_superior_and_out_of_scope_org_type_are_rejected(client):
    missing = client.post(URL, json=branch(onsite=[95]))
    assert missing.status_code == 400
    assert missing.json()["field"] == "inputs.superior"
    party_group = client.post(URL, json={"org_id": "p1", "org": {"type": "党组"},
                                         "inputs": {"onsite": [95], "superior": 80}})
    assert party_group.status_code == 400
    assert party_group.json()["field"] == "org.type"
    assert "党组" in party_group.json()["detail"]


def test_batch_scores_each_row_or_rejects_it_with_its_position(client):
    response = client.post(f"{URL}/batch", json={"evaluations": [
        branch("a", onsite=[95], superior=80),
        branch("b", onsite=["优秀"], superior=80),
        branch("c", onsite=[60], superior=59),
    ]})
    assert response.status_code == 200
    body = response.json()
    assert (body["read"], body["scored"], body["rejected"]) == (3, 2, 1)
    assert body["grades"] == {"好": 1, "差": 1}
    assert [r["org_id"] for r in body["results"]] == ["a", "c"]
    [reject] = body["rejects"]
    assert (reject["row"], reject["org_id"], reject["field"]) == (2, "b", "inputs.onsite")
    assert "优秀" in reject["reason"]


def test_batch_of_the_55_demo_organizations_equals_the_kernel_result_by_result(client, catalog):
    evaluations = seed_lines("evaluations.jsonl")
    orgs = seed_lines("orgs.jsonl")
    response = client.post(f"{URL}/batch", json={"evaluations": evaluations, "orgs": orgs})
    assert response.status_code == 200
    body = msgspec.json.decode(response.content, type=BatchScore)
    assert (body.read, body.scored, body.rejected) == (55, 55, 0)
    assert body.grades == {"好": 34, "较好": 16, "一般": 3, "差": 2}
    plan = catalog.plan(SCHEME)
    registry = {o["id"]: msgspec.convert(o, Organization) for o in orgs}
    expected = [plan.score(msgspec.convert(e, Evaluation), registry) for e in evaluations]
    assert body.results == expected
    assert body.results[0].org_name == "省卫生健康委机关党委"


def test_batch_refuses_a_roster_with_a_repeated_organization(client):
    org = {"id": "x", "name": "甲", "type": "branch"}
    response = client.post(f"{URL}/batch", json={"evaluations": [], "orgs": [org, org]})
    assert response.status_code == 400
    assert response.json()["field"] == "orgs[1].id"
