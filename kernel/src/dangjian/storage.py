"""SQLite storage of runs: tables `runs`, `results`, `lines`, `rejects`, written atomically.

A run is written in one transaction, so an interrupted batch leaves nothing behind. The
database is opened with sqlite-utils plugins disabled, in WAL mode for concurrent readers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import msgspec

from .errors import NotFound
from .models import Line, Reject, Result
from .pipeline import Encoded, split_result
from .writer import RunWriter

_encode = msgspec.json.Encoder(decimal_format="number").encode
_decode_result = msgspec.json.Decoder(Result).decode
_decode_lines = msgspec.json.Decoder(list[Line]).decode
CHUNK = 2000
BACKGROUND_AFTER = 10_000
"""A run longer than this is stored by a second process while this one goes on scoring."""
RESULTS_INSERT = "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
LINES_INSERT = "INSERT INTO lines VALUES (?, ?, ?, ?)"
REJECTS_INSERT = "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)"


def _m001_initial(db) -> None:
    db["runs"].create({
        "id": int, "scheme_id": str, "scheme_version": str, "scheme_hash": str,
        "plugin_versions": str, "input_digest": str, "sources": str, "started_at": str,
        "finished_at": str, "read": int, "scored": int, "rejected": int, "workers": int,
        "grades": str, "note": str,
    }, pk="id", if_not_exists=True)
    db["results"].create({
        "run_id": int, "seq": int, "org_id": str, "org_name": str, "org_type": str,
        "total": float, "grade": str, "payload": str,
    }, pk=("run_id", "seq"), foreign_keys=[("run_id", "runs", "id")], if_not_exists=True)
    db["lines"].create({"run_id": int, "seq": int, "org_id": str, "payload": str},
                       pk=("run_id", "seq"), foreign_keys=[("run_id", "runs", "id")],
                       if_not_exists=True)
    db["rejects"].create({
        "run_id": int, "row": int, "source": str, "org_id": str, "field": str, "reason": str,
    }, foreign_keys=[("run_id", "runs", "id")], if_not_exists=True)
    db["results"].create_index(["run_id", "org_id"], if_not_exists=True)
    db["results"].create_index(["run_id", "grade"], if_not_exists=True)
    db["rejects"].create_index(["run_id"], if_not_exists=True)


def _m002_tracked_flags(db) -> None:
    """Flags (finding codes) followed per scheme and organization until cleared (`tracking`)."""
    db["tracked_flags"].create({
        "id": int, "scheme_id": str, "org_id": str, "org_name": str, "flag": str,
        "severity": str, "message": str, "raised_run": int, "raised_on": str, "last_run": int,
        "last_on": str, "cleared_run": int, "cleared_on": str, "cleared_by": str, "note": str,
    }, pk="id", if_not_exists=True)
    db["tracked_runs"].create({"scheme_id": str, "run_id": int, "run_on": str, "applied_at": str},
                              pk=("scheme_id", "run_id"), if_not_exists=True)
    db["tracked_flags"].create_index(["scheme_id", "org_id", "flag"], if_not_exists=True)
    db["tracked_flags"].create_index(["scheme_id", "cleared_on"], if_not_exists=True)


MIGRATIONS: list[Callable] = [_m001_initial, _m002_tracked_flags]


def migrate(db) -> None:
    """Run every migration not yet applied, each recorded by name in `_migrations`."""
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = {row["name"] for row in db["_migrations"].rows}
    for migration in MIGRATIONS:
        name = migration.__name__.lstrip("_")
        if name in done:
            continue
        with db.atomic():
            migration(db)
            db["_migrations"].insert({"name": name, "applied_at": _now()})


def _now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class RunMeta:
    """What identifies a run besides its results: scheme, plugins, inputs."""

    scheme_id: str
    scheme_version: str
    scheme_hash: str
    plugin_versions: dict[str, str]
    input_digest: str = ""
    sources: list[str] = field(default_factory=list)
    workers: int = 1
    note: str = ""


@dataclass
class RunSummary:
    run_id: int | None
    read: int = 0
    scored: int = 0
    rejected: int = 0
    grades: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "read": self.read, "scored": self.scored,
                "rejected": self.rejected, "grades": self.grades}


def tally(items: Iterable[Result | Encoded | Reject],
          summary: RunSummary) -> Iterator[Result | Encoded | Reject]:
    """Count results, rejects and grades as they pass."""
    for item in items:
        summary.read += 1
        if isinstance(item, Reject):
            summary.rejected += 1
        else:
            summary.scored += 1
            summary.grades[item.grade] = summary.grades.get(item.grade, 0) + 1
        yield item


def _batches(items: Iterable[Result | Encoded | Reject], run_id: int | None
             ) -> Iterator[tuple[list[tuple[int, Encoded]], list[tuple]]]:
    """Items in storage batches: scored ones numbered in input order, rejects as rows (with
    `run_id` in front unless it is not known yet)."""
    seq = 0
    results: list[tuple[int, Encoded]] = []
    rejects: list[tuple] = []
    for item in items:
        if isinstance(item, Reject):
            row = (item.row, item.source, item.org_id, item.field, item.reason)
            rejects.append(row if run_id is None else (run_id, *row))
        else:
            seq += 1
            results.append((seq, item if isinstance(item, Encoded) else split_result(item)))
        if len(results) >= CHUNK or len(rejects) >= CHUNK:
            yield results, rejects
            results, rejects = [], []
    if results or rejects:
        yield results, rejects


def _counts(summary: RunSummary) -> list:
    return [_now(), summary.read, summary.scored, summary.rejected,
            _encode(summary.grades).decode()]


def stored_rows(run_id: int, seq: int, item: Result | Encoded) -> tuple[tuple, tuple]:
    """The `results` row and the `lines` row a scored item is stored as."""
    row = item if isinstance(item, Encoded) else split_result(item)
    return ((run_id, seq, row.org_id, row.org_name, row.org_type, row.total, row.grade,
             row.payload.decode()), (run_id, seq, row.org_id, row.lines.decode()))


class Store:
    """The run database. One `Store` per process; opened once, migrated on open."""

    def __init__(self, path: str | Path) -> None:
        import sqlite_utils

        self.path = str(path)
        self.db = sqlite_utils.Database(self.path, execute_plugins=False)
        self.db.conn.execute("PRAGMA busy_timeout = 30000")
        if self.path != ":memory:":
            self.db.conn.execute("PRAGMA journal_mode = WAL")
        self.db.conn.execute("PRAGMA synchronous = NORMAL")
        migrate(self.db)

    def close(self) -> None:
        self.db.close()

    # -- writing ------------------------------------------------------------------------------
    def write_run(self, meta: RunMeta, items: Iterable[Result | Encoded | Reject]) -> RunSummary:
        """Store a whole run in one transaction; nothing is visible until it commits.

        A long run is stored by a second process (`dangjian.writer`) while this one scores: the
        same rows in the same single transaction, committed only once every item has passed.
        """
        summary = RunSummary(run_id=None)
        begin = [meta.scheme_id, meta.scheme_version, meta.scheme_hash,
                 _encode(meta.plugin_versions).decode(), meta.input_digest,
                 _encode(meta.sources).decode(), _now(), meta.workers, meta.note]
        stream = tally(items, summary)
        head = list(islice(stream, BACKGROUND_AFTER))
        if len(head) < BACKGROUND_AFTER or self.path == ":memory:":
            with self.db.atomic():
                run_id = summary.run_id = self._begin_run(*begin)
                for seq_results, rejects in _batches(chain(head, stream), run_id):
                    self._insert_rows(run_id, seq_results, rejects)
                self._finish_run(run_id, *_counts(summary))
            return summary
        writer = RunWriter(str(Path(self.path).resolve()), begin)
        try:
            for seq_results, rejects in _batches(chain(head, stream), None):
                writer.rows(seq_results, rejects)
            del head
            summary.run_id = writer.finish(_counts(summary))
        except BaseException:
            writer.abandon()
            raise
        return summary

    def _begin_run(self, scheme_id, scheme_version, scheme_hash, plugin_versions, input_digest,
                   sources, started_at, workers, note) -> int:
        cursor = self.db.conn.execute(
            "INSERT INTO runs (scheme_id, scheme_version, scheme_hash, plugin_versions,"
            " input_digest, sources, started_at, workers, note, read, scored, rejected)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)",
            (scheme_id, scheme_version, scheme_hash, plugin_versions, input_digest, sources,
             started_at, workers, note))
        return cursor.lastrowid

    def _insert_rows(self, run_id: int, seq_results: list[tuple[int, Result | Encoded]],
                     rejects: list[tuple]) -> None:
        conn = self.db.conn
        if seq_results:
            pairs = [stored_rows(run_id, seq, item) for seq, item in seq_results]
            conn.executemany(RESULTS_INSERT, [result_row for result_row, _ in pairs])
            conn.executemany(LINES_INSERT, [line_row for _, line_row in pairs])
        if rejects:
            conn.executemany(REJECTS_INSERT, rejects)

    def _finish_run(self, run_id: int, finished_at: str, read: int, scored: int, rejected: int,
                    grades: str) -> None:
        self.db.conn.execute(
            "UPDATE runs SET finished_at = ?, read = ?, scored = ?, rejected = ?, grades = ?"
            " WHERE id = ?", (finished_at, read, scored, rejected, grades, run_id))

    # -- reading ------------------------------------------------------------------------------
    def _run_row(self, row: dict) -> dict:
        row = dict(row)
        for key in ("plugin_versions", "sources", "grades"):
            row[key] = msgspec.json.decode(row[key]) if row.get(key) else {}
        return row

    def runs(self, *, limit: int = 50, offset: int = 0) -> list[dict]:
        rows = self.db.query("SELECT * FROM runs WHERE finished_at IS NOT NULL"
                             " ORDER BY id DESC LIMIT ? OFFSET ?", [limit, offset])
        return [self._run_row(row) for row in rows]

    def run(self, run_id: int) -> dict:
        rows = list(self.db.query("SELECT * FROM runs WHERE id = ? AND finished_at IS NOT NULL",
                                  [run_id]))
        if not rows:
            raise NotFound(f"没有编号为 {run_id} 的评分批次")
        return self._run_row(rows[0])

    def latest_run_id(self) -> int:
        rows = list(self.db.query("SELECT max(id) AS id FROM runs WHERE finished_at IS NOT NULL"))
        if not rows or rows[0]["id"] is None:
            raise NotFound("数据库中还没有评分批次")
        return rows[0]["id"]

    def count_results(self, run_id: int, *, grade: str | None = None,
                      org_type: str | None = None) -> int:
        where, params = self._filters(run_id, grade, org_type)
        return next(self.db.query(f"SELECT count(*) AS n FROM results WHERE {where}", params))["n"]

    @staticmethod
    def _filters(run_id: int, grade: str | None, org_type: str | None) -> tuple[str, list]:
        clauses, params = ["run_id = ?"], [run_id]
        if grade is not None:
            clauses.append("grade = ?")
            params.append(grade)
        if org_type is not None:
            clauses.append("org_type = ?")
            params.append(org_type)
        return " AND ".join(clauses), params

    def results(self, run_id: int, *, grade: str | None = None, org_type: str | None = None,
                limit: int | None = None, offset: int = 0,
                with_lines: bool = False) -> Iterator[Result]:
        """Stored results of a run in input order, filtered and paged with bound parameters."""
        self.run(run_id)
        where, params = self._filters(run_id, grade, org_type)
        sql = f"SELECT r.seq, r.payload, l.payload AS lines FROM results r" \
              f" LEFT JOIN lines l ON l.run_id = r.run_id AND l.seq = r.seq" \
              f" WHERE r.{where.replace(' AND ', ' AND r.')} ORDER BY r.seq"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        for row in self.db.query(sql, params):
            yield self._result(row, with_lines)

    def _result(self, row: dict, with_lines: bool) -> Result:
        result = _decode_result(row["payload"])
        if with_lines and row.get("lines"):
            result = msgspec.structs.replace(result, lines=_decode_lines(row["lines"]))
        return result

    def result(self, run_id: int, org_id: str) -> Result:
        self.run(run_id)
        rows = list(self.db.query(
            "SELECT r.payload, l.payload AS lines FROM results r JOIN lines l"
            " ON l.run_id = r.run_id AND l.seq = r.seq WHERE r.run_id = ? AND r.org_id = ?"
            " ORDER BY r.seq LIMIT 1", [run_id, org_id]))
        if not rows:
            raise NotFound(f"批次 {run_id} 中没有组织 {org_id} 的结果")
        return self._result(rows[0], True)

    def duplicates(self, run_id: int) -> dict[str, int]:
        """Organization ids scored more than once in a run, with their counts, in id order
        (from the run's index: memory does not grow with the run)."""
        self.run(run_id)
        return {row["org_id"]: row["n"] for row in self.db.query(
            "SELECT org_id, COUNT(*) AS n FROM results WHERE run_id = ? GROUP BY org_id"
            " HAVING COUNT(*) > 1 ORDER BY org_id", [run_id])}

    def rejects(self, run_id: int) -> list[Reject]:
        self.run(run_id)
        return [Reject(row=r["row"], reason=r["reason"], field=r["field"], source=r["source"],
                       org_id=r["org_id"])
                for r in self.db.query("SELECT * FROM rejects WHERE run_id = ? ORDER BY rowid",
                                       [run_id])]

    def stored_bytes(self, run_id: int) -> Iterator[Any]:
        """The stored result rows exactly as written: for determinism checks."""
        yield from self.db.query(
            "SELECT r.payload, l.payload AS lines FROM results r JOIN lines l"
            " ON l.run_id = r.run_id AND l.seq = r.seq WHERE r.run_id = ? ORDER BY r.seq",
            [run_id])


def encode_result(result: Result) -> bytes:
    """A result as JSON, decimals as numbers: the one encoding every door uses."""
    return _encode(result)
