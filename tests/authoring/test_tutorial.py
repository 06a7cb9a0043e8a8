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

from litestar.testing import TestClient

from dangjian_shell.api import create_app

evaluation = json.loads(open("evaluations.jsonl", encoding="utf-8").readline())
with TestClient(app=create_app()) as client:
    response = client.post("/schemes/sample-province-2024/score", json=evaluation)
    print(json.dumps({"status": response.status_code, "body": response.text},
                     ensure_ascii=False))
'''


def test_tutorial_scheme_scores_through_the_api(followed):
    """The installed plugin's scheme scores through the HTTP API's app as well."""
    home, venv = followed
    plugin = home / "dangjian-sample-province-2024"
    answer = json.loads(venv.run(["python", "-c", API_SCRIPT], cwd=plugin).stdout)
    assert answer["status"] == 200, answer
    result = json.loads(answer["body"])
    assert (result["org_id"], f"{result['total']:.2f}", result["grade"]) == ("b1", "96.80", "好")
