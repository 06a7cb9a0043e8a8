"""Reading a method's params at compile time, with errors that name the criterion and param."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dangjian.errors import SchemeError
from dangjian.extension import MethodSpec
from dangjian.numbers import to_decimal


class Params:
    """Typed access to `spec.params`; unknown params are refused so typos do not pass silently."""

    def __init__(self, spec: MethodSpec, method: str, allowed: set[str]) -> None:
        self.spec = spec
        self.method = method
        unknown = sorted(set(spec.params) - allowed)
        if unknown:
            self.fail(unknown[0], f"方法 {method} 不认识参数 {', '.join(unknown)}")

    def fail(self, name: str, message: str) -> None:
        raise SchemeError(
            f"评分项 {self.spec.id}（{self.spec.title}）：{message}",
            scheme=self.spec.scheme.id,
            field=f"{self.spec.id}.params.{name}",
        )

    def get(self, name: str, default: Any = None) -> Any:
        return self.spec.params.get(name, default)

    def decimal(self, name: str, default: Decimal | None = None) -> Decimal | None:
        value = self.spec.params.get(name)
        if value is None:
            return default
        try:
            return to_decimal(value)
        except ValueError as exc:
            self.fail(name, f"参数 {name} 应为数字：{exc}")

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.spec.params.get(name, default)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            self.fail(name, f"参数 {name} 应为整数")
        return value

    def text(self, name: str, default: str | None = None, choices: tuple = ()) -> str | None:
        value = self.spec.params.get(name, default)
        if value is not None and not isinstance(value, str):
            self.fail(name, f"参数 {name} 应为文本")
        if choices and value not in choices:
            self.fail(name, f"参数 {name} 应为 {' / '.join(choices)} 之一，实为 {value}")
        return value

    def strings(self, name: str, default: list | None = None) -> list[str]:
        value = self.spec.params.get(name, default if default is not None else [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, f"参数 {name} 应为文本列表")
        return value

    def mapping(self, name: str) -> dict[str, Decimal]:
        value = self.spec.params.get(name) or {}
        if not isinstance(value, dict):
            self.fail(name, f"参数 {name} 应为“标签 = 分值”表")
        try:
            return {str(k): to_decimal(v) for k, v in value.items()}
        except ValueError as exc:
            self.fail(name, f"参数 {name} 的分值应为数字：{exc}")

    def require_input(self) -> str:
        if not self.spec.input:
            self.fail("input", f"方法 {self.method} 需要指定 input")
        return self.spec.input
