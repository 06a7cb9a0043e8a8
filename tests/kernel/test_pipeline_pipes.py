"""The pipes to the other scoring processes hold a whole chunk (Linux), so that a chunk never
crosses in 64 KB pieces that each wait for this process's threads."""

from __future__ import annotations

import multiprocessing
import sys

import pytest

from dangjian.scoring.pipeline import _PIPE_BYTES, _widen_pipes

fcntl = pytest.importorskip("fcntl")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are Linux's")
def test_the_pool_pipes_are_widened_to_hold_a_chunk():
    with multiprocessing.get_context("fork").Pool(1) as pool:
        ends = [pool._inqueue._writer, pool._outqueue._reader]
        before = [fcntl.fcntl(end.fileno(), fcntl.F_GETPIPE_SZ) for end in ends]
        _widen_pipes(pool)
        after = [fcntl.fcntl(end.fileno(), fcntl.F_GETPIPE_SZ) for end in ends]
        assert pool.apply(len, ("x" * 600_000,)) == 600_000
    assert before == [65536, 65536] and after == [_PIPE_BYTES, _PIPE_BYTES]
