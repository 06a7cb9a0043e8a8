"""Reporting lines: `{parent}`, `{nearest}` (the nearest ancestor of some types), first line
that applies wins; the scheme check refuses a placeholder it cannot fill."""

from __future__ import annotations

from dangjian import Organization, load_catalog
from dangjian.catalogue.check import check_scheme
from dangjian.catalogue.loading import decode_scheme
from dangjian.tools.orgtree import coverage

BASE = """
id = "lines"
title = "述职关系"
version = "1"
org_types = ["organ_committee", "committee", "general_branch", "branch"]
[[bands]]
grade = "合格"
min = 0
"""

LINES = """
[[reporting_lines]]
org_types = ["committee", "general_branch", "branch"]
parent_types = ["organ_committee"]
reports_to = "机关党委"
[[reporting_lines]]
org_types = ["general_branch", "branch"]
nearest_types = ["committee"]
reports_to = "{nearest}"
[[reporting_lines]]
org_types = ["branch"]
parent_types = ["general_branch"]
reports_to = "{parent}"
"""

ORGS = [
    Organization(id="oc", name="机关党委", type="organ_committee"),
    Organization(id="u", name="医院党委", type="committee", parent_id="oc"),
    Organization(id="u-z", name="门诊党总支", type="general_branch", parent_id="u"),
    Organization(id="u-z-b", name="门诊第一党支部", type="branch", parent_id="u-z"),
    Organization(id="u-b", name="机关党支部", type="branch", parent_id="u"),
    Organization(id="z", name="血液中心党总支", type="general_branch", parent_id="oc"),
    Organization(id="z-b", name="血液中心党支部", type="branch", parent_id="z"),
]


def findings(text: str) -> list[str]:
    scheme = decode_scheme((BASE + text).encode(), file="lines.toml")
    return [f"{f.where}: {f.message}" for f in check_scheme(scheme, load_catalog())
            if f.level == "error"]


def test_nearest_names_the_ancestor_of_the_type_and_the_first_line_that_applies_wins():
    scheme = decode_scheme((BASE + LINES).encode(), file="lines.toml")
    to = {a.org_id: a.reports_to for a in coverage(ORGS, [], scheme.reporting_lines).assignments}
    assert to == {"oc": None, "u": "机关党委", "u-z": "医院党委", "u-z-b": "医院党委",
                  "u-b": "医院党委", "z": "机关党委", "z-b": "血液中心党总支"}


def test_the_check_refuses_placeholders_it_cannot_fill_and_unknown_types():
    assert findings(LINES) == []
    assert findings('[[reporting_lines]]\norg_types = ["branch"]\nreports_to = "{unit}"\n') == [
        "reporting_lines[0]: reports_to 中的 {unit} 不可用（可用 {parent}、{nearest}）"]
    assert findings('[[reporting_lines]]\norg_types = ["branch"]\nreports_to = "{nearest}"\n') == [
        "reporting_lines[0]: reports_to 用了 {nearest}，但没有给出 nearest_types"]
    assert findings('[[reporting_lines]]\norg_types = ["branch"]\nnearest_types = ["unit"]\n'
                    'reports_to = "{nearest}"\n') == ["reporting_lines[0]: 未知的组织类型 unit"]
