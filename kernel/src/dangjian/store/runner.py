"""The one run path: score a stream of records into a stored run.

`score_run` is what `dangjian score`, `dangjian demo` and the API's `POST …/runs` call. It
assesses every record (numbers only, in worker processes if asked), rejects a repeated
organization id naming its first row, stages the rows beside the database without locking it
(written in a thread of its own while the next chunk is scored), runs the scheme's batch
rules over the finished batch, and then stores the run in one short transaction and follows
the scheme's tracked flags, dated with the scheme's assessment date.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from dangjian.store.compact import Scored, Tally, Unpacker
from dangjian.scoring.engine import Plan
from dangjian.models import Finding, Organization, Reject
from dangjian.scoring.pipeline import score_chunks
from dangjian.store.storage import Prepared, RunMeta, RunStage, RunSummary, Store


@dataclass
class RunInput:
    """One input of a run: its `(row, raw)` records and the source they are named by."""

    records: Iterable[tuple[int, Any]]
    source: str | None = None


def run_meta(plan: Plan, *, input_digest: str = "", sources: list[str] | None = None,
             workers: int = 1, note: str = "") -> RunMeta:
    """What a stored run records about how it was made: the scheme itself (its canonical text,
    whose hash is the scheme hash), plugin versions, inputs and the assessment date."""
    ref = plan.ref
    return RunMeta(scheme_id=ref.id, scheme_version=ref.version, scheme_hash=ref.hash,
                   plugin_versions=ref.plugins, plugin=ref.plugin,
                   scheme_text=msgspec.json.encode(plan.scheme).decode(),
                   input_digest=input_digest, sources=sources or [], workers=workers,
                   note=note, as_of=plan.as_of.isoformat())


@dataclass
class RunOutcome:
    """What a finished run tells its caller besides the counts."""

    summary: RunSummary
    tracking: Any = None
    """The tracked flags' `TrackingUpdate`, when the scheme tracks flags and a run was stored."""


def score_run(
    plan: Plan,
    inputs: Iterable[RunInput],
    *,
    store: Store | None = None,
    meta: RunMeta | None = None,
    catalog: Any = None,
    registry: Mapping[str, Organization] | None = None,
    workers: int = 1,
    each_chunk: Callable[[list[Scored | Reject] | Tally], None] | None = None,
    finish_output: Callable[[], str | None] | None = None,
    out: bool = False,
    lines: bool = False,
    chunk_size: int = 2000,
    track_flags: bool = True,
) -> RunOutcome:
    """Score every record of every input; each ends up scored or rejected, counted, never lost.

    `each_chunk` sees every chunk of items in input order after repeated ids were rejected (to
    write output files, to show progress): a chunk scored in a worker process without a reject
    comes as a `Tally` of it (never when `out` asks for the results). `out`/`lines` ask the
    pipeline for each result's JSON, with explanation lines.
    `finish_output` is called once every record has passed and before the run is committed:
    it completes the output files (not yet under their names) and returns their digest, stored
    with the run. With a store, a run from the same scheme, inputs and note as a stored one is
    not stored again: that run's id is returned with `summary.existing` set. `track_flags`
    False leaves the tracked flags for the caller to update (`tracking.update_from_run`).
    """
    meta = meta or run_meta(plan, workers=workers)
    summary = RunSummary(run_id=None)
    stage = store.stage() if store is not None else RunStage(None)
    grades: Counter[str] = Counter()

    def staged(chunk: list[Scored | Reject] | Tally) -> None:
        if chunk.__class__ is Tally:
            summary.read += chunk.count
            grades.update(chunk.grades)
        else:
            summary.read += len(chunk)
            counted = [item.grade for item in chunk if item.__class__ is not Reject]
            summary.rejected += len(chunk) - len(counted)
            grades.update(counted)
        if each_chunk is not None:
            each_chunk(chunk)

    collecting = gc.isenabled()
    gc.disable()
    try:
        with _Writer(stage) as writer:
            for part, run_input in enumerate(inputs):
                for chunk, packed in score_chunks(plan, run_input.records, workers=workers,
                                                  source=run_input.source, registry=registry,
                                                  chunk_size=chunk_size, out=out, lines=lines,
                                                  pack=True):
                    writer.write(stage.prepare(chunk, run_input.source, part, packed), staged)
        summary.scored = summary.read - summary.rejected
        summary.grades.update(grades)
        if collecting:
            gc.enable()
        stage.finish()
        summary.findings = batch_findings(plan, stage, catalog)
        out_digest = finish_output() if finish_output is not None else None
        if store is None:
            return RunOutcome(summary)
        existing = store.find_run(meta)
        if existing is not None:
            summary.run_id, summary.existing = existing, True
            return RunOutcome(summary)
        summary.run_id = store.commit_run(meta, stage, summary, out_digest)
    finally:
        if collecting:
            gc.enable()
        stage.discard()
    return RunOutcome(summary, track(store, plan, summary.run_id) if track_flags else None)


