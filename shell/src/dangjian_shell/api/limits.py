"""Limits an attacker meets before any work is done: oversized headers, batches too big for a
request without a key, and secrets in the access log.

* Request headers over `HEADER_LIMIT` bytes in all get a 431 problem in Chinese, whatever the
  route (uvicorn is told to pass headers up to `HEADER_BUFFER`, so they reach this check).
* `POST /schemes/{id}/score/batch` without a valid key takes at most `Settings.open_batch`
  evaluations and `Settings.open_batch_body` bytes (413 saying so, and that a key lifts it):
  an open route must not turn a 10 MB body into a 200 MB answer.
* The access log never shows a key: query values under a secret-looking name, or equal to a
  configured key, are written as `***`.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_plus

import msgspec
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from .access import presented
from .problems import KINDS, PROBLEM_MEDIA_TYPE, TYPE_PREFIX, ApiError
from .wire import Problem

HEADER_LIMIT = 16 * 1024
"""Bytes of request headers (names and values) the API reads; browsers send a few KiB."""
HEADER_BUFFER = 1024 * 1024
"""Bytes of headers uvicorn buffers before giving up with its own plain-text 400."""
SECRET_NAMES = frozenset({"api_key", "apikey", "api-key", "key", "token", "access_token",
                          "auth", "authorization", "bearer", "password", "passwd", "secret"})
REDACTED = "***"


# -- headers --------------------------------------------------------------------------------
def header_limit(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: requests whose headers exceed `HEADER_LIMIT` get a 431 problem."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) for name, value in scope.get("headers", ()))
            if size > HEADER_LIMIT:
                await _send_problem(send, scope, 431, f"请求头共 {size:,} 字节，超过 "
                                    f"{HEADER_LIMIT:,} 字节的上限（API 密钥应为几十个字符）")
                return
        await app(scope, receive, send)

    return middleware


async def _send_problem(send: Send, scope: Scope, status: int, detail: str) -> None:
    slug, title = KINDS[status]
    body = msgspec.json.encode(Problem(type=TYPE_PREFIX + slug, title=title, status=status,
                                       detail=detail, instance=scope.get("path")))
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


# -- open batches ---------------------------------------------------------------------------
def keyed(connection: ASGIConnection) -> bool:
    """Whether the request carries a valid API key (read or write)."""
    token = presented(connection)
    return token is not None and connection.app.state.settings.keys.access(token) is not None


def _too_big(what: str, settings) -> ApiError:
    return ApiError(413, f"未提供 API 密钥时，{what}（每批最多 {settings.open_batch:,} 个组织、"
                    f"请求体最多 {settings.open_batch_body:,} 字节）；请分批提交，或在请求头中加入 "
                    "Authorization: Bearer <密钥> 以提交更大的批次")


async def bound_open_batch(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    """Guard: without a key, the body may not exceed `open_batch_body` bytes (checked before
    it is decoded; the count is checked by the handler with `check_open_batch`)."""
    if keyed(connection):
        return
    settings = connection.app.state.settings
    declared = connection.headers.get("content-length", "")
    size = int(declared) if declared.isdigit() else len(await connection.body())  # type: ignore[attr-defined]
    if size > settings.open_batch_body:
        raise _too_big(f"请求体 {size:,} 字节超过上限", settings)


def check_open_batch(connection: ASGIConnection, count: int) -> None:
    settings = connection.app.state.settings
    if count > settings.open_batch and not keyed(connection):
        raise _too_big(f"一批 {count:,} 个组织超过上限", settings)


# -- access log -----------------------------------------------------------------------------
class RedactSecrets(logging.Filter):
    """Rewrites uvicorn's access-log line so that no key in a query string is written."""

    def __init__(self, keys) -> None:
        super().__init__()
        self.keys = keys

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) \
                and "?" in args[2]:
            record.args = (*args[:2], redact(args[2], self.keys), *args[3:])
        return True


def redact(path: str, keys) -> str:
    """A path with its query values hidden where they are (or look like) secrets."""
    base, _, query = path.partition("?")
    parts = []
    for pair in query.split("&"):
        name, sep, value = pair.partition("=")
        secret = unquote_plus(name).strip().lower() in SECRET_NAMES or (
            value and keys.access(unquote_plus(value)) is not None)
        parts.append(f"{name}{sep}{REDACTED}" if sep and secret else pair)
    return f"{base}?{'&'.join(parts)}"


def redact_access_log(keys) -> None:
    """Install (or refresh) the filter on uvicorn's access logger, once per process."""
    logger = logging.getLogger("uvicorn.access")
    for old in [f for f in logger.filters if isinstance(f, RedactSecrets)]:
        logger.removeFilter(old)
    logger.addFilter(RedactSecrets(keys))
