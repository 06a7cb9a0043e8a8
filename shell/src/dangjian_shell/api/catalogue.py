"""Open routes about what is installed: health, plugins, schemes, one scheme, its input schema."""

from __future__ import annotations

from importlib import metadata
from typing import Any

from dangjian.catalogue.plugins import Catalog, LoadedScheme
from litestar import get
from litestar.datastructures import State
from litestar.params import FromPath

from .. import __version__
from .docs import errors
from .input_schema import evaluation_schema
from .wire import Health, PluginOut, SchemeDetail, SchemeSummary

TAG = ["目录"]
SCHEMA_MEDIA_TYPE = "application/schema+json"


def tools_of(loaded: LoadedScheme) -> list[str]:
    """The tool endpoints a scheme supports: `draw` (现场抽取) and `report` (报告检查)."""
    scheme = loaded.scheme
    return [name for name, present in (("draw", scheme.draw is not None),
                                       ("report", scheme.report is not None)) if present]


def _kernel_version() -> str:
    try:
        return metadata.version("dangjian")
    except metadata.PackageNotFoundError:
        return "?"


@get("/health", tags=TAG, summary="服务状态", response_description="服务状态与版本",
     sync_to_thread=False)
def health(state: State) -> Health:
    """服务是否可用，以及版本和已安装的方案、插件数量。"""
    catalog: Catalog = state.catalog
    return Health(status="ok", version=__version__, kernel=_kernel_version(),
                  schemes=len(catalog.schemes), plugins=len(catalog.plugins),
                  plugin_problems=len(catalog.problems))


@get("/plugins", tags=TAG, summary="已安装的插件", response_description="插件列表",
     sync_to_thread=False)
def plugins(state: State) -> list[PluginOut]:
    """每个插件的名称、版本、注册的内容，以及加载时的问题。"""
    catalog: Catalog = state.catalog
    return [PluginOut(name=p.name, version=p.version, module=p.module, default=p.default,
                      registered=p.registered, errors=p.errors)
            for p in sorted(catalog.plugins.values(), key=lambda p: (p.default, p.name))]


def _summary(loaded: LoadedScheme) -> SchemeSummary:
    s = loaded.scheme
    return SchemeSummary(id=s.id, title=s.title, version=s.version, region=s.region, year=s.year,
                         plugin=loaded.plugin, hash=loaded.hash, org_types=s.org_types,
                         tools=tools_of(loaded))


@get("/schemes", tags=TAG, summary="已安装的考核方案", response_description="方案列表",
     sync_to_thread=False)
def schemes(state: State) -> list[SchemeSummary]:
    """每个方案的编号、标题、版本、来源插件和可用工具（draw 现场抽取、report 报告检查）。"""
    catalog: Catalog = state.catalog
    return [_summary(catalog.schemes[key]) for key in sorted(catalog.schemes)]


@get("/schemes/{scheme_id:str}", tags=TAG, summary="一个考核方案",
     response_description="方案全文", responses=errors(400, 404),
     sync_to_thread=False)
def scheme(state: State, scheme_id: FromPath[str]) -> SchemeDetail:
    """方案全文：输入、评分项目树、分项权重、等次、一票否决、荣誉与结果运用等。"""
    loaded = state.catalog.scheme(scheme_id)
    return SchemeDetail(id=loaded.scheme.id, plugin=loaded.plugin, hash=loaded.hash,
                        tools=tools_of(loaded), scheme=loaded.scheme)


@get("/schemes/{scheme_id:str}/input-schema", tags=TAG, summary="评分输入的 JSON Schema",
     response_description="评分输入的 JSON Schema",
     responses=errors(400, 404), media_type=SCHEMA_MEDIA_TYPE, sync_to_thread=False)
def input_schema(state: State, scheme_id: FromPath[str]) -> dict[str, Any]:
    """按方案的输入定义生成的 JSON Schema（draft 2020-12），描述一个组织的评分输入。"""
    catalog: Catalog = state.catalog
    loaded = catalog.scheme(scheme_id)
    titles = {t.id: t.title for t in catalog.org_types.values()}
    return evaluation_schema(loaded.scheme, titles)


ROUTES = [health, plugins, schemes, scheme, input_schema]
