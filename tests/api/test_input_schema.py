"""A scheme's evaluation-input JSON Schema, generated from `inputs`, agrees with the kernel."""

from __future__ import annotations

import jsonschema_rs
import pytest

from .conftest import SCHEME, branch, seed_lines

URL = f"/schemes/{SCHEME}/input-schema"


@pytest.fixture
def schema(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/schema+json"
    return response.json()


def validator(schema: dict):
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def test_schema_is_valid_draft_2020_12_titled_in_chinese(schema):
    assert jsonschema_rs.meta.is_valid(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    inputs = schema["properties"]["inputs"]
    assert inputs["required"] == ["onsite", "superior"]
    assert inputs["properties"]["superior"] == {
        "title": "上级党组织评议得分", "type": "number", "minimum": 0, "maximum": 100,
        "description": inputs["properties"]["superior"]["description"], "examples": [85]}
    assert inputs["properties"]["onsite"]["title"] == "现场评议测评"
    assert inputs["properties"]["integrity_problem"]["anyOf"][0] == {"type": "boolean"}
    org_type = schema["properties"]["org"]["properties"]["type"]["enum"]
    assert {"branch", "党支部", "committee", "党委"} <= set(org_type)
    assert "party_group" not in org_type and "党组" not in org_type


def test_all_55_demo_evaluations_are_valid(schema):
    check = validator(schema)
    for evaluation in seed_lines("evaluations.jsonl"):
        assert check.is_valid(evaluation), evaluation["org_id"]


@pytest.mark.parametrize("evaluation,kernel_field", [
    (branch(onsite=[95, 101], superior=80), "inputs.onsite"),
    (branch(onsite=["优秀"], superior=80), "inputs.onsite"),
    (branch(onsite=[95], superior=-1), "inputs.superior"),
    (branch(onsite=[95]), "inputs.superior"),
    (branch(onsite=[95], superior=80, bonus=3), "inputs.bonus"),
    (branch(onsite=[95], superior=80, serious="很严重"), "inputs.serious"),
    ({"org_id": "p", "org": {"type": "party_group"}, "inputs": {"onsite": [90], "superior": 90}},
     "org.type"),
])
def test_what_the_schema_refuses_the_kernel_rejects_at_the_same_field(
        client, schema, evaluation, kernel_field):
    assert not validator(schema).is_valid(evaluation)
    response = client.post(f"/schemes/{SCHEME}/score", json=evaluation)
    assert response.status_code == 400
    assert response.json()["field"] == kernel_field


@pytest.mark.parametrize("evaluation", [
    branch(onsite=[95, "好", "较好", 88], superior=85),
    branch(onsite={"好": 3, "一般": 1}, superior=70),
    branch(onsite=[0, 100], superior=0, integrity_problem=None, serious=True),
    {"org_id": "x", "org": {"type": "党总支"}, "inputs": {"onsite": [90], "superior": 90},
     "activities": [{"kind": "党课", "date": "2019-06-30", "person": "张三"}]},
])
def test_what_the_schema_accepts_the_kernel_scores(client, schema, evaluation):
    assert validator(schema).is_valid(evaluation)
    assert client.post(f"/schemes/{SCHEME}/score", json=evaluation).status_code == 200


def test_every_installed_scheme_has_a_valid_input_schema(client, catalog):
    for scheme_id, loaded in catalog.schemes.items():
        schema = client.get(f"/schemes/{scheme_id}/input-schema").json()
        assert jsonschema_rs.meta.is_valid(schema), scheme_id
        names = set(schema["properties"]["inputs"]["properties"])
        assert names == {spec.name for spec in loaded.scheme.inputs}, scheme_id


def test_unknown_scheme_input_schema_is_404(client):
    assert client.get("/schemes/nope/input-schema").status_code == 404
