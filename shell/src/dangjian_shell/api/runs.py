"""Stored runs, behind an API key: create a run from a batch (write), read runs and results (read).

Scoring and storing are the kernel's one run path (`dangjian.store.runner.score_run`), as for
`dangjian score`, so the stored rows, rejected repeats, batch rules and tracked flags are the
CLI's; results read back are filtered and paged by the kernel's queries, and explanations are
rendered when asked for.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

import msgspec
from dangjian.models import Reject, Result
from dangjian.catalogue.plugins import Catalog
from dangjian.store.runner import RunInput, run_meta, score_run
from litestar import Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from .access import SECURITY, require_key
from .database import store_at
from .docs import errors
from .scoring import numbered, registry_of
from .wire import ResultsPage, RunCreated, RunInfo, RunRequest, run_info

TAG = ["评分批次"]
SOURCE = "HTTP API"
READ = {"guards": [require_key], "opt": {"access": "read"}, "security": SECURITY,
        "tags": TAG, "sync_to_thread": True}
WRITE = {"guards": [require_key], "opt": {"access": "write"}, "security": SECURITY,
         "tags": TAG, "sync_to_thread": True}
MAX_PAGE = 1000

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE,
                                      description=f"每页条数，1—{MAX_PAGE}")]
Offset = Annotated[int, QueryParameter(ge=0, le=2**63 - 1, description="跳过的条数，从 0 起")]
RunId = Annotated[int, PathParameter(ge=1, le=2**63 - 1, description="批次编号")]


def _digest(data: RunRequest) -> str:
    encoded = msgspec.json.encode([data.evaluations, data.orgs])
    return hashlib.sha256(encoded).hexdigest()[:16]


@post("/schemes/{scheme_id:str}/runs", summary="评分并存储为一个批次",
      response_description="已存储的批次编号与计数", status_code=201,
      responses=errors(400, 401, 403, 404, 413, 503), **WRITE)
def create_run(state: State, scheme_id: FromPath[str],
               data: JSONBody[RunRequest]) -> Response[RunCreated]:
    """需要写权限的密钥。每个组织要么评分、要么被拒绝（row 为其在 evaluations 中的序号；
    同一组织编号再次出现的被拒绝，并写明第一次出现的序号）；整个批次在一个短事务中写入，
    与 dangjian score 使用同一数据库、同一评分路径。数据库正被另一程序写入时返回 503 和 Retry-After。"""
    catalog: Catalog = state.catalog
    plan = catalog.plan(scheme_id)
    registry = registry_of(data.orgs)
    meta = run_meta(plan, input_digest=_digest(data), sources=[SOURCE], note=data.note)
    with store_at(state.settings.db_path, catalog) as store:
        summary = score_run(plan, [RunInput(numbered(data.evaluations))], store=store,
                            meta=meta, catalog=catalog, registry=registry).summary
    assert summary.run_id is not None
    body = RunCreated(run_id=summary.run_id, scheme_id=plan.ref.id,
                      scheme_version=plan.ref.version, read=summary.read,
                      scored=summary.scored, rejected=summary.rejected, grades=summary.grades,
                      batch_findings=summary.findings)
    return Response(body, status_code=201, headers={"Location": f"/runs/{summary.run_id}"})


@get("/runs", summary="评分批次列表", response_description="批次列表",
     responses=errors(400, 401), **READ)
def list_runs(state: State, limit: Limit = 50, offset: Offset = 0) -> list[RunInfo]:
    """最近的批次在前：方案、版本、时间、读入/评分/拒绝数和等次分布。"""
    with store_at(state.settings.db_path, state.catalog) as store:
        return [run_info(row) for row in store.runs(limit=limit, offset=offset)]


@get("/runs/{run_id:int}", summary="一个评分批次",
     response_description="批次信息", responses=errors(400, 401, 404), **READ)
def get_run(state: State, run_id: RunId) -> RunInfo:
    """批次的方案、插件版本、输入摘要和计数。"""
    with store_at(state.settings.db_path, state.catalog) as store:
        return run_info(store.run(run_id))


def _type_id(catalog: Catalog, org_type: str | None) -> str | None:
    """A type filter written as an id or a title; an unknown one is kept (it matches nothing)."""
    return None if org_type is None else catalog.type_id(org_type) or org_type


@get("/runs/{run_id:int}/results", summary="一个批次的评分结果",
     response_description="一页评分结果", responses=errors(400, 401, 404), **READ)
def list_results(
    state: State,
    run_id: RunId,
    grade: Annotated[str | None, QueryParameter(description="只列此等次，如 好、一般")] = None,
    org_type: Annotated[str | None, QueryParameter(
        description="只列此组织类型（编号或名称，如 branch 或 党支部）")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    lines: Annotated[bool, QueryParameter(description="是否附逐条得分说明")] = False,
) -> ResultsPage:
    """按输入顺序分页列出结果；total 为符合筛选条件的总数。ranks 与 results 一一对应：
    rank 为在整个批次中的名次（不受筛选和分页影响），unit_rank 为在同一上级组织之下的名次；
    名次规则见 tie_rule（总分相同者名次相同，其后名次顺延）。"""
    from dangjian.store.ranking import TIE_RULE

    from .report import page_ranks

    type_id = _type_id(state.catalog, org_type)
    with store_at(state.settings.db_path, state.catalog) as store:
        store.run(run_id)
        total = store.count_results(run_id, grade=grade, org_type=type_id)
        results = list(store.results(run_id, grade=grade, org_type=type_id, limit=limit,
                                     offset=offset, with_lines=lines))
        ranks = page_ranks(store, run_id, results)
    return ResultsPage(run_id=run_id, total=total, limit=limit, offset=offset, results=results,
                       ranks=ranks, tie_rule=TIE_RULE)


@get("/runs/{run_id:int}/results/{org_id:str}", summary="一个组织在批次中的结果",
     response_description="该组织的评分结果（含逐条说明）",
     responses=errors(400, 401, 404), **READ)
def get_result(state: State, run_id: RunId, org_id: FromPath[str]) -> Result:
    """含逐条得分说明（按批次存下的方案和输入重新生成），与 dangjian explain --json 的输出逐字节相同。"""
    with store_at(state.settings.db_path, state.catalog) as store:
        return store.result(run_id, org_id)


@get("/runs/{run_id:int}/rejects", summary="一个批次中被拒绝的行",
     response_description="被拒绝的行", responses=errors(400, 401, 404), **READ)
def list_rejects(state: State, run_id: RunId) -> list[Reject]:
    """每一行被拒绝的原因：行号、组织编号、字段和说明。"""
    with store_at(state.settings.db_path, state.catalog) as store:
        return store.rejects(run_id)


ROUTES = [create_run, list_runs, get_run, list_results, get_result, list_rejects]
