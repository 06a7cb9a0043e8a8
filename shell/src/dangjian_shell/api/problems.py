"""Every error as RFC 9457 problem details, in Chinese, without tracebacks or server paths.

Handlers map the kernel's errors (`DangjianError`: 400, `NotFound`: 404), the API's own
(`ApiError`: 401, 403, 404 …), Litestar's (validation 400, 404, 405, 413) and anything else
(500, logged on the server only) to one `application/problem+json` body.
"""

from __future__ import annotations

import logging
import re
import sqlite3

from dangjian.errors import DangjianError, EvaluationRejected
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from .wire import FieldError, Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:dangjian:problem:"
log = logging.getLogger("dangjian.api")

KINDS: dict[int, tuple[str, str]] = {
    400: ("invalid", "请求无效"),
    401: ("unauthorized", "需要有效的 API 密钥"),
    403: ("forbidden", "权限不足"),
    404: ("not-found", "未找到"),
    405: ("method-not-allowed", "不支持的请求方法"),
    413: ("too-large", "请求体过大"),
    415: ("unsupported-media-type", "不支持的请求格式"),
    431: ("headers-too-large", "请求头过大"),
    500: ("internal", "服务器内部错误"),
    503: ("busy", "评分数据库繁忙"),
}
KIND_TITLES = {
    "rejected": "无法评分",
    "malformed": "请求体不是有效的 JSON",
    "no-tool": "方案没有此工具",
    "database": "评分数据库出错",
}
DEFAULT_DETAILS = {
    404: "没有这个接口，接口列表见 /docs",
    405: "此接口不支持该请求方法，接口列表见 /docs",
    415: "请求体应为 JSON（Content-Type: application/json）",
    500: "服务器内部错误，已记录在服务器日志中，请联系管理员",
}


