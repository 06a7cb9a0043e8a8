"""deadline: a term's length by organization type (党委 5 years, 党支部 3), an attribute that
states it overriding both, and a completion dated after the check day counted as not done."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dangjian import EvaluationRejected
from dangjian.scoring.records import evaluation_from_object

from tests.conftest import catalog_with_scheme, plan_of_scheme

SCHEME = """
id = "terms"
title = "按期换届"
version = "1"
year = 2020
org_types = ["committee", "branch"]
[[inputs]]
name = "elected_on"
title = "本届选举日期"
type = "date"
required = false
[[inputs]]
name = "reelected_on"
title = "换届日期"
type = "date"
required = false
[[criteria]]
id = "term"
title = "按期换届"
max = 2
method = "deadline"
params = { since = "elected_on", done = "reelected_on", years_by_type = { committee = 5, branch = 3 }, years_attribute = "term_years", since_title = "本届选举", done_title = "换届" }
[[bands]]
grade = "合格"
min = 0
"""


@pytest.fixture(scope="module")
def plan():
    return plan_of_scheme(SCHEME)


def term(plan, org_type, attributes=None, **inputs):
    result = plan.score(evaluation_from_object(
        {"org_id": "o1", "org": {"type": org_type, "attributes": attributes or {}},
         "inputs": inputs}, row=1))
    return next(line for line in result.lines if line.id == "term")


def test_a_committee_elected_in_2016_is_in_term_a_branch_is_overdue(plan):
    # 2016-06-30 + 5 years = 2021-06-30: in term on 2020-12-31; + 3 years = 2019-06-30: overdue.
    committee = term(plan, "committee", elected_on="2016-06-30")
    assert committee.points == Decimal(2) and "60个月内（2021-06-30前）" in committee.text
    branch = term(plan, "branch", elected_on="2016-06-30")
    assert branch.points == 0
    assert "36个月内（2019-06-30前）" in branch.text and "逾期550天" in branch.text


def test_a_term_stated_on_the_organization_overrides_its_type(plan):
    line = term(plan, "committee", {"term_years": 3}, elected_on="2016-06-30")
    assert line.points == 0 and "36个月内" in line.text


def test_a_reelection_after_the_check_day_is_not_yet_held(plan):
    # Elected 2017-12-31, due 2020-12-31; a re-election on 2021-01-05 was not held on the check
    # day, which is still within the term: full marks, and the later date is named.
    line = term(plan, "branch", elected_on="2017-12-31", reelected_on="2021-01-05")
    assert line.points == Decimal(2)
    assert "截至2020-12-31尚未换届（2021-01-05晚于核对日，不计）" in line.text
    # Due 2020-06-30: not held by the check day, so overdue 184 days, not done "on 2021-01-05".
    late = term(plan, "branch", elected_on="2017-06-30", reelected_on="2021-01-05")
    assert late.points == 0 and "逾期184天" in late.text


def test_years_by_type_must_name_the_schemes_own_types():
    catalog = catalog_with_scheme(SCHEME.replace("committee = 5", "general_branch = 4"))
    [(plugin, message)] = catalog.problems
    assert "years_by_type 中的 general_branch 不是本方案适用的组织类型" in message


def test_a_type_without_a_term_is_rejected_naming_the_criterion():
    catalog = catalog_with_scheme(SCHEME.replace("{ committee = 5, branch = 3 }", "{ branch = 3 }"))
    plan = catalog.plan("terms")
    with pytest.raises(EvaluationRejected) as info:
        term(plan, "committee", elected_on="2016-06-30")
    assert "方案没有规定committee类组织的年限" in info.value.message
    assert info.value.field == "term"
