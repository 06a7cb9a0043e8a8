"""The `/docs` page loads Swagger UI from this server (`/docs/assets`), never from a CDN."""

from __future__ import annotations

import re


def test_docs_page_loads_every_asset_from_this_server(client):
    page = client.get("/docs").text
    urls = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', page)
    assert set(urls) == {"/docs/assets/favicon-32x32.png", "/docs/assets/swagger-ui.css",
                         "/docs/assets/swagger-ui-bundle.js",
                         "/docs/assets/swagger-ui-standalone-preset.js"}
    assert "cdn" not in page.lower()
    for url in urls:
        served = client.get(url)
        assert served.status_code == 200, url
        assert len(served.content) > 500, url
    assert "javascript" in client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"]


def test_docs_assets_are_not_in_the_openapi_document(client):
    paths = client.get("/docs/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/docs")]
