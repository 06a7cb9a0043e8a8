"""The pytest fixtures the kernel ships for plugin authors (entry point pytest11)."""

from __future__ import annotations

import pytest
from dangjian import EvaluationRejected, hookimpl
from dangjian.models import OrgType

from .conftest import DATA


class Province:
    @hookimpl
    def register_org_types(self, register):
        register(OrgType(id="village", title="村党组织"))

    @hookimpl
    def register_schemes(self, register):
        register(DATA / "secretaries.toml")


def test_plugin_manager_is_fresh_with_only_the_kernel_defaults(dangjian_plugin_manager):
    names = {dangjian_plugin_manager.get_name(p) for p in dangjian_plugin_manager.get_plugins()}
    assert names == {"dangjian"}
    seen = []
    dangjian_plugin_manager.register(Province())
    dangjian_plugin_manager.hook.register_org_types(register=seen.append)
    assert {t.id for t in seen} >= {"village", "branch"}


def test_catalog_from_plugin_objects(dangjian_catalog):
    catalog = dangjian_catalog(Province())
    assert catalog.scheme("test-secretaries").plugin == "Province"
    assert catalog.org_types["village"].title == "村党组织"
    assert catalog.problems == []


def test_scheme_from_a_path_scores_70_30(dangjian_scheme):
    harness = dangjian_scheme(DATA / "secretaries.toml")
    result = harness.score(onsite=[95], superior=80)
    assert f"{result.total:f}" == "90.50" and result.grade == "好"
    same = harness.score({"org_id": "x", "org": {"type": "党支部"},
                          "inputs": {"onsite": ["好", "好"], "superior": 80}})
    assert f"{same.total:f}" == "90.50"
    with pytest.raises(EvaluationRejected, match="评议人数0人"):
        harness.score(onsite=[], superior=80)
    assert harness.check() == []


def test_scheme_from_a_path_already_registered_by_the_plugin_is_reused(dangjian_scheme):
    harness = dangjian_scheme(DATA / "secretaries.toml", Province())
    assert harness.loaded.plugin == "Province"


def test_a_broken_scheme_file_fails_the_test_with_the_reason(dangjian_scheme, tmp_path):
    broken = tmp_path / "scheme.toml"
    broken.write_text('id = "x"\ntitle = "坏方案"\nversion = "1"\n[[bands]]\ngrade = "好"\n'
                      'min = 10\n', encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="0—10分之间的总分没有对应等次"):
        dangjian_scheme(broken)


def test_assert_golden_passes_with_the_shipped_table(dangjian_scheme):
    report = dangjian_scheme(DATA / "secretaries.toml").assert_golden()
    assert len(report.cases) == 3


def test_scorer_gives_an_installed_scheme_by_id(dangjian_scorer, dangjian_catalog):
    installed = dangjian_catalog(entry_points=True)
    scheme_id = min(installed.schemes)
    assert dangjian_scorer(scheme_id).scheme.id == scheme_id


def test_cli_runner_runs_the_dangjian_command(dangjian_cli):
    result = dangjian_cli("test", str(DATA / "secretaries.toml"))
    assert result.exit_code == 0, result.output
    assert "全部通过：3 个黄金用例" in result.output
