"""Measuring tools shared by the benchmarks: the `dangjian` command in a subprocess with its
wall time and peak memory, and the floor (decoding and storing one row, without scoring)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlite3

import msgspec
from dangjian import Evaluation

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


def score_command(scheme: str, source: Path, db: Path, workers: int = 1) -> list[str]:
    """The command the goals name: `dangjian score SCHEME FILE --db DB`, N workers."""
    return [command("dangjian"), "score", scheme, str(source), "--db", str(db),
            "--workers", str(workers), "--quiet", "--json"]


def db_bytes(path: Path) -> int:
    """The database's size on disk, with its WAL and shared-memory files if any are left."""
    return sum(Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal", "-shm")
               if Path(f"{path}{suffix}").exists())


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@dataclass
class Floor:
    """Decoding the input and inserting one row per record, timed apart; nothing scored."""

    records: int
    decode_seconds: float
    insert_seconds: float
    row_bytes: float

    @property
    def seconds(self) -> float:
        return self.decode_seconds + self.insert_seconds

    @property
    def rate(self) -> float:
        return self.records / self.seconds


FLOOR_TABLE = """CREATE TABLE results (run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    org_id TEXT NOT NULL, inputs BLOB NOT NULL, PRIMARY KEY (run_id, seq))"""


def measure_floor(source: Path, db: Path, chunk: int = 2000) -> Floor:
    """The floor as issue 13 defines it: msgspec decoding of every line into the public
    `Evaluation` Struct, and one row of about 300 bytes per record (run, sequence number,
    organization id and the record as given) inserted into SQLite in one transaction, WAL
    journal as `dangjian` opens its database. Decoding and inserting are timed apart, the
    rows made from the decoded records inside the insert's time."""
    with open(source, "rb") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    decode = msgspec.json.Decoder(Evaluation).decode
    # The floor is the best case: no garbage collection while a list of Structs grows (the
    # collector would walk it again and again), as issue 13 asks of bulk decoding.
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        evaluations = [decode(line) for line in lines]
        decode_seconds = time.perf_counter() - start
        insert_seconds = _insert(db, lines, evaluations, chunk)
    finally:
        if gc_enabled:
            gc.enable()
    row_bytes = sum(len(line) + len(e.org_id) + 8 for e, line in zip(evaluations, lines))
    return Floor(len(lines), decode_seconds, insert_seconds, row_bytes / max(1, len(lines)))


def _insert(db: Path, lines: list[bytes], evaluations: list, chunk: int) -> float:

    remove_db(db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(FLOOR_TABLE)
    start = time.perf_counter()
    conn.execute("BEGIN")
    for at in range(0, len(lines), chunk):
        conn.executemany("INSERT INTO results VALUES (1, ?, ?, ?)",
                         [(seq, e.org_id, line) for seq, e, line in
                          zip(range(at + 1, at + chunk + 1), evaluations[at:at + chunk],
                              lines[at:at + chunk])])
    conn.execute("COMMIT")
    insert_seconds = time.perf_counter() - start
    conn.close()
    remove_db(db)
    return insert_seconds
