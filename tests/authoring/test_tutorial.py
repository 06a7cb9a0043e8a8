"""docs/tutorial.md, followed as a new user would: every command and file on the page, in order,
in a fresh virtual environment; then the results it promises are checked."""

from __future__ import annotations

import csv
import json
import re
import shlex
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import ROOT
from .venv import KERNEL, SHELL, Venv, make_venv

TUTORIAL = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"(?:文件 `(?P<file>[^`]+)`：\n\n)?```(?P<lang>\w*)\n(?P<body>.*?)```",
                   re.DOTALL)


def steps(text: str):
    """The page's fenced blocks in order: (kind, file, body)."""
    for match in BLOCK.finditer(text):
        yield match.group("lang"), match.group("file"), match.group("body")


def run_command(venv: Venv, command: str, cwd: Path) -> tuple[Path, str]:
    """One `$ …` line of the tutorial; installs map to this checkout's kernel and shell."""
    args = shlex.split(command)
    if args[0] == "cd":
        return (cwd / args[1]).resolve(), ""
    if args[:2] == ["pip", "install"]:
        rest = args[2:]
        if rest == ["dangjian-shell"]:
            venv.install(KERNEL, SHELL)
        else:
            venv.run(["uv", "pip", "install", "--quiet", "--python", str(venv.python), *rest],
                     cwd=cwd)
        return cwd, ""
    done = venv.run(args, cwd=cwd, check=False)
    assert done.returncode == 0, f"$ {command}\n{done.stdout}\n{done.stderr}"
    return cwd, done.stdout


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    """Follow the tutorial once; returns the working folder and the venv."""
    base = tmp_path_factory.mktemp("tutorial")
    home = base / "home"
    home.mkdir()
    venv = make_venv(base / "venv")
    cwd, last_command, last_output = home, "", ""
    for lang, file, body in steps(TUTORIAL):
        if file:
            target = cwd / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        elif lang == "console":
            for line in body.splitlines():
                if line.startswith("$ "):
                    last_command = line[2:]
                    cwd, last_output = run_command(venv, last_command, cwd)
        elif lang == "text" and last_command.startswith("dangjian "):
            for expected in body.splitlines():
                assert expected in last_output, f"$ {last_command}\n缺少：{expected}\n{last_output}"
    return home, venv


def test_tutorial_builds_tests_installs_and_scores(followed):
    home, _venv = followed
    plugin = home / "dangjian-sample-province-2024"
    lines = (plugin / "results.jsonl").read_text(encoding="utf-8").splitlines()
    results = {row["org_id"]: row for row in (json.loads(line, parse_float=Decimal)
                                              for line in lines)}
    assert set(results) == {"b1", "b2"}
    assert (f"{results['b1']['total']}", results["b1"]["grade"]) == ("96.80", "好")
    assert (f"{results['b2']['total']}", results["b2"]["grade"]) == ("74.00", "一般")
    assert [c["id"] for c in results["b2"]["consequences"]] == ["talk"]
    with (plugin / "rejects.csv").open(encoding="utf-8-sig") as handle:
        text = handle.read()
    assert "b6" in text and "评议人数2人" in text
    assert len(list(csv.reader(text.splitlines()))) == 2  # header + one rejected row


def test_tutorial_plugin_tests_pass_after_install(followed):
    home, venv = followed
    plugin = home / "dangjian-sample-province-2024"
    done = venv.run(["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=plugin)
    assert "6 passed" in done.stdout, done.stdout


def test_next_years_plugin_starts_from_this_years_scheme(followed):
    home, _venv = followed
    scheme = (home / "dangjian-sample-province-2025/src/dangjian_sample_province_2025/"
              "scheme.toml").read_text(encoding="utf-8")
    assert 'id = "sample-province-2025"' in scheme and 'version = "2025.1"' in scheme
    assert (home / "dangjian-sample-province-2025/src/dangjian_sample_province_2025/"
            "golden.toml").read_text(encoding="utf-8").count("[[cases]]") == 6


API_SCRIPT = r'''
import json
from decimal import Decimal

from litestar.testing import TestClient

from dangjian_shell.api import create_app

evaluation = json.loads(open("evaluations.jsonl", encoding="utf-8").readline())
with TestClient(app=create_app()) as client:
    spec = client.get("/schema/openapi.json").json()
    paths = [path for path, ops in spec.get("paths", {}).items()
             if "post" in ops and "score" in path and "run" not in path]
    answers = []
    for path in paths:
        url = path.replace("{scheme_id}", "sample-province-2024").replace(
            "{scheme}", "sample-province-2024").replace("{id}", "sample-province-2024")
        for body in (evaluation, [evaluation], {"evaluations": [evaluation]}):
            response = client.post(url, content=json.dumps(body, ensure_ascii=False),
                                   headers={"content-type": "application/json"})
            if response.status_code < 300:
                answers.append(json.loads(response.text, parse_float=Decimal))
                break
    print(json.dumps({"paths": paths, "answers": answers}, default=str, ensure_ascii=False))
'''


def _results_in(answer):
    """Every result-like object (with org_id, total and grade) anywhere in a response."""
    if isinstance(answer, dict):
        if {"org_id", "total", "grade"} <= set(answer):
            yield answer
        for value in answer.values():
            yield from _results_in(value)
    elif isinstance(answer, list):
        for value in answer:
            yield from _results_in(value)


def test_tutorial_scheme_scores_through_the_api(followed):
    """Once the shell ships `dangjian_shell.api`, the installed plugin scores through it too."""
    home, venv = followed
    plugin = home / "dangjian-sample-province-2024"
    probe = venv.run(["python", "-c", "import dangjian_shell.api"], cwd=plugin, check=False)
    if probe.returncode != 0:
        pytest.skip("dangjian_shell.api 尚未提供")
    data = json.loads(venv.run(["python", "-c", API_SCRIPT], cwd=plugin).stdout)
    if not data["answers"]:
        pytest.skip(f"没有找到接受一条评分输入的评分接口：{data['paths']}")
    results = [r for answer in data["answers"] for r in _results_in(answer)]
    assert results, data
    first = results[0]
    assert (first["org_id"], str(first["total"]), first["grade"]) == ("b1", "96.80", "好")
