"""docs/api.md lists every endpoint and setting, and its examples are what the API answers."""

from __future__ import annotations

import json
import re

from dangjian_shell.api import keys, settings

from .conftest import ROOT, SCHEME, branch

DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_endpoint_is_in_the_table_and_nothing_else(client):
    spec = client.get("/docs/openapi.json").json()
    served = {f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops}
    documented = set(re.findall(r"^\| `((?:GET|POST) [^`]+)` \|", DOC, re.MULTILINE))
    assert documented == served


def test_every_environment_variable_is_documented():
    for name in (settings.DB_ENV, settings.MAX_BODY_ENV, settings.CORS_ENV, keys.KEYS_ENV,
                 keys.KEYS_FILE_ENV):
        assert f"`{name}`" in DOC, name
    assert str(settings.DEFAULT_MAX_BODY) in DOC


def test_the_scoring_example_scores_as_the_text_says(client):
    block = DOC.split("<!-- example: score -->", 1)[1]
    body = json.loads(re.search(r"```json\n(.*?)```", block, re.DOTALL).group(1))
    result = client.post(f"/schemes/{SCHEME}/score", json=body).json()
    assert (result["total"], result["grade"], result["org_type"]) == (90.5, "好", "branch")
    assert "0.7×95 + 0.3×80 = 90.50，等次“好”" in block


def test_the_error_example_is_the_real_answer(client):
    example = re.search(r"```json\n(\{\"type\": \"urn:dangjian:problem:rejected\".*?)```", DOC,
                        re.DOTALL).group(1)
    response = client.post(f"/schemes/{SCHEME}/score", json=branch(onsite=[95, 101], superior=80))
    assert response.json() == json.loads(example)
