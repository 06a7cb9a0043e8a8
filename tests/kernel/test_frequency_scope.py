"""frequency with org_types, themes, since and year_of: a branch's monthly theme day does not
bind the 机关党委; a one-off themed theme day is told apart from the ordinary ones by its note,
written the way a clerk writes it; an annual item counts for the year it is for; a person listed
twice is one person."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dangjian.scoring.records import evaluation_from_object

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
params = { kind = "主题党日", themes = ["喜迎二十大"], until = "2022-10-15", org_types = ["branch"] }
[[criteria]]
id = "meeting"
title = "“学习贯彻党的二十大精神”专题组织生活会"
max = 2
method = "frequency"
params = { kind = "组织生活会", themes = ["二十大精神"], since = "2022-10-16", org_types = ["branch"] }
[[criteria]]
id = "review"
title = "述职评议"
max = 2
method = "frequency"
params = { kind = "述职评议", year_of = "note" }
[[criteria]]
id = "lecture"
title = "讲党课"
max = 4
method = "frequency"
params = { kind = "党课", people = "lecturers" }
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


def score(plan, org_type, activities, **attributes):
    return plan.score(evaluation_from_object(
        {"org_id": "o1", "org": {"type": org_type, "attributes": attributes},
         "activities": activities}, row=1))


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


@pytest.mark.parametrize("note", ["喜迎党的二十大 奋进新征程", "“喜迎二十大、奋进新征程”主题党日",
                                  "喜迎 二十大　奋进新征程"])
def test_the_theme_is_found_the_way_a_clerk_writes_it(plan, note):
    day = {"kind": "主题党日", "date": "2022-09-23", "note": note}
    assert line(score(plan, "branch", [day]), "congress").points == Decimal(2)


def test_a_note_that_does_not_name_the_theme_does_not_count(plan):
    day = {"kind": "主题党日", "date": "2022-09-23", "note": "奋进新征程 建功新时代"}
    assert line(score(plan, "branch", [day]), "congress").points == 0


def test_the_meeting_on_the_congress_spirit_counts_only_from_the_opening_day(plan):
    before = {"kind": "组织生活会", "date": "2022-10-15", "note": "学习贯彻党的二十大精神专题组织生活会"}
    meeting = line(score(plan, "branch", [before]), "meeting")
    assert meeting.points == 0
    assert meeting.text == ("组织生活会（主题含“二十大精神”，2022-10-16起）全年开展0次，要求1次，"
                            "全年未达到，得0分（满分2分）")
    opening = dict(before, date="2022-10-16")
    assert line(score(plan, "branch", [opening]), "meeting").points == Decimal(2)


def test_an_annual_item_counts_for_the_year_its_note_names(plan):
    last_years = {"kind": "述职评议", "date": "2022-01-20", "note": "2021年度述职评议"}
    review = line(score(plan, "branch", [last_years]), "review")
    assert review.points == 0
    assert review.text == ("述职评议（按所属年度计）全年开展0次，要求1次，全年未达到，"
                           "得0分（满分2分）")
    this_years = {"kind": "述职评议", "date": "2023-01-18", "note": "2022 年度 述职评议"}
    assert line(score(plan, "branch", [this_years]), "review").points == Decimal(2)
    unnamed = {"kind": "述职评议", "date": "2022-11-30"}
    assert line(score(plan, "branch", [unnamed]), "review").points == Decimal(2)


def test_a_person_listed_twice_is_one_person_and_the_explanation_says_so(plan):
    lecture = line(score(plan, "branch", [], lecturers=["李明", "李明"]), "lecture")
    assert lecture.points == 0
    assert lecture.text == ("党课：应每年至少1次的1人中0人达到（名单中李明出现2次，同一人只计1人），"
                            "未达到：李明，得0分（满分4分）")
    given = [{"kind": "党课", "date": "2022-05-10", "person": "李 明"}]
    lecture = line(score(plan, "branch", given, lecturers=["李明", "王强", "李明"]), "lecture")
    assert lecture.points == Decimal(2)
    assert lecture.text == ("党课：应每年至少1次的2人中1人达到（名单中李明出现2次，同一人只计1人），"
                            "未达到：王强，得2分（满分4分）")


def test_the_year_a_record_is_for_may_be_stated_as_for_year(plan):
    held = {"kind": "述职评议", "date": "2022-01-20", "for_year": 2021}
    assert line(score(plan, "branch", [held]), "review").points == 0
    assert line(score(plan, "branch", [dict(held, date="2023-01-20", for_year=2022)]),
                "review").points == Decimal(2)


def test_records_that_count_for_nothing_are_named_not_ignored():
    plan = plan_of_scheme(SCHEME.replace('[[bands]]', '''[[diagnostics]]
id = "uncounted"
title = "未计分的活动记录"
method = "uncounted_activities"
severity = "低"
[[bands]]'''))
    result = score(plan, "branch", [
        {"kind": "团日活动", "date": "2022-05-04"}, {"kind": "主题党日", "date": "2021-12-20"},
        {"kind": "述职评议", "date": "2023-01-20", "note": "2022年度述职评议"},
        {"kind": "主题党日", "date": "2022-05-20"}])
    assert [(f.code, f.message) for f in result.findings] == [(
        "uncounted", "2条活动记录未计入任何评分项：类型“团日活动”不是本方案计分的活动类型（2022-05-04）；"
        "2021-12-20的主题党日不在2022年度")]
