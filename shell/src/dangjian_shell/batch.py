"""One scoring run from files: read, score with the kernel's pipeline, write, store, count.

Used by `score` and `demo`. The kernel scores and stores; this module only wires files to it
and keeps what the summary must say (notes, rejects to show, duplicate organizations).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from dangjian.models import Reject

from . import schemes
from .activities import ActivityIndex, read_activities
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


@dataclass
class BatchReport:
    """What a finished run tells the user."""

    summary: object
    plan: object
    catalog: object
    request: BatchRequest
    notes: list[str] = field(default_factory=list)
    first_rejects: list[Reject] = field(default_factory=list)
    duplicates: dict[str, int] = field(default_factory=dict)
    first_org: str | None = None
    workers: int = 1

    def to_dict(self) -> dict:
        r = self.request
        return {**self.summary.to_dict(), "scheme": self.plan.ref.id,
                "scheme_version": self.plan.ref.version,
                "db": str(r.db) if r.db else None, "out": str(r.out) if r.out else None,
                "rejects_file": str(r.rejects) if r.rejects else None,
                "workers": self.workers, "notes": self.notes,
                "duplicates": self.duplicates}


def run_batch(request: BatchRequest) -> BatchReport:
    """Score every row of every input file; each ends up a result or a reject, never lost."""
    from dangjian.pipeline import score_records
    from dangjian.runs import run_meta
    from dangjian.storage import RunSummary, Store, tally

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
    meta = run_meta(plan, input_digest=digest([*request.inputs, *extra]),
                    sources=[str(p) for p in request.inputs], workers=workers, note=request.note)

    items = itertools.chain.from_iterable(
        score_records(plan, f.records(), workers=workers, source=f.source, registry=registry)
        for f in files)
    units = Units.from_orgs(registry.values(), "组织名册") if registry else None
    columns = ResultColumns(plan.scheme, catalog, units=units)
    out = ResultWriter(request.out, columns) if request.out is not None else None
    rejects = RejectWriter(request.rejects, plan.scheme) if request.rejects is not None else None
    # Without a database the repeated ids are counted here; with one, SQLite counts them.
    seen: dict[str, int] | None = {} if request.db is None else None

    def sink(stream):
        for item in stream:
            if isinstance(item, Reject):
                if rejects is not None:
                    rejects.write(item)
                if out is not None:
                    out.reject(item)
                if len(report.first_rejects) < SHOW_REJECTS:
                    report.first_rejects.append(item)
            else:
                if out is not None:
                    out.write(item)
                if seen is not None:
                    seen[item.org_id] = seen.get(item.org_id, 0) + 1
                if report.first_org is None:
                    report.first_org = item.org_id
            yield item

    writers = [w for w in (out, rejects) if w is not None]
    with ScoringProgress(request.progress, request.inputs) as advance, \
            interrupts_in_main_process():
        stream = (advance(item) for item in sink(items))
        try:
            if request.db is not None:
                store = Store(request.db)
                try:
                    report.summary = store.write_run(meta, stream)
                    report.duplicates = store.duplicates(report.summary.run_id)
                    report.notes.extend(_track(store, plan.scheme, report.summary.run_id))
                finally:
                    store.close()
            else:
                for _ in tally(stream, report.summary):
                    pass
        except BaseException:
            for writer in writers:
                writer.discard()
            raise
        if out is not None:
            out.run_id = report.summary.run_id
        for writer in writers:
            writer.close()

    for f in files:
        report.notes.extend(f.notes)
    if activities is not None:
        report.notes.extend(_activity_notes(activities))
    if seen is not None:
        report.duplicates = {org: n for org, n in sorted(seen.items()) if n > 1}
    return report


def _track(store, scheme, run_id: int) -> list[str]:
    """Follow the flags the scheme tracks (`extra.tracked_flags`) with the run just stored."""
    from dangjian import tracking

    if "tracked_flags" not in scheme.extra:
        return []
    update = tracking.update_from_run(store, run_id, flags=tracking.tracked_flags_of(scheme))
    return [f"跟踪标记：新标记{len(update.raised)}个，销号{len(update.cleared)}个，"
            f"未销号{len(update.still_open)}个（dangjian flags {scheme.id} 查看）"]


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
