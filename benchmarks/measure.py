"""Measuring tools shared by the benchmarks: the `dangjian` command in a subprocess with its
wall time and peak memory, and the floor (decoding and storing without scoring)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import msgspec
from dangjian.models import Evaluation
from dangjian.compact import Scored
from dangjian.pipeline import score_records
from dangjian.runner import run_meta
from dangjian.storage import Store

SCORED_INSERT = ("INSERT INTO scored (run_id, org_id, org_type, grade, total, profile, head,"
                 " input, org) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")

BIN = Path(sys.executable).parent


def command(name: str) -> str:
    """An installed console script of this environment (`dangjian`)."""
    path = BIN / name
    if not path.exists():
        raise RuntimeError(f"{name} is not installed in {BIN}")
    return str(path)


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    stdout: str
    stderr: str
    returncode: int

    def json(self) -> dict:
        return json.loads(self.stdout)


# The command is started by a small Python process that times it and reads its peak RSS. On
# Linux a process's peak RSS survives exec, so a command forked straight from the benchmark's
# own (large) pytest process would report pytest's size; forked from this launcher, it starts
# from a few megabytes.
_LAUNCHER = """
import os, subprocess, sys, time
report, args = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
proc = subprocess.Popen(args)
_, status, usage = os.wait4(proc.pid, 0)
with open(report, "w") as f:
    f.write(f"{time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run(args: list[str], *, env: dict | None = None, cwd: str | Path | None = None) -> Run:
    """Run a command to the end: its wall time and peak RSS (`os.wait4`: the largest of the
    process and the children it waited for).

    Bytecode is cached as on a user's machine: `PYTHONDONTWRITEBYTECODE`, if set, is dropped,
    or every start would compile every module again."""
    import tempfile

    env = {k: v for k, v in (os.environ if env is None else env).items()
           if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report"
        subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), *map(str, args)],
                       stdout=out, stderr=err, env=env, cwd=cwd, check=False)
        seconds, max_rss_kb, returncode = report.read_text().split()
        out.seek(0)
        err.seek(0)
        return Run(float(seconds), int(max_rss_kb) / 1024, out.read().decode(),
                   err.read().decode(), int(returncode))


def score_command(scheme: str, source: Path, db: Path, out: Path, workers: int = 1) -> list[str]:
    return [command("dangjian"), "score", scheme, str(source), "--db", str(db), "--out", str(out),
            "--workers", str(workers), "--quiet", "--json"]


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


@dataclass
class Floor:
    """Decoding the input and inserting the stored rows, timed apart; nothing scored."""

    records: int
    decode_seconds: float
    insert_seconds: float

    @property
    def seconds(self) -> float:
        return self.decode_seconds + self.insert_seconds

    @property
    def rate(self) -> float:
        return self.records / self.seconds


def measure_floor(plan, source: Path, db: Path, chunk: int = 2000) -> Floor:
    """The floor on `source`: msgspec decoding of every line into Evaluation Structs, then the
    same compact rows the CLI stores (inputs as read, numbers, the profile inline), inserted in
    one transaction.

    The rows are produced by scoring outside the timer, a chunk at a time, so memory stays
    bounded; only `executemany` and the commit are timed.
    """
    decode = msgspec.json.Decoder(Evaluation).decode
    records = 0
    start = time.perf_counter()
    with open(source, "rb") as f:
        for line in f:
            if line.strip():
                decode(line)
                records += 1
    decode_seconds = time.perf_counter() - start

    remove_db(db)
    store = Store(db)
    conn = store.db.conn
    meta = run_meta(plan)
    insert_seconds = 0.0
    with open(source, "rb") as f:
        pairs = ((n, line) for n, line in enumerate(f, 1) if line.strip())
        items = score_records(plan, pairs, chunk_size=chunk)
        start = time.perf_counter()
        conn.execute("BEGIN")
        cursor = conn.execute(
            "INSERT INTO runs (scheme_id, scheme_version, scheme_hash, plugin_versions,"
            " started_at, workers, read, scored, rejected) VALUES (?, ?, ?, '{}', '', 1, 0, 0, 0)",
            (meta.scheme_id, meta.scheme_version, meta.scheme_hash))
        run_id = cursor.lastrowid
        insert_seconds += time.perf_counter() - start
        rows: list[tuple] = []
        for item in items:
            if not isinstance(item, Scored):
                continue
            rows.append((run_id, item.org_id, item.org_type, item.grade, item.total,
                         item.profile, item.head, item.input, item.org))
            if len(rows) >= chunk:
                start = time.perf_counter()
                conn.executemany(SCORED_INSERT, rows)
                insert_seconds += time.perf_counter() - start
                rows.clear()
        start = time.perf_counter()
        if rows:
            conn.executemany(SCORED_INSERT, rows)
        conn.execute("COMMIT")
        store.close()
        insert_seconds += time.perf_counter() - start
    remove_db(db)
    return Floor(records, decode_seconds, insert_seconds)
