"""The server's settings, from arguments or the environment (what each worker process reads).

`dangjian serve` writes the database path into the environment before uvicorn starts its
workers, so every worker builds the same app from `app_from_env`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from dangjian.errors import DangjianError

from .keys import KeyRing, keys_from_env

DB_ENV = "DANGJIAN_DB"
MAX_BODY_ENV = "DANGJIAN_API_MAX_BODY"
CORS_ENV = "DANGJIAN_API_CORS_ORIGINS"
DEFAULT_DB = "dangjian.db"
DEFAULT_MAX_BODY = 10 * 1024 * 1024
"""Request bodies above this many bytes (10 MiB) are refused with 413."""
OPEN_BATCH_ENV = "DANGJIAN_API_OPEN_BATCH"
DEFAULT_OPEN_BATCH = 1000
"""Evaluations in one batch scored without an API key (a key lifts the limit)."""
DEFAULT_OPEN_BATCH_BODY = 1024 * 1024
"""Bytes of a batch body scored without an API key."""


@dataclass(frozen=True)
class Settings:
    db_path: str = DEFAULT_DB
    keys: KeyRing = field(default_factory=KeyRing)
    max_body: int = DEFAULT_MAX_BODY
    cors_origins: tuple[str, ...] = ()
    open_batch: int = DEFAULT_OPEN_BATCH
    open_batch_body: int = DEFAULT_OPEN_BATCH_BODY


def _positive(text: str, variable: str, unit: str) -> int:
    try:
        value = int(text.strip().replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise DangjianError(f"环境变量 {variable} 应为正整数（{unit}），实为“{text}”")
    return value


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    """Settings from `DANGJIAN_DB`, `DANGJIAN_API_KEYS(_FILE)`, `DANGJIAN_API_MAX_BODY`,
    `DANGJIAN_API_CORS_ORIGINS` and `DANGJIAN_API_OPEN_BATCH`; a bad value is a
    `DangjianError` naming the variable."""
    env = os.environ if environ is None else environ
    max_body = env.get(MAX_BODY_ENV, "").strip()
    open_batch = env.get(OPEN_BATCH_ENV, "").strip()
    origins = tuple(o.strip() for o in env.get(CORS_ENV, "").split(",") if o.strip())
    return Settings(db_path=env.get(DB_ENV, "").strip() or DEFAULT_DB,
                    keys=keys_from_env(env),
                    max_body=_positive(max_body, MAX_BODY_ENV, "字节数") if max_body
                    else DEFAULT_MAX_BODY,
                    cors_origins=origins,
                    open_batch=_positive(open_batch, OPEN_BATCH_ENV, "组织个数") if open_batch
                    else DEFAULT_OPEN_BATCH)
