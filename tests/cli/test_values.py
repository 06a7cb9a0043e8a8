"""Option values are converted without pydantic, to exactly what Typer makes of them (or refused
with exactly Typer's message), and `dangjian score --quiet --json` imports neither pydantic,
sqlite-utils nor rich."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.main import get_command

from dangjian_shell.values import PlainValue

ONE = json.dumps({"org_id": "b01", "org": {"name": "办公室党支部", "type": "党支部"},
                  "inputs": {}}, ensure_ascii=False)


def commands(group, path=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def every_param():
    from dangjian_shell.cli import app

    group = get_command(app)
    yield group, group.params[0]
    for _, command in commands(group):
        for param in command.get_params(Context(command)):
            yield command, param


def outcome(runtime, value, param, ctx):
    try:
        return "ok", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "refused", exc.format_message()


VALUES = ["1", "007", "+5", " 5", "5 ", "1_0", "5.0", "5.", "2.5", "0", "-1", "1000", "1001",
          "99999999999999999999", "", "abc", "１", "٣", "a", "a/b", ".", "-", "中文.xlsx",
          "/dev/null", 3, 0, True, False, None, Path("dangjian.db"), b"x",
          ["1", "2"], ["a", "b.jsonl"], ("3",), [], ["1", "x"]]


def test_every_parameter_of_every_command_converts_without_pydantic():
    plain = [param for _, param in every_param() if isinstance(param._runtime_param, PlainValue)]
    assert len(plain) == len(list(every_param())) > 100


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_value_comes_out_as_typer_makes_it_or_is_refused_the_same(value, tmp_path):
    (tmp_path / "a").write_text("x")
    for command, param in every_param():
        ctx = Context(command)
        typer_own = build_runtime_param(param.type_descriptor)
        if isinstance(value, (list, tuple)) and not (param.multiple or param.nargs == -1):
            continue
        ours = outcome(param._runtime_param, value, param, ctx)
        assert ours == outcome(typer_own, value, param, ctx), (command.name, param.name)


def test_bad_values_give_typer_usage_errors(cli):
    for value, message in (("abc", "Input should be a valid integer, unable to parse string as"
                                   " an integer"),
                           ("0", "Input should be greater than or equal to 1"),
                           ("1.5", "Input should be a valid integer")):
        result = cli("score", "jilin-health-2019", "x.jsonl", "-w", value)
        assert result.exit_code == 2
        assert f"Invalid value for '--workers' / '-w': {message}" in result.stderr
    result = cli("score", "jilin-health-2019", "x.jsonl", "-w", "1.0", "--no-db")
    assert result.exit_code == 1 and "x.jsonl" in result.stderr  # 1.0 is 1, as in Typer


def test_score_quiet_json_imports_neither_pydantic_sqlite_utils_nor_rich(tmp_path):
    (tmp_path / "one.jsonl").write_text(ONE + "\n", encoding="utf-8")
    code = ("import sys\nfrom dangjian_shell.cli import app\n"
            "try:\n    app(sys.argv[1:])\nexcept SystemExit as exc:\n    assert not exc.code\n"
            "heavy = ('pydantic', 'sqlite_utils', 'rich', 'numpy')\n"
            "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n")
    for _ in range(2):  # a new database, then the same one again
        done = subprocess.run(
            [sys.executable, "-c", code, "score", "jilin-health-2019", "one.jsonl", "--db",
             "runs.db", "--quiet", "--json"], cwd=tmp_path, capture_output=True, text=True,
            check=True)
        assert json.loads(done.stdout)["read"] == 1
        assert done.stderr.strip().splitlines()[-1] == "[]"
