"""The run database, shared with the CLI: one connection per request, closed when it ends.

`Store` sets WAL mode and a busy timeout; a run is staged beside the database and committed in
one short transaction, so several processes can read and write the same file. A database
another program keeps locked is a 503 with Retry-After, not an internal error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dangjian.store.storage import DatabaseBusy, Store, is_busy

from .problems import ApiError

BUSY_TIMEOUT_MS = 10_000
RETRY_AFTER_SECONDS = 5


def open_store(path: str, catalog: Any = None) -> Store:
    """Open (and on first use create and migrate) the database at `path`."""
    try:
        return Store(path, catalog=catalog, busy_timeout_ms=BUSY_TIMEOUT_MS)
    except sqlite3.IntegrityError:
        # Another worker applied the same migration at the same moment; it is there now.
        return Store(path, catalog=catalog, busy_timeout_ms=BUSY_TIMEOUT_MS)


def busy_problem() -> ApiError:
    return ApiError(503, f"评分数据库正被另一个程序写入，{BUSY_TIMEOUT_MS // 1000} 秒内未能取得写锁；"
                    f"请 {RETRY_AFTER_SECONDS} 秒后重试", kind="busy",
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@contextmanager
def store_at(path: str, catalog: Any = None) -> Iterator[Store]:
    try:
        store = open_store(path, catalog)
    except DatabaseBusy:
        raise busy_problem() from None
    try:
        yield store
    except DatabaseBusy:
        raise busy_problem() from None
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise busy_problem() from None
        raise
    finally:
        store.close()
