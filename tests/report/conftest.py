"""Report fixtures: the jilin-health-2019 seeds scored by the CLI (run 1), a later run of the
same organizations with six superiors' ratings lowered, one raised and one broken line
(run 2), and the real headless Chromium and pdftotext the report is checked with."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "jilin-health-2019"
ORGS = SEEDS / "orgs.jsonl"
SCHEME = "jilin-health-2019"
LOWERED = ["jl-jgdw", "jl-b01", "jl-b02", "jl-b03", "jl-b04", "jl-b05"]
RAISED = "jl-b06"


def need(tool: str) -> str:
    """The tool's path; without it the test is skipped, except under CI where it must run."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed, and CI must run this test (see .ci/run)")
        pytest.skip(f"{tool} is not installed (Debian: apt-get install chromium fonts-noto-cjk "
                    "poppler-utils)")
    return found


@pytest.fixture
def chromium() -> str:
    return need("chromium")


@pytest.fixture
def pdftotext() -> str:
    return need("pdftotext")


def headless(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    from dangjian_shell.report.pdf import headless_args

    return subprocess.run([*headless_args(chromium, str(profile)), *args], capture_output=True,
                          timeout=180, check=False)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """`cli("report", ...)` runs the command in tmp_path (exit_code, stdout, stderr)."""
    from dangjian_shell.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DANGJIAN_DB", raising=False)
    runner = CliRunner()

    def run(*args, env: dict | None = None):
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})

    return run


def later_evaluations(path: Path) -> Path:
    lines = [json.loads(line) for line in (SEEDS / "evaluations.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        if line["org_id"] in LOWERED:
            line["inputs"]["superior"] -= 25
        if line["org_id"] == RAISED:
            line["inputs"]["superior"] = 100
            line["inputs"]["onsite"] = [98, "好", 96]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    broken = {"org_id": "jl-b99", "org": {"name": "新建党支部", "type": "branch",
                                          "parent_id": "jl-jgdw"},
              "inputs": {"onsite": [95], "superior": 101}}
    path.write_text(f"{text}\n{json.dumps(broken, ensure_ascii=False)}\n", encoding="utf-8")
    return path


@pytest.fixture
def runs(cli, tmp_path):
    """runs.db with run 1 (the seeds) and run 2 (the later batch); the cli, ready to use."""
    first = cli("score", SCHEME, SEEDS / "evaluations.jsonl", "--orgs", ORGS, "--db", "runs.db",
                "-q")
    assert first.exit_code == 0, first.output
    second = cli("score", SCHEME, later_evaluations(tmp_path / "later.jsonl"), "--orgs", ORGS,
                 "--db", "runs.db", "-q")
    assert second.exit_code == 0, second.output
    return cli


@pytest.fixture
def flat(cli, tmp_path):
    """flat.db: the seeds scored with each organization inline and no parent given anywhere,
    so the run knows no units."""
    orgs = {o["id"]: o for o in map(json.loads, ORGS.read_text(encoding="utf-8").splitlines())}
    lines = []
    for line in (SEEDS / "evaluations.jsonl").read_text(encoding="utf-8").splitlines():
        evaluation = json.loads(line)
        org = orgs[evaluation["org_id"]]
        evaluation["org"] = {"name": org["name"], "type": org["type"]}
        lines.append(json.dumps(evaluation, ensure_ascii=False))
    path = tmp_path / "flat.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("score", SCHEME, path, "--db", "flat.db", "-q")
    assert result.exit_code == 0, result.output
    return cli
