"""Benchmark set-up: sizes from the environment, generated input files, the floor and the
pipeline runs (shared by the ratio benchmarks), and the figures table printed at the end.

Sizes: `DANGJIAN_BENCH_RECORDS` (default 100000) for floor, pipeline, kernel and OpenFisca;
`DANGJIAN_BENCH_ROUNDS` (default 1): each timing is the best of this many runs;
`DANGJIAN_BENCH_PEER_RECORDS` (default 20000) for zen-engine; `DANGJIAN_BENCH_5M=1` adds the
5,000,000-record memory run. `DANGJIAN_BENCH_DATA=dir` keeps generated inputs between runs;
`DANGJIAN_BENCH_JSON=file` saves the figures.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from dangjian import load_catalog

from .figures import Figures, strict
from .kernel_calls import decide, verdict
from .measure import db_bytes, measure_floor, remove_db, run, score_command
from .synthetic import evaluations_jilin, write_jsonl

RECORDS = int(os.environ.get("DANGJIAN_BENCH_RECORDS", "100000"))
ROUNDS = max(1, int(os.environ.get("DANGJIAN_BENCH_ROUNDS", "1")))
PEER_RECORDS = int(os.environ.get("DANGJIAN_BENCH_PEER_RECORDS", "20000"))
SCHEME = "jilin-health-2019"

_figures = Figures()


def pytest_sessionstart(session):
    _figures.notes.append(_machine("at start"))


def _machine(when: str) -> str:
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs; load average {when}: {one:.2f} (1 min), {five:.2f} (5 min)"


def pytest_terminal_summary(terminalreporter):
    if not (_figures.values or _figures.ratios):
        return
    _figures.notes.append(_machine("at end"))
    for line in _figures.report():
        terminalreporter.write_line(line)
    terminalreporter.write_line("")
    terminalreporter.write_line("for benchmarks/README.md:")
    for line in _figures.markdown():
        terminalreporter.write_line(line)
    target = os.environ.get("DANGJIAN_BENCH_JSON")
    if target:
        _figures.save(target)
        terminalreporter.write_line(f"figures saved to {target}")


@pytest.fixture(scope="session")
def figures() -> Figures:
    return _figures


def check_goal(ratio) -> None:
    """Fail on a missed goal only in strict mode; otherwise the table reports it."""
    if strict():
        assert ratio.met, ratio.line()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    kept = os.environ.get("DANGJIAN_BENCH_DATA")
    if kept:
        path = Path(kept)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("bench")


def jilin_input(data_dir: Path, n: int) -> Path:
    """`n` generated jilin-health-2019 evaluations as JSONL (kept if already there)."""
    path = data_dir / f"jilin-{n}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_jsonl(partial, evaluations_jilin(n))
        partial.rename(path)
    return path


@pytest.fixture(scope="session")
def jilin_file(data_dir) -> Path:
    return jilin_input(data_dir, RECORDS)


@pytest.fixture(scope="session")
def plan():
    return load_catalog().plan(SCHEME)


@pytest.fixture(scope="session")
def floor(jilin_file, data_dir, figures):
    """The floor, measured once per run: decode the JSONL, insert one ~300-byte row each."""
    result = min((measure_floor(jilin_file, data_dir / "floor.db") for _ in range(ROUNDS)),
                 key=lambda floor: floor.seconds)
    figures.add("floor: msgspec decode", result.records / result.decode_seconds, "records/s")
    figures.add(f"floor: SQLite insert, one {result.row_bytes:.0f}-byte row each, "
                "one transaction", result.records / result.insert_seconds, "rows/s")
    figures.add("floor: decode + insert", result.rate, "records/s")
    return result


@pytest.fixture(scope="session")
def pipeline(jilin_file, data_dir, figures):
    """`dangjian score SCHEME FILE --db DB` end to end, one and two workers, each a cold
    process; the database of the one-worker run is kept for its size."""
    runs, summaries, sizes = {}, {}, {}
    for _ in range(ROUNDS):
        for workers in (1, 2):
            db = data_dir / f"pipeline-{workers}.db"
            remove_db(db)
            done = run(score_command(SCHEME, jilin_file, db, workers))
            assert done.returncode == 0, done.stderr
            summary = done.json()
            assert summary["read"] == RECORDS
            assert summary["scored"] + summary["rejected"] == RECORDS
            assert summary["workers"] == workers
            summaries[workers] = (summary["scored"], summary["rejected"], summary["grades"])
            sizes[workers] = db_bytes(db)
            if workers not in runs or done.seconds < runs[workers].seconds:
                runs[workers] = done
            remove_db(db)
    for workers, done in runs.items():
        figures.add(f"pipeline: dangjian score --db, --workers {workers}", RECORDS / done.seconds,
                    "records/s")
    figures.add("pipeline: database bytes per organization", sizes[1] / RECORDS, "B")
    assert summaries[1] == summaries[2], "--workers 2 scored differently from --workers 1"
    return runs, sizes


@pytest.fixture(scope="session")
def jilin_lines(jilin_file) -> list[bytes]:
    with open(jilin_file, "rb") as f:
        return [line for line in f.read().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def kernel_verdicts(plan, jilin_lines) -> list[tuple]:
    """What the kernel decides for every generated record (total, grade, vetoes, eligible
    honours, consequences), untimed: what each peer must reproduce exactly."""
    places = plan.scheme.rounding.places
    return [verdict(result, places) for result in decide(plan, jilin_lines)]


def agree(kernel: list[tuple], peer: list[tuple]) -> None:
    assert len(peer) == len(kernel), f"{len(peer)} results for {len(kernel)} records"
    mismatched = [(i, k, p) for i, (k, p) in enumerate(zip(kernel, peer)) if k != p]
    assert not mismatched, f"{len(mismatched)} records differ, first: {mismatched[:3]}"


def timed(benchmark, fn):
    """Run `fn` under pytest-benchmark `ROUNDS` times; (best seconds, last result)."""
    times: list[float] = []

    def once():
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        return result

    result = benchmark.pedantic(once, rounds=ROUNDS, iterations=1)
    return min(times), result


def best_of(fn):
    """Run `fn` `ROUNDS` times without pytest-benchmark (whose fixture times one call a test);
    (best seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result
