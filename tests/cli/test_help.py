"""Every command's --help: Chinese text for every option and argument, no markup escapes, and
suggested commands written the way `dangjian` runs on this machine."""

from __future__ import annotations

import os
import stat

import pytest
import typer

from dangjian_shell import console
from dangjian_shell.cli import app


def commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))


ALL = list(commands(typer.main.get_command(app)))


def test_every_command_is_checked():
    names = {" ".join(path) for path, _ in ALL}
    assert {"serve", "sample", "coverage", "lint-report", "deadlines", "plugin new"} <= names


@pytest.mark.parametrize("path", [path for path, _ in ALL], ids=" ".join)
def test_help_has_no_backslashes_and_explains_every_option(cli, path):
    command = dict(ALL)[path]
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "\\" not in result.stdout
    assert "Show this message" not in result.stdout
    for english in ("Usage:", "Options:", "Arguments:", "[required]", "default:", "env var:"):
        assert english not in result.stdout, english
    assert result.stdout.startswith("用法：")
    for param in command.params:
        if param.name == "help":
            continue
        assert getattr(param, "help", None), f"{' '.join(path)} {param.name} has no help"
        assert param.help.strip() and not param.help.isascii(), param.help


def test_serve_help_names_host_port_workers_and_db_in_chinese(cli):
    text = cli("serve", "--help").stdout
    assert "[默认：127.0.0.1]" in text and "[默认：8000]" in text
    assert "监听的地址" in text and "监听的端口" in text and "工作进程数" in text
    assert "评分数据库（SQLite）文件" in text


def test_draw_section_shows_as_written(cli):
    assert "现场抽取规则（[draw]）" in cli("sample", "--help").stdout
    assert "述职关系（[[reporting_lines]]）" in cli("coverage", "--help").stdout
    assert "报告要求（[report]）" in cli("lint-report", "--help").stdout
    assert "时间节点（[[deadlines]]）" in cli("deadlines", "--help").stdout


@pytest.fixture
def shell_path(tmp_path, monkeypatch):
    """PATH with a folder `venv` (where `uv run` puts the scripts) and a folder `tools`."""
    venv, tools = tmp_path / "venv" / "bin", tmp_path / "tools"
    venv.mkdir(parents=True)
    tools.mkdir()
    (venv / "dangjian").write_text("#!/bin/sh\n")
    (venv / "dangjian").chmod(stat.S_IRWXU)
    monkeypatch.setenv("VIRTUAL_ENV", str(venv.parent))
    monkeypatch.setenv("PATH", os.pathsep.join([str(venv), str(tools)]))
    console.invocation.cache_clear()
    yield venv, tools
    console.invocation.cache_clear()


def test_under_uv_run_the_suggestions_say_uv_run(shell_path, monkeypatch):
    monkeypatch.setenv("UV_RUN_RECURSION_DEPTH", "1")
    assert console.invocation() == "uv run dangjian"
    assert console.runnable("  dangjian demo          用演示数据走一遍\n见 dangjian schemes") == \
        "  uv run dangjian demo   用演示数据走一遍\n见 uv run dangjian schemes"


def test_under_uv_run_with_dangjian_also_on_the_users_path(shell_path, monkeypatch):
    _, tools = shell_path
    (tools / "dangjian").write_text("#!/bin/sh\n")
    (tools / "dangjian").chmod(stat.S_IRWXU)
    monkeypatch.setenv("UV_RUN_RECURSION_DEPTH", "1")
    assert console.invocation() == "dangjian"


def test_in_an_activated_environment_the_suggestions_say_dangjian(shell_path, monkeypatch):
    monkeypatch.delenv("UV_RUN_RECURSION_DEPTH", raising=False)
    assert console.invocation() == "dangjian"
    text = "dangjian：党建考核\n  dangjian results --db dangjian-demo.db"
    assert console.runnable(text) == text
