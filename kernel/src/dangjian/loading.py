"""Reading scheme files: TOML or JSON, decoded strictly, errors naming file, key and problem."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from .errors import SchemeError
from .scheme import Scheme

SCHEME_FILE = "scheme-file"
"""The plugin name under which a scheme read from a file (not from an installed plugin) is
registered and reported: one name wherever a file is loaded."""


@dataclass(frozen=True)
class LoadedScheme:
    """A registered scheme with where it came from and its content hash."""

    scheme: Scheme
    plugin: str
    path: str | None
    hash: str


_AT = re.compile(r" - at `\$(.*)`$")


def _key_path(message: str) -> tuple[str, str | None]:
    match = _AT.search(message)
    if not match:
        return message, None
    return message[: match.start()], match.group(1).lstrip(".") or None


def _translate(message: str) -> str:
    """msgspec's English validation message, in the words a scheme author reads."""
    replacements = [
        (r"^Object missing required field `(.+)`$", r"缺少必填键 \1"),
        (r"^Object contains unknown field `(.+)`$", r"未知的键 \1"),
        (r"^Expected `(.+)`, got `(.+)`$", r"类型应为 \1，实为 \2"),
        (r"^Invalid enum value (.+)$", r"取值 \1 不在允许范围内"),
    ]
    for pattern, repl in replacements:
        if re.match(pattern, message):
            return re.sub(pattern, repl, message)
    return message


def decode_scheme(data: bytes, *, file: str, fmt: str = "toml", plugin: str | None = None) -> Scheme:
    """Decode scheme bytes; a `SchemeError` names the file, the key path and the problem."""
    try:
        if fmt == "json":
            return msgspec.json.decode(data, type=Scheme, strict=True)
        return msgspec.toml.decode(data, type=Scheme, strict=True)
    except msgspec.ValidationError as exc:
        message, path = _key_path(str(exc))
        raise SchemeError(_translate(message), file=file, field=path, plugin=plugin) from None
    except msgspec.DecodeError as exc:
        raise SchemeError(f"无法解析 {fmt.upper()}：{exc}", file=file, plugin=plugin) from None


def load_scheme(path: str | Path | Any, *, plugin: str | None = None) -> Scheme:
    """Load a scheme from a `.toml` or `.json` file (a path or an importlib resource)."""
    name = getattr(path, "name", str(path))
    suffix = name.rsplit(".", 1)[-1].lower()
    if suffix not in ("toml", "json"):
        raise SchemeError("方案文件应为 .toml 或 .json", file=str(path), plugin=plugin)
    try:
        data = path.read_bytes() if hasattr(path, "read_bytes") else Path(path).read_bytes()
    except OSError as exc:
        raise SchemeError(f"无法读取方案文件：{exc.strerror or exc}", file=str(path),
                          plugin=plugin) from None
    return decode_scheme(data, file=str(path), fmt=suffix, plugin=plugin)


def scheme_hash(scheme: Scheme) -> str:
    """A content hash of the decoded scheme: equal rules give equal hashes whatever the file."""
    canonical = msgspec.json.encode(scheme, order="sorted")
    return hashlib.sha256(canonical).hexdigest()[:16]


def scheme_json_schema() -> dict:
    """The JSON Schema of the scheme file format, generated from the models."""
    return msgspec.json.schema(Scheme)
