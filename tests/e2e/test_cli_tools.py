"""End to end: start-up cost, help, the seed tools and the demo through the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "cli" / "data"
ROOT = Path(__file__).resolve().parents[2]
SCHEME = DATA / "secretaries.toml"
DANGJIAN = str(Path(sys.executable).with_name("dangjian"))


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "COLUMNS": "200", **(env or {})}
    environment.pop("DANGJIAN_DB", None)
    return subprocess.run([DANGJIAN, *map(str, args)], check=False, cwd=cwd, env=environment,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_help_does_not_import_litestar(tmp_path):
    code = ("import sys\n"
            "from dangjian_shell.cli import app\n"
            "try:\n"
            "    app(['--help'])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print('litestar' in sys.modules, 'uvicorn' in sys.modules, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], check=False, cwd=tmp_path, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert "score" in proc.stdout
    assert proc.stderr.strip().splitlines()[-1] == "False False"


def test_installed_command_help_and_version(tmp_path):
    proc = run("--help", cwd=tmp_path)
    assert proc.returncode == 0 and "党建考核" in proc.stdout
    for command in ("score", "explain", "sample", "coverage", "lint-report", "deadlines", "demo",
                    "serve"):
        assert command in proc.stdout
    assert run("--version", cwd=tmp_path).stdout.startswith("dangjian-shell ")
    assert "--workers" in run("score", "--help", cwd=tmp_path).stdout


def test_sample_coverage_lint_report_and_deadlines(tmp_path):
    orgs = DATA / "orgs.jsonl"
    draw = json.loads(run("sample", SCHEME, "--orgs", orgs, "--seed", "7", "--json",
                          cwd=tmp_path).stdout)
    again = json.loads(run("sample", SCHEME, "--orgs", orgs, "--seed", "7", "--json",
                           cwd=tmp_path).stdout)
    assert draw == again and len(draw["onsite"]) == 3

    covered = run("coverage", SCHEME, "--orgs", orgs, DATA / "evaluations.jsonl", cwd=tmp_path)
    assert covered.returncode == 1 and "未全覆盖" in covered.stderr

    report = tmp_path / "report.txt"
    report.write_text("成绩清单" + "甲" * 300 + "\n问题清单" + "乙" * 300 + "\n任务清单" + "丙" * 300,
                      encoding="utf-8")
    linted = run("lint-report", SCHEME, report, cwd=tmp_path)
    assert linted.returncode == 0 and "912字，符合要求" in linted.stdout

    late = run("deadlines", SCHEME, "report=2020-01-11", "plan=2020-01-14", "meeting=2020-02-10",
               cwd=tmp_path)
    assert late.returncode == 1 and "逾期1天" in late.stdout


def test_demo_on_fixture_seeds(tmp_path):
    folder = tmp_path / "seeds" / "jilin-health-2019"
    folder.mkdir(parents=True)
    shutil.copy(DATA / "evaluations.jsonl", folder / "evaluations.jsonl")
    shutil.copy(DATA / "orgs.jsonl", folder / "orgs.jsonl")
    work = tmp_path / "work"
    work.mkdir()
    proc = run("demo", cwd=work, env={"DANGJIAN_SEEDS": str(tmp_path / "seeds")})
    assert proc.returncode == 0, proc.stderr
    assert "读入 8 行，评分 3 个，拒绝 5 行" in proc.stderr and (work / "dangjian-demo.db").exists()
    assert "等次 “一般”" in proc.stdout


@pytest.mark.skipif(not (ROOT / "seeds" / "jilin-health-2019" / "evaluations.jsonl").is_file(),
                    reason="seeds/jilin-health-2019 尚未提供")
def test_demo_on_the_bundled_seeds(tmp_path):
    proc = run("demo", cwd=tmp_path, env={"DANGJIAN_SEEDS": str(ROOT / "seeds")})
    assert proc.returncode == 0, proc.stderr
    assert "评分完成" in proc.stderr and "接下来可以试试" in proc.stderr
    assert (tmp_path / "dangjian-demo.db").exists()
