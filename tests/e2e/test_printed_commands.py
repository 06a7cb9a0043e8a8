"""The README's `uv run dangjian demo`, and the commands it then suggests, run as printed in a
shell where `dangjian` is not on the PATH; in an activated environment they say `dangjian`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(sys.executable).parent
UV = os.environ.get("UV") or shutil.which("uv")


def user_shell(*, activated: bool) -> dict[str, str]:
    """The environment of a user's terminal: no `uv run`, the scripts on PATH only if activated."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DANGJIAN_", "UV_", "VIRTUAL_ENV")) and k != "UV"}
    path = [p for p in env["PATH"].split(os.pathsep) if p and Path(p) != SCRIPTS]
    if UV:
        path.append(str(Path(UV).parent))
    if activated:
        path.insert(0, str(SCRIPTS))
        env["VIRTUAL_ENV"] = str(SCRIPTS.parent)
    return {**env, "PATH": os.pathsep.join(path), "UV_OFFLINE": "1", "COLUMNS": "200"}


def suggestions(stderr: str) -> list[str]:
    block = stderr.split("接下来可以试试", 1)[1]
    return [line.split("    #", 1)[0].strip() for line in block.splitlines() if "    #" in line]


def shell(command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300, check=False)


@pytest.mark.skipif(UV is None, reason="uv is not installed")
def test_after_uv_run_demo_the_suggested_commands_run_as_printed(tmp_path):
    env = user_shell(activated=False)
    assert shell("command -v dangjian", env).returncode != 0  # not on this user's PATH
    db = tmp_path / "demo.db"
    demo = shell(f"uv run dangjian demo --db {db}", env)
    assert demo.returncode == 0, demo.stderr
    printed = suggestions(demo.stderr)
    assert printed[0] == f"uv run dangjian results --db {db} --grade 好"
    assert all(line.startswith("uv run dangjian ") for line in printed)
    for line in printed[:3]:  # results, explain, show: the ones that need no file of the user's
        ran = shell(line, env)
        assert ran.returncode == 0, (line, ran.stderr)
        assert ran.stdout.strip()
    assert "uv run dangjian demo" in shell("uv run dangjian --help", env).stdout


def test_in_an_activated_environment_the_suggestions_say_dangjian(tmp_path):
    env = user_shell(activated=True)
    db = tmp_path / "demo.db"
    demo = shell(f"dangjian demo --db {db}", env)
    assert demo.returncode == 0, demo.stderr
    printed = suggestions(demo.stderr)
    assert printed[1].startswith(f"dangjian explain --db {db} ")
    ran = shell(printed[1], env)
    assert ran.returncode == 0, ran.stderr
    assert re.search(r"总分 [\d.]+ / 100", ran.stdout)
    assert re.search(r"^    dangjian demo ", shell("dangjian --help", env).stdout, re.MULTILINE)
