"""SQLite storage of runs, compact, written in one short transaction.

A run is first staged (`RunStage`) in a file of its own beside the database, so scoring a long
batch holds no lock on the database; the staged rows are then copied in one transaction
(`Store.commit_run`). An interrupted batch leaves nothing behind.

Per organization a run stores its inputs as given (the JSONL line as read, or the evaluation
as JSON for a spreadsheet row), the organization when it came from `--orgs`, and the numbers
(`compact`): total, grade, component points, and a reference to the "profile" of what many
share (vetoes, consequences, eligibility, findings), stored once per run. The scheme itself is
stored once, by content hash, in `schemes`. Explanations are not stored: `result(...,
with_lines=True)` renders them again by compiling the stored scheme with the installed methods
and scoring the stored inputs.

The organizations of a run are stored in chunks, in input order: one `run_chunks` row holds
the rows of up to a pipeline chunk (2,000 organizations) packed as `chunks` says (msgpack,
compressed with Zstandard; plain msgpack in databases written before), and a run's
chunks are `run_chunks.id` from `runs.first_id` to `runs.last_id`. `run_orgs` finds an
organization in a run (its chunk and place), which is how explain, "which runs hold this
organization" and the repeated-id check look one up. Storing a chunk is one SQLite row
instead of 2,000, which is what makes storing a run cheap; reading a run reads its chunks in
order. Runs stored one row per organization (`scored`, layout 2) are converted by m005.

The database is opened, migrated and written with `sqlite3` alone; `Store.db` (sqlite-utils,
which imports numpy where it is installed) is made only for the flags tracked per run.

Runs stored before compact storage (tables `results` and `lines`, `runs.layout` empty) are
read as they were written.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import msgspec

from dangjian.store.chunks import ChunkPacker, Packed, compress, pack_rows, unpack_rows
from dangjian.store.compact import (Scored, StagedIds, Tally, Unpacker, encode_result,
                                    staged_ids)
from dangjian.errors import DangjianError, NotFound
from dangjian.models import Evaluation, Finding, Line, OrgInline, Organization, Reject, Result, SchemeRef

_encode = msgspec.json.Encoder(decimal_format="number").encode
_decode_result = msgspec.json.Decoder(Result).decode
_decode_lines = msgspec.json.Decoder(list[Line]).decode
_decode_evaluation = msgspec.json.Decoder(Evaluation).decode
_decode_org = msgspec.json.Decoder(Organization).decode
_decode_findings = msgspec.json.Decoder(list[Finding]).decode
COMPACT = 3
"""`runs.layout` of runs stored compactly, in chunks; empty for runs stored with their
explanations (2, one row per organization, is converted by m005)."""
CHUNK_ROWS = 2000
"""Organizations per stored chunk when m005 converts a run (the pipeline's chunk size)."""
BUSY_TIMEOUT_MS = 30_000
PAGE_SIZE = 65_536
"""Pages of a new database and of a staging file: a run is stored as chunks of 100-600 KB
(compressed, and before compression), which the largest page takes in a sixteenth of the pages
(and WAL frames) of the default 4 KB; with uncompressed chunks this stored a run about 40%
faster. A database made before keeps its own page size."""
__all__ = ["RunMeta", "RunStage", "RunSummary", "Store", "encode_result", "tally"]


class DatabaseBusy(DangjianError):
    """Another program holds the database's write lock for longer than we wait."""


def _m001_initial(conn: sqlite3.Connection) -> None:
    conn.execute('CREATE TABLE IF NOT EXISTS "runs" (\n   "id" INTEGER PRIMARY KEY,\n'
                 '   "scheme_id" TEXT,\n   "scheme_version" TEXT,\n   "scheme_hash" TEXT,\n'
                 '   "plugin_versions" TEXT,\n   "input_digest" TEXT,\n   "sources" TEXT,\n'
                 '   "started_at" TEXT,\n   "finished_at" TEXT,\n   "read" INTEGER,\n'
                 '   "scored" INTEGER,\n   "rejected" INTEGER,\n   "workers" INTEGER,\n'
                 '   "grades" TEXT,\n   "note" TEXT\n)')
    conn.execute('CREATE TABLE IF NOT EXISTS "results" (\n'
                 '   "run_id" INTEGER REFERENCES "runs"("id"),\n   "seq" INTEGER,\n'
                 '   "org_id" TEXT,\n   "org_name" TEXT,\n   "org_type" TEXT,\n'
                 '   "total" REAL,\n   "grade" TEXT,\n   "payload" TEXT,\n'
                 '   PRIMARY KEY ("run_id", "seq")\n)')
    conn.execute('CREATE TABLE IF NOT EXISTS "lines" (\n'
                 '   "run_id" INTEGER REFERENCES "runs"("id"),\n   "seq" INTEGER,\n'
                 '   "org_id" TEXT,\n   "payload" TEXT,\n   PRIMARY KEY ("run_id", "seq")\n)')
    conn.execute('CREATE TABLE IF NOT EXISTS "rejects" (\n'
                 '   "run_id" INTEGER REFERENCES "runs"("id"),\n   "row" INTEGER,\n'
                 '   "source" TEXT,\n   "org_id" TEXT,\n   "field" TEXT,\n   "reason" TEXT\n)')
    _index(conn, "results", "run_id", "org_id")
    _index(conn, "results", "run_id", "grade")
    _index(conn, "rejects", "run_id")


def _m002_tracked_flags(conn: sqlite3.Connection) -> None:
    """Flags (finding codes) followed per scheme and organization until cleared (`tracking`)."""
    conn.execute('CREATE TABLE IF NOT EXISTS "tracked_flags" (\n   "id" INTEGER PRIMARY KEY,\n'
                 '   "scheme_id" TEXT,\n   "org_id" TEXT,\n   "org_name" TEXT,\n'
                 '   "flag" TEXT,\n   "severity" TEXT,\n   "message" TEXT,\n'
                 '   "raised_run" INTEGER,\n   "raised_on" TEXT,\n   "last_run" INTEGER,\n'
                 '   "last_on" TEXT,\n   "cleared_run" INTEGER,\n   "cleared_on" TEXT,\n'
                 '   "cleared_by" TEXT,\n   "note" TEXT\n)')
    conn.execute('CREATE TABLE IF NOT EXISTS "tracked_runs" (\n   "scheme_id" TEXT,\n'
                 '   "run_id" INTEGER,\n   "run_on" TEXT,\n   "applied_at" TEXT,\n'
                 '   PRIMARY KEY ("scheme_id", "run_id")\n)')
    _index(conn, "tracked_flags", "scheme_id", "org_id", "flag")
    _index(conn, "tracked_flags", "scheme_id", "cleared_on")


def _index(conn: sqlite3.Connection, table: str, *columns: str) -> None:
    """An index named and written as the first databases had it (made with sqlite-utils)."""
    quoted = ", ".join(f'"{column}"' for column in columns)
    conn.execute(f'CREATE INDEX IF NOT EXISTS "idx_{table}_{"_".join(columns)}"\n'
                 f'    ON "{table}" ({quoted})')


def _m003_compact_runs(conn: sqlite3.Connection) -> None:
    """Compact runs: inputs and numbers per organization, the scheme once per hash, no text.

    A run's rows are `scored.id` from `first_id` to `last_id`, in input order. Older runs keep
    their `results` and `lines` rows and are read from them.
    """
    for column, kind in (("layout", "INTEGER"), ("first_id", "INTEGER"),
                         ("last_id", "INTEGER"), ("as_of", "TEXT"), ("out_digest", "TEXT"),
                         ("batch_findings", "TEXT")):
        conn.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")
    conn.execute("CREATE TABLE IF NOT EXISTS schemes (hash TEXT PRIMARY KEY, scheme_id TEXT,"
                 " version TEXT, plugin TEXT, format TEXT, text TEXT) WITHOUT ROWID")
    conn.execute("CREATE TABLE IF NOT EXISTS scored (id INTEGER PRIMARY KEY, run_id INTEGER,"
                 " org_id TEXT, org_type TEXT, grade TEXT, total TEXT, profile ANY, head BLOB,"
                 " input BLOB, org BLOB)")
    conn.execute("CREATE TABLE IF NOT EXISTS profiles (run_id INTEGER, id INTEGER, body BLOB,"
                 " PRIMARY KEY (run_id, id)) WITHOUT ROWID")
    # Explain and "which runs hold this organization" look up by id; results filter by grade
    # and type (until m004). The run itself is a range of `scored.id`, which every index carries.
    conn.execute("CREATE INDEX IF NOT EXISTS scored_org_id ON scored (org_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS scored_grade ON scored (grade, org_type)")
    conn.execute("CREATE INDEX IF NOT EXISTS runs_identity ON runs (scheme_hash, input_digest)")


def _m004_no_grade_index(conn: sqlite3.Connection) -> None:
    """No index on (grade, org_type): results filtered by grade or type read the run's own
    range of `scored.id` (the rowid) and test each row, so the index served no query and cost
    about 2.5 us per row stored."""
    conn.execute("DROP INDEX IF EXISTS scored_grade")


def _m005_chunked_runs(conn: sqlite3.Connection) -> None:
    """A run's organizations in chunks (`run_chunks`), found by id through `run_orgs`; the
    runs stored one row per organization are converted, and `scored` is dropped (about 8 s
    for a run of 1,000,000 organizations). The file keeps the pages `scored` held: later runs
    reuse them, and `VACUUM` gives them back to the disk."""
    conn.execute("CREATE TABLE IF NOT EXISTS run_chunks (id INTEGER PRIMARY KEY,"
                 " run_id INTEGER, first INTEGER, n INTEGER, body BLOB)")
    conn.execute("CREATE TABLE IF NOT EXISTS run_orgs (org_id TEXT, run_id INTEGER,"
                 " chunk INTEGER, at INTEGER, PRIMARY KEY (org_id, run_id)) WITHOUT ROWID")
    runs = conn.execute("SELECT id, first_id, last_id FROM runs WHERE layout = 2"
                        " ORDER BY id").fetchall()
    for run_id, first, last in runs:
        rows = conn.execute("SELECT org_id, org_type, grade, total, profile, head, input, org"
                            " FROM scored WHERE id BETWEEN ? AND ? ORDER BY id", (first, last))
        start = (conn.execute("SELECT max(id) FROM run_chunks").fetchone()[0] or 0) + 1
        seq = 0
        while batch := rows.fetchmany(CHUNK_ROWS):
            chunk = conn.execute("INSERT INTO run_chunks (run_id, first, n, body)"
                                 " VALUES (?, ?, ?, ?)",
                                 (run_id, seq, len(batch), pack_rows(batch))).lastrowid
            conn.executemany("INSERT OR IGNORE INTO run_orgs VALUES (?, ?, ?, ?)",
                             [(row[0], run_id, chunk, at) for at, row in enumerate(batch)])
            seq += len(batch)
        end = conn.execute("SELECT max(id) FROM run_chunks").fetchone()[0] or 0
        conn.execute("UPDATE runs SET layout = ?, first_id = ?, last_id = ? WHERE id = ?",
                     (COMPACT, start, max(end, start - 1), run_id))
    conn.execute("DROP TABLE IF EXISTS scored")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _m001_initial, _m002_tracked_flags, _m003_compact_runs, _m004_no_grade_index,
    _m005_chunked_runs]
