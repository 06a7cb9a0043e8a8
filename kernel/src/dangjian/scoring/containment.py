"""A plugin's scoring code is contained per organization: whatever it raises (short of
KeyboardInterrupt) or returns that cannot be scored and stored rejects only that organization,
with a Chinese reason naming the plugin."""

from __future__ import annotations

import math
from decimal import Decimal

import msgspec

from dangjian.errors import DangjianError, EvaluationRejected
from dangjian.extension import EvalContext, Outcome

_encode = msgspec.json.encode


def _failed(exc: BaseException, method: str, plugin: str, field: str | None) -> EvaluationRejected:
    return EvaluationRejected(f"评分方法 {method} 出错（插件 {plugin}）：{type(exc).__name__}: {exc}",
                              field=field)


def _points(value: object, method: str, plugin: str, field: str | None) -> Decimal:
    """Points as a finite Decimal; Infinity, NaN or something not a number rejects."""
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
    elif isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    if isinstance(value, (Decimal, float)):
        said = f"给出的分数“{value}”不是有限数字"
    else:
        said = f"给出的分数不是数字（类型 {type(value).__name__}）"
    raise EvaluationRejected(f"评分方法 {method}（插件 {plugin}）{said}，无法评分", field=field)


def contain_scorer(scorer, *, method: str, plugin: str, field: str | None):
    """A plugin method's scorer and its points-only variant, each contained."""

    def score(ctx: EvalContext) -> Outcome:
        try:
            points, text, used = scorer(ctx)
        except (DangjianError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001 — SystemExit, GeneratorExit … from a plugin
            raise _failed(exc, method, plugin, field) from None
        points = _points(points, method, plugin, field)
        if not isinstance(text, str) or not isinstance(used, dict):
            raise EvaluationRejected(f"评分方法 {method}（插件 {plugin}）的说明应为文本、"
                                     "所用输入应为表，无法评分", field=field)
        try:
            _encode((text, used))
        except (TypeError, ValueError, OverflowError, msgspec.EncodeError) as exc:
            raise EvaluationRejected(f"评分方法 {method}（插件 {plugin}）的说明或所用输入"
                                     f"无法保存：{exc}", field=field) from None
        return Outcome(points, text, used)

    own = getattr(scorer, "points", None)
    if own is None:
        def points(ctx: EvalContext) -> Decimal:
            return score(ctx)[0]
    else:
        def points(ctx: EvalContext) -> Decimal:
            try:
                value = own(ctx)
            except (DangjianError, KeyboardInterrupt):
                raise
            except BaseException as exc:  # noqa: BLE001
                raise _failed(exc, method, plugin, field) from None
            return _points(value, method, plugin, field)

    return score, points


def contain_diagnostic(check, *, method: str, plugin: str):
    """A plugin diagnostic, contained the same way: a failure rejects this organization."""

    def contained(ctx: EvalContext) -> list:
        try:
            return check(ctx)
        except (DangjianError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001
            raise _failed(exc, method, plugin, None) from None

    return contained
