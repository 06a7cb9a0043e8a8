"""Each countable rule of the 2020 work points, met and missed, with the explanation naming
the missed month, quarter, half-year, person or report; annual items counted for the year they
are for; 三会一课 in full; no term check (the document has none); evidence; scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from dangjian import Activity, EvaluationRejected

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
     "0", "民主评议党员（按所属年度计）全年开展0次，要求1次，全年未达到，得0分（满分1分）"),
    ("p03_leaders", "committee", lambda a: a.kind == "党课" and a.person == "乙委员", [],
     "0.5", "党课：应每年至少1次的2人中1人达到，未达到：乙委员，得0.5分（满分1分）"),
    ("p06_training", "committee", lambda a: a.kind == "专题培训班", [act("专题培训班", "2019-12-20")],
     "0", "专题培训班全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
    ("p06_test", "branch", lambda a: a.kind == "理论知识测试" and a.date.month == 6, [],
     "1", "理论知识测试全年开展1次，要求2次（每半年至少1次），上半年未达到，得1分（满分2分）"),
    ("p08_report", "committee", lambda a: a.kind == "意识形态工作报告",
     [act("意识形态工作报告", "2021-01-08")],
     "0", "意识形态工作报告（按所属年度计）全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
    ("p09_stars", "branch", lambda a: a.kind == "星级评定", [],
     "0", "星级评定（按所属年度计）全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
    ("p09_review", "committee", lambda a: a.kind == "述职评议", [],
     "0", "述职评议（按所属年度计）全年开展0次，要求1次，全年未达到，得0分（满分2分）"),
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
    attributes = {"lecturers": ["李明"]}
    item = line(jilin.score(evaluation(attributes=attributes)), "p12_plans")
    assert item.points == 0
    assert item.text == "支部书记讲党课教案优选：未提供应开展党课教案的人员名单（党支部书记），得0分（满分2分）"
    named = jilin.score(evaluation(attributes=attributes, secretary="李明"))
    assert line(named, "p12_plans").points == 2


def test_point_9_says_nothing_about_terms_so_no_election_is_checked(jilin):
    """Point 9 names the star rating, the secretaries' review and the quality project; the whole
    document is silent on 换届 and 任期, so an expired term costs nothing."""
    ids = {node.id for node in jilin.scheme.criteria[2].children[0].children}
    assert ids == {"p09_stars", "p09_review", "p09_other"}
    expired = dict(evaluation().org.attributes, term_start="2017-06-20")
    result = jilin.score(evaluation(attributes=expired))
    assert result.total == Decimal("100.00")
    assert not any("换届" in item.text for item in result.lines)
    assert "文件没有写换届和任期" in jilin.scheme.description


def test_the_2019_review_held_in_january_2020_does_not_count_for_2020(jilin):
    records = [a for a in branch_year() if a.kind != "述职评议"]
    records.append(act("述职评议", "2020-01-15", note="2019年度书记抓基层党建述职评议考核"))
    item = line(jilin.score(evaluation(activities=records)), "p09_review")
    assert item.points == 0
    assert item.text == ("述职评议（按所属年度计）全年开展0次，要求1次，全年未达到，"
                         "得0分（满分2分）")


def test_the_2020_review_held_in_january_2021_counts_for_2020(jilin):
    records = [a for a in branch_year() if a.kind != "述职评议"]
    records.append(act("述职评议", "2021-01-14", note="2020年度书记抓基层党建述职评议考核"))
    result = jilin.score(evaluation(activities=records))
    assert line(result, "p09_review").points == 2 and result.total == Decimal("100.00")
    stated = [*records[:-1], Activity(kind="述职评议", date=datetime.date(2021, 1, 14),
                                      for_year=2020)]
    assert line(jilin.score(evaluation(activities=stated)), "p09_review").points == 2


def test_the_2020_ideology_report_sent_in_january_2021_counts_for_2020(jilin):
    records = [a for a in branch_year() if a.kind != "意识形态工作报告"]
    sent = act("意识形态工作报告", "2021-01-08", note="2020年度意识形态工作报告")
    assert line(jilin.score(evaluation(activities=[*records, sent])), "p08_report").points == 2
    last_years = act("意识形态工作报告", "2020-01-08", note="2019年度意识形态工作报告")
    assert line(jilin.score(evaluation(activities=[*records, last_years])), "p08_report").points == 0


def test_party_group_meetings_are_checked_monthly_where_the_branch_has_groups(jilin):
    records = [a for a in branch_year() if not (a.kind == "党小组会" and a.date.month == 3)]
    item = line(jilin.score(evaluation(activities=records)), "p03_group")
    assert item.points == Decimal("1.1")
    assert item.text == ("党小组会全年开展11次，要求12次（每月至少1次），3月未达到，"
                         "得1.1分（满分1.2分）")
    no_groups = [a for a in branch_year() if a.kind != "党小组会"]
    item = line(jilin.score(evaluation(activities=no_groups, party_groups=0)), "p03_group")
    assert item.points == Decimal("1.2")
    assert item.text == "“三会一课”：党小组会每月1次：党小组个数为0，本组织不涉及，得1.2分"


def test_the_organization_life_meeting_is_checked_for_its_year(jilin):
    records = [a for a in branch_year() if a.kind != "组织生活会"]
    result = jilin.score(evaluation(activities=records))
    assert line(result, "p03_life").points == 0 and result.total == Decimal("99.20")
    held = act("组织生活会", "2021-01-22", note="2020年度组织生活会")
    assert line(jilin.score(evaluation(activities=[*records, held])), "p03_life").points == \
        Decimal("0.8")


def test_a_lecturer_listed_twice_is_one_person(jilin):
    attributes = {"secretary": "李明", "lecturers": ["李明", "李明"]}
    records = [a for a in branch_year() if a.person != "李明" or a.kind != "党课"]
    item = line(jilin.score(evaluation(attributes=attributes, activities=records)), "p03_leaders")
    assert item.points == 0
    assert item.text == ("党课：应每年至少1次的1人中0人达到（名单中李明出现2次，同一人只计1人），"
                         "未达到：李明，得0分（满分1分）")


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


def test_an_activities_file_may_give_the_year_each_record_is_for(jilin, tmp_path):
    """`--activities` files take an optional 所属年度 (for_year) column: the 2020年度 review
    held in January 2021 counts for 2020, the 2019年度 one held in January 2020 does not."""
    activities = pytest.importorskip("dangjian_shell.activities")
    path = tmp_path / "活动记录.csv"
    path.write_text("组织编号,活动类型,日期,人员,备注,所属年度\n"
                    "j1,述职评议,2020-01-15,,,2019\n"
                    "j2,述职评议,2021-01-14,,,2020年度\n"
                    "j3,述职评议,2021-01-14,,,明年\n", encoding="utf-8-sig")
    index = activities.read_activities(path)
    assert [a.for_year for a in index.by_org["j1"] + index.by_org["j2"]] == [2019, 2020]
    assert "所属年度“明年”应为四位年份" in index.errors["j3"][0]
    for org_id, points in (("j1", 0), ("j2", 2)):
        records = [a for a in committee_year() if a.kind != "述职评议"] + index.by_org[org_id]
        assert line(jilin.score(evaluation("committee", activities=records)),
                    "p09_review").points == points
