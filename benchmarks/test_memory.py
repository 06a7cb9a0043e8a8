"""Memory: peak RSS of `dangjian score` (--db and --out, one worker) on 1,000,000 records, and
with `DANGJIAN_BENCH_5M=1` on 5,000,000 too: memory must not grow with the input."""

from __future__ import annotations

import os
import shutil

import pytest

from .conftest import SCHEME, check_goal, jilin_input
from .measure import remove_db, run, score_command

SIZES = [1_000_000] + ([5_000_000] if os.environ.get("DANGJIAN_BENCH_5M") == "1" else [])
# What one stored record takes on disk (results, lines, WAL before the checkpoint, --out),
# with room to spare: a run that cannot finish is skipped, not half done.
BYTES_PER_RECORD = 10_000

peaks: dict[int, float] = {}


@pytest.mark.parametrize("records", SIZES, ids=[f"{n // 1_000_000}M" for n in SIZES])
def test_peak_memory_of_one_run(records, data_dir, figures):
    source = jilin_input(data_dir, records)
    free = shutil.disk_usage(data_dir).free
    if free < records * BYTES_PER_RECORD:
        pytest.skip(f"{free / 1e9:.0f} GB free, {records * BYTES_PER_RECORD / 1e9:.0f} GB needed")
    db, out = data_dir / f"memory-{records}.db", data_dir / f"memory-{records}.jsonl"
    remove_db(db)
    try:
        done = run(score_command(SCHEME, source, db, out))
        assert done.returncode == 0, done.stderr
        summary = done.json()
        assert summary["read"] == records
        assert summary["scored"] + summary["rejected"] == records
    finally:
        remove_db(db)
        out.unlink(missing_ok=True)
    label = f"{records // 1_000_000}M"
    figures.add(f"memory: peak RSS, {label} records", done.max_rss_mb, "MB")
    figures.add(f"memory run: {label} records", records / done.seconds, "records/s")
    peaks[records] = done.max_rss_mb
    if 1_000_000 in peaks and 5_000_000 in peaks:
        check_goal(figures.ratio("peak RSS 5M / 1M", peaks[5_000_000] / peaks[1_000_000], 1.10,
                                 higher_is_better=False))
