"""A plugin that exits the program (SystemExit, or any BaseException but Ctrl-C) at import or in
a registration hook is switched off and named; the command goes on with the other plugins."""

from __future__ import annotations

import json

import pytest
from dangjian import Method, hookimpl, load_catalog
from dangjian.catalogue.loading import decode_scheme

from .conftest import SCHEME, no_traceback, run
from .test_plugin_faults import make_plugin, small_scheme, with_plugins


def scheme(scheme_id: str, method: str = "number"):
    return decode_scheme(small_scheme(scheme_id, method).encode(), file=f"{scheme_id}.toml")


class ExitsInMethods:
    @hookimpl
    def register_methods(self, register):
        register(Method(name="before_exit", title="退出前", compile=lambda spec: None))
        raise SystemExit(3)

    @hookimpl
    def register_schemes(self, register):
        register(scheme("never-registered"))


class ExitsWhileCompiling:
    @hookimpl
    def register_methods(self, register):
        def compile_exit(spec):
            raise SystemExit("bye")
        register(Method(name="exiting", title="退出", compile=compile_exit))

    @hookimpl
    def register_schemes(self, register):
        register(scheme("exits-compiling", "exiting"))
        register(scheme("after-the-exit"))


class Custom(BaseException):
    pass


class RaisesBaseException:
    @hookimpl
    def register_schemes(self, register):
        raise Custom("不是 Exception")


class Fine:
    @hookimpl
    def register_schemes(self, register):
        register(scheme("fine-scheme"))


def test_system_exit_in_a_registration_hook_switches_that_plugin_off_naming_it():
    catalog = load_catalog(entry_points=False,
                           plugins=[ExitsInMethods(), RaisesBaseException(), Fine()])
    errors = {name: "；".join(info.errors) for name, info in catalog.plugins.items()}
    assert errors["ExitsInMethods"] == ("插件 ExitsInMethods 已停用：register_methods 中"
                                        "插件试图退出程序（SystemExit: 3）")
    assert errors["RaisesBaseException"] == ("插件 RaisesBaseException 已停用："
                                             "register_schemes 中Custom: 不是 Exception")
    assert "never-registered" not in catalog.schemes  # its later hooks are not called
    assert catalog.scheme("fine-scheme").plugin == "Fine"



def test_system_exit_while_a_method_compiles_refuses_that_scheme_only():
    catalog = load_catalog(entry_points=False, plugins=[ExitsWhileCompiling()])
    errors = catalog.plugins["ExitsWhileCompiling"].errors
    assert errors == ["插件 ExitsWhileCompiling，方案 exits-compiling：评分方法无法按本方案的参数"
                      "编译：插件试图退出程序（SystemExit: bye）"]
    assert "after-the-exit" in catalog.schemes


def test_ctrl_c_inside_a_plugin_is_not_swallowed():
    class Interrupted:
        @hookimpl
        def register_schemes(self, register):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_catalog(entry_points=False, plugins=[Interrupted()])


def test_a_plugin_exiting_at_import_is_named_and_the_command_goes_on(tmp_path):
    root = tmp_path / "site"
    make_plugin(root, "dj-exits", "dj_exits", "raise SystemExit(7)\n")
    make_plugin(root, "dj-exits-hook", "dj_exits_hook",
                "from dangjian import hookimpl\n\n\n@hookimpl\ndef register_methods(register):\n"
                "    import sys\n    sys.exit(1)\n")
    proc = run("plugins", "--json", cwd=tmp_path, env=with_plugins(root))
    assert proc.returncode == 0 and no_traceback(proc.stdout + proc.stderr), proc.stderr
    infos = {info["name"]: info for info in json.loads(proc.stdout)}
    assert infos["dj-exits"]["errors"] == ["插件 dj-exits 无法加载，已停用：插件试图退出程序"
                                           "（SystemExit: 7）"]
    assert infos["dj-exits-hook"]["errors"] == [
        "插件 dj-exits-hook 已停用：register_methods 中插件试图退出程序（SystemExit: 1）"]
    assert infos[SCHEME]["errors"] == []

    (tmp_path / "in.jsonl").write_text(json.dumps(
        {"org_id": "o1", "org": {"type": "branch"},
         "inputs": {"onsite": [95], "superior": 80}}) + "\n", encoding="utf-8")
    scored = run("score", SCHEME, "in.jsonl", "--no-db", "--json", cwd=tmp_path,
                 env=with_plugins(root))
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["scored"] == 1
