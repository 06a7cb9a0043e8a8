"""JSON with decimals as numbers, as `dangjian.storage.encode_result` writes them.

A response is rendered with the same msgspec options as the kernel's encoding, so a Result
from the API is byte for byte the CLI's; the OpenAPI schema says `number` to match.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
from litestar import Response
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.plugins import OpenAPISchemaPluginProtocol
from litestar.response.base import MEDIA_TYPE_APPLICATION_JSON_PATTERN
from litestar.serialization import default_serializer

_encoder = msgspec.json.Encoder(decimal_format="number", enc_hook=default_serializer)


class NumberJSONResponse(Response):
    """A Litestar response whose JSON bodies carry decimals as numbers."""

    def render(self, content: Any, media_type: str, enc_hook=default_serializer) -> bytes:
        if (not isinstance(content, (bytes, str))
                and MEDIA_TYPE_APPLICATION_JSON_PATTERN.match(media_type)):
            return _encoder.encode(content)
        return super().render(content, media_type, enc_hook)


class DecimalAsNumber(OpenAPISchemaPluginProtocol):
    """Documents `Decimal` fields as JSON numbers, as they are sent."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is Decimal

    def to_openapi_schema(self, field_definition, schema_creator) -> Schema:
        return Schema(type=OpenAPIType.NUMBER)
