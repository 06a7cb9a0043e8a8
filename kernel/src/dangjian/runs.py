"""A batch run: score a stream of records with a plan, store it, hand each item to a sink."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .engine import Plan
from .models import Evaluation, Organization, Reject, Result
from .storage import RunMeta, RunSummary, Store, tally


def run_meta(plan: Plan, *, input_digest: str = "", sources: list[str] | None = None,
             workers: int = 1, note: str = "") -> RunMeta:
    ref = plan.ref
    return RunMeta(scheme_id=ref.id, scheme_version=ref.version, scheme_hash=ref.hash,
                   plugin_versions=ref.plugins, input_digest=input_digest,
                   sources=sources or [], workers=workers, note=note)


def score_batch(
    plan: Plan,
    records: Iterable[tuple[int, Evaluation | Reject]],
    *,
    store: Store | None = None,
    meta: RunMeta | None = None,
    registry: Mapping[str, Organization] | None = None,
    sink: Callable[[Result | Reject], None] | None = None,
) -> RunSummary:
    """Score every record; each ends up a Result or a Reject (counted, never lost).

    With a store the run is written in one transaction; `sink` sees every item as it passes
    (to write an output file or move a progress bar).
    """
    items = plan.score_many(records, registry)
    if sink is not None:
        items = _tee(items, sink)
    if store is not None:
        return store.write_run(meta or run_meta(plan), items)
    summary = RunSummary(run_id=None)
    for _ in tally(items, summary):
        pass
    return summary


def _tee(items, sink):
    for item in items:
        sink(item)
        yield item
