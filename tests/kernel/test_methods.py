"""Every built-in scoring method, on a scheme whose numbers are worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from dangjian import EvaluationRejected
from tests.conftest import evaluation

MONTHS = [datetime.date(2022, m, 19).isoformat() for m in range(1, 13)]


def full(**overrides):
    """An evaluation in which every criterion has an input; the hand-worked total is 76."""
    inputs = dict(ratings=[100, 90, 80], votes=["好", "好", "较好", "一般"], superior=80,
                  misses=["主题党日"], standardized=0.75, ledger=True, plan="部分完成",
                  plan_evidence="支委会记录", awards=3, penalties=1)
    inputs.update(overrides)
    activities = [{"kind": "主题党日", "date": d} for d in MONTHS]
    activities.append({"kind": "党课", "date": "2022-04-01", "person": "张三"})
    ev = evaluation(activities=activities, **inputs)
    attrs = {"lecturers": ["张三", "李四"], "term_started": "2019-06-01", "elected_on": "2022-05-20"}
    return ev.__class__(org_id=ev.org_id, org=ev.org.__class__(name="第一支部", type="branch",
                                                               attributes=attrs),
                        inputs=ev.inputs, activities=ev.activities)


def line(result, criterion_id):
    return next(line for line in result.lines if line.id == criterion_id)


def test_hand_worked_total_is_76_and_grade_is_yiban_with_talk(mixed):
    result = mixed.score(full())
    assert result.total == Decimal("76.00")
    assert result.grade == "一般"
    assert [c.id for c in result.consequences] == ["talk"]


def test_rating_trims_highest_and_lowest_then_scales_to_max(mixed):
    result = mixed.score(full())
    assert line(result, "s1.rating").points == Decimal(18)
    assert "去掉最高、最低分各1个" in line(result, "s1.rating").text


def test_rating_with_fewer_raters_than_minimum_is_rejected(mixed):
    with pytest.raises(EvaluationRejected) as exc:
        mixed.score(full(ratings=[90, 80]))
    assert "少于方案要求的3人" in exc.value.message
    assert exc.value.field == "ratings"


def test_ballots_are_mapped_to_points_and_averaged(mixed):
    assert line(mixed.score(full()), "s1.votes").points == Decimal("8.5")


def test_ballots_are_counted_in_the_order_of_the_grades(mixed):
    text = line(mixed.score(full(votes=["一般", "好", "较好", "好"])), "s1.votes").text
    assert "票数好2票、较好1票、一般1票（" in text


def test_ballot_that_is_not_a_grade_is_rejected_naming_it(mixed):
    with pytest.raises(EvaluationRejected) as exc:
        mixed.score(full(votes=["好", "优"]))
    assert "优" in exc.value.message and exc.value.field == "inputs.votes"


def test_checklist_deducts_per_miss_and_floors_at_zero(mixed):
    assert line(mixed.score(full()), "s2.check").points == Decimal(6)
    all_missed = ["三会一课", "主题党日", "组织生活会", "民主评议党员"]
    result = mixed.score(full(misses=all_missed))
    assert line(result, "s2.check").points == 0
    assert "扣完为止" in line(result, "s2.check").text


def test_frequency_names_the_missed_month(mixed):
    ev = full()
    ev.activities[:] = [a for a in ev.activities if a.date.month != 8]
    result = mixed.score(ev)
    theme = line(result, "s2.theme")
    assert theme.text.startswith("主题党日全年开展11次，要求12次")
    assert "8月未达到" in theme.text
    assert f"{theme.points:.2f}" == "9.17"


def test_frequency_counts_a_month_once_however_many_records(mixed):
    ev = full()
    ev.activities[:] = [a for a in ev.activities if a.date.month != 8]
    ev.activities.append(ev.activities[0].__class__(kind="主题党日", date=datetime.date(2022, 7, 2)))
    assert f"{line(mixed.score(ev), 's2.theme').points:.2f}" == "9.17"


def test_frequency_per_person_names_who_has_none(mixed):
    lecture = line(mixed.score(full()), "s3.lecture")
    assert lecture.points == Decimal(5)
    assert "未达到：李四" in lecture.text


def test_per_occurrence_is_capped(mixed):
    assert line(mixed.score(full()), "s3.awards").points == Decimal(5)
    assert line(mixed.score(full(awards=1)), "s3.awards").points == Decimal(2)


def test_ratio_reads_the_highest_threshold_met(mixed):
    assert line(mixed.score(full(standardized=0.95)), "s2.ratio").points == Decimal(10)
    assert line(mixed.score(full(standardized=0.75)), "s2.ratio").points == Decimal(6)
    assert line(mixed.score(full(standardized=0.5)), "s2.ratio").points == 0


def test_boolean_gives_all_or_nothing(mixed):
    assert line(mixed.score(full(ledger=False)), "s2.ledger").points == 0
    assert "未建立" in line(mixed.score(full(ledger=False)), "s2.ledger").text


def test_completion_without_evidence_scores_zero_and_says_what_is_missing(mixed):
    result = mixed.score(full(plan="完成", plan_evidence=None))
    plan = line(result, "s2.plan")
    assert plan.points == 0 and "缺少会议记录" in plan.text
    assert line(mixed.score(full(plan="完成")), "s2.plan").points == Decimal(5)


@pytest.mark.parametrize("blank", ["", "   ", "\u3000\t"])
def test_evidence_of_blanks_only_is_no_evidence(mixed, blank):
    # A spreadsheet cell holding only spaces earns nothing, as an empty one does.
    plan = line(mixed.score(full(plan="完成", plan_evidence=blank)), "s2.plan")
    assert plan.points == 0 and "缺少会议记录" in plan.text
    assert line(mixed.score(full(plan="完成", plan_evidence=" 记录 ")), "s2.plan").points == 5


def test_deadline_passes_when_elected_in_time_and_fails_when_late(mixed):
    assert line(mixed.score(full()), "s3.term").points == Decimal(5)
    late = full()
    attrs = dict(late.org.attributes, elected_on="2022-07-01")
    late = late.__class__(org_id="o1", org=late.org.__class__(type="branch", attributes=attrs),
                          inputs=late.inputs, activities=late.activities)
    term = line(mixed.score(late), "s3.term")
    assert term.points == 0 and "逾期30天" in term.text


def test_deduction_pool_subtracts_within_its_cap(mixed):
    assert mixed.score(full(penalties=0)).total == Decimal("79.00")
    assert mixed.score(full(penalties=5)).total == Decimal("69.00")


def test_content_nodes_carry_no_points_and_no_lines(mixed):
    assert not [line for line in mixed.score(full()).lines if line.id.startswith("content")]


def test_section_line_sums_its_children(mixed):
    result = mixed.score(full())
    assert line(result, "s1").points == Decimal("34.5")
    assert line(result, "s2").points == Decimal("29.5")