class _Writer:
    """Writes prepared batches to the stage in a thread of its own, in input order, while this
    one scores the next. Writing is mostly SQLite and Zstandard, which leave the interpreter
    free, so on a machine with a core to spare it costs the scoring almost nothing. At most
    `AHEAD` batches wait to be written; `done` sees each written batch, in order, in this
    thread. The interpreter's switch interval is shortened meanwhile (to 1 ms from 5 ms): the
    writer takes the interpreter back a few times a batch, and each time waits at most that
    long for the scoring to let go of it."""

    AHEAD = 4
    SWITCH_INTERVAL = 0.001
    _lock = threading.Lock()
    _running = 0  # writers at work in this process (the API runs several at once)
    _interval = 0.0  # the switch interval before the first of them

    def __init__(self, stage: RunStage) -> None:
        self._stage = stage
        self._pending: deque = deque()
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="dangjian-stage")

    def __enter__(self) -> _Writer:
        with _Writer._lock:
            if _Writer._running == 0:
                _Writer._interval = sys.getswitchinterval()
                sys.setswitchinterval(min(_Writer._interval, self.SWITCH_INTERVAL))
            _Writer._running += 1
        return self

    def write(self, batch: Prepared, done: Callable[[list], None]) -> None:
        pending = self._pending
        pending.append((self._thread.submit(self._stage.write, batch), done))
        while pending and (len(pending) > self.AHEAD or pending[0][0].done()):
            future, then = pending.popleft()
            then(future.result())

    def __exit__(self, kind, *_exc) -> None:
        try:
            if kind is None:
                while self._pending:
                    future, then = self._pending.popleft()
                    then(future.result())
        finally:
            # A batch being written is finished before the stage can be discarded.
            self._thread.shutdown(wait=True, cancel_futures=True)
            with _Writer._lock:
                _Writer._running -= 1
                if _Writer._running == 0:
                    sys.setswitchinterval(_Writer._interval)


def batch_findings(plan: Plan, stage: RunStage, catalog: Any = None) -> list[Finding]:
    """Run the scheme's `[[batch_rules]]` over the finished batch."""
    specs = plan.scheme.batch_rules
    if not specs:
        return []
    if catalog is None:
        from dangjian.catalogue.plugins import load_catalog

        catalog = load_catalog()
    findings: list[Finding] = []
    unpacker = Unpacker(plan.scheme, plan.ref)
    for spec in specs:
        rule = catalog.batch_rules[spec.method]
        findings.extend(rule.run(stage.results(unpacker), spec))
    return findings


def track(store: Store, plan: Plan, run_id: int):
    """Follow the flags the scheme tracks (`extra.tracked_flags`) with the run just stored,
    dated with the scheme's assessment date."""
    from dangjian.store import tracking

    if "tracked_flags" not in plan.scheme.extra:
        return None
    return tracking.update_from_run(store, run_id, on=plan.as_of,
                                    flags=tracking.tracked_flags_of(plan.scheme))


def score_batch(plan: Plan, records: Iterable[tuple[int, Any]], *, store: Store | None = None,
                meta: RunMeta | None = None, registry: Mapping[str, Organization] | None = None,
                workers: int = 1, source: str | None = None,
                track_flags: bool = True) -> RunSummary:
    """`score_run` over one stream of records: for callers that need only the counts."""
    return score_run(plan, [RunInput(records, source)], store=store, meta=meta,
                     registry=registry, workers=workers, track_flags=track_flags).summary
