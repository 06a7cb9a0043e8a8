"""A batch run in one call: score records through the pipeline and store them as one run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .engine import Plan
from .models import Organization
from .pipeline import score_records
from .storage import RunMeta, RunSummary, Store, tally


def run_meta(plan: Plan, *, input_digest: str = "", sources: list[str] | None = None,
             workers: int = 1, note: str = "") -> RunMeta:
    """What a stored run records about how it was made: scheme, hash, plugin versions, inputs."""
    ref = plan.ref
    return RunMeta(scheme_id=ref.id, scheme_version=ref.version, scheme_hash=ref.hash,
                   plugin_versions=ref.plugins, input_digest=input_digest,
                   sources=sources or [], workers=workers, note=note)


def score_batch(
    plan: Plan,
    records: Iterable[tuple[int, Any]],
    *,
    store: Store | None = None,
    meta: RunMeta | None = None,
    registry: Mapping[str, Organization] | None = None,
    workers: int = 1,
) -> RunSummary:
    """Score `(row, JSONL line | Evaluation | Reject)` records; each ends up a result or a
    reject, counted and never lost. With a store the run is written in one transaction."""
    items = score_records(plan, records, workers=workers, registry=registry)
    if store is not None:
        return store.write_run(meta or run_meta(plan, workers=workers), items)
    summary = RunSummary(run_id=None)
    for _ in tally(items, summary):
        pass
    return summary
