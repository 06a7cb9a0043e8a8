"""The leadership report of a stored run as an HTML page (the page `dangjian report` writes),
behind a read key like every stored-run route; and the ranks that go with a page of results."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Annotated

from litestar import MediaType, Response, get
from litestar.datastructures import State
from litestar.params import QueryParameter

from .database import store_at
from .docs import errors
from .runs import READ, RunId
from .wire import RankOut


@get("/runs/{run_id:int}/report", summary="一个批次的评分报告（HTML）",
     response_description="评分报告：可打印为 A4 的 HTML 页面", media_type="text/html",
     responses=errors(400, 401, 404), **READ)
def run_report(
    state: State,
    run_id: RunId,
    compare: Annotated[int | None, QueryParameter(
        ge=1, le=2**63 - 1, description="与此批次（同一批组织的更早一次评分）比较等次升降")] = None,
) -> Response[str]:
    """总体情况与等次分布图、各单位评分结果、名次、结果运用名单、一票否决、不得评定的荣誉、
    被拒绝的行；给出 compare 时列出等次上升和下降的组织。页面不引用任何外部资源。"""
    from ..report import report_html

    with store_at(state.settings.db_path) as store:
        html = report_html(store, run_id, state.catalog, compare=compare)
    return Response(html, media_type=MediaType.HTML)


_RANKINGS: OrderedDict[tuple, tuple] = OrderedDict()
_LOCK = threading.Lock()
KEEP_RANKINGS = 8
"""Rankings of the runs paged through most recently, per process: a stored run never changes,
so paging through one ranks it once, not once per page."""


def page_ranks(store, run_id: int, results) -> list[RankOut]:
    """Ranks in the whole run (not the page or the filter) for each result of a page."""
    from ..units import rank_run, units_of_run

    run = store.run(run_id)
    key = (store.path, run_id, run.get("started_at"), run.get("finished_at"), run.get("scored"))
    with _LOCK:
        cached = _RANKINGS.get(key)
        if cached is not None:
            _RANKINGS.move_to_end(key)
    if cached is None:
        units = units_of_run(store, run_id)
        cached = (units, rank_run(store, run_id, units))
        with _LOCK:
            _RANKINGS[key] = cached
            while len(_RANKINGS) > KEEP_RANKINGS:
                _RANKINGS.popitem(last=False)
    units, ranking = cached
    return [RankOut(org_id=r.org_id, rank=ranking.rank(r.total),
                    unit_id=units.unit_of(r.org_id),
                    unit_rank=ranking.unit_rank(r.org_id, r.total)) for r in results]


ROUTES = [run_report]
