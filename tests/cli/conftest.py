"""CLI fixtures: run `dangjian` in-process (CliRunner) in a temporary working directory, over the
test schemes and files under data/ (a 70/30 secretaries' scheme with every tool section, and a
work-points scheme counted from activity records)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
SECRETARIES = DATA / "secretaries.toml"
WORKPOINTS = DATA / "workpoints.toml"


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of data/, so commands may write beside the inputs."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """`cli("score", ...)` runs the command in tmp_path and returns the CliRunner result
    (exit_code, stdout, stderr)."""
    from dangjian_shell.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DANGJIAN_DB", raising=False)
    runner = CliRunner()

    def run(*args, env: dict | None = None):
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})

    return run
