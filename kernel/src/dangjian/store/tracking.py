"""Flags followed over time: when a finding (软弱涣散, 后进 …) was raised for an organization, and
when it was cleared — by a later run where it no longer fires, or explicitly when 整顿 is done.

A flag is a finding code. `update_from_run` reads a stored run and opens, refreshes or clears
records in `tracked_flags`; `clear` closes one by hand; `open_flags` lists what is still open.
Runs are applied in order, each once, so the history cannot be rewritten by an older batch.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import msgspec

from dangjian.errors import DangjianError, NotFound
from dangjian.scheme import Scheme
from dangjian.store.storage import Store, now

CLEARED_BY_RUN = "run"
CLEARED_BY_HAND = "manual"


class TrackedFlag(msgspec.Struct, frozen=True, kw_only=True):
    """One spell of a flag on one organization: raised on a date, cleared on a later one."""

    id: int
    scheme_id: str
    org_id: str
    org_name: str
    flag: str
    severity: str
    message: str
    raised_run: int | None
    raised_on: datetime.date
    last_run: int | None
    last_on: datetime.date
    cleared_run: int | None = None
    cleared_on: datetime.date | None = None
    cleared_by: str | None = None
    note: str = ""

    @property
    def open(self) -> bool:
        return self.cleared_on is None

    def text(self) -> str:
        """The flag's history as one Chinese sentence."""
        head = f"{self.org_name or self.org_id}：{self.message}（{self.raised_on}标记"
        if self.open:
            return head + f"，{self.last_on}仍未销号）"
        how = (f"批次{self.cleared_run}中不再出现" if self.cleared_by == CLEARED_BY_RUN
               else "整顿完成" + (f"：{self.note}" if self.note else ""))
        return head + f"，{self.cleared_on}销号，{how}）"


class TrackingUpdate(msgspec.Struct, frozen=True, kw_only=True):
    """What one run changed: flags newly raised, flags cleared, and those still open after it."""

    scheme_id: str
    run_id: int
    on: datetime.date
    raised: list[TrackedFlag]
    cleared: list[TrackedFlag]
    still_open: list[TrackedFlag]
    already_applied: bool = False


def tracked_flags_of(scheme: Scheme) -> list[str] | None:
    """The finding codes a scheme asks to track (`extra.tracked_flags`); None: every code."""
    codes = scheme.extra.get("tracked_flags")
    if codes is None:
        return None
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise DangjianError("extra.tracked_flags 应为诊断编号列表", scheme=scheme.id,
                            field="extra.tracked_flags")
    return codes


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


def _flag(row: dict) -> TrackedFlag:
    return TrackedFlag(
        id=row["id"], scheme_id=row["scheme_id"], org_id=row["org_id"],
        org_name=row["org_name"] or "", flag=row["flag"], severity=row["severity"] or "",
        message=row["message"] or "", raised_run=row["raised_run"],
        raised_on=_date(row["raised_on"]), last_run=row["last_run"], last_on=_date(row["last_on"]),
        cleared_run=row["cleared_run"], cleared_on=_date(row["cleared_on"]),
        cleared_by=row["cleared_by"], note=row["note"] or "")


def _select(store: Store, where: list[str], params: list) -> list[TrackedFlag]:
    sql = "SELECT * FROM tracked_flags"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY scheme_id, org_id, flag, id"
    return [_flag(row) for row in store.db.query(sql, params)]


