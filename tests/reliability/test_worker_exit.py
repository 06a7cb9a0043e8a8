"""A plugin method calling `sys.exit()` for one organization rejects that organization only,
in one process and in two: the command neither stops nor hangs."""

from __future__ import annotations

import json

import pytest
from dangjian.store.storage import Store

from .conftest import no_traceback, run
from .test_plugin_faults import REGISTER_FILES, make_plugin, small_scheme, with_plugins

EXITING = REGISTER_FILES + '''

import sys

from dangjian import Method, Outcome


def compile_exiting(spec):
    def score(ctx):
        if ctx.org.id.startswith("exit"):
            sys.exit(3)
        points = ctx.inputs[spec.input]
        return Outcome(points, f"得{points}分", {"score": points})
    return score


@hookimpl
def register_methods(register):
    register(Method(name="exiting_rating", title="会退出的评分", compile=compile_exiting))
'''


@pytest.mark.parametrize("workers", [1, 2])
def test_a_method_calling_sys_exit_rejects_that_organization_only(tmp_path, workers):
    root = tmp_path / "site"
    make_plugin(root, "dj-exiting", "dj_exiting", EXITING,
                {"scheme.toml": small_scheme("dj-exiting", method="exiting_rating")})
    rows = [{"org_id": org_id, "org": {"type": "branch"}, "inputs": {"score": score}}
            for org_id, score in (("ok1", 90), ("exit1", 80), ("ok2", 50))]
    (tmp_path / "in.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    proc = run("score", "dj-exiting", "in.jsonl", "--db", "runs.db", "--workers", workers,
               "--json", cwd=tmp_path, env=with_plugins(root), timeout=180)
    assert proc.returncode == 0 and no_traceback(proc.stdout + proc.stderr), proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (3, 2, 1)
    store = Store(tmp_path / "runs.db")
    try:
        [reject] = store.rejects(summary["run_id"])
    finally:
        store.close()
    assert (reject.row, reject.org_id) == (2, "exit1")
    assert "插件 dj-exiting" in reject.reason and "SystemExit: 3" in reject.reason
