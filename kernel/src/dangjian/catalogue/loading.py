"""Reading scheme files: TOML or JSON, decoded strictly, errors naming file, key and problem."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from dangjian.catalogue import cache
from dangjian.errors import SchemeError
from dangjian.scheme import Scheme

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


MAX_NESTING = 64
"""Tables and arrays inside one another: a real scheme needs about ten (criteria four deep)."""
MAX_DIGITS = 100
_DEEP_RUN = re.compile(r"[\[{](?:\s*[\[{]){" + str(MAX_NESTING) + ",}")
_LONG_NUMBER = re.compile(r"[=:\[,]\s*[+-]?\d{" + str(MAX_DIGITS + 1) + ",}")
_KEY = re.compile(r'"?([\w.-]+)"?\s*[=:]')


def _line_key(text: str, position: int) -> tuple[int, str | None]:
    """The line of a position in a scheme file, and the last key written before it on that line."""
    line = text.count("\n", 0, position) + 1
    start = text.rfind("\n", 0, position) + 1
    keys = _KEY.findall(text, start, position + 1)
    return line, keys[-1] if keys else None


def _unreadable(text: str) -> tuple[str, str | None] | None:
    """What the decoder would choke on (nesting thousands deep, a number of thousands of
    digits), found in the text so the message can say the line and the key."""
    for pattern, problem in ((_DEEP_RUN, f"数组或表嵌套超过 {MAX_NESTING} 层"),
                             (_LONG_NUMBER, f"数字超过 {MAX_DIGITS} 位")):
        match = pattern.search(text)
        if match:
            line, key = _line_key(text, match.start())
            return f"第 {line} 行：{problem}，无法作为方案读取", key
    return None


def _deepest(tree: Any) -> str | None:
    """The path of the first value nested deeper than `MAX_NESTING` (walked without recursion)."""
    stack: list[tuple[Any, list[str]]] = [(tree, [])]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_NESTING:
            shown = "".join(path[:8]).lstrip(".")
            return f"{shown}…（第 {len(path)} 层）"
        if isinstance(node, dict):
            stack.extend((v, [*path, f".{k}"]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, [*path, f"[{i}]"]) for i, v in enumerate(node))
    return None


def decode_scheme(data: bytes, *, file: str, fmt: str = "toml", plugin: str | None = None) -> Scheme:
    """Decode scheme bytes; a `SchemeError` names the file, the key path and the problem.

    Nesting and number sizes are bounded before the typed decode, so a hostile file is a
    Chinese message naming where, never a recursion or conversion error. TOML that decoded
    before is taken as it was kept (`cache`)."""
    if fmt != "toml":
        return _decode_scheme(data, file=file, fmt=fmt, plugin=plugin)
    data = bytes(data) if not isinstance(data, str) else data.encode()
    scheme = cache.cached(data)
    if scheme is None:
        scheme = _decode_scheme(data, file=file, fmt=fmt, plugin=plugin)
        cache.keep(data, scheme)
    return scheme


def _decode_scheme(data: bytes, *, file: str, fmt: str, plugin: str | None) -> Scheme:
    text = data.decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else data
    found = _unreadable(text)
    if found is not None:
        raise SchemeError(found[0], file=file, field=found[1], plugin=plugin)
    try:
        tree = msgspec.json.decode(data) if fmt == "json" else msgspec.toml.decode(data)
        deep = _deepest(tree)
        if deep is not None:
            raise SchemeError(f"嵌套超过 {MAX_NESTING} 层，无法作为方案读取", file=file,
                              field=deep, plugin=plugin)
        if fmt == "json":
            return msgspec.json.decode(data, type=Scheme, strict=True)
        return msgspec.convert(tree, Scheme, strict=True, str_keys=True,
                               builtin_types=(datetime.datetime, datetime.date, datetime.time))
    except msgspec.ValidationError as exc:
        message, path = _key_path(str(exc))
        raise SchemeError(_translate(message), file=file, field=path, plugin=plugin) from None
    except msgspec.DecodeError as exc:
        raise SchemeError(f"无法解析 {fmt.upper()}：{exc}", file=file, plugin=plugin) from None
    except (RecursionError, ValueError, OverflowError) as exc:
        raise SchemeError(f"无法解析 {fmt.upper()}：嵌套过深或数字过大（{type(exc).__name__}）",
                          file=file, plugin=plugin) from None


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
