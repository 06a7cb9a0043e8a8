"""Who may do what: catalogue and stateless scoring are open; stored runs need a Bearer key.

A route declares `opt={"access": "read"}` or `{"access": "write"}` and carries the guard.
No key or an unknown key is 401; a read-only key on a write is 403. Keys are never logged.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from .problems import ApiError

BEARER = "BearerAuth"
SECURITY = [{BEARER: []}]
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="dangjian"'}


def presented(connection: ASGIConnection) -> str | None:
    header = connection.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_key(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Guard: the request carries a key allowing the route's `access` (read or write)."""
    needed = handler.opt.get("access", "read")
    keys = connection.app.state.settings.keys
    token = presented(connection)
    if token is None:
        raise ApiError(401, "需要 API 密钥：请在请求头中加入 Authorization: Bearer <密钥>",
                       headers=_CHALLENGE)
    granted = keys.access(token)
    if granted is None:
        detail = "API 密钥无效" if len(keys) else \
            "服务器未配置 API 密钥（DANGJIAN_API_KEYS 或 DANGJIAN_API_KEYS_FILE），无法访问评分批次"
        raise ApiError(401, detail, headers={**_CHALLENGE, "WWW-Authenticate":
                                             'Bearer realm="dangjian", error="invalid_token"'})
    if needed == "write" and granted != "write":
        raise ApiError(403, "此 API 密钥只能读取，不能创建评分批次（需要 write 权限）")
