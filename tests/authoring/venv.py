"""A fresh virtual environment made with uv, for installing a plugin as its author would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


class Venv:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.bin = path / ("Scripts" if os.name == "nt" else "bin")
        self.python = self.bin / "python"

    def install(self, *targets: str | Path) -> None:
        run(["uv", "pip", "install", "--quiet", "--python", str(self.python),
             *(str(t) for t in targets)], cwd=self.path)

    def run(self, args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items()
               if k not in ("VIRTUAL_ENV", "PYTHONPATH", "DANGJIAN_PLUGINS")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        return run(args, cwd=cwd, env=env, check=check)


def run(args, cwd, env=None, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} 退出码 {done.returncode}\n"
                             f"{done.stdout}\n{done.stderr}")
    return done


def make_venv(path: Path) -> Venv:
    if shutil.which("uv") is None:
        pytest.skip("需要 uv 来创建虚拟环境")
    run(["uv", "venv", "--quiet", "--python", sys.executable, str(path)], cwd=path.parent)
    return Venv(path)


KERNEL = ROOT / "kernel"
SHELL = ROOT / "shell"
