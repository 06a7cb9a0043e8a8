"""Plugin faults through real entry points: throwaway plugin distributions (a `.dist-info`
folder with `entry_points.txt` beside the module) on the path, loaded as installed plugins are.

Each faulty plugin is refused or contained with a message naming it, the installed plugins
keep working, and a method raising for one organization rejects that organization only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import msgspec
import pytest
from dangjian import load_catalog
from dangjian.store.storage import Store, encode_result

from .conftest import SCHEME, line, no_traceback, run

INSTALLED = {"jilin-health-2019", "jilin-health-2020", "hubei-organs-2022", "tibet-health-2019",
             "city-health-2023"}

REGISTER_FILES = '''
from importlib.resources import files

from dangjian import hookimpl


@hookimpl
def register_schemes(register):
    for name in sorted(p.name for p in files(__package__).iterdir()):
        if name.endswith(".toml"):
            register(files(__package__) / name)
'''

FLAKY = REGISTER_FILES + '''

from dangjian import Method, Outcome


def compile_flaky(spec):
    def score(ctx):
        if ctx.org.id.startswith("bad"):
            raise ZeroDivisionError("division by zero")
        points = ctx.inputs[spec.input]
        return Outcome(points, f"得{points}分", {"score": points})
    return score


def compile_broken(spec):
    raise ValueError("参数 factor 缺失")


@hookimpl
def register_methods(register):
    register(Method(name="flaky_rating", title="不稳定的评分", compile=compile_flaky))
    register(Method(name="broken_compile", title="无法编译的评分", compile=compile_broken))
'''


def small_scheme(scheme_id: str, method: str = "number", extra: str = "") -> str:
    return f'''
id = "{scheme_id}"
title = "临时方案"
version = "1"
max = 100
org_types = ["branch"]
{extra}
[[inputs]]
name = "score"
title = "得分"
min = 0
max = 100

[[criteria]]
id = "c"
title = "评分"
max = 100
method = "{method}"
input = "score"

[[bands]]
grade = "合格"
min = 60

[[bands]]
grade = "不合格"
min = 0
below = 60
'''


def make_plugin(root: Path, name: str, module: str, source: str,
                files: dict[str, str] | None = None) -> None:
    """An installed-looking plugin distribution: METADATA, the entry point, the package."""
    dist = root / f"{module}-0.3.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.3\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[dangjian]\n{name} = {module}\n", encoding="utf-8")
    package = root / module
    package.mkdir()
    (package / "__init__.py").write_text(source, encoding="utf-8")
    for file_name, text in (files or {}).items():
        (package / file_name).write_text(text, encoding="utf-8")


@pytest.fixture
def faulty(tmp_path) -> Path:
    """Four faulty plugins: one fails to import, one registers an invalid scheme (beside a valid
    one), one has a method raising for some organizations (and one that cannot compile),
    one registers a scheme id the Jilin 2019 plugin already holds."""
    root = tmp_path / "site"
    make_plugin(root, "dj-broken", "dj_broken", "import dangjian_missing_dependency\n")
    make_plugin(root, "dj-bad-scheme", "dj_bad_scheme", REGISTER_FILES, {
        "a_bad.toml": small_scheme("dj-bad", extra="weight_total = 1"),
        "b_good.toml": small_scheme("dj-good"),
    })
    make_plugin(root, "dj-flaky", "dj_flaky", FLAKY, {
        "a_uncompilable.toml": small_scheme("dj-uncompilable", method="broken_compile"),
        "b_flaky.toml": small_scheme("dj-flaky", method="flaky_rating"),
    })
    taken = small_scheme(SCHEME).replace('title = "临时方案"', 'title = "冒名的方案"')
    make_plugin(root, "zz-dup", "zz_dup", REGISTER_FILES, {"scheme.toml": taken})
    return root


def with_plugins(root: Path) -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}


def test_each_faulty_plugin_is_refused_or_contained_naming_it(faulty, monkeypatch):
    monkeypatch.syspath_prepend(str(faulty))
    catalog = load_catalog()
    errors = {name: "；".join(info.errors) for name, info in catalog.plugins.items()}

    assert "无法加载" in errors["dj-broken"] and "dangjian_missing_dependency" in errors["dj-broken"]
    assert "未知的键 weight_total" in errors["dj-bad-scheme"]
    assert "a_bad.toml" in errors["dj-bad-scheme"] and "dj-bad" not in catalog.schemes
    assert catalog.scheme("dj-good").plugin == "dj-bad-scheme"
    assert errors["zz-dup"] == (f"插件 zz-dup：方案 “{SCHEME}” 已由插件 {SCHEME} 注册，"
                                "插件 zz-dup 不能重复注册")
    assert catalog.scheme(SCHEME).scheme.title.startswith("2019年度吉林省卫生健康委")
    assert errors["dj-flaky"].startswith("插件 dj-flaky，方案 dj-uncompilable，文件 ")
    assert errors["dj-flaky"].endswith("a_uncompilable.toml：评分方法无法按本方案的参数编译："
                                       "ValueError: 参数 factor 缺失")
    assert catalog.scheme("dj-flaky").plugin == "dj-flaky"  # the plugin's next scheme counts
    assert INSTALLED <= set(catalog.schemes)
    assert all(errors[name] == "" for name in INSTALLED)


def test_dangjian_plugins_shows_every_fault_under_its_plugin(faulty, tmp_path):
    proc = run("plugins", "--json", cwd=tmp_path, env=with_plugins(faulty))
    assert proc.returncode == 0, proc.stderr
    infos = {info["name"]: info for info in json.loads(proc.stdout)}
    assert "dangjian_missing_dependency" in infos["dj-broken"]["errors"][0]
    assert infos["dj-bad-scheme"]["registered"] == {"scheme": ["dj-good"]}
    assert "weight_total" in infos["dj-bad-scheme"]["errors"][0]
    assert "已由插件 jilin-health-2019 注册" in infos["zz-dup"]["errors"][0]
    assert infos["dj-flaky"]["registered"]["method"] == ["flaky_rating", "broken_compile"]
    assert infos["jilin-health-2019"]["errors"] == []

    table = run("plugins", cwd=tmp_path, env={**with_plugins(faulty), "COLUMNS": "400"})
    assert table.returncode == 0 and no_traceback(table.stdout + table.stderr)
    for name in ("dj-broken", "dj-bad-scheme", "zz-dup", "dj-flaky", "jilin-health-2019"):
        assert name in table.stdout
    assert "无法加载" in table.stdout and "不能重复注册" in table.stdout


@pytest.mark.parametrize("workers", [1, 2])
def test_a_method_raising_for_one_organization_rejects_that_organization_only(
        faulty, tmp_path, workers):
    rows = [{"org_id": org_id, "org": {"type": "branch"}, "inputs": {"score": score}}
            for org_id, score in (("ok1", 90), ("bad1", 80), ("ok2", 50), ("bad2", 70),
                                  ("ok3", 60))]
    (tmp_path / "in.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n",
                                       encoding="utf-8")
    proc = run("score", "dj-flaky", "in.jsonl", "--db", "runs.db", "--workers", workers,
               "--json", cwd=tmp_path, env=with_plugins(faulty))
    assert proc.returncode == 0 and no_traceback(proc.stdout + proc.stderr), proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (5, 3, 2)
    store = Store(tmp_path / "runs.db")
    try:
        results = list(store.results(summary["run_id"]))
        rejects = store.rejects(summary["run_id"])
    finally:
        store.close()
    assert [(r.org_id, str(r.total), r.grade) for r in results] == [
        ("ok1", "90.00", "合格"), ("ok2", "50.00", "不合格"), ("ok3", "60.00", "合格")]
    assert [(r.row, r.org_id) for r in rejects] == [(2, "bad1"), (4, "bad2")]
    assert all("插件 dj-flaky" in r.reason and "ZeroDivisionError" in r.reason for r in rejects)


def test_a_method_that_cannot_compile_refuses_a_scheme_file_naming_the_problem(faulty,
                                                                               tmp_path):
    (tmp_path / "in.jsonl").write_text(line("o1", [90], 80) + "\n", encoding="utf-8")
    (tmp_path / "draft.toml").write_text(small_scheme("draft", method="broken_compile"),
                                         encoding="utf-8")
    proc = run("score", "draft.toml", "in.jsonl", "--no-db", cwd=tmp_path,
               env=with_plugins(faulty))
    assert proc.returncode == 1 and no_traceback(proc.stdout + proc.stderr)
    assert ("方案 draft，文件 draft.toml：评分方法无法按本方案的参数编译："
            "ValueError: 参数 factor 缺失") in proc.stderr


def test_a_refused_scheme_is_unknown_and_the_error_points_to_the_faulty_plugins(faulty,
                                                                                tmp_path):
    (tmp_path / "in.jsonl").write_text(line("o1", [90], 80) + "\n", encoding="utf-8")
    for refused in ("dj-bad", "dj-uncompilable"):
        proc = run("score", refused, "in.jsonl", "--no-db", cwd=tmp_path,
                   env=with_plugins(faulty))
        assert proc.returncode == 1 and no_traceback(proc.stdout + proc.stderr)
        assert f"未知的方案 {refused}" in proc.stderr
        assert ("插件 dj-bad-scheme、dj-broken、dj-flaky、zz-dup 加载出错，详见 dangjian plugins"
                in proc.stderr)


def test_the_installed_schemes_score_exactly_as_without_the_faulty_plugins(faulty, tmp_path):
    lines = [line(f"o{i}", [90 - i, "好"], 80 + i, **({"integrity_problem": True} if i == 2
                                                      else {})) for i in range(5)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stored = []
    for db, env in (("with.db", with_plugins(faulty)), ("without.db", {})):
        proc = run("score", SCHEME, "in.jsonl", "--db", db, "--json", cwd=tmp_path, env=env)
        assert proc.returncode == 0 and no_traceback(proc.stdout + proc.stderr), proc.stderr
        store = Store(tmp_path / db)
        stored.append([encode_result(r) for r in store.results(1, with_lines=True)])
        store.close()
    assert stored[0] == stored[1] and len(stored[0]) == 5
    ref = msgspec.json.decode(stored[0][0])["scheme"]
    assert ref["plugin"] == SCHEME and set(ref["plugins"]) == {"dangjian", SCHEME}


def test_a_plugin_loading_first_cannot_take_over_another_plugins_scheme_id(tmp_path,
                                                                           monkeypatch):
    root = tmp_path / "site"
    taken = small_scheme(SCHEME).replace('title = "临时方案"', 'title = "冒名的方案"')
    make_plugin(root, "aa-dup", "aa_dup", REGISTER_FILES, {"scheme.toml": taken})
    monkeypatch.syspath_prepend(str(root))
    catalog = load_catalog()
    assert catalog.scheme(SCHEME).plugin == SCHEME
    assert catalog.scheme(SCHEME).scheme.title.startswith("2019年度吉林省卫生健康委")
    assert [message for plugin, message in catalog.problems if plugin == "aa-dup"] == [
        f"插件 aa-dup：方案 “{SCHEME}” 已由插件 {SCHEME} 注册，插件 aa-dup 不能重复注册"]
    assert catalog.plugins["aa-dup"].registered == {}
