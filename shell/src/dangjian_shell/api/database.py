"""The run database, shared with the CLI: one connection per request, closed when it ends.

`Store` sets WAL mode and a busy timeout, and writes a run in one short transaction, so
several worker processes can read and write the same file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from dangjian.storage import Store


def open_store(path: str) -> Store:
    """Open (and on first use create and migrate) the database at `path`."""
    try:
        return Store(path)
    except sqlite3.IntegrityError:
        # Another worker applied the same migration at the same moment; it is there now.
        return Store(path)


@contextmanager
def store_at(path: str) -> Iterator[Store]:
    store = open_store(path)
    try:
        yield store
    finally:
        store.close()
