"""The batch pipeline: decode and assess records, in one process or several.

Records travel as `(row, raw)` pairs where `raw` is a JSONL line (bytes), an Evaluation or a
Reject, in chunks (a file reader may make them itself: `chunks`, `Lines`). Workers decode and
assess whole chunks (numbers only: no explanation is rendered) and hand back compact rows
(`compact.Scored`) in input order. For a run being stored, a worker also packs its chunk as
stored (`chunks.ChunkPacker`) and hands back only what this process needs besides: a
`compact.Tally` (count, grades, ids) when every record was scored, else each row's row,
organization id, type, grade and total. So `--workers 2` stores exactly the bytes `--workers 1`
does while this process, which reads and stores every chunk, does less per row.
Memory stays bounded: only a few chunks are in flight at a time.
"""

from __future__ import annotations

import gc
import mmap
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice, repeat
from typing import Any

import msgspec

from dangjian.store.chunks import ChunkPacker, Packed
from dangjian.store.compact import Scored, Tally, encode_result, pack_head, pack_profile
from dangjian.scoring.engine import Plan
from dangjian.errors import DangjianError
from dangjian.models import Evaluation, Organization, Reject

try:
    import fcntl
except ImportError:  # not on every platform
    fcntl = None  # type: ignore[assignment]

_encode = msgspec.json.Encoder(decimal_format="number").encode
_PIPE_BYTES = 1 << 20  # Linux's default pipe-max-size
_new = tuple.__new__
_LINE_ENDS = repeat(b"\n")
_LIGHT = (None,) * 5
"""What a row handed back with its chunk packed lacks: profile, head, input, organization,
output."""


def _failure(plan: Plan, row: int, evaluation: Evaluation, exc: BaseException) -> Reject:
    return Reject(row=row, field=None, org_id=evaluation.org_id,
                  reason=f"评分方法出错（插件 {plan.loaded.plugin}）：{type(exc).__name__}: {exc}")


def assess_chunk(plan: Plan, chunk: list[tuple[int, Any]], source: str | None,
                 registry: Mapping[str, Organization] | None, *, out: bool = False,
                 lines: bool = False) -> list[Scored | Reject]:
    """Decode and assess a chunk; each record becomes a `Scored` row or a `Reject`.

    `out` adds the result's JSON (for an output file), with explanation lines if `lines`.
    """
    # The compiled lane takes each well-formed line straight to its row (not when an output
    # file wants the result itself, nor when organizations come from a registry); whatever
    # it leaves (None) takes the general path.
    lane = plan.lane if not out and registry is None else None
    if lane is not None:
        items: list = [lane(row, raw.rstrip(b"\r\n")) if raw.__class__ is bytes else None
                       for row, raw in chunk]
        if None not in items:
            return items  # the lane raises nothing: no exception cycles to sweep
        for at, item in enumerate(items):
            if item is None:
                items[at] = _assess_one(plan, *chunk[at], source, registry, plan.assess, False)
    else:
        assess = plan.score if lines else plan.assess
        items = [_assess_one(plan, row, raw, source, registry, assess, out)
                 for row, raw in chunk]
    if not gc.isenabled():
        # Bulk runs pause the collector; a rejected row leaves an exception cycle behind, so
        # the youngest generation is swept once a chunk (never a full collection).
        gc.collect(0)
    return items


def _assess_one(plan: Plan, row: int, raw: Any, source: str | None,
                registry: Mapping[str, Organization] | None, assess, out: bool
                ) -> Scored | Reject:
    """One record through the general path: `Plan.decode`, then `assess`."""
    if raw.__class__ is bytes:
        given = raw.rstrip(b"\r\n")
        evaluation = plan.decode(given, row=row, source=source)
    else:
        evaluation = raw
        given = None
    if isinstance(evaluation, Reject):
        return (evaluation if evaluation.source or source is None
                else msgspec.structs.replace(evaluation, source=source))
    try:
        result = assess(evaluation, registry)
    except DangjianError as exc:
        return Reject(row=row, reason=exc.message, field=exc.field, org_id=evaluation.org_id,
                      source=source)
    except (Exception, SystemExit) as exc:  # a plugin failing for this organization only
        return msgspec.structs.replace(_failure(plan, row, evaluation, exc), source=source)
    org = None
    if evaluation.org is None and registry is not None and evaluation.org_id in registry:
        org = _encode(registry[evaluation.org_id])
    return Scored(
        row, result.org_id, result.org_type, result.grade, str(result.total),
        pack_profile(result),
        pack_head(result, evaluation.org.name if evaluation.org is not None else None),
        given if given is not None else _encode(evaluation), org,
        encode_result(result) if out else None)


