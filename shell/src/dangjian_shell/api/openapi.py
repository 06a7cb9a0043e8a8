"""What the OpenAPI document must say that Litestar does not infer from the Structs.

Decimals are sent as JSON numbers (see `encoding`), and Structs that forbid unknown fields
(every request body) are documented with `additionalProperties: false`, so the schema refuses
exactly what the server refuses. Bounds of integers are written as integers (Litestar writes
`le=2**63 - 1` as the float 9.223372036854776e+18, which is 2**63 and no integer can reach).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import msgspec
from dangjian import models, scheme
from litestar.openapi.spec import OpenAPI, OpenAPIType, Schema
from litestar.plugins import OpenAPISchemaPluginProtocol

from . import wire


class DecimalAsNumber(OpenAPISchemaPluginProtocol):
    """Documents `Decimal` fields as JSON numbers, as they are sent."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is Decimal

    def to_openapi_schema(self, field_definition, schema_creator) -> Schema:
        return Schema(type=OpenAPIType.NUMBER)


def _strict_structs() -> dict[str, type]:
    found: dict[str, type] = {}
    for module in (models, scheme, wire):
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, msgspec.Struct)
                    and value.__struct_config__.forbid_unknown_fields):
                found[value.__name__] = value
    return found


def close_strict_objects(document: OpenAPI) -> None:
    """Mark the component schemas of strict Structs `additionalProperties: false`."""
    strict = _strict_structs()
    schemas = document.components.schemas if document.components else None
    for name, component in (schemas or {}).items():
        if name in strict and isinstance(component, Schema):
            component.additional_properties = False


INT64_MAX = 2**63 - 1
_BOUNDS = ("maximum", "minimum", "exclusive_maximum", "exclusive_minimum")


def _is_integer(schema: Schema) -> bool:
    kinds = schema.type if isinstance(schema.type, list | tuple) else [schema.type]
    return OpenAPIType.INTEGER in kinds


def _integer(value: float) -> int:
    return INT64_MAX if value >= float(INT64_MAX) else -INT64_MAX - 1 \
        if value <= -float(INT64_MAX) else int(value)


def integer_bounds(document: OpenAPI) -> None:
    """Write every bound of an integer schema as an integer, in parameters and components."""
    seen: set[int] = set()
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Schema) and _is_integer(node):
            for name in _BOUNDS:
                value = getattr(node, name)
                if isinstance(value, float) and value.is_integer():
                    setattr(node, name, _integer(value))
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node))