def _filters(scheme_id: str | None, org_id: str | None, flag: str | None) -> tuple[list, list]:
    where, params = [], []
    for column, value in (("scheme_id", scheme_id), ("org_id", org_id), ("flag", flag)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return where, params


def open_flags(store: Store, *, scheme_id: str | None = None, org_id: str | None = None,
               flag: str | None = None) -> list[TrackedFlag]:
    """Flags raised and not yet cleared, by scheme, organization and flag."""
    where, params = _filters(scheme_id, org_id, flag)
    return _select(store, [*where, "cleared_on IS NULL"], params)


def flag_history(store: Store, *, scheme_id: str | None = None, org_id: str | None = None,
                 flag: str | None = None) -> list[TrackedFlag]:
    """Every spell of every flag, open or cleared, oldest first within an organization."""
    where, params = _filters(scheme_id, org_id, flag)
    return _select(store, where, params)


def _applied(store: Store, scheme_id: str) -> tuple[set[int], int | None]:
    rows = list(store.db.query("SELECT run_id FROM tracked_runs WHERE scheme_id = ?", [scheme_id]))
    ids = {row["run_id"] for row in rows}
    return ids, max(ids) if ids else None


def update_from_run(store: Store, run_id: int, *, on: datetime.date | None = None,
                    flags: Iterable[str] | None = None) -> TrackingUpdate:
    """Follow a stored run's findings: raise a record for each flag that newly fires, refresh
    those still firing, and clear those that no longer fire for an organization the run scored.

    `on` is the date the run speaks for (default: the day it finished); `flags` limits which
    finding codes are tracked (default: all). Organizations absent from the run, or rejected in
    it, keep their flags: no result is no evidence. A run is applied once, and never after a
    later run of the same scheme.
    """
    run = store.run(run_id)
    scheme_id = run["scheme_id"]
    day = on or _date(run["finished_at"])
    wanted = set(flags) if flags is not None else None
    conn = store.db.conn
    with store.db.atomic():
        applied, latest = _applied(store, scheme_id)
        if run_id in applied:
            return TrackingUpdate(scheme_id=scheme_id, run_id=run_id, on=day, raised=[],
                                  cleared=[], still_open=open_flags(store, scheme_id=scheme_id),
                                  already_applied=True)
        if latest is not None and run_id < latest:
            raise DangjianError(f"批次 {run_id} 早于已据以跟踪的批次 {latest}，不能倒序更新标记",
                                scheme=scheme_id)
        current: dict[str, dict[str, TrackedFlag]] = {}
        for known in open_flags(store, scheme_id=scheme_id):
            current.setdefault(known.org_id, {})[known.flag] = known
        raised_ids: list[int] = []
        cleared_ids: list[int] = []
        for org_id, org_name, findings in store.findings(run_id):
            firing: dict[str, object] = {}
            held = current.get(org_id, {})
            if not findings and not held:
                continue
            for finding in findings:
                if (wanted is None or finding.code in wanted) and finding.code not in firing:
                    firing[finding.code] = finding
            for code, finding in firing.items():
                known = held.get(code)
                if known is not None:
                    conn.execute(
                        "UPDATE tracked_flags SET last_run = ?, last_on = ?, message = ?,"
                        " severity = ?, org_name = ? WHERE id = ?",
                        (run_id, day.isoformat(), finding.message, finding.severity,
                         org_name, known.id))
                    continue
                cursor = conn.execute(
                    "INSERT INTO tracked_flags (scheme_id, org_id, org_name, flag, severity,"
                    " message, raised_run, raised_on, last_run, last_on, note)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
                    (scheme_id, org_id, org_name, code, finding.severity,
                     finding.message, run_id, day.isoformat(), run_id, day.isoformat()))
                raised_ids.append(cursor.lastrowid)
            for code, known in held.items():
                if code in firing:
                    continue
                if wanted is not None and code not in wanted:
                    continue
                conn.execute(
                    "UPDATE tracked_flags SET cleared_run = ?, cleared_on = ?, cleared_by = ?"
                    " WHERE id = ?", (run_id, day.isoformat(), CLEARED_BY_RUN, known.id))
                cleared_ids.append(known.id)
        conn.execute("INSERT INTO tracked_runs VALUES (?, ?, ?, ?)",
                     (scheme_id, run_id, day.isoformat(), now()))
        raised = _by_ids(store, raised_ids)
        cleared = _by_ids(store, cleared_ids)
        still_open = open_flags(store, scheme_id=scheme_id)
    return TrackingUpdate(scheme_id=scheme_id, run_id=run_id, on=day, raised=raised,
                          cleared=cleared, still_open=still_open)


def _by_ids(store: Store, ids: list[int]) -> list[TrackedFlag]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return _select(store, [f"id IN ({marks})"], list(ids))


def clear(store: Store, scheme_id: str, org_id: str, flag: str, on: datetime.date,
          note: str = "") -> TrackedFlag:
    """Close an open flag by hand (整顿完成, 验收销号) on a date, with a note saying why."""
    with store.db.atomic():
        found = open_flags(store, scheme_id=scheme_id, org_id=org_id, flag=flag)
        if not found:
            raise NotFound(f"组织 {org_id} 在方案 {scheme_id} 下没有未销号的标记 {flag}",
                           scheme=scheme_id, field="flag")
        record = found[0]
        if on < record.raised_on:
            raise DangjianError(f"销号日期 {on} 早于标记日期 {record.raised_on}",
                                scheme=scheme_id, field="on")
        store.db.conn.execute(
            "UPDATE tracked_flags SET cleared_on = ?, cleared_by = ?, note = ? WHERE id = ?",
            (on.isoformat(), CLEARED_BY_HAND, note, record.id))
        return _by_ids(store, [record.id])[0]