# -- worker processes -------------------------------------------------------------------------
_worker_plan: Plan | None = None
_worker_registry: Mapping[str, Organization] | None = None
_worker_error: str | None = None
_worker_packer: ChunkPacker | None = None
_worker_claims: Any = None
_NEVER = 1 << 62
_forked: tuple[Plan, Mapping[str, Organization] | None] | None = None
"""The parent's plan and registry while it forks its workers: a forked worker starts with them
in memory instead of loading the catalogue again."""


class _WhileParentLives:
    """A worker's stderr that goes quiet once the parent is gone (killed): an orphaned worker
    exits without printing the broken pipe it meets."""

    def __init__(self, stream, parent: int) -> None:
        self._stream, self._parent = stream, parent

    def write(self, text: str) -> int:
        if os.getppid() != self._parent:
            return len(text)
        return self._stream.write(text)

    def flush(self) -> None:
        if os.getppid() == self._parent:
            self._stream.flush()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _init_worker(scheme_id: str, selected: str | None, registry, claims=None) -> None:
    global _worker_plan, _worker_registry, _worker_error, _worker_packer, _worker_claims
    # The parent decides about Ctrl-C; a worker whose parent is gone stops without a word.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    sys.stderr = _WhileParentLives(sys.stderr, parent)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    gc.disable()
    _worker_packer = ChunkPacker()
    _worker_claims = claims
    if _forked is not None and _forked[0].scheme.id == scheme_id:
        _worker_plan, _worker_registry = _forked
        return
    try:
        from dangjian.catalogue.plugins import load_catalog

        if selected is not None:
            os.environ["DANGJIAN_PLUGINS"] = selected
        _worker_plan = load_catalog().plan(scheme_id)
        _worker_registry = registry
    except BaseException as exc:  # noqa: BLE001 — reported by the first chunk, never a hang
        _worker_error = f"{type(exc).__name__}: {exc}"


class WorkerFailed(DangjianError):
    """A worker process could not build the scheme's plan."""


def _work(args: tuple[int, list, str | None, bool, bool, bool]
          ) -> tuple[list | Tally, Packed | None] | None:
    seq, chunk, source, out, lines, pack = args
    if chunk.__class__ is tuple:  # as shipped (`_shipped`)
        rows, joined = chunk
        chunk = list(zip(rows, joined.split(b"\n", len(rows) - 1)))
    if _worker_plan is None:
        raise WorkerFailed(f"评分进程无法载入方案：{_worker_error}")
    if _worker_claims is not None and not _worker_claims.begin(seq):
        return None  # taken back: the parent scores it (`_take_back`)
    items = assess_chunk(_worker_plan, chunk, source, _worker_registry, out=out, lines=lines)
    # Plain tuples cross the pipe several times faster than named ones.
    if pack:
        scored = [item for item in items if item.__class__ is not Reject]
        if scored and len(scored) == len(items):
            return Tally.of(scored), _worker_packer.pack(scored)
        return ([item if item.__class__ is Reject else item[:5] for item in items],
                _worker_packer.pack(scored) if scored else None)
    # The input as given goes back only where the line itself was not it (`_received`).
    return [item if item.__class__ is Reject
            else item[:7] + (None,) + item[8:] if raw.__class__ is bytes else tuple(item)
            for item, (_row, raw) in zip(items, chunk)], None


def _shipped(chunk: list[tuple[int, Any]]
             ) -> list[tuple[int, Any]] | tuple[list[int] | range, bytes]:
    """A chunk as it crosses to another process: when it is all lines, each with its one line
    end (as a JSONL file is read), its rows and the lines joined, which pickle as one copy
    instead of a few thousand objects; otherwise the chunk itself."""
    if chunk.__class__ is Lines:
        return range(chunk.first, chunk.first + len(chunk)), b"".join(chunk.lines)
    raws = [raw for _row, raw in chunk]
    try:
        joined = b"".join(raws)
        lines = joined.count(b"\n") == len(raws) and all(map(bytes.endswith, raws, _LINE_ENDS))
    except TypeError:  # evaluations, not lines
        return chunk
    return ([row for row, _raw in chunk], joined[:-1]) if lines else chunk