_MIGRATIONS_TABLE = ('CREATE TABLE IF NOT EXISTS "_migrations" (\n   "name" TEXT PRIMARY KEY,\n'
                     '   "applied_at" TEXT\n)')


def pending_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations not yet applied to a database."""
    try:
        done = {name for (name,) in conn.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        done = set()
    return [name for name in map(migration_name, MIGRATIONS) if name not in done]


def migration_name(migration: Callable) -> str:
    return migration.__name__.lstrip("_")


def migrate(conn: sqlite3.Connection) -> None:
    """Run every migration not yet applied, each in a transaction of its own and recorded by
    name in `_migrations` (one another process applied meanwhile is not run again)."""
    conn.execute(_MIGRATIONS_TABLE)
    for migration in MIGRATIONS:
        name = migration_name(migration)
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone() is None:
                migration(conn)
                conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, now()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class RunMeta:
    """What identifies a run besides its results: scheme, plugins, inputs."""

    scheme_id: str
    scheme_version: str
    scheme_hash: str
    plugin_versions: dict[str, str]
    plugin: str = ""
    scheme_text: str = ""
    scheme_format: str = "json"
    input_digest: str = ""
    sources: list[str] = field(default_factory=list)
    workers: int = 1
    note: str = ""
    as_of: str = ""
    started_at: str = field(default_factory=now)


@dataclass
class RunSummary:
    run_id: int | None
    read: int = 0
    scored: int = 0
    rejected: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    existing: bool = False
    """The identical input was stored before (`run_id`): nothing was stored again."""

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "read": self.read, "scored": self.scored,
                "rejected": self.rejected, "grades": self.grades,
                "batch_findings": [msgspec.to_builtins(f) for f in self.findings]}


def tally(items: Iterable[Any], summary: RunSummary) -> Iterator[Any]:
    """Count results, rejects and grades as they pass."""
    for item in items:
        summary.read += 1
        if isinstance(item, Reject):
            summary.rejected += 1
        else:
            summary.scored += 1
            summary.grades[item.grade] = summary.grades.get(item.grade, 0) + 1
        yield item


# -- staging ----------------------------------------------------------------------------------
_STAGE_TABLES = (
    # Where each id was first met (input, row) for the reject of a later row with the same
    # id, and where its row is staged (chunk, place).
    "CREATE TABLE ids (org_id TEXT PRIMARY KEY, part INTEGER, row INTEGER, chunk INTEGER,"
    " at INTEGER) WITHOUT ROWID",
    "CREATE TABLE chunks (id INTEGER PRIMARY KEY, first INTEGER, n INTEGER, body BLOB)",
    "CREATE TABLE profiles (id INTEGER PRIMARY KEY, body BLOB)",
    "CREATE TABLE rejects (row INTEGER, source TEXT, org_id TEXT, field TEXT, reason TEXT)",
)


# A batch's ids (`compact.staged_ids`) and rejects go in as one JSON array each: one statement
# a batch, during which SQLite leaves the interpreter free (`executemany` takes it back for
# every row). Ids of rows that follow one another are a flat array, their rows counted from
# the first: taking each row out of a pair took SQLite three times as long as the insert.
# (`json_extract`, not `->>`, which SQLite has only since 3.38.)
_INSERT_IDS = ("INSERT OR IGNORE INTO ids SELECT json_extract(value, '$[0]'), ?,"
               " json_extract(value, '$[1]'), ?, key FROM json_each(?)")
_INSERT_ID_RUN = "INSERT OR IGNORE INTO ids SELECT value, ?, ? + key, ?, key FROM json_each(?)"
_DELETE_IDS = ("DELETE FROM ids WHERE chunk = ? AND org_id IN"
               " (SELECT json_extract(value, '$[0]') FROM json_each(?))")
_DELETE_ID_RUN = "DELETE FROM ids WHERE chunk = ? AND org_id IN (SELECT value FROM json_each(?))"


def _stage_ids(conn: sqlite3.Connection, part: int, chunk: int, ids: StagedIds) -> None:
    if ids.first is None:
        conn.execute(_INSERT_IDS, (part, chunk, ids.json))
    else:
        conn.execute(_INSERT_ID_RUN, (part, ids.first, chunk, ids.json))


def _unstage_ids(conn: sqlite3.Connection, chunk: int, ids: StagedIds) -> None:
    conn.execute(_DELETE_IDS if ids.first is None else _DELETE_ID_RUN, (chunk, ids.json))


_INSERT_REJECTS = ("INSERT INTO rejects SELECT json_extract(value, '$[0]'),"
                   " json_extract(value, '$[1]'), json_extract(value, '$[2]'),"
                   " json_extract(value, '$[3]'), json_extract(value, '$[4]')"
                   " FROM json_each(?) ORDER BY key")


def _rejects_json(items: list[Scored | Reject]) -> bytes:
    """What `_INSERT_REJECTS` reads: `[[row, source, org_id, field, reason], ...]`."""
    return _encode([(r.row, r.source, r.org_id, r.field, r.reason)
                    for r in items if r.__class__ is Reject])


@dataclass
class Prepared:
    """A batch ready to be written (`RunStage.prepare`)."""

    items: list | Tally
    source: str | None
    part: int
    rows: int
    """Scored rows: the batch's items that are not rejects."""
    ids: StagedIds | None
    """The scored rows' ids (None when none was scored)."""
    rejects: bytes
    """`[[row, source, org_id, field, reason], ...]`, as JSON; empty when none."""
    packed: Packed | None
    """The rows encoded (compressed only when `light`)."""
    light: bool = False
    """Packed elsewhere: the scored items hold only row, id, type, grade and total."""


