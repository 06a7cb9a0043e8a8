"""Open catalogue routes: health, plugins, schemes, one scheme, its input JSON Schema, docs."""

from __future__ import annotations

from .conftest import SCHEME


def test_health_reports_versions_and_counts(client, catalog):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["schemes"] == len(catalog.schemes)
    assert body["plugins"] == len(catalog.plugins)
    assert body["plugin_problems"] == 0


def test_plugins_list_what_each_registered(client):
    plugins = {p["name"]: p for p in client.get("/plugins").json()}
    assert plugins["jilin-health-2019"]["registered"]["scheme"] == [SCHEME]
    assert plugins["dangjian"]["default"] is True
    assert "rating" in plugins["dangjian"]["registered"]["method"]
    assert all(p["errors"] == [] for p in plugins.values())


def test_schemes_list_every_installed_scheme_with_its_tools(client, catalog):
    listed = {s["id"]: s for s in client.get("/schemes").json()}
    assert set(listed) == set(catalog.schemes)
    jilin = listed[SCHEME]
    assert jilin["version"] == "2019.1"
    assert jilin["region"] == "吉林省"
    assert jilin["plugin"] == "jilin-health-2019"
    assert jilin["hash"] == catalog.scheme(SCHEME).hash
    assert jilin["tools"] == ["draw", "report"]
    assert jilin["org_types"] == ["organ_committee", "committee", "general_branch", "branch"]


def test_one_scheme_gives_criteria_tree_weights_bands_and_vetoes(client):
    response = client.get(f"/schemes/{SCHEME}")
    assert response.status_code == 200
    body = response.json()
    scheme = body["scheme"]
    assert body["plugin"] == "jilin-health-2019"
    # 70% on-site rating, 30% superior, as numbers
    assert [(c["id"], c["weight"]) for c in scheme["components"]] == [
        ("onsite", 0.7), ("superior", 0.3)]
    # ten content areas, the first with its four numbered sub-points
    assert len(scheme["criteria"]) == 10
    assert scheme["criteria"][0]["title"].startswith("（一）")
    assert len(scheme["criteria"][0]["children"]) == 4
    bands = {b["grade"]: (b["min"], b.get("below")) for b in scheme["bands"]}
    assert bands == {"好": (90, None), "较好": (80, 90), "一般": (60, 80), "差": (0, 60)}
    vetoes = {v["id"]: v["blocks"] for v in scheme["vetoes"]}
    assert vetoes["integrity_problem"] == ["advanced_collective", "excellent_individual"]
    assert scheme["draw"]["fraction"] == "1/3"
    assert scheme["report"]["max_chars"] == 3000


def test_unknown_scheme_is_404_naming_the_installed_ones(client):
    response = client.get("/schemes/shanghai-2030")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404
    assert "未知的方案 shanghai-2030" in problem["detail"]
    assert SCHEME in problem["detail"]


def test_docs_page_and_openapi_document(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "swagger" in page.text.lower()
    spec = client.get("/docs/openapi.json").json()
    assert spec["info"]["title"] == "dangjian 党建考核 API"
    paths = spec["paths"]
    for path in ("/health", "/plugins", "/schemes", "/schemes/{scheme_id}",
                 "/schemes/{scheme_id}/input-schema", "/schemes/{scheme_id}/score",
                 "/schemes/{scheme_id}/score/batch", "/schemes/{scheme_id}/runs", "/runs",
                 "/runs/{run_id}", "/runs/{run_id}/results", "/runs/{run_id}/results/{org_id}",
                 "/runs/{run_id}/rejects", "/schemes/{scheme_id}/draw",
                 "/schemes/{scheme_id}/report-check"):
        assert path in paths, path
    # decimals are sent as JSON numbers, and documented so
    assert spec["components"]["schemas"]["Result"]["properties"]["total"] == {"type": "number"}
    # stored runs are documented as needing the Bearer key; scoring is open
    assert paths["/schemes/{scheme_id}/runs"]["post"]["security"] == [{"BearerAuth": []}]
    assert "security" not in paths["/schemes/{scheme_id}/score"]["post"]
    errors = paths["/schemes/{scheme_id}/score"]["post"]["responses"]
    assert set(errors) >= {"200", "400", "404", "413"}
    assert "application/problem+json" in errors["400"]["content"]


def test_index_points_to_the_docs(client):
    assert client.get("/").json()["docs"] == "/docs"