def _received(done: tuple[list | Tally, Packed | None], chunk: list[tuple[int, Any]]
              ) -> tuple[list[Scored | Reject] | Tally, Packed | None]:
    """A worker's chunk as it was scored: packed, as a tally or each row with only what was
    handed back; else each row whole, its input the line the worker was given."""
    items, packed = done
    if items.__class__ is Tally:
        return items, packed
    if packed is not None:
        return [item if item.__class__ is Reject else _new(Scored, item + _LIGHT)
                for item in items], packed
    return [item if item.__class__ is Reject
            else _new(Scored, item) if item[7] is not None
            else _new(Scored, (*item[:7], raw.rstrip(b"\r\n"), *item[8:]))
            for item, (_row, raw) in zip(items, chunk)], None


class Lines(list):
    """A chunk of consecutive lines of a JSONL file as read: its `(row, line)` pairs, which
    also keep the first row and the lines themselves (each with its line end, the file's last
    perhaps without), so it crosses to another process as one bytes object without the pairs
    being taken apart again."""

    __slots__ = ("first", "lines")

    def __init__(self, first: int, lines: list[bytes]) -> None:
        super().__init__(zip(range(first, first + len(lines)), lines))
        self.first, self.lines = first, lines


def chunks(records: Iterable[tuple[int, Any]], size: int) -> Iterator[list]:
    """`(row, raw)` records in chunks of `size`; records that know how to chunk themselves (a
    `chunks(size)` method, as a JSONL file's do, giving `Lines`) are asked to."""
    own = getattr(records, "chunks", None)
    if own is not None:
        yield from own(size)
        return
    records = iter(records)
    while chunk := list(islice(records, size)):
        yield chunk


def score_records(plan: Plan, records: Iterable[tuple[int, Any]], **options: Any
                  ) -> Iterator[Scored | Reject]:
    """Assess `(row, raw)` records in input order; every record yields a Scored or a Reject
    (`score_chunks`, one item at a time)."""
    for chunk, _packed in score_chunks(plan, records, **options):
        yield from chunk


