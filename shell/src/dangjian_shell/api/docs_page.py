"""The interactive docs page (`/docs`): Swagger UI served from the installed
`swagger-ui-bundle-v2` package, so the page works on an intranet with no internet access."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

DOCS_PATH = "/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"


def docs_page() -> SwaggerRenderPlugin:
    """Swagger UI at `/docs`, loading its script, style and icon from `/docs/assets`."""
    return SwaggerRenderPlugin(
        path="/", js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>")


def docs_assets() -> Router:
    """The Swagger UI files shipped by the installed package, under `/docs/assets`."""
    return create_static_files_router(
        path=ASSETS_PATH, directories=[Path(str(swagger_ui_path))], name="docs-assets",
        cache_control=CacheControlHeader(max_age=86400), include_in_schema=False)
