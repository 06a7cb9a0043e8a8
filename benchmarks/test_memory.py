"""Memory: peak RSS of `dangjian score` (--db and --out, one worker) on 1,000,000 records, and
with `DANGJIAN_BENCH_5M=1` on 5,000,000 too: memory must not grow with the input. The same
batch through the kernel's calls alone (`benchmarks.kernel_run`) shows the kernel's share."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from .conftest import SCHEME, check_goal, jilin_input
from .measure import remove_db, run, score_command

SIZES = [1_000_000] + ([5_000_000] if os.environ.get("DANGJIAN_BENCH_5M") == "1" else [])
# What one stored record takes on disk (results, lines, WAL before the checkpoint, --out),
# with room to spare: a run that cannot finish is skipped, not half done.
BYTES_PER_RECORD = 10_000

peaks: dict[tuple[str, int], float] = {}
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("records", SIZES, ids=[f"{n // 1_000_000}M" for n in SIZES])
@pytest.mark.parametrize("door", ["dangjian score", "kernel alone"])
def test_peak_memory_of_one_run(door, records, data_dir, figures):
    source = jilin_input(data_dir, records)
    free = shutil.disk_usage(data_dir).free
    if free < records * BYTES_PER_RECORD:
        pytest.skip(f"{free / 1e9:.0f} GB free, {records * BYTES_PER_RECORD / 1e9:.0f} GB needed")
    db, out = data_dir / f"memory-{records}.db", data_dir / f"memory-{records}.jsonl"
    remove_db(db)
    try:
        if door == "dangjian score":
            done = run(score_command(SCHEME, source, db, out))
            assert done.returncode == 0, done.stderr
            summary = done.json()
            counts = summary["read"], summary["scored"] + summary["rejected"]
        else:
            done = run([sys.executable, "-m", "benchmarks.kernel_run", SCHEME, str(source),
                        str(db), str(out)], cwd=ROOT)
            assert done.returncode == 0, done.stderr
            read, scored, rejected = map(int, done.stdout.split())
            counts = read, scored + rejected
        assert counts == (records, records)
    finally:
        remove_db(db)
        out.unlink(missing_ok=True)
    label = f"{records // 1_000_000}M"
    figures.add(f"memory: peak RSS, {door}, {label} records", done.max_rss_mb, "MB")
    figures.add(f"memory: {door}, {label} records", records / done.seconds, "records/s")
    peaks[door, records] = done.max_rss_mb
    if (door, 1_000_000) in peaks and (door, 5_000_000) in peaks:
        check_goal(figures.ratio(f"peak RSS 5M / 1M, {door}",
                                 peaks[door, 5_000_000] / peaks[door, 1_000_000], 1.10,
                                 higher_is_better=False))