def duplicate_reason(org_id: str, row: int, source: str | None) -> str:
    where = f"{source} 第 {row} 行" if source else f"第 {row} 行"
    return f"组织编号 {org_id} 重复：已按{where}评分，本行未评分（同一批次中每个组织只评一次）"


STAGE_PREFIX = ".dangjian-stage-"


def _remove_abandoned_stages(folder: str | None) -> None:
    """Staging files left by a process that was killed (its pid no longer runs)."""
    for path in Path(folder or tempfile.gettempdir()).glob(f"{STAGE_PREFIX}*-*.db"):
        try:
            pid = int(path.name[len(STAGE_PREFIX):].split("-", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except (ValueError, OSError):
            continue


class RunStage:
    """A run's rows, staged in a file of their own until the run is complete.

    Nothing here locks the run database. Repeated organization ids are found here, on disk:
    the first scored row of an id is kept, each later one becomes a reject naming it.
    """

    def __init__(self, beside: str | Path | None = None) -> None:
        folder = None
        if beside is not None and str(beside) != ":memory:":
            folder = str(Path(beside).resolve().parent)
        _remove_abandoned_stages(folder)
        handle, self.path = tempfile.mkstemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", suffix=".db",
                                             dir=folder)
        os.close(handle)
        # Written from one thread at a time, which need not be the one that made it
        # (`runner._Writer`).
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("PRAGMA cache_size = -16000")
        for sql in _STAGE_TABLES:
            self.conn.execute(sql)
        self.conn.execute("BEGIN")
        self._packer = ChunkPacker()
        self._chunks = 0
        self._staged = 0
        """Chunks and organizations staged so far."""
        self._sources: dict[int, str | None] = {}
        """Each input's source by its `part` (the first row of an id is found as part, row)."""

    def prepare(self, items: list[Scored | Reject] | Tally, source: str | None, part: int = 0,
                packed: Packed | None = None) -> Prepared:
        """A batch, in input order, to be staged as one chunk (`part`: which input of the run
        it comes from): what of staging needs the interpreter, its ids and rejects as JSON
        and its rows encoded. `write` does the rest; batches are prepared and written in
        input order, and `write` returns the batch with repeated organizations rejected.

        `packed` is the batch's scored rows already packed by a `ChunkPacker` elsewhere (a
        worker process), as `(body, new profiles)`; its items then need only their row,
        organization id, type, grade and total, or are a `Tally` of them."""
        self._sources.setdefault(part, source)
        if items.__class__ is Tally:
            return Prepared(items, source, part, items.count, items.ids, b"", packed, True)
        scored = [item for item in items if item.__class__ is not Reject]
        rejects = _rejects_json(items) if len(scored) != len(items) else b""
        if not scored:
            return Prepared(items, source, part, 0, None, rejects, None)
        ids = staged_ids(scored)
        if packed is not None:
            return Prepared(items, source, part, len(scored), ids, rejects, packed, True)
        return Prepared(items, source, part, len(scored), ids, rejects,
                        self._packer.encode(scored))

    def write(self, batch: Prepared) -> list[Scored | Reject] | Tally:
        """Stage a prepared batch and return its items, repeated organizations rejected (a
        `Tally` stays one unless some of its organizations were met before).
        SQLite and Zstandard do most of this with the interpreter free (one statement a
        batch), so it may run in a thread of its own beside the scoring."""
        conn = self.conn
        items, rows = batch.items, batch.rows
        if rows:
            body, profiles = batch.packed
            if profiles:
                conn.executemany("INSERT OR IGNORE INTO profiles VALUES (?, ?)", profiles)
            # Each id keeps its first row (INSERT OR IGNORE, in input order). Only when some
            # were ignored are the batch's ids taken back, its repeated rows rejected (naming
            # each id's first row) and the rest placed again.
            chunk = self._chunks + 1
            before = conn.total_changes
            _stage_ids(conn, batch.part, chunk, batch.ids)
            if conn.total_changes - before != rows:
                _unstage_ids(conn, chunk, batch.ids)
                if batch.light:
                    items = self._unpacked(items, body)
                items = self._reject_repeated(items, batch.source, batch.part)
                scored = [item for item in items if item.__class__ is not Reject]
                rows = len(scored)
                if scored:
                    _stage_ids(conn, batch.part, chunk, staged_ids(scored))
                    body, profiles = ChunkPacker().pack(scored)
                    conn.executemany("INSERT OR IGNORE INTO profiles VALUES (?, ?)", profiles)
                batch.rejects = _rejects_json(items)
            elif not batch.light:
                body = compress(body)
            if rows:
                conn.execute("INSERT INTO chunks VALUES (?, ?, ?, ?)",
                             (chunk, self._staged, rows, body))
                self._chunks = chunk
                self._staged += rows
        if batch.rejects:
            conn.execute(_INSERT_REJECTS, (batch.rejects,))
        return items

    def _unpacked(self, items: list[Scored | Reject] | Tally, body: bytes
                  ) -> list[Scored | Reject]:
        """A batch packed elsewhere as whole items again (to reject repeated ones), each row's
        profile as its bytes."""
        rows = iter(unpack_rows(body))
        bodies: dict[int, bytes] = {}
        out: list[Scored | Reject] = []
        for item in items.ids.rows() if items.__class__ is Tally else items:
            if item.__class__ is not Reject:
                org_id, org_type, grade, total, ref, head, given, org = next(rows)
                if ref.__class__ is not bytes:
                    found = bodies.get(ref)
                    if found is None:
                        found = bodies[ref] = self.conn.execute(
                            "SELECT body FROM profiles WHERE id = ?", (ref,)).fetchone()[0]
                    ref = found
                row = item if item.__class__ is int else item.row
                item = Scored(row, org_id, org_type, grade, total, ref, head, given, org)
            out.append(item)
        return out

    def _reject_repeated(self, items: list[Scored | Reject], source: str | None, part: int
                         ) -> list[Scored | Reject]:
        """The batch with each row whose id was met before (staged, or earlier in the batch)
        rejected, naming that first row."""
        first = self._seen({item.org_id for item in items if item.__class__ is not Reject})
        out: list[Scored | Reject] = []
        for item in items:
            if item.__class__ is not Reject:
                met = first.get(item.org_id)
                if met is None:
                    first[item.org_id] = (item.row, source)
                else:
                    item = Reject(row=item.row, source=source, org_id=item.org_id,
                                  field="org_id", reason=duplicate_reason(item.org_id, *met))
            out.append(item)
        return out

    def _seen(self, org_ids: set[str]) -> dict[str, tuple[int, str | None]]:
        """(row, source) of the staged first row of each of these ids that has one."""
        found: dict[str, tuple[int, str | None]] = {}
        ids = list(org_ids)
        for start in range(0, len(ids), 500):
            some = ids[start:start + 500]
            marks = ", ".join("?" * len(some))
            for org_id, part, row in self.conn.execute(
                    f"SELECT org_id, part, row FROM ids WHERE org_id IN ({marks})", some):
                found[org_id] = (row, self._sources[part])
        return found

    def results(self, unpacker: Unpacker) -> Iterator[Result]:
        """The staged results (no lines), in input order: for batch rules."""
        body_of = dict(self.conn.execute("SELECT id, body FROM profiles")).__getitem__
        for (chunk,) in self.conn.execute("SELECT body FROM chunks ORDER BY id"):
            for packed in unpack_rows(chunk):
                org_id, org_type, grade, total, key, body, head, given, _org = \
                    _stored_row(packed, body_of)
                yield unpacker.result(org_id, org_type, grade, total,
                                      unpacker.profile(key, body), head, given)

    def finish(self) -> None:
        """All rows are in: make them readable by the database that copies them."""
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def discard(self) -> None:
        try:
            self.conn.close()
        finally:
            Path(self.path).unlink(missing_ok=True)


# -- the database -----------------------------------------------------------------------------
class Store:
    """The run database. One `Store` per process; opened once, migrated on open.

    `catalog` (default: the installed plugins, loaded when first needed) supplies the methods
    an explanation is rendered with.
    """

    def __init__(self, path: str | Path, *, catalog: Any = None,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = str(path)
        self._catalog = catalog
        self._plans: dict[str, Any] = {}
        self._unpackers: dict[int, Unpacker] = {}
        self._db: Any = None
        self.busy_timeout_ms = busy_timeout_ms
        self.conn = sqlite3.connect(self.path)
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
            self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new database's only
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            if pending_migrations(self.conn):
                migrate(self.conn)
        except sqlite3.OperationalError as exc:
            self.conn.close()
            if is_busy(exc):
                raise self.busy() from None
            raise

    @property
    def db(self) -> Any:
        """The same connection as a `sqlite_utils.Database`, for the flags tracked per run
        (imported when first needed: scoring a run needs only `sqlite3`)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def _query(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict]:
        """Rows as dictionaries by column name."""
        cursor = self.conn.execute(sql, tuple(params))
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def busy(self) -> DatabaseBusy:
        """The error for a database another program keeps locked."""
        return DatabaseBusy(f"评分数据库 {self.path} 正被另一个程序写入，等待"
                            f" {self.busy_timeout_ms // 1000} 秒后仍未释放；请稍后再试")

    def close(self) -> None:
        self.conn.close()

    # -- writing ------------------------------------------------------------------------------
    def stage(self) -> RunStage:
        """A staging file for a new run, beside this database."""
        return RunStage(self.path)

    def find_run(self, meta: RunMeta) -> int | None:
        """A stored run of the same scheme (by hash) from the same inputs and note, if any."""
        if not meta.input_digest:
            return None
        rows = list(self._query(
            "SELECT id FROM runs WHERE scheme_hash = ? AND input_digest = ? AND note = ?"
            " AND finished_at IS NOT NULL ORDER BY id LIMIT 1",
            [meta.scheme_hash, meta.input_digest, meta.note]))
        return rows[0]["id"] if rows else None

    def commit_run(self, meta: RunMeta, stage: RunStage, summary: RunSummary,
                   out_digest: str | None = None) -> int:
        """Copy a staged run into the database in one short transaction; its new id."""
        stage.finish()
        conn = self.conn
        if conn.in_transaction:
            conn.commit()
        conn.execute("ATTACH DATABASE ? AS stage", (stage.path,))
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise (self.busy() if is_busy(exc) else exc) from None
            try:
                run_id = self._insert_run(meta, summary, out_digest)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute("DETACH DATABASE stage")
        return run_id

    def _insert_run(self, meta: RunMeta, summary: RunSummary, out_digest: str | None) -> int:
        conn = self.conn
        conn.execute("INSERT OR IGNORE INTO schemes VALUES (?, ?, ?, ?, ?, ?)",
                     (meta.scheme_hash, meta.scheme_id, meta.scheme_version, meta.plugin,
                      meta.scheme_format, meta.scheme_text))
        run_id = conn.execute(
            "INSERT INTO runs (scheme_id, scheme_version, scheme_hash, plugin_versions,"
            " input_digest, sources, started_at, finished_at, read, scored, rejected, workers,"
            " grades, note, layout, as_of, out_digest, batch_findings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (meta.scheme_id, meta.scheme_version, meta.scheme_hash,
             _encode(meta.plugin_versions).decode(), meta.input_digest,
             _encode(meta.sources).decode(), meta.started_at, now(), summary.read,
             summary.scored, summary.rejected, meta.workers, _encode(summary.grades).decode(),
             meta.note, COMPACT, meta.as_of or None, out_digest,
             _encode(summary.findings).decode())).lastrowid
        # The staged chunks are numbered from 1 without gaps: they follow the last stored one.
        first = (conn.execute("SELECT max(id) FROM run_chunks").fetchone()[0] or 0) + 1
        conn.execute("INSERT INTO profiles SELECT ?, id, body FROM stage.profiles", (run_id,))
        conn.execute("INSERT INTO run_chunks (id, run_id, first, n, body) SELECT id + ?, ?,"
                     " first, n, body FROM stage.chunks ORDER BY id", (first - 1, run_id))
        conn.execute("INSERT INTO run_orgs SELECT org_id, ?, chunk + ?, at FROM stage.ids",
                     (run_id, first - 1))
        last = conn.execute("SELECT max(id) FROM run_chunks").fetchone()[0] or 0
        conn.execute("INSERT INTO rejects SELECT ?, row, source, org_id, field, reason"
                     " FROM stage.rejects ORDER BY rowid", (run_id,))
        conn.execute("UPDATE runs SET first_id = ?, last_id = ? WHERE id = ?",
                     (first, max(last, first - 1), run_id))
        return run_id

    # -- runs ---------------------------------------------------------------------------------
    def _run_row(self, row: dict) -> dict:
        row = dict(row)
        for key in ("plugin_versions", "sources", "grades"):
            row[key] = msgspec.json.decode(row[key]) if row.get(key) else {}
        row["batch_findings"] = (msgspec.json.decode(row["batch_findings"])
                                 if row.get("batch_findings") else [])
        return row

    def runs(self, *, limit: int = 50, offset: int = 0) -> list[dict]:
        rows = self._query("SELECT * FROM runs WHERE finished_at IS NOT NULL"
                             " ORDER BY id DESC LIMIT ? OFFSET ?", [limit, offset])
        return [self._run_row(row) for row in rows]

    def run(self, run_id: int) -> dict:
        rows = list(self._query("SELECT * FROM runs WHERE id = ? AND finished_at IS NOT NULL",
                                  [run_id]))
        if not rows:
            raise NotFound(f"没有编号为 {run_id} 的评分批次")
        return self._run_row(rows[0])

    def latest_run_id(self, scheme_id: str | None = None) -> int:
        """The latest finished run, of one scheme if given."""
        sql = "SELECT max(id) AS id FROM runs WHERE finished_at IS NOT NULL"
        params: list = []
        if scheme_id is not None:
            sql += " AND scheme_id = ?"
            params.append(scheme_id)
        rows = list(self._query(sql, params))
        if not rows or rows[0]["id"] is None:
            raise NotFound("数据库中还没有评分批次" if scheme_id is None
                           else f"数据库中还没有方案 {scheme_id} 的评分批次")
        return rows[0]["id"]

    def runs_with(self, org_id: str) -> list[dict]:
        """The finished runs that scored an organization, latest first."""
        compact = [row["id"] for row in self._query(
            "SELECT o.run_id AS id FROM run_orgs o JOIN runs r ON r.id = o.run_id"
            " WHERE o.org_id = ? AND r.finished_at IS NOT NULL", [org_id])]
        legacy = [row["run_id"] for row in self._query(
            "SELECT DISTINCT run_id FROM results WHERE org_id = ?", [org_id])]
        return [self.run(run_id) for run_id in sorted(set(compact + legacy), reverse=True)]

    def scheme_text(self, run_id: int) -> tuple[str, str]:
        """The scheme a run was scored with, as stored: (text, format)."""
        run = self.run(run_id)
        rows = list(self._query("SELECT text, format FROM schemes WHERE hash = ?",
                                  [run["scheme_hash"]]))
        if not rows:
            raise NotFound(f"批次 {run_id} 是旧格式，没有保存方案原文")
        return rows[0]["text"], rows[0]["format"]

    # -- results ------------------------------------------------------------------------------
    def _unpacker(self, run: dict) -> Unpacker:
        found = self._unpackers.get(run["id"])
        if found is None:
            from dangjian.catalogue.loading import decode_scheme

            text, fmt = self.scheme_text(run["id"])
            scheme = decode_scheme(text.encode(), file=f"批次 {run['id']} 的方案", fmt=fmt)
            plugin = next(iter(self._query("SELECT plugin FROM schemes WHERE hash = ?",
                                             [run["scheme_hash"]])))["plugin"]
            ref = SchemeRef(id=run["scheme_id"], version=run["scheme_version"],
                            hash=run["scheme_hash"], plugin=plugin,
                            plugins=run["plugin_versions"])
            found = self._unpackers[run["id"]] = Unpacker(scheme, ref)
        return found

    def count_results(self, run_id: int, *, grade: str | None = None,
                      org_type: str | None = None) -> int:
        run = self.run(run_id)
        if run["layout"] != COMPACT:
            where, params = _filters("run_id = ?", [run_id], grade, org_type)
            return next(self._query(f"SELECT count(*) AS n FROM results WHERE {where}",
                                      params))["n"]
        if grade is None and org_type is None:
            return run["scored"]
        return sum(1 for _ in self._rows(run, grade, org_type))

    def results(self, run_id: int, *, grade: str | None = None, org_type: str | None = None,
                limit: int | None = None, offset: int = 0,
                with_lines: bool = False) -> Iterator[Result]:
        """Stored results of a run in input order, filtered and paged with bound parameters;
        `with_lines` renders each result's explanation again."""
        run = self.run(run_id)
        if run["layout"] != COMPACT:
            yield from self._legacy_results(run_id, grade, org_type, limit, offset, with_lines)
            return
        yield from self._compact_results(run, self._rows(run, grade, org_type, limit, offset),
                                         with_lines)

    def _compact_results(self, run: dict, rows: Iterable[tuple], with_lines: bool
                         ) -> Iterator[Result]:
        unpacker = self._unpacker(run)
        for org_id, org_type_, grade_, total, key, body, head, given, org in rows:
            result = unpacker.result(org_id, org_type_, grade_, total,
                                     unpacker.profile(key, body), head, given)
            if with_lines:
                result = self._with_lines(run, result, given, org)
            yield result

    def _rows(self, run: dict, grade: str | None = None, org_type: str | None = None,
              limit: int | None = None, offset: int = 0) -> Iterator[tuple]:
        """Stored rows of a compact run in input order, filtered and paged: (org_id, org_type,
        grade, total, profile id or None when kept inline, profile body, head, input,
        org)."""
        bodies = self._profile_bodies(run["id"])
        if grade is None and org_type is None:
            rows = self._chunk_rows(run, offset)
        else:
            rows = islice((row for row in self._chunk_rows(run, 0)
                           if (grade is None or row[2] == grade)
                           and (org_type is None or row[1] == org_type)), offset, None)
        body_of = bodies.__getitem__
        for packed in islice(rows, limit):
            yield _stored_row(packed, body_of)

    def _chunk_rows(self, run: dict, skip: int) -> Iterator[list]:
        """The rows of a run's chunks as packed, in order, the first `skip` left out (whole
        chunks unread)."""
        for first, chunk in self.conn.execute(
                "SELECT first, body FROM run_chunks WHERE id BETWEEN ? AND ? AND first + n > ?"
                " ORDER BY id", (run["first_id"], run["last_id"], skip)):
            rows = unpack_rows(chunk)
            yield from rows[skip - first:] if skip > first else rows

    def _profile_bodies(self, run_id: int) -> dict[int, bytes]:
        return dict(self.conn.execute("SELECT id, body FROM profiles WHERE run_id = ?",
                                      (run_id,)))

    def stored_rows(self, run_id: int
                    ) -> tuple[Unpacker, Callable[[int], bytes], Iterator[list]]:
        """A compact run's rows in input order as its chunks hold them (org_id, org_type,
        grade, total, profile, head, input, org; the profile is its id, or its body where
        kept inline), with the unpacker that reads them and the body of a profile by id."""
        run = self.run(run_id)
        if run["layout"] != COMPACT:
            raise DangjianError(f"批次 {run_id} 是旧格式，没有保存评分输入")
        return (self._unpacker(run), self._profile_bodies(run["id"]).__getitem__,
                self._chunk_rows(run, 0))

    def result(self, run_id: int, org_id: str, *, with_lines: bool = True) -> Result:
        """One organization's result in a run, its explanation rendered unless asked not to."""
        run = self.run(run_id)
        if run["layout"] != COMPACT:
            found = list(self._legacy_results(run_id, None, None, None, 0, with_lines,
                                              org_id=org_id))
        else:
            found = []
            place = self.conn.execute(
                "SELECT c.body, o.at FROM run_orgs o JOIN run_chunks c ON c.id = o.chunk"
                " WHERE o.org_id = ? AND o.run_id = ?", (org_id, run_id)).fetchone()
            if place is not None:
                row = _stored_row(unpack_rows(place[0])[place[1]], lambda profile: next(
                    self.conn.execute("SELECT body FROM profiles WHERE run_id = ? AND id = ?",
                                      (run_id, profile)))[0])
                found = list(self._compact_results(run, [row], with_lines))
        if not found:
            raise NotFound(f"批次 {run_id} 中没有组织 {org_id} 的结果")
        return found[0]

    def _with_lines(self, run: dict, result: Result, given: bytes, org: bytes | None) -> Result:
        plan = self._plan(run)
        evaluation = _decode_evaluation(given)
        registry = None
        if org is not None:
            organization = _decode_org(org)
            registry = {organization.id: organization}
        rendered = plan.score(evaluation, registry)
        return msgspec.structs.replace(result, lines=rendered.lines)

    def _plan(self, run: dict):
        plan = self._plans.get(run["scheme_hash"])
        if plan is None:
            from dangjian.scoring.engine import compile_scheme
            from dangjian.catalogue.loading import decode_scheme
            from dangjian.catalogue.plugins import LoadedScheme, load_catalog

            if self._catalog is None:
                self._catalog = load_catalog()
            text, fmt = self.scheme_text(run["id"])
            scheme = decode_scheme(text.encode(), file=f"批次 {run['id']} 的方案", fmt=fmt)
            loaded = LoadedScheme(scheme=scheme, plugin=self._unpacker(run).ref.plugin,
                                  path=None, hash=run["scheme_hash"])
            plan = self._plans[run["scheme_hash"]] = compile_scheme(loaded, self._catalog)
        return plan

    def evaluations(self, run_id: int) -> Iterator[tuple[int, Evaluation]]:
        """The stored evaluations of a run in input order, numbered from 1, each with its
        organization inline (as scored: from the input or from `--orgs`)."""
        run = self.run(run_id)
        if run["layout"] != COMPACT:
            raise DangjianError(f"批次 {run_id} 是旧格式，没有保存评分输入")
        for seq, row in enumerate(self._chunk_rows(run, 0), 1):
            yield seq, stored_evaluation(row[6], row[7])

    def findings(self, run_id: int) -> Iterator[tuple[str, str, list[Finding]]]:
        """(org id, org name, findings) of every scored organization, in input order."""
        for result in self.results(run_id):
            yield result.org_id, result.org_name, result.findings

    def duplicates(self, run_id: int) -> dict[str, int]:
        """Organization ids scored more than once in a run, with their counts, in id order.
        A run stored compactly never holds one: later rows of an id are rejected."""
        run = self.run(run_id)
        if run["layout"] == COMPACT:
            return {}
        return {row["org_id"]: row["n"] for row in self._query(
            "SELECT org_id, COUNT(*) AS n FROM results WHERE run_id = ? GROUP BY org_id"
            " HAVING COUNT(*) > 1 ORDER BY org_id", [run_id])}

    def rejects(self, run_id: int) -> list[Reject]:
        self.run(run_id)
        return [Reject(row=r["row"], reason=r["reason"], field=r["field"], source=r["source"],
                       org_id=r["org_id"])
                for r in self._query("SELECT * FROM rejects WHERE run_id = ? ORDER BY rowid",
                                       [run_id])]

    def stored_bytes(self, run_id: int) -> Iterator[tuple]:
        """The stored rows of a run exactly as written (without their ids): for determinism
        checks."""
        run = self.run(run_id)
        if run["layout"] != COMPACT:
            yield from (tuple(r.values()) for r in self._query(
                "SELECT r.payload, l.payload AS lines FROM results r JOIN lines l"
                " ON l.run_id = r.run_id AND l.seq = r.seq WHERE r.run_id = ? ORDER BY r.seq",
                [run_id]))
            return
        for org_id, org_type, grade, total, _key, body, head, given, org in self._rows(run):
            yield org_id, org_type, grade, total, body, head, given, org

    # -- runs stored with their explanations (before compact storage) -------------------------
    def _legacy_results(self, run_id, grade, org_type, limit, offset, with_lines, *,
                        org_id: str | None = None) -> Iterator[Result]:
        where, params = _filters("r.run_id = ?", [run_id], grade, org_type, prefix="r.")
        if org_id is not None:
            where += " AND r.org_id = ?"
            params.append(org_id)
        sql = ("SELECT r.payload, l.payload AS lines FROM results r LEFT JOIN lines l"
               f" ON l.run_id = r.run_id AND l.seq = r.seq WHERE {where} ORDER BY r.seq")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        for row in self._query(sql, params):
            result = _decode_result(row["payload"])
            if with_lines and row.get("lines"):
                result = msgspec.structs.replace(result, lines=_decode_lines(row["lines"]))
            yield result


def _stored_row(packed: list, body_of: Callable[[int], bytes]) -> tuple:
    """A row as a chunk holds it, as `Store._rows` gives it: the profile's id (None when
    kept inline) and its body beside it."""
    org_id, org_type, grade, total, profile, head, given, org = packed
    if profile.__class__ is bytes:
        return org_id, org_type, grade, total, None, profile, head, given, org
    return org_id, org_type, grade, total, profile, body_of(profile), head, given, org


def stored_evaluation(given: bytes, org: bytes | None) -> Evaluation:
    """A stored input as the evaluation it was scored as: the organization inline (from the
    input, or the one stored with it from `--orgs`)."""
    evaluation = _decode_evaluation(given)
    if org is not None:
        o = _decode_org(org)
        evaluation = msgspec.structs.replace(evaluation, org=OrgInline(
            name=o.name, type=o.type, parent_id=o.parent_id, attributes=o.attributes))
    return evaluation


def _filters(base: str, params: list, grade: str | None, org_type: str | None, *,
             prefix: str = "") -> tuple[str, list]:
    clauses, params = [base], list(params)
    if grade is not None:
        clauses.append(f"{prefix}grade = ?")
        params.append(grade)
    if org_type is not None:
        clauses.append(f"{prefix}org_type = ?")
        params.append(org_type)
    return " AND ".join(clauses), params


def is_busy(exc: BaseException) -> bool:
    """Whether an SQLite error means another program holds the database's lock."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc))