def score_chunks(
    plan: Plan,
    records: Iterable[tuple[int, Any]],
    *,
    workers: int = 1,
    source: str | None = None,
    registry: Mapping[str, Organization] | None = None,
    chunk_size: int = 2000,
    plugin_selection: str | None = None,
    out: bool = False,
    lines: bool = False,
    pack: bool = False,
) -> Iterator[tuple[list[Scored | Reject] | Tally, Packed | None]]:
    """Assess `(row, raw)` records chunk by chunk, in input order; every record becomes a
    Scored or a Reject. Each chunk comes as `(items, packed)`: `packed` is None for a chunk
    scored in this process; with `pack` (and neither `out` nor `lines`) a chunk another process
    scored comes packed as stored, its items a `Tally` when all were scored, else holding only
    row, organization id, type, grade and total.

    With `workers > 1` this process is one of the workers: `workers - 1` processes score
    chunks beside it, and whenever they have enough in hand and nothing is ready to be stored,
    this process scores the next chunk itself. So the work balances itself over the processes,
    storing included. A forked worker starts with this process's plan in memory; where there is
    no fork, each rebuilds it from the installed plugins (the same catalogue the parent sees, so
    there only installed schemes can run in parallel).
    """
    if workers <= 1:
        for chunk in chunks(records, chunk_size):
            yield assess_chunk(plan, chunk, source, registry, out=out, lines=lines), None
        return
    import multiprocessing  # only here: one process needs none of it

    global _forked
    forking = hasattr(os, "fork")
    context = multiprocessing.get_context("fork" if forking else "spawn")
    selection = plugin_selection if plugin_selection is not None else os.environ.get(
        "DANGJIAN_PLUGINS")
    helpers = workers - 1
    in_flight = 5 * helpers  # chunks the others have yet to score, at most
    held = 3 * in_flight + 1  # chunks read and not yet handed on, at most
    claims = Claims(context.Lock()) if forking else None
    _forked = (plan, registry) if forking else None
    try:
        pool = context.Pool(helpers, initializer=_init_worker,
                            initargs=(plan.scheme.id, selection, registry, claims))
    finally:
        _forked = None
    task = (source, out, lines, pack and not out and not lines)

    def hand_out(seq: int, chunk: list):
        return pool.apply_async(_work, ((seq, _shipped(chunk), *task),))

    def hand_on(entry) -> tuple[list[Scored | Reject] | Tally, Packed | None]:
        return (entry, None) if entry.__class__ is list else _received(entry[1].get(), entry[0])

    with pool:
        _widen_pipes(pool)
        pending: deque = deque()  # in input order: a chunk's result, or (chunk, promise, seq)
        for seq, chunk in enumerate(chunks(records, chunk_size), 1):
            # Hand on, in order, what is done (the caller stores it).
            while pending and (pending[0].__class__ is list or pending[0][1].ready()):
                yield hand_on(pending.popleft())
            # The others are kept in work: what they have yet to score, not what is yet to be
            # stored, is what is counted.
            unscored = sum(1 for entry in pending
                           if entry.__class__ is not list and not entry[1].ready())
            if unscored < in_flight and len(pending) < held:
                pending.append((chunk, hand_out(seq, chunk), seq))
            elif len(pending) < held:
                # The others have enough to do and nothing is ready to store: score this
                # chunk here rather than wait.
                pending.append(assess_chunk(plan, chunk, source, registry, out=out,
                                            lines=lines))
            else:
                yield hand_on(pending.popleft())
                pending.append((chunk, hand_out(seq, chunk), seq))
        if claims is not None:
            _take_back(pending, claims, lambda chunk: assess_chunk(
                plan, chunk, source, registry, out=out, lines=lines))
        while pending:
            yield hand_on(pending.popleft())


class Claims:
    """Which chunks the other processes may still begin: the last chunk begun and the last one
    left to them, two numbers in memory a forked process shares (an anonymous mapping), read
    and written under one lock. (`multiprocessing.Array` would do, at the cost of importing
    ctypes: a tenth of the time a small batch takes.)"""

    def __init__(self, lock) -> None:
        self.lock = lock
        self._memory = mmap.mmap(-1, 16)
        self.values = memoryview(self._memory).cast("q")
        self.values[1] = _NEVER

    def begin(self, seq: int) -> bool:
        """Whether chunk `seq` is still the other process's to score (it has begun it)."""
        values = self.values
        with self.lock:
            if seq > values[1]:
                return False
            if seq > values[0]:
                values[0] = seq
            return True


def _take_back(pending: deque, claims: Claims, assess: Callable[[list], list]) -> None:
    """Once every chunk is handed out: of those the others have not begun, keep the first half
    with them and score the rest here. Otherwise, at the end, this process would wait for the
    others to work through their queue (up to five chunks each) with nothing of its own to do.
    A chunk is begun or taken back under the claims' lock, never both. (Only where workers are
    forked: elsewhere the others work through what they were given.)"""
    values = claims.values
    with claims.lock:
        begun = values[0]
        waiting = [at for at, entry in enumerate(pending)
                   if entry.__class__ is not list and entry[2] > begun]
        taken = waiting[len(waiting) // 2:]
        if not taken:
            return
        values[1] = pending[taken[0]][2] - 1
    for at in taken:
        pending[at] = assess(pending[at][0])


def _widen_pipes(pool) -> None:
    """Let a whole chunk (about 500 KB of lines out, the packed chunk back) sit in the pipes
    between this process and the others. Through a pipe of the default 64 KB a chunk crosses in
    pieces, each one waiting until the pool's threads here get the interpreter from the thread
    that scores and stores, and meanwhile the other processes wait. Linux only; elsewhere, or
    should the pool be built otherwise, the pipes stay as they are."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is None:
        return
    for queue, end in (("_inqueue", "_writer"), ("_outqueue", "_reader")):
        try:
            fcntl.fcntl(getattr(getattr(pool, queue), end).fileno(), set_size, _PIPE_BYTES)
        except (AttributeError, OSError, ValueError):
            continue
