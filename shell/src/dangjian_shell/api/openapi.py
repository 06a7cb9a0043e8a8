"""What the OpenAPI document must say that Litestar does not infer from the Structs.

Decimals are sent as JSON numbers (see `encoding`), and Structs that forbid unknown fields
(every request body) are documented with `additionalProperties: false`, so the schema refuses
exactly what the server refuses.
"""

from __future__ import annotations

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
