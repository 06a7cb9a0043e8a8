"""Loading plugins: entry points, selection, duplicates and faults contained per plugin."""

from __future__ import annotations

import pytest

from dangjian import Method, Outcome, hookimpl, load_catalog
from dangjian.models import OrgType

from .conftest import DATA


def test_installed_workspace_plugin_loads_through_its_entry_point():
    catalog = load_catalog()
    info = catalog.plugins["jilin-health-2019"]
    assert info.version == "0.1.0" and info.errors == []
    assert "jilin-health-2019" in info.registered["scheme"]
    assert catalog.scheme("jilin-health-2019").plugin == "jilin-health-2019"


def test_default_plugin_registers_org_types_and_methods_like_any_other():
    catalog = load_catalog(entry_points=False)
    assert catalog.plugins["dangjian"].default
    assert {"branch", "committee", "general_branch", "organ_committee", "party_group"} <= set(
        catalog.org_types)
    assert {"rating", "ballots", "checklist", "per_occurrence", "frequency", "ratio", "boolean",
            "completion", "number", "deadline"} <= set(catalog.methods)
    assert catalog.owner("method", "rating") == "dangjian"


def test_environment_variable_chooses_which_plugins_load(monkeypatch):
    monkeypatch.setenv("DANGJIAN_PLUGINS", "")
    assert "jilin-health-2019" not in load_catalog().plugins
    monkeypatch.setenv("DANGJIAN_PLUGINS", "jilin-health-2019")
    assert set(load_catalog().plugins) == {"jilin-health-2019", "dangjian"}


class ProvinceA:
    @hookimpl
    def register_schemes(self, register):
        register(DATA / "weighted.toml")


class ProvinceB:
    @hookimpl
    def register_schemes(self, register):
        register(DATA / "weighted.toml")

    @hookimpl
    def register_org_types(self, register):
        register(OrgType(id="branch", title="支部"))


def test_duplicate_ids_are_refused_naming_both_plugins():
    catalog = load_catalog(entry_points=False, plugins=[ProvinceA(), ProvinceB()])
    assert "test-weighted" not in catalog.schemes  # neither load order nor name decides
    problems = dict.fromkeys(("ProvinceA", "ProvinceB"), "")
    for plugin, message in catalog.problems:
        problems[plugin] += message
    for plugin in ("ProvinceA", "ProvinceB"):
        assert "方案 “test-weighted” 被插件 ProvinceA、ProvinceB 重复注册" in problems[plugin]
    assert "组织类型 “branch” 已由插件 dangjian 注册，插件 ProvinceB 不能重复注册" in problems["ProvinceB"]


def test_a_plugin_whose_hook_raises_is_contained():
    class Faulty:
        @hookimpl
        def register_methods(self, register):
            raise RuntimeError("boom")

    catalog = load_catalog(entry_points=False, plugins=[Faulty(), ProvinceA()])
    assert "test-weighted" in catalog.schemes
    assert catalog.problems == [("Faulty", "register_methods 出错：RuntimeError: boom")]


def test_a_misspelled_hook_is_an_error_not_silence():
    class Misspelled:
        @hookimpl
        def register_schemas(self, register):
            register(DATA / "weighted.toml")

    catalog = load_catalog(entry_points=False, plugins=[Misspelled()])
    assert "test-weighted" not in catalog.schemes
    assert "register_schemas" in catalog.problems[0][1]


def test_a_plugin_that_fails_to_import_is_refused_and_others_load(tmp_path, monkeypatch):
    dist = tmp_path / "dangjian_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: dangjian-broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[dangjian]\nbroken = dangjian_no_such_module\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    catalog = load_catalog()
    assert "无法加载" in catalog.plugins["broken"].errors[0]
    assert "dangjian_no_such_module" in catalog.plugins["broken"].errors[0]
    assert "jilin-health-2019" in catalog.schemes


def test_throwaway_plugin_with_scheme_and_custom_method_scores_without_kernel_changes(tmp_path):
    (tmp_path / "s.toml").write_text("""
id = "throwaway"
title = "临时方案"
version = "1"
max = 10
[[inputs]]
name = "volunteers"
title = "志愿服务人次"
type = "integer"
[[criteria]]
id = "service"
title = "志愿服务"
max = 10
method = "per_volunteer"
input = "volunteers"
[[bands]]
grade = "达标"
min = 6
[[bands]]
grade = "不达标"
min = 0
""", encoding="utf-8")

    def compile_per_volunteer(spec):
        def score(ctx):
            n = ctx.inputs[spec.input]
            points = min(spec.max, n // 10)
            return Outcome(points, f"志愿服务{n}人次，每10人次1分，得{points}分", {"volunteers": n})
        return score

    class Province:
        @hookimpl
        def register_methods(self, register):
            register(Method(name="per_volunteer", title="每10人次1分", compile=compile_per_volunteer))

        @hookimpl
        def register_schemes(self, register):
            register(tmp_path / "s.toml")

    catalog = load_catalog(entry_points=False, plugins=[Province()])
    assert not catalog.problems
    from tests.conftest import evaluation

    result = catalog.plan("throwaway").score(evaluation(org_type="", volunteers=73))
    assert (result.total, result.grade) == (7, "达标")
    assert result.lines[0].text == "志愿服务73人次，每10人次1分，得7分"
    assert set(result.scheme.plugins) == {"Province"}


def test_a_method_raising_rejects_only_that_organization():
    class Flaky:
        @hookimpl
        def register_methods(self, register):
            def compile_flaky(spec):
                def score(ctx):
                    if ctx.org.id == "bad":
                        raise ZeroDivisionError("division by zero")
                    return Outcome(ctx.inputs["a"], "ok")
                return score
            register(Method(name="flaky", title="不稳定", compile=compile_flaky))

        @hookimpl
        def register_schemes(self, register):
            from dangjian.catalogue.loading import decode_scheme
            register(decode_scheme("""
id = "flaky"
title = "不稳定方案"
version = "1"
max = 10
[[inputs]]
name = "a"
title = "甲"
[[criteria]]
id = "c"
title = "丙"
max = 10
method = "flaky"
input = "a"
[[bands]]
grade = "合格"
min = 0
""".encode(), file="flaky.toml"))

    from tests.conftest import evaluation

    plan = load_catalog(entry_points=False, plugins=[Flaky()]).plan("flaky")
    out = list(plan.score_many([(1, evaluation("ok", org_type="", a=5)),
                                (2, evaluation("bad", org_type="", a=5)),
                                (3, evaluation("ok2", org_type="", a=6))]))
    assert [type(o).__name__ for o in out] == ["Result", "Reject", "Result"]
    assert "ZeroDivisionError" in out[1].reason and "Flaky" in out[1].reason


@pytest.mark.parametrize("kind", ["org_type", "method", "scheme"])
def test_register_refuses_the_wrong_kind_of_object(kind):
    class Wrong:
        @hookimpl
        def register_org_types(self, register):
            if kind == "org_type":
                register("branch")

        @hookimpl
        def register_methods(self, register):
            if kind == "method":
                register(lambda: None)

        @hookimpl
        def register_schemes(self, register):
            if kind == "scheme":
                register(DATA / "missing.toml")

    catalog = load_catalog(entry_points=False, plugins=[Wrong()])
    assert len(catalog.problems) == 1 and catalog.problems[0][0] == "Wrong"
