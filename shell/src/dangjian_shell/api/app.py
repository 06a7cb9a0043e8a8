"""The Litestar application factory: the catalogue, the run database, keys and limits.

`create_app()` builds one app; `app_from_env()` is what uvicorn calls in each worker process
(`factory=True`), reading the settings `dangjian serve` put in the environment.
"""

from __future__ import annotations

from dataclasses import replace

from dangjian.catalogue.plugins import Catalog, load_catalog
from litestar import Litestar, Response, get
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme, Tag

from .. import __version__
from . import catalogue, report, runs, scoring, tools, whatif
from .access import BEARER
from .database import open_store
from .docs_page import DOCS_PATH, docs_assets, docs_page
from .encoding import NumberJSONResponse
from .keys import KeyRing
from .limits import header_limit, redact_access_log
from .openapi import DecimalAsNumber, close_strict_objects, integer_bounds
from .problems import EXCEPTION_HANDLERS
from .queries import refuse_unknown_query
from .settings import Settings, settings_from_env

DESCRIPTION = """dangjian 党建考核评分接口，与 `dangjian` 命令行使用同一内核和同一数据库。

* 目录与不存储的评分无需密钥；创建评分批次需要写权限的 API 密钥，读取批次与结果需要读权限
  （请求头 `Authorization: Bearer <密钥>`）。
* 错误一律为 RFC 9457 问题详情（`application/problem+json`）：type、title、status、
  detail（中文说明），请求无效时 field 指出字段。
* 请求体上限默认 10 MiB（环境变量 DANGJIAN_API_MAX_BODY，字节），超过返回 413；
  不带密钥的批量评分每批最多 1,000 个组织（DANGJIAN_API_OPEN_BATCH）、请求体最多 1 MiB。
* 请求头合计超过 16 KiB 返回 431。
* 数值（总分、得分、权重）以 JSON 数字表示，保留方案规定的小数位。
"""


@get("/", include_in_schema=False, sync_to_thread=False)
def index() -> Response[dict[str, str]]:
    return Response({"name": "dangjian", "docs": DOCS_PATH,
                     "openapi": f"{DOCS_PATH}/openapi.json"})


def _keys(api_keys: KeyRing | str | None, default: KeyRing) -> KeyRing:
    if api_keys is None:
        return default
    if isinstance(api_keys, KeyRing):
        return api_keys
    return KeyRing.parse(api_keys, source="api_keys", separators=",\n")


def create_app(catalog: Catalog | None = None, db_path: str | None = None,
               api_keys: KeyRing | str | None = None, max_body: int | None = None,
               cors_origins: list[str] | None = None,
               settings: Settings | None = None) -> Litestar:
    """The API over `catalog` (default: the installed plugins) and the database at `db_path`.

    What is not given comes from `settings`, else from the environment (see `settings`):
    `api_keys` is a KeyRing or text in the `DANGJIAN_API_KEYS` syntax (`key:read,key2`).
    """
    base = settings if settings is not None else settings_from_env()
    settings = replace(
        base,
        db_path=str(db_path) if db_path is not None else base.db_path,
        keys=_keys(api_keys, base.keys),
        max_body=max_body if max_body is not None else base.max_body,
        cors_origins=tuple(cors_origins) if cors_origins is not None else base.cors_origins,
    )
    catalog = catalog if catalog is not None else load_catalog()

    def prepare_database() -> None:
        open_store(settings.db_path).close()

    openapi = OpenAPIConfig(
        title="dangjian 党建考核 API", version=__version__, description=DESCRIPTION,
        path=DOCS_PATH, render_plugins=[docs_page()],
        components=Components(security_schemes={BEARER: SecurityScheme(
            type="http", scheme="bearer", description="API 密钥：Authorization: Bearer <密钥>")}),
        tags=[Tag(name="目录", description="已安装的插件与考核方案"),
              Tag(name="评分", description="评分但不存储"),
              Tag(name="评分批次", description="存储的评分批次与结果（需要 API 密钥）"),
              Tag(name="工具", description="现场述职抽取与述职报告检查")],
    )
    cors = None
    if settings.cors_origins:
        cors = CORSConfig(allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                          allow_headers=["Authorization", "Content-Type"])
    app = Litestar(
        route_handlers=[index, docs_assets(), *catalogue.ROUTES, *scoring.ROUTES, *runs.ROUTES,
                        *report.ROUTES, *tools.ROUTES, *whatif.ROUTES],
        state=State({"catalog": catalog, "settings": settings}),
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=refuse_unknown_query,
        response_class=NumberJSONResponse,
        request_max_body_size=settings.max_body,
        openapi_config=openapi,
        plugins=[DecimalAsNumber()],
        cors_config=cors,
        on_startup=[prepare_database],
        middleware=[header_limit],
        debug=False,
    )
    close_strict_objects(app.openapi_schema)
    integer_bounds(app.openapi_schema)
    redact_access_log(settings.keys)
    return app


def app_from_env() -> Litestar:
    """The app for one uvicorn worker, configured by the environment."""
    return create_app()
