"""`dangjian serve`: the HTTP API under uvicorn, each worker building the app from the factory.

Settings travel to the workers through the environment (`DANGJIAN_DB`, `DANGJIAN_API_KEYS`,
`DANGJIAN_API_KEYS_FILE`, `DANGJIAN_API_MAX_BODY`, `DANGJIAN_API_CORS_ORIGINS`); they are
checked here first, so a bad key file or database stops the command with one Chinese line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dangjian.errors import DangjianError

APP_FACTORY = "dangjian_shell.api.app:app_from_env"


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          db: str = "dangjian.db", log_level: str = "info") -> None:
    """Check the settings, create the database if needed, then run uvicorn until stopped."""
    import sqlite3

    import uvicorn

    from .api.database import open_store
    from .api.settings import DB_ENV, settings_from_env

    if workers < 1:
        raise DangjianError(f"--workers 应不小于 1，实为 {workers}")
    if not 0 <= port <= 65535:
        raise DangjianError(f"--port 应在 0—65535 之间，实为 {port}")
    path = Path(db).expanduser()
    if not path.parent.is_dir():
        raise DangjianError(f"数据库所在目录 {path.parent} 不存在", file=str(path))
    os.environ[DB_ENV] = str(path.resolve())
    settings = settings_from_env()
    try:
        open_store(settings.db_path).close()
    except sqlite3.DatabaseError as exc:
        raise DangjianError(f"无法打开评分数据库：{exc}（文件是否为 dangjian 的评分数据库？）",
                            file=str(path)) from None
    keys = f"API 密钥 {len(settings.keys)} 个" if len(settings.keys) else \
        "未配置 API 密钥（DANGJIAN_API_KEYS），评分批次接口将拒绝所有请求"
    print(f"dangjian HTTP API 启动于 http://{host}:{port}（接口文档 /docs）；数据库 {path}；{keys}",
          file=sys.stderr, flush=True)
    from .api.limits import HEADER_BUFFER

    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                log_level=log_level, server_header=False, proxy_headers=False,
                h11_max_incomplete_event_size=HEADER_BUFFER)
