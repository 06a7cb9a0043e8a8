"""Open routes that score without storing: one evaluation, or a batch with per-row rejects.

The kernel's own calls do the work (`Plan.score_many`, as the CLI), so a result here is the
CLI's result; one evaluation that cannot be scored is a 400 naming the field.
"""

from __future__ import annotations

from collections.abc import Iterator

from dangjian.models import Evaluation, Organization, Reject, Result
from dangjian.catalogue.plugins import Catalog
from dangjian.store.storage import RunSummary, tally
from litestar import Request, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from .docs import errors
from .limits import bound_open_batch, check_open_batch
from .problems import ApiError
from .wire import Batch, BatchScore

TAG = ["评分"]


def registry_of(orgs: list[Organization]) -> dict[str, Organization] | None:
    """Organizations by id for evaluations without an inline `org`; a repeated id is a 400."""
    if not orgs:
        return None
    registry: dict[str, Organization] = {}
    for position, org in enumerate(orgs):
        if org.id in registry:
            raise ApiError(400, f"组织编号 {org.id} 在 orgs 中重复出现",
                           field=f"orgs[{position}].id")
        registry[org.id] = org
    return registry


def numbered(evaluations: list[Evaluation]) -> Iterator[tuple[int, Evaluation]]:
    """(row, evaluation) pairs; a row is the evaluation's 1-based place in the request."""
    return enumerate(evaluations, 1)


# One evaluation is scored in about a tenth of a millisecond: on the event loop, without the
# hop to a worker thread that would cost more than the scoring. A batch goes to a thread.
@post("/schemes/{scheme_id:str}/score", tags=TAG, summary="为一个组织评分（不存储）",
      response_description="评分结果（含逐条说明）",
      status_code=200, responses=errors(400, 404, 413), sync_to_thread=False)
def score_one(state: State, scheme_id: FromPath[str], data: JSONBody[Evaluation]) -> Result:
    """返回总分、等次、各分项和逐条得分说明；无法评分时返回 400，并指出字段和原因。"""
    catalog: Catalog = state.catalog
    plan = catalog.plan(scheme_id)
    item = next(plan.score_many([(1, data)]))
    if isinstance(item, Reject):
        raise ApiError(400, item.reason, field=item.field, kind="rejected")
    return item


@post("/schemes/{scheme_id:str}/score/batch", tags=TAG, summary="为一批组织评分（不存储）",
      response_description="每个组织的结果或拒绝原因",
      status_code=200, responses=errors(400, 404, 413), sync_to_thread=True,
      guards=[bound_open_batch])
def score_batch(request: Request, state: State, scheme_id: FromPath[str],
                data: JSONBody[Batch]) -> BatchScore:
    """每个组织要么评分、要么被拒绝并写明原因（row 为其在 evaluations 中的序号，从 1 起）。

    不带 API 密钥时每批最多 1,000 个组织、请求体最多 1 MiB（超过返回 413）；带有效密钥时
    只受请求体总上限限制。"""
    check_open_batch(request, len(data.evaluations))
    catalog: Catalog = state.catalog
    plan = catalog.plan(scheme_id)
    registry = registry_of(data.orgs)
    summary = RunSummary(run_id=None)
    results: list[Result] = []
    rejects: list[Reject] = []
    for item in tally(plan.score_many(numbered(data.evaluations), registry), summary):
        (rejects if isinstance(item, Reject) else results).append(item)
    return BatchScore(read=summary.read, scored=summary.scored, rejected=summary.rejected,
                      grades=summary.grades, results=results, rejects=rejects)


ROUTES = [score_one, score_batch]
