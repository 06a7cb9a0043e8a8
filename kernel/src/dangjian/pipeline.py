"""The batch pipeline: decode, score and encode records, in one process or several.

Records travel as `(row, raw)` pairs where `raw` is a JSONL line (bytes), an Evaluation or a
Reject. Workers decode, score and encode whole chunks and hand back encoded rows in input
order, so `--workers 2` stores exactly the bytes `--workers 1` does. Memory stays bounded:
only a few chunks are in flight at a time, whatever the size of the input.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import msgspec

from .engine import Plan
from .models import Organization, Reject, Result
from .records import decode_evaluation

_encode = msgspec.json.Encoder(decimal_format="number").encode
_EMPTY_LINES = b'"lines":[]'


class Encoded(NamedTuple):
    """A scored result, already encoded: what storage and output files need, nothing more."""

    org_id: str
    org_name: str
    org_type: str
    total: float
    grade: str
    payload: bytes
    lines: bytes

    def json(self) -> bytes:
        """The whole result as `encode_result` gives it, without encoding it again."""
        return join_result(self.payload, self.lines)


def split_result(result: Result) -> Encoded:
    """Encode a result as (payload without lines, lines) for compact storage."""
    payload = _encode(msgspec.structs.replace(result, lines=[]))
    return Encoded(result.org_id, result.org_name, result.org_type, float(result.total),
                   result.grade, payload, _encode(result.lines))


def join_result(payload: bytes, lines: bytes) -> bytes:
    # The first `"lines":[]` is the field itself: inside strings a quote is always escaped.
    return payload.replace(_EMPTY_LINES, b'"lines":' + lines, 1)


def _score_chunk(plan: Plan, chunk: list[tuple[int, Any]], source: str | None,
                 registry: Mapping[str, Organization] | None) -> list[Encoded | Reject]:
    records = ((row, decode_evaluation(raw, row=row, source=source) if isinstance(raw, bytes)
                else raw) for row, raw in chunk)
    out: list[Encoded | Reject] = []
    for item in plan.score_many(records, registry):
        if isinstance(item, Reject):
            out.append(item if item.source or source is None
                       else msgspec.structs.replace(item, source=source))
        else:
            out.append(split_result(item))
    return out


# -- worker processes -------------------------------------------------------------------------
_worker_plan: Plan | None = None
_worker_registry: Mapping[str, Organization] | None = None


def _init_worker(scheme_id: str, selected: str | None, registry) -> None:
    global _worker_plan, _worker_registry
    from .plugins import load_catalog

    if selected is not None:
        os.environ["DANGJIAN_PLUGINS"] = selected
    _worker_plan = load_catalog().plan(scheme_id)
    _worker_registry = registry


def _work(args: tuple[list, str | None]) -> list[Encoded | Reject]:
    chunk, source = args
    assert _worker_plan is not None
    return _score_chunk(_worker_plan, chunk, source, _worker_registry)


def _chunks(records: Iterable[tuple[int, Any]], size: int) -> Iterator[list]:
    chunk: list = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_records(
    plan: Plan,
    records: Iterable[tuple[int, Any]],
    *,
    workers: int = 1,
    source: str | None = None,
    registry: Mapping[str, Organization] | None = None,
    chunk_size: int = 2000,
    plugin_selection: str | None = None,
) -> Iterator[Encoded | Reject]:
    """Score `(row, raw)` records in input order; every record yields an Encoded or a Reject.

    With `workers > 1` the plan is rebuilt in each worker process from the installed plugins
    (the same catalogue the parent sees), so only installed schemes can run in parallel.
    """
    if workers <= 1:
        for chunk in _chunks(records, chunk_size):
            yield from _score_chunk(plan, chunk, source, registry)
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    selection = plugin_selection if plugin_selection is not None else os.environ.get(
        "DANGJIAN_PLUGINS")
    with context.Pool(workers, initializer=_init_worker,
                      initargs=(plan.scheme.id, selection, registry)) as pool:
        pending: deque = deque()
        for chunk in _chunks(records, chunk_size):
            pending.append(pool.apply_async(_work, ((chunk, source),)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
