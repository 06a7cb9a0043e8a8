"""Each countable rule of the 2020 work points, met and missed, with the explanation naming
the missed month, quarter, half-year, person or report; the term deadline; evidence; scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dangjian import EvaluationRejected

from .conftest import act, branch_year, committee_year, evaluation, line

# criterion, org type, which records to drop, records to add, points left, words in the line
RULES = [
    ("p03_theme", "branch", lambda a: a.kind == "主题党日" and a.date.month == 8, [],
     "2.75", "主题党日全年开展11次，要求12次（每月至少1次），8月未达到，得2.75分（满分3分）"),
    ("p03_committee", "branch", lambda a: a.kind == "支委会" and a.date.month in (1, 2), [],
     "2.5", "支委会全年开展10次，要求12次（每月至少1次），1月、2月未达到，得2.5分（满分3分）"),
    ("p03_assembly", "branch", lambda a: a.kind == "党员大会" and a.date.month == 2, [],
     "1.5", "党员大会全年开展3次，要求4次（每季度至少1次），第一季度未达到，得1.5分（满分2分）"),
    ("p03_lecture", "branch", lambda a: a.kind == "党课" and a.date.month == 9, [],
     "1.5", "党课全年开展3次，要求4次（每季度至少1次），第三季度未达到，得1.5分（满分2分）"),
    ("p03_talks", "committee", lambda a: a.kind == "谈心谈话", [],
     "0", "谈心谈话全年开展0次，要求1次，全年未达到，得0分（满分1分）"),
    ("p03_appraisal", "branch", lambda a: a.kind == "民主评议党员", [],
     "0", "民主评议党员全年开展0次，要求1次，全年未达到，得0分（满分1分）"),
    ("p03_leaders", "committee", lambda a: a.kind == "党课" and a.person == "乙委员", [],
     "0.5", "党课：应每年至少1次的2人中1人达到，未达到：乙委员，得0.5分（满分1分）"),
    ("p06_training", "committee", lambda a: a.kind == "专题培训班", [act("专题培训班", "2019-12-20")],
     "0", "专题培训班全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
    ("p06_test", "branch", lambda a: a.kind == "理论知识测试" and a.date.month == 6, [],
     "1", "理论知识测试全年开展1次，要求2次（每半年至少1次），上半年未达到，得1分（满分2分）"),
    ("p08_report", "committee", lambda a: a.kind == "意识形态工作报告",
     [act("意识形态工作报告", "2021-01-08", note="2020年度意识形态工作报告")],
     "0", "意识形态工作报告全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
    ("p09_stars", "branch", lambda a: a.kind == "星级评定", [],
     "0", "星级评定全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
    ("p09_review", "committee", lambda a: a.kind == "述职评议", [],
     "0", "述职评议全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
    ("p12_plans", "branch", lambda a: a.kind == "党课教案", [act("党课教案", "2020-05-28", "王芳")],
     "0", "党课教案：应每年至少1次的1人中0人达到，未达到：李明，得0分（满分2分）"),
    ("p17_screening", "committee", lambda a: a.kind == "廉政风险点排查", [],
     "0", "廉政风险点排查全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
    ("p20_visits", "committee", lambda a: a.kind == "走访慰问" and a.date.month == 7, [],
     "1", "走访慰问全年开展1次，要求2次（每半年至少1次），下半年未达到，得1分（满分2分）"),
]


@pytest.mark.parametrize(("criterion", "org_type"), [(r[0], r[1]) for r in RULES])
def test_a_full_year_of_records_meets_the_rule(jilin, criterion, org_type):
    result = jilin.score(evaluation(org_type))
    item = line(result, criterion)
    assert item.points == item.max and "未达到" not in item.text
    assert result.total == Decimal("100.00") and result.grade == "好"


@pytest.mark.parametrize(("criterion", "org_type", "drop", "add", "points", "text"), RULES)
def test_a_missed_record_costs_its_share_and_is_named(jilin, criterion, org_type, drop, add,
                                                       points, text):
    year = branch_year() if org_type == "branch" else committee_year()
    result = jilin.score(evaluation(org_type, activities=[a for a in year if not drop(a)] + add))
    item = line(result, criterion)
    assert item.points == Decimal(points)
    assert item.text == text
    assert result.total == Decimal(100) - item.max + Decimal(points)


def test_the_branch_rules_do_not_bind_a_committee(jilin):
    result = jilin.score(evaluation("committee"))
    for criterion, title in [("p03_theme", "主题党日每月1次"), ("p03_appraisal", "落实民主评议党员制度"),
                             ("p12_plans", "支部书记讲党课教案优选")]:
        item = line(result, criterion)
        assert item.points == item.max
        assert item.text.startswith(f"{title}：本项只要求党支部，本组织不涉及")


def test_a_branch_with_no_secretary_named_cannot_show_its_lecture_plan(jilin):
    attributes = {"lecturers": ["李明"], "term_start": "2019-09-01"}
    item = line(jilin.score(evaluation(attributes=attributes)), "p12_plans")
    assert item.points == 0
    assert item.text == "支部书记讲党课教案优选：未提供应开展党课教案的人员名单（党支部书记），得0分（满分2分）"
    named = jilin.score(evaluation(attributes=attributes, secretary="李明"))
    assert line(named, "p12_plans").points == 2


def test_a_branch_term_of_three_years_expired_without_election_scores_zero(jilin):
    expired = dict(evaluation().org.attributes, term_start="2017-06-20")
    item = line(jilin.score(evaluation(attributes=expired)), "p09_term")
    assert item.points == 0
    assert item.text == ("任期届满按期换届：本届委员会选举日期2017-06-20起36个月内（2020-06-20前），"
                         "截至2020-12-31尚未换届，逾期194天，得0分（满分2分）")


def test_an_election_held_late_is_late_and_one_held_in_time_is_not(jilin):
    base = {"lecturers": ["李明"], "secretary": "李明"}
    late = jilin.score(evaluation(attributes=base, term_start="2017-04-10",
                                  reelected_on="2020-07-02"))
    assert line(late, "p09_term").text.endswith("已于2020-07-02换届，逾期83天，得0分（满分2分）")
    on_time = jilin.score(evaluation(attributes=base, term_start="2017-04-10",
                                     reelected_on="2020-04-08"))
    assert line(on_time, "p09_term").points == 2


def test_a_committee_term_is_five_years_and_an_attribute_overrides_it(jilin):
    # 机关党的基层委员会每届5年：2016-03-01 elected, due 2021-03-01, not yet due at 2020-12-31,
    # with or without term_years = 5 written on the org.
    five = dict(evaluation("committee").org.attributes, term_start="2016-03-01")
    assert line(jilin.score(evaluation("committee", attributes=five)), "p09_term").points == 2
    del five["term_years"]
    item = line(jilin.score(evaluation("committee", attributes=five)), "p09_term")
    assert item.points == 2 and "60个月内（2021-03-01前）" in item.text
    # a committee whose own record says 3 years: due 2019-03-01, 671 days late at 2020-12-31
    item = line(jilin.score(evaluation("committee", attributes=dict(five, term_years=3))),
                "p09_term")
    assert item.points == 0 and "36个月内（2019-03-01前）" in item.text and "逾期671天" in item.text


def test_a_branch_term_is_three_years_unless_its_record_says_otherwise(jilin):
    base = {"lecturers": ["李明"], "secretary": "李明", "term_start": "2017-06-20"}
    item = line(jilin.score(evaluation(attributes=base)), "p09_term")
    assert item.points == 0 and "36个月内（2020-06-20前）" in item.text
    item = line(jilin.score(evaluation(attributes=dict(base, term_years=5))), "p09_term")
    assert item.points == 2 and "60个月内（2022-06-20前）" in item.text


def test_a_missing_election_date_scores_zero_and_says_so(jilin):
    item = line(jilin.score(evaluation(attributes={"lecturers": ["李明"], "secretary": "李明"})),
                "p09_term")
    assert item.points == 0
    assert item.text == "任期届满按期换届：缺少本届委员会选举日期，无法核对，得0分（满分2分）"


def test_a_task_marked_done_without_evidence_scores_zero_naming_the_evidence(jilin):
    result = jilin.score(evaluation(p20_evidence=None))
    item = line(result, "p20_ledger")
    assert item.points == 0
    assert item.text == "建立完善困难党员工作台账：填报“完成”但缺少困难党员工作台账，得0分（满分3分）"
    assert result.total == Decimal("97.00")


def test_partly_done_scores_half_and_not_done_scores_nothing(jilin):
    result = jilin.score(evaluation(p01="部分完成", p13="未完成", p13_evidence=None))
    assert line(result, "p01").points == Decimal("2.5")
    assert line(result, "p13").text == "13.突出政治监督：未完成，得0分（满分4分）"
    assert result.total == Decimal("93.50") and result.grade == "好"


@pytest.mark.parametrize(("total_lost", "grade"), [
    ({"p01": "未完成", "p10": "未完成"}, "好"),                                  # 90.00
    ({"p01": "未完成", "p10": "未完成", "p02": "部分完成"}, "较好"),            # 88.00
    ({"p01": "未完成", "p10": "未完成", "p02": "未完成", "p04": "未完成",
      "p17": "未完成", "p05": "未完成", "p07": "未完成"}, "一般"),               # 74.00
])
def test_the_bands_read_the_total(jilin, total_lost, grade):
    assert jilin.score(evaluation("committee", **total_lost)).grade == grade


def test_an_unknown_completion_level_or_org_type_is_rejected(jilin):
    with pytest.raises(EvaluationRejected, match="应为 完成 / 部分完成 / 未完成 之一"):
        jilin.score(evaluation(p07="基本完成"))
    with pytest.raises(EvaluationRejected, match="不在本方案的适用范围内"):
        jilin.score(evaluation("general_branch"))