class ApiError(Exception):
    """An error the API raises itself, with its status, Chinese detail and the field at fault."""

    def __init__(self, status: int, detail: str, *, field: str | None = None,
                 kind: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.kind = kind
        self.headers = headers or {}


def problem(request: Request | None, status: int, detail: str, *, field: str | None = None,
            kind: str | None = None, errors: list[FieldError] | None = None,
            headers: dict[str, str] | None = None) -> Response[Problem]:
    slug, title = KINDS.get(status, ("error", "请求出错"))
    title = KIND_TITLES.get(kind or "", title)
    body = Problem(type=TYPE_PREFIX + (kind or slug), title=title, status=status, detail=detail,
                   instance=request.url.path if request is not None else None, field=field,
                   errors=errors or [])
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


# -- validation messages --------------------------------------------------------------------
_TYPE_NAMES = {"str": "文本", "int": "整数", "float": "数字", "bool": "布尔值（true/false）",
               "object": "对象", "array": "数组", "null": "null", "date": "日期",
               "datetime": "日期时间", "decimal": "数字", "int | null": "整数或 null",
               "str | null": "文本或 null", "array | null": "数组或 null",
               "object | null": "对象或 null"}
_MALFORMED = re.compile(r"JSON is malformed|Input data was truncated|Invalid UTF-8",
                        re.IGNORECASE)
_BOUNDS = {">=": "不小于", "<=": "不大于", ">": "大于", "<": "小于"}


def _type(name: str) -> str:
    return _TYPE_NAMES.get(name, name)


def _path_field(path: str) -> str | None:
    """msgspec's `$.inputs.onsite[0]` as `inputs.onsite[0]`; None where it names no field."""
    field = path.removeprefix("$").lstrip(".")
    return field if field and "..." not in field else None


def explain(message: str) -> tuple[str, str | None]:
    """A msgspec/Litestar validation message in Chinese, and the field it names (if any)."""
    text = message.strip()
    if m := re.fullmatch(r"(.+?) - at `(.+)`", text):
        detail, named = explain(m.group(1))
        return detail, named or _path_field(m.group(2))
    if re.fullmatch(r"(Number|Integer value) out of range", text):
        return "数字超出可处理的范围", None
    if m := re.fullmatch(r"Object missing required field `(.+)`", text):
        return f"缺少必填字段 {m.group(1)}", m.group(1)
    if m := re.fullmatch(r"Object contains unknown field `(.+)`", text):
        return f"未知字段 {m.group(1)}", m.group(1)
    if m := re.fullmatch(r"Expected `(.+?)`, got `(.+?)`", text):
        return f"类型应为{_type(m.group(1))}，实为{_type(m.group(2))}", None
    if m := re.fullmatch(r"Expected `(.+?)` (>=|<=|>|<) (\S+)", text):
        return f"应为{_BOUNDS[m.group(2)]} {m.group(3)} 的{_type(m.group(1))}", None
    if m := re.fullmatch(r"Expected `(.+?)` of length (>=|<=|>|<) (\S+)", text):
        return f"{_type(m.group(1))}的长度应{_BOUNDS[m.group(2)]} {m.group(3)}", None
    if re.match(r"Invalid (RFC3339 encoded |isoformat )?date", text):
        return "日期格式应为 YYYY-MM-DD", None
    if m := re.fullmatch(r"Invalid enum value (.+)", text):
        return f"取值 {m.group(1)} 不在允许的范围内", None
    if text in ("'data'", "data"):
        return "缺少请求体：应为 JSON", None
    return f"请求内容无效：{text}", None


def _join(key: str | None, named: str | None) -> str | None:
    key = None if key in (None, "", "data") else key
    if key and key.startswith("data."):
        key = key[5:]
    if named and key:
        return f"{key}.{named}"
    return named or key


def _validation_errors(exc: ValidationException) -> list[FieldError]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        detail, named = explain(str(item.get("message", "")))
        errors.append(FieldError(field=_join(item.get("key"), named), detail=detail))
    return errors


# -- handlers -------------------------------------------------------------------------------
def on_api_error(request: Request, exc: ApiError) -> Response[Problem]:
    return problem(request, exc.status, exc.detail, field=exc.field, kind=exc.kind,
                   headers=exc.headers)


def on_kernel_error(request: Request, exc: DangjianError) -> Response[Problem]:
    status = exc.status if exc.status in KINDS else 400
    kind = "rejected" if isinstance(exc, EvaluationRejected) else None
    return problem(request, status, exc.message, field=exc.field, kind=kind)


def on_validation(request: Request, exc: ValidationException) -> Response[Problem]:
    errors = _validation_errors(exc)
    if not errors:
        detail = str(exc.detail or "")
        if _MALFORMED.search(detail):
            return problem(request, 400, "请求体不是有效的 JSON", kind="malformed")
        return problem(request, 400, explain(detail)[0])
    first = errors[0]
    where = f"字段 {first.field}：" if first.field else ""
    more = f"（另有 {len(errors) - 1} 处错误）" if len(errors) > 1 else ""
    return problem(request, 400, f"{where}{first.detail}{more}", field=first.field,
                   errors=errors if len(errors) > 1 else None)


def on_http(request: Request, exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    if status == 413:
        settings = getattr(request.app.state, "settings", None)
        limit = getattr(settings, "max_body", None)
        detail = f"请求体超过 {limit} 字节的上限" if limit else "请求体超过上限"
        return problem(request, 413, detail)
    if status == 400:
        detail = str(exc.detail or "")
        if _MALFORMED.search(detail):
            return problem(request, 400, "请求体不是有效的 JSON", kind="malformed")
        return problem(request, 400, explain(detail)[0])
    if status >= 500 and "disconnected" in str(exc.detail or ""):
        # The client went away before its body was complete: nothing to answer, nothing broken.
        log.info("客户端在请求体传完前断开了连接：%s %s", request.method, request.url.path)
        return problem(request, 400, "客户端在请求体传完前断开了连接")
    if status >= 500:
        return on_unexpected(request, exc)
    detail = DEFAULT_DETAILS.get(status) or KINDS.get(status, ("", "请求出错"))[1]
    return problem(request, status, detail, headers=exc.headers)


def on_database(request: Request, exc: sqlite3.Error) -> Response[Problem]:
    log.error("数据库出错：%s %s：%s", request.method, request.url.path, exc)
    return problem(request, 500, "评分数据库出错，已记录在服务器日志中，请联系管理员",
                   kind="database")


def on_undecodable(request: Request, exc: RecursionError | UnicodeDecodeError
                   ) -> Response[Problem]:
    """The body could not even be read as JSON: nested beyond any sensible depth, or not UTF-8."""
    if isinstance(exc, RecursionError) and "deserializ" not in str(exc):
        return on_unexpected(request, exc)
    detail = ("请求体的 JSON 嵌套层数过多" if isinstance(exc, RecursionError)
              else "请求体不是 UTF-8 编码的文本")
    return problem(request, 400, detail, kind="malformed")


def on_unexpected(request: Request, exc: Exception) -> Response[Problem]:
    log.error("内部错误：%s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, 500, DEFAULT_DETAILS[500])


EXCEPTION_HANDLERS = {
    ApiError: on_api_error,
    DangjianError: on_kernel_error,
    ValidationException: on_validation,
    HTTPException: on_http,
    sqlite3.Error: on_database,
    RecursionError: on_undecodable,
    UnicodeDecodeError: on_undecodable,
    Exception: on_unexpected,
}
