"""One scoring run from files: read, hand the records to the kernel's run path, write files.

Used by `score` and `demo`. The kernel (`dangjian.store.runner.score_run`) scores, rejects repeated
organizations, runs batch rules, stores and tracks flags; this module only wires files to it
and keeps what the summary must say (notes, rejects to show).
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dangjian.models import Reject
from dangjian.store.compact import Tally

from . import schemes
from .activities import ActivityIndex, read_activities
from .console import invocation
from .interrupts import interrupts_in_main_process
from .orgs import read_orgs
from .preflight import check_writable
from .progress import ScoringProgress
from .readers import digest
from .sources import InputFile
from .units import Units
from .writers import RejectWriter, ResultColumns, ResultWriter, output_kind

SHOW_REJECTS = 10


@dataclass
class BatchRequest:
    scheme: str
    inputs: list[Path]
    out: Path | None = None
    db: Path | None = None
    rejects: Path | None = None
    orgs: Path | None = None
    activities: Path | None = None
    workers: int = 1
    note: str = ""
    progress: bool = True
    explain: bool = False


@dataclass
class BatchReport:
    """What a finished run tells the user."""

    summary: object
    plan: object
    catalog: object
    request: BatchRequest
    notes: list[str] = field(default_factory=list)
    first_rejects: list[Reject] = field(default_factory=list)
    first_org: str | None = None
    workers: int = 1
    tracking: object = None

    def to_dict(self) -> dict:
        r = self.request
        return {**self.summary.to_dict(), "scheme": self.plan.ref.id,
                "scheme_version": self.plan.ref.version,
                "db": str(r.db) if r.db else None, "out": str(r.out) if r.out else None,
                "rejects_file": str(r.rejects) if r.rejects else None,
                "workers": self.workers, "notes": self.notes,
                "stored_before": self.summary.existing}


def run_batch(request: BatchRequest) -> BatchReport:
    """Score every row of every input file; each ends up a result or a reject, never lost."""
    from dangjian.store.runner import RunInput, run_meta, score_run
    from dangjian.store.storage import RunSummary, Store

    for path in (request.out, request.rejects):
        if path is not None:
            output_kind(path)
    for path, what in ((request.db, "评分数据库"), (request.out, "结果文件"),
                       (request.rejects, "拒绝行文件")):
        if path is not None:
            check_writable(path, what)
    catalog, loaded = schemes.load(request.scheme)
    plan = catalog.plan(loaded.scheme.id)
    activities: ActivityIndex | None = None
    if request.activities is not None:
        activities = read_activities(request.activities)
    files = [InputFile(path, plan.scheme, activities) for path in request.inputs]
    registry = None
    if request.orgs is not None:
        registry = {org.id: org for org in read_orgs(request.orgs)}

    report = BatchReport(summary=RunSummary(run_id=None), plan=plan, catalog=catalog,
                         request=request)
    workers = max(1, request.workers)
    if workers > 1 and not schemes.installed(loaded):
        report.notes.append("方案文件未安装为插件，多进程无法重建，已改为单进程评分（结果相同）")
        workers = 1
    report.workers = workers
    extra = [p for p in (request.orgs, request.activities) if p is not None]
    meta = run_meta(plan, sources=[str(p) for p in request.inputs], workers=workers,
                    note=request.note)
    # The inputs' digest (is this run stored already?) is first needed once every record has
    # passed: it is computed beside the scoring (hashing leaves the interpreter free).
    hashing = ThreadPoolExecutor(1, thread_name_prefix="dangjian-digest")
    input_digest = hashing.submit(digest, [*request.inputs, *extra])
    hashing.shutdown(wait=False)

    units = Units.from_orgs(registry.values(), "组织名册") if registry else None
    columns = ResultColumns(plan.scheme, catalog, units=units, explain=request.explain)
    out = ResultWriter(request.out, columns) if request.out is not None else None
    rejects = RejectWriter(request.rejects, plan.scheme) if request.rejects is not None else None
    writers = [w for w in (out, rejects) if w is not None]

    def each_chunk(items: list | Tally) -> None:
        if items.__class__ is Tally:  # all scored: no reject, and no result file asked for
            advance(items.count)
            if report.first_org is None:
                report.first_org = items.ids.first_id()
            return
        advance(len(items))
        for writer in writers:
            writer.write_chunk(items)
        if len(report.first_rejects) < SHOW_REJECTS:
            report.first_rejects.extend([item for item in items if item.__class__ is Reject]
                                        [:SHOW_REJECTS - len(report.first_rejects)])
        if report.first_org is None:
            report.first_org = next((item.org_id for item in items
                                     if item.__class__ is not Reject), None)

    def finish_output() -> str | None:
        """Complete the output files (not yet under their names) and digest them; the inputs'
        digest joins the run's record."""
        meta.input_digest = input_digest.result()
        for writer in writers:
            writer.finish()
        return output_digest(writers)

    with ScoringProgress(request.progress, request.inputs) as advance, \
            interrupts_in_main_process():
        store = Store(request.db, catalog=catalog) if request.db is not None else None
        try:
            outcome = score_run(
                plan, [RunInput(f.records(), f.source) for f in files], store=store, meta=meta,
                catalog=catalog, registry=registry, workers=workers,
                each_chunk=each_chunk, finish_output=finish_output,
                out=out is not None, lines=request.explain)
        except BaseException:
            for writer in writers:
                writer.discard()
            raise
        finally:
            if store is not None:
                store.close()
        # The run is stored (or was before): only now do the files appear under their names.
        for writer in writers:
            writer.publish()
    report.summary = outcome.summary
    report.tracking = outcome.tracking
    if outcome.summary.existing:
        report.notes.append(f"输入与已存储的批次 {outcome.summary.run_id} 相同（同一方案、同一输入、"
                            "同一备注），未重复存储")
    if outcome.tracking is not None:
        t = outcome.tracking
        report.notes.append(f"跟踪标记（{t.on}）：新标记{len(t.raised)}个，销号{len(t.cleared)}个，"
                            f"未销号{len(t.still_open)}个（{invocation()} flags {plan.scheme.id} 查看）")
    for f in files:
        report.notes.extend(f.notes)
    if activities is not None:
        report.notes.extend(_activity_notes(activities))
    return report


def output_digest(writers) -> str | None:
    """A content hash of the finished output files, stored with the run."""
    paths = [w.partial for w in writers if w.partial is not None]
    if not paths:
        return None
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            for block in iter(lambda f=f: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:16]


def _activity_notes(index: ActivityIndex) -> list[str]:
    notes = [*index.notes, f"从 {index.path} 读入活动记录 {index.count} 条"]
    unmatched = index.unmatched()
    if unmatched:
        shown = "、".join(unmatched[:10]) + ("等" if len(unmatched) > 10 else "")
        notes.append(f"{len(unmatched)} 个组织有活动记录但不在评分输入中，未使用：{shown}")
    for orphan in index.orphans[:10]:
        notes.append(f"活动记录未使用：{orphan}")
    if len(index.orphans) > 10:
        notes.append(f"另有 {len(index.orphans) - 10} 条活动记录无法归属")
    return notes
