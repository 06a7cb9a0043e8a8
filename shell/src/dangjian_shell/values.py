"""Option and argument values converted without pydantic, exactly as Typer converts them.

Typer (0.29) converts each value through a pydantic `TypeAdapter` that it builds when the
command runs: importing pydantic and building the adapters costs about 0.2 s per process, more
than `dangjian score` needs for a small file. Our commands take only `str`, `bool`, `int`
(with `min` / `max`), `Path` and lists of these. `PlainValue` converts a value of those types
itself when the outcome is certain: a string as given, an ASCII decimal integer within range,
a path (checked by Typer's own `coerce_cli_path`, as before). Any other value (`5.0`, `1_000`,
an integer out of range, a path Typer would refuse, …) goes to Typer's own conversion, so it is
converted or refused with exactly Typer's message. With a Typer that converts otherwise (before
0.29, or when its internals move), nothing here applies and Typer converts everything itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

try:
    from typer._coercion import RuntimeParam, build_runtime_param, resolve_type_descriptor
    from typer._param_types import coerce_cli_path
except ImportError:  # another Typer: it converts every value itself
    RuntimeParam = None  # type: ignore[assignment,misc]
_BASE: Any = RuntimeParam if RuntimeParam is not None else object

_MISS = object()
"""A value `PlainValue` leaves to Typer."""
_LEAVES = (str, bool, int, Path)


def plain_value(param: Any) -> PlainValue | None:
    """The conversion for a Typer parameter when its type is one `PlainValue` knows."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or descriptor.is_file:
        return None
    info, annotation = descriptor.parameter_info, descriptor.annotation
    leaf = get_args(annotation)[0] if get_origin(annotation) is list else annotation
    if (leaf not in _LEAVES or info.parser is not None or info.path_type is not None
            or info.allow_dash or info.resolve_path or info.clamp or descriptor.is_choice
            or getattr(info, "click_type", None) is not None):
        return None
    return PlainValue(parameter_info=info, annotation=annotation, leaf=leaf)


@dataclass(frozen=True)
class PlainValue(_BASE):
    """A Typer runtime conversion that needs no pydantic for ordinary values."""

    leaf: type

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if get_origin(self.annotation) is list:
            items = list(value) if isinstance(value, (list, tuple)) else [value]
            converted = [self._leaf(item, param, ctx) for item in items]
            if _MISS not in converted:
                return converted
        else:
            converted = self._leaf(value, param, ctx)
            if converted is not _MISS:
                return converted
        return typer_value(self, value, param, ctx)

    def _leaf(self, value: Any, param: Any, ctx: Any) -> Any:
        leaf, kind = self.leaf, type(value)
        if leaf is str or leaf is bool:
            return value if kind is leaf else _MISS
        if leaf is int:
            if kind is str and value.isascii() and value.isdigit() and len(value) < 19:
                value, kind = int(value), int
            if kind is not int:
                return _MISS
            info = self.parameter_info
            if ((info.min is not None and value < info.min)
                    or (info.max is not None and value > info.max)):
                return _MISS
            return value
        if kind is str:
            value = Path(value)
        elif not isinstance(value, Path):
            return _MISS
        try:
            return coerce_cli_path(value, self.parameter_info, path_type=Path, param=param,
                                   ctx=ctx)
        except Exception:
            return _MISS


def typer_value(plain: PlainValue, value: Any, param: Any, ctx: Any) -> Any:
    """What Typer itself makes of a value (with pydantic): the same result or the same error."""
    descriptor = resolve_type_descriptor(plain.annotation, plain.parameter_info)
    return build_runtime_param(descriptor)._coerce_value(value, param=param, ctx=ctx)


def use_plain_values(params: Any) -> None:
    """Give each of these Typer parameters the conversion without pydantic, where it applies
    (Typer builds its own when first needed, in `get_runtime_param`)."""
    if RuntimeParam is None:
        return
    for param in params:
        if getattr(param, "_runtime_param", _MISS) is None:
            plain = plain_value(param)
            if plain is not None:
                param._runtime_param = plain
