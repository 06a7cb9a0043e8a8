"""The seed-002 tools, where a scheme has them: the on-site draw and the written-report check.

A scheme without a `[draw]` or `[report]` section answers 404 with a Chinese message.
"""

from __future__ import annotations

import secrets

from dangjian.tools.documents import check_report
from dangjian.tools.draw import DrawResult, draw_onsite
from dangjian.tools.orgtree import OrgTree
from dangjian.catalogue.plugins import Catalog
from litestar import post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from ..orgs import normalise_types
from .docs import errors
from .problems import ApiError
from .wire import DrawRequest, ReportCheck, ReportRequest

TAG = ["工具"]


def _type_titles(catalog: Catalog, types: set[str]) -> str:
    return "、".join(catalog.org_types[t].title if t in catalog.org_types else t
                     for t in sorted(types))


@post("/schemes/{scheme_id:str}/draw", tags=TAG, summary="随机抽取现场述职的组织",
      response_description="抽取结果与复核信息",
      status_code=200, responses=errors(400, 404, 413), sync_to_thread=True)
def draw(state: State, scheme_id: FromPath[str], data: JSONBody[DrawRequest]) -> DrawResult:
    """按方案的抽取规则（不少于三分之一，向上取整）从名册中抽取现场述职的组织，其余书面述职。
    同样的名册和种子得到同样的结果；不给种子则随机生成并在结果中返回，名册摘要供事后核对。"""
    catalog: Catalog = state.catalog
    loaded = catalog.scheme(scheme_id)
    rule = loaded.scheme.draw
    if rule is None:
        raise ApiError(404, f"方案 {scheme_id} 没有现场抽取规则（[draw]），无法抽取",
                       kind="no-tool")
    orgs = normalise_types(data.orgs, catalog)
    candidates = orgs
    if data.under is not None:
        tree = OrgTree(orgs)
        if data.under not in tree.orgs:
            raise ApiError(400, f"名册中没有组织 {data.under}", field="under")
        below = set(tree.children.get(data.under, []))
        candidates = [o for o in orgs if o.id in below]
    types = set(rule.org_types or loaded.scheme.org_types)
    population = [o.id for o in candidates if not types or o.type in types]
    if not population:
        wanted = _type_titles(catalog, types) or "任意类型"
        raise ApiError(400, f"名册中没有可抽取的组织（应为：{wanted}）", field="orgs")
    seed = data.seed if data.seed is not None else secrets.token_hex(4)
    return draw_onsite(population, rule, seed)


@post("/schemes/{scheme_id:str}/report-check", tags=TAG, summary="检查述职报告",
      response_description="检查结论",
      status_code=200, responses=errors(400, 404, 413), sync_to_thread=True)
def report_check(state: State, scheme_id: FromPath[str],
                 data: JSONBody[ReportRequest]) -> ReportCheck:
    """按方案的报告要求检查字数上限、必须列出的清单及各清单篇幅（按非空白字符计）；
    ok 为 false 的报告应退回修改。"""
    catalog: Catalog = state.catalog
    loaded = catalog.scheme(scheme_id)
    rule = loaded.scheme.report
    if rule is None:
        raise ApiError(404, f"方案 {scheme_id} 没有报告要求（[report]），无法检查",
                       kind="no-tool")
    findings = check_report(data.text, rule, catalog)
    chars = sum(1 for ch in data.text if not ch.isspace())
    return ReportCheck(title=rule.title, chars=chars, ok=not findings, findings=findings)


ROUTES = [draw, report_check]
