"""Checking and converting an evaluation's inputs against the scheme's declared inputs.

JSON gives typed values; CSV and XLSX cells give text. Both go through the same converters, so
a value means the same thing whichever door it came through.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from dangjian.errors import EvaluationRejected
from dangjian.numbers import fmt, parse_number, to_decimal
from dangjian.scheme import InputSpec

_SPLIT = re.compile(r"[;；、,，\s]+")
_TRUE = {"true", "1", "是", "有", "y", "yes", "t", "√"}
_FALSE = {"false", "0", "否", "无", "n", "no", "f", "×", ""}


def _fail(spec: InputSpec, message: str) -> EvaluationRejected:
    return EvaluationRejected(f"{spec.title}（{spec.name}）{message}", field=f"inputs.{spec.name}")


def _number(spec: InputSpec, value: Any) -> Decimal:
    try:
        number = to_decimal(value)
    except ValueError as exc:
        raise _fail(spec, f"应为数字：{exc}") from None
    if spec.min is not None and number < spec.min:
        raise _fail(spec, f"为{fmt(number)}，低于下限{fmt(spec.min)}")
    if spec.max is not None and number > spec.max:
        raise _fail(spec, f"为{fmt(number)}，超过上限{fmt(spec.max)}")
    return number


def _integer(spec: InputSpec, value: Any) -> int:
    number = _number(spec, value)
    if number.adjusted() > 30:
        raise _fail(spec, f"为{fmt(number)}，数值过大")
    if number != number.to_integral_value():
        raise _fail(spec, f"应为整数，实为{fmt(number)}")
    return int(number)


def _boolean(spec: InputSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    raise _fail(spec, f"应为是/否（true/false），实为“{value}”")


def _text(spec: InputSpec, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(spec, f"应为文本，实为{type(value).__name__}")
    return value.strip()


def _date(spec: InputSpec, value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise _fail(spec, f"应为日期 YYYY-MM-DD，实为“{value}”") from None


def _choice(spec: InputSpec, value: Any) -> str:
    text = _text(spec, value).strip()
    if spec.choices and text not in spec.choices:
        raise _fail(spec, f"应为 {' / '.join(spec.choices)} 之一，实为“{text}”")
    return text


def _item_converter(spec: InputSpec) -> Callable[[int, Any], Decimal | str]:
    """One list item: a label from `choices`, or a number within min..max (fast paths first)."""
    labels = frozenset(spec.choices)
    low, high = spec.min, spec.max
    numbers_allowed = spec.items != "label"
    labels_allowed = spec.items != "number"

    def number_in_range(position: int, number: Decimal) -> Decimal:
        if not number.is_finite():
            raise _fail(spec, f"第{position}项不是有限数字")
        if (low is not None and number < low) or (high is not None and number > high):
            raise _fail(spec, f"第{position}项{fmt(number)}超出{fmt(low)}—{fmt(high)}")
        return number

    def convert(position: int, item: Any) -> Decimal | str:
        kind = type(item)
        if kind is str:
            text = item.strip()
            if text in labels:
                return text
            if numbers_allowed:
                try:
                    return number_in_range(position, parse_number(text))
                except ValueError as exc:
                    if any(c.isdigit() for c in text):  # 9_5, １００, ٩٥: say why not
                        raise _fail(spec, f"第{position}项{exc}") from None
            if labels_allowed and not labels:
                return text
            expected = " / ".join(spec.choices) if labels_allowed else "数字"
            raise _fail(spec, f"第{position}项“{text}”不是有效值（应为 {expected}）")
        if not numbers_allowed:
            raise _fail(spec, f"第{position}项应为标签，实为{item}")
        if kind is int:
            return number_in_range(position, Decimal(item))
        if kind is Decimal and not item and item.is_signed():
            item = item.copy_abs()
        try:
            return number_in_range(position, to_decimal(item))
        except ValueError as exc:
            raise _fail(spec, f"第{position}项应为数字：{exc}") from None

    return convert


_MEMO_LIMIT = 4096


def _list_converter(spec: InputSpec) -> Callable[[InputSpec, Any], list | dict]:
    item = _item_converter(spec)
    labels = frozenset(spec.choices)
    # Raters repeat the same scores and labels: remember what an int or a text converted to
    # (only successes, so a failure still names its own position). Ints and texts never share
    # a key; bools and floats, which would, never reach the memo.
    memo: dict[int | str, Decimal | str] = {}

    def slow(value: list) -> list:
        out = []
        for position, raw in enumerate(value, 1):
            converted = item(position, raw)
            kind = raw.__class__
            if (kind is int or kind is str) and len(memo) < _MEMO_LIMIT:
                memo[raw] = converted
            out.append(converted)
        return out

    plain = {int, str}.issuperset

    def items(value: list) -> list:
        if plain(map(type, value)):
            try:
                return list(map(memo.__getitem__, value))
            except KeyError:
                pass
        return slow(value)

    def convert(spec: InputSpec, value: Any) -> list | dict:
        if isinstance(value, dict):
            counts = {}
            for label, count in value.items():
                if labels and label not in labels:
                    raise _fail(spec, f"票数表中“{label}”不是 {' / '.join(spec.choices)} 之一")
                if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                    raise _fail(spec, f"票数表中“{label}”的票数应为非负整数")
                counts[label] = count
            return counts
        if isinstance(value, str):
            value = [part for part in _SPLIT.split(value.strip()) if part]
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            raise _fail(spec, f"应为列表，实为{type(value).__name__}")
        return items(value)

    return convert


_CONVERTERS: dict[str, Callable[[InputSpec, Any], Any]] = {
    "number": _number,
    "integer": _integer,
    "boolean": _boolean,
    "text": _text,
    "date": _date,
    "choice": _choice,
}


class InputChecker:
    """Converts one evaluation's raw inputs into typed values, rejecting with the field named."""

    def __init__(self, specs: list[InputSpec]) -> None:
        self.specs = {spec.name: spec for spec in specs}
        self.by_title = {spec.title: spec.name for spec in specs}
        self._steps = [(spec.name, spec, _list_converter(spec) if spec.type == "list"
                        else _CONVERTERS[spec.type]) for spec in specs]

    def __call__(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The typed inputs; a row with bad cells is rejected naming every one of them."""
        try:
            return self._convert(raw)
        except EvaluationRejected as first:
            raise combine(self.problems(raw) or [first]) from None

    def _convert(self, raw: dict[str, Any]) -> dict[str, Any]:
        for key in raw:
            if key not in self.specs:
                raise EvaluationRejected("未知的输入", field=f"inputs.{key}")
        values: dict[str, Any] = {}
        for name, spec, convert in self._steps:
            value = raw.get(name)
            if value is None or (value.__class__ is str and not value.strip()):
                # A blank cell, or one of spaces only, is not an answer: it earns nothing.
                if spec.required:
                    raise EvaluationRejected("缺少必填输入", field=f"inputs.{name}")
                if spec.type == "boolean":
                    values[name] = False
                continue
            values[name] = convert(spec, value)
        return values

    def problems(self, raw: dict[str, Any]) -> list[EvaluationRejected]:
        """Every bad cell of one evaluation's inputs, in the scheme's order (unknown ones first)."""
        found: list[EvaluationRejected] = []
        unknown = [key for key in raw if key not in self.specs]
        if unknown:
            found.append(EvaluationRejected(
                f"未知的输入 {'、'.join(unknown)}（本方案的输入：{'、'.join(self.specs) or '无'}）",
                field=f"inputs.{unknown[0]}"))
        for name, spec, convert in self._steps:
            value = raw.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if spec.required:
                    found.append(EvaluationRejected(f"缺少必填输入 {name}（{spec.title}）",
                                                    field=f"inputs.{name}"))
                continue
            try:
                convert(spec, value)
            except EvaluationRejected as exc:
                found.append(exc)
        return found


def combine(problems: list[EvaluationRejected]) -> EvaluationRejected:
    """One rejection for a row with several bad cells: every reason, the first field."""
    if len(problems) == 1:
        return problems[0]
    return EvaluationRejected("；".join(p.message for p in problems), field=problems[0].field)
