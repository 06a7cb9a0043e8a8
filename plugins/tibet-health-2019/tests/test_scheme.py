"""The 八化 scheme registers cleanly, names its areas from the regulations, and passes its
golden table."""

from __future__ import annotations

from dangjian.catalogue.check import check_scheme
from dangjian.tools.golden import golden_for_scheme

from .conftest import AREAS


def test_the_scheme_is_installed_and_passes_the_kernel_check(tibet_catalog):
    loaded = tibet_catalog.scheme("tibet-health-2019")
    assert loaded.plugin == "tibet-health-2019"
    errors = [f for f in check_scheme(loaded.scheme, tibet_catalog) if f.level == "error"]
    assert errors == []
    assert tibet_catalog.owner("diagnostic", "eight_areas") == "tibet-health-2019"
    assert tibet_catalog.owner("diagnostic", "flag_raised") == "tibet-health-2019"


def test_eight_areas_each_worth_an_eighth_and_named_from_the_branch_regulations(tibet):
    scheme = tibet.scheme
    assert [c.id for c in scheme.criteria] == AREAS
    assert {c.max for c in scheme.criteria} == {12.5}
    assert sum(c.max for c in scheme.criteria) == scheme.max == 100
    assert all("《中国共产党支部工作条例（试行）》" in c.note for c in scheme.criteria)
    assert "《中国共产党支部工作条例（试行）》" in scheme.description
    assert [c.title for c in scheme.criteria] == [
        "组织设置规范化", "班子建设规范化", "党员管理规范化", "组织生活规范化",
        "阵地建设规范化", "制度建设规范化", "工作运行规范化", "保障落实规范化"]


def test_the_golden_table_passes_and_covers_every_rule(tibet_catalog):
    report = golden_for_scheme(tibet_catalog, "tibet-health-2019")
    assert report.ok, report.text()
    assert [i.title for i in report.coverage if not i.covered] == []
