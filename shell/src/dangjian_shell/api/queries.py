"""Unknown query parameters are refused, as unknown body fields are: `?grdae=好` must not
silently list every result."""

from __future__ import annotations

from litestar import Request

from .problems import ApiError

RESERVED = frozenset({"state", "data", "request", "headers", "cookies", "query", "scope"})


def refuse_unknown_query(request: Request) -> None:
    """Before a handler runs: every query parameter must be one the route declares."""
    if not request.query_params:
        return
    handler = request.route_handler
    declared = set(handler.parsed_fn_signature.parameters) - RESERVED - set(request.path_params)
    for name in request.query_params:
        if name not in declared:
            known = "、".join(sorted(declared)) or "无"
            raise ApiError(400, f"未知的查询参数“{name}”（此接口可用：{known}）", field=name)
