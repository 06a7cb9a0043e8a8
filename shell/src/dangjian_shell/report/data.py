"""What the leadership report shows, gathered from a stored run: counts and grades, units and
ranks, consequences, vetoes and blocked honours, rejects, batch-rule findings and, with an
earlier run, who moved up or down a grade. Everything here is read through `Store`'s reading
API; the report holds one short row per organization, not the explanations.
"""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field
from decimal import Decimal

from dangjian.models import Organization, Reject, Result
from dangjian.scoring.judge import UNGRADED
from dangjian.store.ranking import TIE_RULE

from ..summary import grade_order
from ..units import Units, rank_run, units_of_run
from ..writers import batch_findings, field_title, local_time


@dataclass
class Row:
    """One organization in the report's tables."""

    org_id: str
    name: str
    type_title: str
    total: Decimal
    grade: str
    rank: int
    tied: bool
    unit: str | None
    unit_rank: int | None
    consequences: list[str]
    vetoes: list[tuple[str, str]]
    blocked: list[tuple[str, str]]


@dataclass
class UnitTable:
    title: str
    unit_id: str | None
    rows: list[Row]


@dataclass
class Move:
    """An organization whose grade changed between the earlier run and this one."""

    row: Row
    before_grade: str
    before_total: Decimal
    before_rank: int


@dataclass
class Comparison:
    run: dict
    up: list[Move] = field(default_factory=list)
    down: list[Move] = field(default_factory=list)
    same: int = 0
    only_now: list[str] = field(default_factory=list)
    only_before: list[str] = field(default_factory=list)
    unordered: int = 0


@dataclass
class ReportData:
    run: dict
    scheme_title: str
    scheme_id: str
    scheme_version: str
    finished: str
    grades: list[tuple[str, int]]
    rows: list[Row]
    units: list[UnitTable]
    units_source: str
    consequences: dict[str, list[Row]]
    rejects: list[tuple[Reject, str]]
    batch_findings: list[str]
    comparison: Comparison | None
    whatif: Any = None
    """A what-if of the same run (`dangjian.store.whatif.WhatIf`), shown beside it."""
    tie_rule: str = TIE_RULE

    @property
    def scored(self) -> int:
        return len(self.rows)

    @property
    def vetoed(self) -> list[Row]:
        return [row for row in self.rows if row.vetoes]

    @property
    def blocked(self) -> list[Row]:
        return [row for row in self.rows if row.blocked]

    @property
    def ranking(self) -> list[Row]:
        return sorted(self.rows, key=lambda row: (row.rank, row.org_id))


def gather(store, run_id: int, catalog, *, compare: int | None = None,
           orgs: list[Organization] | None = None, orgs_source: str = "") -> ReportData:
    """The report of stored run `run_id` (raises `NotFound` for an unknown run)."""
    run = store.run(run_id)
    loaded = catalog.schemes.get(run["scheme_id"])
    scheme = loaded.scheme if loaded is not None else None
    units = units_of_run(store, run_id, orgs, orgs_source)
    ranking = rank_run(store, run_id, units)
    type_titles = {t.id: t.title for t in catalog.org_types.values()}
    rows = [_row(r, ranking, units, type_titles) for r in store.results(run_id)]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.grade] = counts.get(row.grade, 0) + 1
    order = grade_order(scheme, counts) if scheme is not None else sorted(counts)
    consequences: dict[str, list[Row]] = {}
    for row in rows:
        for title in row.consequences:
            consequences.setdefault(title, []).append(row)
    comparison = None
    if compare is not None:
        comparison = _compare(store, compare, rows, scheme)
    return ReportData(
        run=run, scheme_title=scheme.title if scheme is not None else run["scheme_id"],
        scheme_id=run["scheme_id"], scheme_version=run.get("scheme_version") or "",
        finished=local_time(run.get("finished_at") or run.get("started_at")),
        grades=[(g, counts[g]) for g in order], rows=rows,
        units=_unit_tables(rows, units), units_source=units.source if units.known else "",
        consequences=consequences,
        rejects=[(r, field_title(scheme, r.field)) for r in store.rejects(run_id)],
        batch_findings=batch_findings(run), comparison=comparison)


def _row(r: Result, ranking, units: Units, type_titles: dict[str, str]) -> Row:
    parent = units.unit_of(r.org_id) if units.known else None
    return Row(
        org_id=r.org_id, name=r.org_name or r.org_id,
        type_title=type_titles.get(r.org_type, r.org_type), total=r.total, grade=r.grade,
        rank=ranking.rank(r.total), tied=ranking.batch.shared(r.total),
        unit=units.title(parent) if units.known else None,
        unit_rank=ranking.unit_rank(r.org_id, r.total),
        consequences=[c.title for c in r.consequences],
        vetoes=[(v.title, v.reason) for v in r.vetoes],
        blocked=[(e.title, "；".join(e.reasons)) for e in r.eligibility if not e.eligible])


def _unit_tables(rows: list[Row], units: Units) -> list[UnitTable]:
    if not units.known:
        return [UnitTable("全部组织", None, sorted(rows, key=lambda row: row.rank))]
    groups: dict[str | None, list[Row]] = {}
    for row in rows:
        groups.setdefault(units.unit_of(row.org_id), []).append(row)
    return [UnitTable(units.title(unit), unit,
                      sorted(members, key=lambda row: (row.unit_rank or 0, row.rank)))
            for unit, members in groups.items()]


def _compare(store, earlier: int, rows: list[Row], scheme) -> Comparison:
    before_run = store.run(earlier)
    before: dict[str, tuple[str, Decimal]] = {}
    totals = []
    for r in store.results(earlier):
        before.setdefault(r.org_id, (r.grade, r.total))
        totals.append(r.total)
    from dangjian.store.ranking import Ranking

    before_ranking = Ranking(totals)
    order = [b.grade for b in sorted(scheme.bands, key=lambda b: b.min, reverse=True)] \
        if scheme is not None else []
    place = {grade: index for index, grade in enumerate(order)}
    comparison = Comparison(run=before_run)
    now_ids = set()
    for row in rows:
        now_ids.add(row.org_id)
        if row.org_id not in before:
            comparison.only_now.append(row.name)
            continue
        grade, total = before[row.org_id]
        if grade == row.grade:
            comparison.same += 1
            continue
        if grade not in place or row.grade not in place or UNGRADED in (grade, row.grade):
            comparison.unordered += 1
            continue
        move = Move(row, grade, total, before_ranking.rank(total))
        (comparison.up if place[row.grade] < place[grade] else comparison.down).append(move)
    comparison.only_before = [org_id for org_id in before if org_id not in now_ids]
    return comparison
