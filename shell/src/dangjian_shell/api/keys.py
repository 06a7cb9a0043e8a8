"""API keys: who may read stored results and who may create runs.

Keys come from `DANGJIAN_API_KEYS` (comma-separated) and/or the file named by
`DANGJIAN_API_KEYS_FILE` (one per line, `#` comments). Each entry is `KEY:read`, `KEY:write`
or a bare `KEY` (write). Only SHA-256 digests are kept, compared with `hmac.compare_digest`
against every key, so neither a key nor its length shows in memory dumps, logs or timings.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Literal

from dangjian.errors import DangjianError

KEYS_ENV = "DANGJIAN_API_KEYS"
KEYS_FILE_ENV = "DANGJIAN_API_KEYS_FILE"
Access = Literal["read", "write"]
ACCESS_LEVELS: tuple[Access, ...] = ("read", "write")


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


class KeyRing:
    """The configured keys as (digest, access) pairs; `access(presented)` says what a key may do."""

    def __init__(self, entries: list[tuple[bytes, Access]] | None = None) -> None:
        self._entries = list(entries or [])

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"KeyRing({len(self._entries)} keys)"

    @classmethod
    def parse(cls, text: str, *, source: str, separators: str = ",\n") -> KeyRing:
        """Entries from text; a bad entry names its source and position, never the key itself."""
        entries: list[tuple[bytes, Access]] = []
        pieces = [text]
        for sep in separators:
            pieces = [part for piece in pieces for part in piece.split(sep)]
        for number, raw in enumerate(pieces, 1):
            entry = raw.strip()
            if not entry or entry.startswith("#"):
                continue
            key, access = entry, "write"
            head, colon, tail = entry.rpartition(":")
            if colon and tail.strip().lower() in ACCESS_LEVELS:
                key, access = head.strip(), tail.strip().lower()
            elif colon and not tail.strip():
                raise DangjianError(f"{source} 第 {number} 项在冒号后缺少权限（read 或 write）")
            if not key:
                raise DangjianError(f"{source} 第 {number} 项缺少密钥，只有权限“{access}”")
            if any(ch.isspace() for ch in key):
                raise DangjianError(f"{source} 第 {number} 项的密钥含有空白字符")
            entries.append((_digest(key), access))  # type: ignore[arg-type]
        return cls(entries)

    def merged(self, other: KeyRing) -> KeyRing:
        return KeyRing([*self._entries, *other._entries])

    def access(self, presented: str) -> Access | None:
        """The access a presented key grants (`write` includes reading), or None if unknown.

        Every configured key is compared, whatever matched first, in constant time each.
        """
        candidate = _digest(presented)
        granted: Access | None = None
        for digest, access in self._entries:
            if hmac.compare_digest(digest, candidate) and granted != "write":
                granted = access
        return granted


def keys_from_env(environ: dict[str, str] | None = None) -> KeyRing:
    """The keys configured in the environment (both sources together)."""
    env = os.environ if environ is None else environ
    ring = KeyRing.parse(env.get(KEYS_ENV, ""), source=f"环境变量 {KEYS_ENV}", separators=",")
    path = env.get(KEYS_FILE_ENV, "").strip()
    if path:
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise DangjianError(f"API 密钥文件 {file} 不存在（环境变量 {KEYS_FILE_ENV}）") from None
        except UnicodeDecodeError:
            raise DangjianError(f"API 密钥文件 {file} 不是 UTF-8 文本") from None
        except OSError as exc:
            raise DangjianError(f"无法读取 API 密钥文件 {file}：{exc.strerror or exc}") from None
        ring = ring.merged(KeyRing.parse(text, source=f"API 密钥文件 {file}", separators="\n"))
    return ring
