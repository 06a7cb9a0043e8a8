"""frequency with org_types and note_contains: a branch's monthly theme day does not bind the
机关党委, and a one-off themed theme day is told apart from the ordinary ones by its note."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dangjian.records import evaluation_from_object

from tests.conftest import catalog_with_scheme, plan_of_scheme

SCHEME = """
id = "frequency-scope"
title = "频次适用范围"
version = "1"
year = 2022
org_types = ["organ_committee", "branch"]
[[criteria]]
id = "theme"
title = "机关党支部每月开展1次主题党日"
max = 12
method = "frequency"
params = { kind = "主题党日", period = "month", org_types = ["branch"] }
[[criteria]]
id = "congress"
title = "“喜迎二十大 奋进新征程”主题党日"
max = 2
method = "frequency"
params = { kind = "主题党日", note_contains = "喜迎二十大", until = "2022-10-15", org_types = ["branch"] }
[[criteria]]
id = "assembly"
title = "机关党员干部大会"
max = 4
method = "frequency"
params = { kind = "党员大会", org_types = ["organ_committee"] }
[[bands]]
grade = "合格"
min = 0
"""


@pytest.fixture(scope="module")
def plan():
    return plan_of_scheme(SCHEME)


def score(plan, org_type, activities):
    return plan.score(evaluation_from_object(
        {"org_id": "o1", "org": {"type": org_type}, "activities": activities}, row=1))


def line(result, criterion_id):
    return next(line for line in result.lines if line.id == criterion_id)


THEME_DAYS = [{"kind": "主题党日", "date": f"2022-{m:02d}-20", "note": "学习党章"}
              for m in range(1, 13) if m != 8]


def test_a_branch_is_held_to_the_monthly_rule_and_the_missed_month_is_named(plan):
    theme = line(score(plan, "branch", THEME_DAYS), "theme")
    assert theme.points == Decimal(11)
    assert theme.text == ("主题党日全年开展11次，要求12次（每月至少1次），8月未达到，"
                          "得11分（满分12分）")


def test_a_rule_for_branches_does_not_bind_the_organ_committee(plan):
    result = score(plan, "organ_committee", [])
    theme = line(result, "theme")
    assert theme.points == Decimal(12)
    assert theme.text == "机关党支部每月开展1次主题党日：本项只要求党支部，本组织不涉及，得12分"
    assembly = line(result, "assembly")
    assert assembly.points == 0 and assembly.text.startswith("党员大会全年开展0次")
    assert line(score(plan, "branch", []), "assembly").points == Decimal(4)


def test_only_records_whose_note_names_the_theme_count_and_only_before_the_cutoff(plan):
    ordinary = line(score(plan, "branch", THEME_DAYS), "congress")
    assert ordinary.points == 0
    assert ordinary.text == ("主题党日（主题含“喜迎二十大”，截至2022-10-15）全年开展0次，要求1次，"
                             "全年未达到，得0分（满分2分）")
    late = {"kind": "主题党日", "date": "2022-10-20", "note": "喜迎二十大 奋进新征程"}
    assert line(score(plan, "branch", [late]), "congress").points == 0
    held = dict(late, date="2022-09-23")
    result = score(plan, "branch", [*THEME_DAYS, held])
    assert line(result, "congress").points == Decimal(2)
    # the themed day is also the branch's September theme day
    assert line(result, "theme").text.startswith("主题党日全年开展12次")


def test_a_misspelled_org_type_keeps_the_scheme_from_registering():
    catalog = catalog_with_scheme(SCHEME.replace('org_types = ["organ_committee"]',
                                      'org_types = ["organ_comittee"]'))
    assert "frequency-scope" not in catalog.schemes
    assert any("organ_comittee" in str(problem) for problem in catalog.problems)
