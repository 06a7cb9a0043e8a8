"""JSON with decimals as numbers, as `dangjian.store.storage.encode_result` writes them.

A response is rendered with the same msgspec options as the kernel's encoding, so a Result
from the API is byte for byte the CLI's; `openapi.DecimalAsNumber` documents them so.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response
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
