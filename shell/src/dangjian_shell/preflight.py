"""Checks before any work: every place a run will write to can be written.

A missing or read-only directory found after an hour of scoring loses the hour; found first,
it costs one line of error.
"""

from __future__ import annotations

import os
from pathlib import Path

from dangjian.errors import InputFileError


def check_writable(path: Path | str, what: str) -> None:
    """Refuse `path` (a file to create or replace) unless its directory exists and is writable.

    The directory must be writable even when the file exists: SQLite keeps its WAL and
    journal beside the database, and output files are replaced through a file beside them.
    """
    if str(path) == "-":
        return
    path = Path(path)
    parent = path.parent
    if path.is_dir():
        raise InputFileError(f"{what}应为文件，这里是一个目录", file=str(path))
    if not parent.exists():
        raise InputFileError(f"{what}所在的目录 {parent} 不存在", file=str(path))
    if not parent.is_dir():
        raise InputFileError(f"{what}所在的路径 {parent} 不是目录", file=str(path))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputFileError(f"{what}所在的目录 {parent} 只读，无法写入", file=str(path))
    if path.exists() and not os.access(path, os.W_OK):
        raise InputFileError(f"{what}是只读文件，无法写入", file=str(path))
