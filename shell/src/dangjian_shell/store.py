"""Opening the run database for reading: a missing file is an error, not a new empty database."""

from __future__ import annotations

from pathlib import Path

from dangjian.errors import NotFound


def open_store(db: Path, catalog=None):
    """The run database at `db`; `catalog` (if already loaded) renders explanations on demand."""
    from dangjian.store.storage import Store

    if not db.is_file():
        raise NotFound(f"评分数据库 {db} 不存在（先用 dangjian score 评分，或用 --db 指定数据库）")
    return Store(db, catalog=catalog)
