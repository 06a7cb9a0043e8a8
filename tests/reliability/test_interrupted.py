"""Interrupted runs: a killed or stopped `dangjian score` leaves no partial run and no partial
file; an output directory that cannot be written is refused before any work."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from dangjian.store.storage import Store

from .conftest import SCHEME, drop_privileges_prefix, no_traceback, run, start, write_batch


def table_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("runs", "run_chunks", "run_orgs", "profiles", "rejects")}
    finally:
        conn.close()


def stages(directory: Path) -> list[Path]:
    """The staging files of runs being scored beside the database."""
    return sorted(directory.glob(".dangjian-stage-*.db"))


def wait_until_writing(proc, db: Path, *, min_bytes: int = 2 << 20, limit: float = 300) -> None:
    """Wait until the run's staging file beside the database holds some megabytes of rows:
    the batch is then half-way through, neither before the run started nor after it committed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"评分在中断前就结束了：{proc.communicate()}"
        if any(path.stat().st_size >= min_bytes for path in stages(db.parent)
               if path.exists()):
            return
        time.sleep(0.05)
    pytest.fail("等待评分写入超时")


def descendants(pid: int) -> list[int]:
    found = []
    for child in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True,
                                check=False).stdout.split():
        found += [int(child), *descendants(int(child))]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_gone(pids: list[int], limit: float = 60) -> list[int]:
    """The processes still running once they have had `limit` seconds to notice and exit."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".partial" in p.name)


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_sigkill_mid_batch_leaves_no_partial_run_and_the_same_command_then_completes(
        tmp_path, big_batch, workers):
    path, rows, bad = big_batch
    command = ("score", SCHEME, path, "--db", "runs.db", "--rejects", "拒绝.csv",
               "--workers", workers, "--quiet")
    proc = start(*command, cwd=tmp_path)
    wait_until_writing(proc, tmp_path / "runs.db")
    helpers = descendants(proc.pid)  # worker processes, the database writer
    proc.send_signal(signal.SIGKILL)
    _stdout, stderr = proc.communicate()  # read until the orphaned workers close it too
    assert proc.returncode == -signal.SIGKILL
    assert wait_gone(helpers) == [], "进程在主进程被杀后仍在运行"
    assert no_traceback(stderr) and "BrokenPipe" not in stderr, stderr

    assert table_counts(tmp_path / "runs.db") == {"runs": 0, "run_chunks": 0, "run_orgs": 0,
                                                  "profiles": 0, "rejects": 0}
    assert not (tmp_path / "拒绝.csv").exists()

    again = run(*command, "--json", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    store = Store(tmp_path / "runs.db")
    try:
        [stored] = store.runs()
        assert (stored["read"], stored["scored"], stored["rejected"]) == (rows, rows - bad, bad)
        assert store.count_results(stored["id"]) == rows - bad
        assert len(store.rejects(stored["id"])) == bad
    finally:
        store.close()
    assert table_counts(tmp_path / "runs.db")["runs"] == 1
    assert (tmp_path / "拒绝.csv").read_text(encoding="utf-8-sig").count("\n") == bad + 1
    assert stages(tmp_path) == []  # the killed run's staging file is gone with the rerun


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_stops_cleanly_with_a_chinese_message_and_nothing_half_written(
        tmp_path, big_batch, workers):
    path, _rows, _bad = big_batch
    proc = start("score", SCHEME, path, "--db", "runs.db", "--out", "结果.csv",
                 "--rejects", "拒绝.jsonl", "--workers", workers, cwd=tmp_path)
    wait_until_writing(proc, tmp_path / "runs.db")
    helpers = descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    try:
        stdout, stderr = proc.communicate(timeout=120)
    except Exception:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    assert proc.returncode == 130
    assert wait_gone(helpers) == []
    assert "评分已中断" in stderr and "没有存入数据库" in stderr
    assert no_traceback(stdout + stderr), stderr
    assert table_counts(tmp_path / "runs.db")["runs"] == 0
    assert not (tmp_path / "结果.csv").exists() and not (tmp_path / "拒绝.jsonl").exists()
    assert leftovers(tmp_path) == [] and stages(tmp_path) == []


def evaluations(tmp_path: Path) -> Path:
    path = tmp_path / "输入.jsonl"
    write_batch(path, 20, bad_every=10)
    return path


@pytest.mark.parametrize(("option", "target", "message"), [
    ("--db", "没有的目录/runs.db", "评分数据库所在的目录 没有的目录 不存在"),
    ("--out", "没有的目录/结果.xlsx", "目录 没有的目录 不存在"),
    ("--rejects", "没有的目录/拒绝.csv", "目录 没有的目录 不存在"),
    ("--db", ".", "评分数据库应为文件，这里是一个目录"),
])
def test_a_missing_output_directory_is_refused_before_any_work(tmp_path, option, target,
                                                                 message):
    source = evaluations(tmp_path)
    args = ["--no-db"] if option != "--db" else []
    proc = run("score", SCHEME, source, option, target, *args, cwd=tmp_path)
    assert proc.returncode == 1
    assert message in proc.stderr and "错误：" in proc.stderr
    assert no_traceback(proc.stdout + proc.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["输入.jsonl"]


@pytest.mark.parametrize("option,name,what", [
    ("--db", "runs.db", "评分数据库"), ("--out", "结果.csv", "结果文件"),
    ("--rejects", "拒绝.xlsx", "拒绝行文件"),
])
def test_a_read_only_output_directory_is_refused_before_any_work(tmp_path, option, name, what):
    prefix = drop_privileges_prefix()
    if prefix is None:
        pytest.skip("以 root 运行且没有 setpriv，无法让文件权限生效")
    source = evaluations(tmp_path)
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        extra = ["--db", tmp_path / "runs.db"] if option != "--db" else []
        proc = run("score", SCHEME, source, option, locked / name, *extra, cwd=tmp_path,
                   prefix=prefix)
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 1
    assert f"{what}所在的目录 {locked} 只读，无法写入" in proc.stderr
    assert no_traceback(proc.stdout + proc.stderr)
    assert list(locked.iterdir()) == []
    assert not (tmp_path / "runs.db").exists()  # refused before the run database was opened


def test_a_run_stored_before_its_output_was_renamed_is_found_again_not_stored_twice(tmp_path):
    import hashlib
    import json

    bad = write_batch(tmp_path / "in.jsonl", 3000)
    command = ("score", SCHEME, "in.jsonl", "--db", "runs.db", "--out", "结果.jsonl", "--json",
               "--quiet")
    first = run(*command, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "结果.jsonl"
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    # the output is finished before the run is committed, and its digest stored with the run
    assert Store(tmp_path / "runs.db").run(1)["out_digest"] == digest
    # a kill after the commit and before the rename leaves the finished file beside its name
    out.rename(tmp_path / ".结果.jsonl.partial")
    again = run(*command, cwd=tmp_path)
    assert again.returncode == 0 and no_traceback(again.stderr), again.stderr
    summary = json.loads(again.stdout)
    assert (summary["run_id"], summary["stored_before"]) == (1, True)
    assert (summary["scored"], summary["rejected"]) == (3000 - bad, bad)
    assert table_counts(tmp_path / "runs.db")["runs"] == 1
    assert hashlib.sha256(out.read_bytes()).hexdigest()[:16] == digest
    assert leftovers(tmp_path) == [] and stages(tmp_path) == []
