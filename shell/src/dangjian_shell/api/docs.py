"""How the error responses of each route are documented in the OpenAPI schema."""

from __future__ import annotations

from litestar.openapi import ResponseSpec

from .problems import PROBLEM_MEDIA_TYPE
from .wire import Problem

_DESCRIPTIONS = {
    400: "请求无效：字段缺失、类型不符或取值越界（field 指出字段）",
    401: "缺少或无效的 API 密钥",
    403: "API 密钥无写入权限",
    404: "方案、批次、组织或工具不存在",
    413: "请求体超过上限",
    503: "评分数据库正被另一程序写入：按 Retry-After 的秒数后重试",
}


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """Problem-details responses for these status codes."""
    return {status: ResponseSpec(data_container=Problem, description=_DESCRIPTIONS[status],
                                 media_type=PROBLEM_MEDIA_TYPE, generate_examples=False)
            for status in statuses}
