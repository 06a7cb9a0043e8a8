"""Each structural diagnostic fires on a constructed branch and stays quiet on a clean one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dangjian import EvaluationRejected, SchemeError
from dangjian.extension import MethodSpec
from dangjian.scheme import Diagnostic

from .conftest import survey


def findings(result):
    return {f.code: f for f in result.findings}


def test_a_clean_branch_is_sound_with_no_findings(city):
    result = city.score(survey())
    assert (result.total, result.grade) == (Decimal("100.00"), "健全")
    assert result.findings == [] and result.consequences == []


def test_a_branch_of_seven_full_members_needs_a_committee_by_the_regulation(city):
    result = city.score(survey(committee_size=1, committee_posts=[1], committee_ages=[45]))
    thin = findings(result)["thin_committee"]
    assert thin.severity == "高"
    assert thin.message == ("正式党员22人（7人以上），按《中国共产党支部工作条例（试行）》应设立支部委员会"
                            "（委员一般3至5人），现仅有书记1人")
    assert "保障" not in thin.message    # the study's sentence is about branches WITH a team
    assert (result.total, result.grade) == (Decimal("75.00"), "基本健全")
    assert [c.id for c in result.consequences] == ["staff_committee"]


def test_the_line_of_seven_counts_full_members_not_probationary_ones(city):
    # 8 members, 2 of them 预备党员: 6 正式党员, below the 条例's 7, no committee required
    small = survey(members=8, full_members=6, committee_size=1, committee_posts=[0],
                   committee_ages=[45])
    assert city.score(small).findings == []
    seven = survey(members=8, full_members=7, committee_size=1, committee_posts=[0],
                   committee_ages=[45])
    assert [f.code for f in city.score(seven).findings] == ["thin_committee"]
    with pytest.raises(EvaluationRejected) as error:
        city.score(survey(members=8, full_members=9))
    assert error.value.message == "正式党员人数9多于党员人数8"


def test_a_branch_under_seven_members_needs_no_committee(city):
    result = city.score(survey(members=6, full_members=6, committee_size=1, committee_posts=[0],
                               committee_ages=[45]))
    assert result.findings == []


def test_a_team_with_a_deputy_and_members_but_not_supported_is_the_studys_problem(city):
    """“一些医院党支部有副书记和支部委员，但班子队伍保障不够”."""
    lacking = survey(members=42, full_members=40, deputy_secretary=True, team_support="不够",
                     team_support_note="支委业务排班紧，支部活动时间无保障")
    result = city.score(lacking)
    team = findings(result)["unsupported_team"]
    assert (team.severity, team.message) == (
        "中", "支部有副书记和支部委员（支委会5人），但班子队伍保障不够（支委业务排班紧，支部活动时间无保障）")
    assert [c.id for c in result.consequences] == ["support_team"]
    # supported, or not stated: no finding; no deputy: not the study's situation
    assert city.score(survey(members=42, full_members=40, deputy_secretary=True,
                             team_support="到位")).findings == []
    assert city.score(survey(members=42, full_members=40, deputy_secretary=True)).findings == []
    assert city.score(survey(members=42, full_members=40, team_support="不够")).findings == []


def test_a_large_branch_without_a_deputy_is_not_a_finding(city):
    # the 条例 says a deputy may be set up “必要时”; the study names no such problem
    assert city.score(survey(members=42, full_members=40)).findings == []


def test_busy_members_and_nobody_dedicated_to_party_work(city):
    busy = survey(committee_posts=[3, 2, 4, 0, 1], dedicated_party_worker=None)
    overloaded = findings(city.score(busy))["overloaded"]
    assert overloaded.severity == "中"
    assert overloaded.message == "支委5人中3人兼任2个及以上其他职务，且没有专人抓党建工作"
    assert city.score(survey(committee_posts=[3, 2, 4, 0, 1])).findings == []
    assert city.score(survey(committee_posts=[3, 2, 0, 0, 1],
                             dedicated_party_worker=None)).findings == []


def test_an_ageing_committee_of_an_in_service_branch(city):
    old = survey(committee_ages=[58, 54, 47, 51, 50])
    ageing = findings(city.score(old))["ageing"]
    assert ageing.message == "支委平均年龄52岁（50岁及以上），没有不满40岁的委员，班子年龄结构偏大"
    assert city.score(survey(committee_ages=[58, 54, 39, 51, 50])).findings == []
    assert city.score(survey(committee_ages=[58, 54, 47, 51, 50],
                             category="离退休")).findings == []


def test_the_category_falls_back_to_the_organization(city):
    retired = survey(committee_ages=[68, 70, 66, 71, 69], attributes={"category": "离退休"})
    assert city.score(retired).findings == []


def test_three_problems_at_once_are_a_weak_branch(city):
    result = city.score(survey(committee_size=1, committee_posts=[3], committee_ages=[57],
                               dedicated_party_worker=None))
    assert sorted(findings(result)) == ["ageing", "overloaded", "thin_committee"]
    assert (result.total, result.grade) == (Decimal("25.00"), "薄弱")


def test_one_number_per_committee_member_or_the_row_is_rejected(city):
    with pytest.raises(EvaluationRejected) as error:
        city.score(survey(committee_ages=[45, 38]))
    assert error.value.field == "inputs.committee_ages"
    assert error.value.message == "支委年龄应有5个数（每名支委一个），实为2个"


def test_the_rules_refuse_an_unknown_name_or_missing_thresholds(city_catalog, city):
    scheme = city.scheme
    diagnostic = city_catalog.diagnostics["branch_structure"]
    with pytest.raises(SchemeError, match="rule 应为"):
        diagnostic.compile(Diagnostic(id="x", title="x", method="branch_structure",
                                      params={"rule": "mood"}), scheme)
    bare = type(scheme)(id="bare", title="无阈值", version="1")
    with pytest.raises(SchemeError, match=r"\[extra.structure.ageing\]"):
        diagnostic.compile(Diagnostic(id="x", title="x", method="branch_structure",
                                      params={"rule": "ageing"}), bare)
    method = city_catalog.methods["structure_check"]
    with pytest.raises(SchemeError, match="不认识参数"):
        method.compile(MethodSpec(id="c", title="c", max=Decimal(20), input=None,
                                  params={"rule": "posts", "limit": 3}, scheme=scheme))


def test_a_member_aged_exactly_40_is_not_young_enough_to_block_the_ageing_rule(city):
    # ages 40, 55, 56, 57, 58: mean 266 / 5 = 53.2 ≥ 50, and nobody is under 40
    result = city.score(survey(committee_ages=[40, 55, 56, 57, 58]))
    assert findings(result)["ageing"].message == (
        "支委平均年龄53.2岁（50岁及以上），没有不满40岁的委员，班子年龄结构偏大")
    assert (result.total, result.grade) == (Decimal("75.00"), "基本健全")
    # 50, 50, 50, 50, 49: mean 49.8, just under 50
    assert city.score(survey(committee_ages=[50, 50, 50, 50, 49])).findings == []


def test_one_finding_is_75_sound_enough_and_two_are_weak(city):
    one = city.score(survey(committee_ages=[56, 52, 49, 55, 51]))
    assert (one.total, one.grade) == (Decimal("75.00"), "基本健全")
    two = city.score(survey(committee_ages=[56, 52, 49, 55, 51], committee_posts=[3, 2, 2, 1, 0],
                            dedicated_party_worker=None))
    assert (two.total, two.grade) == (Decimal("50.00"), "薄弱")


def test_the_description_states_every_threshold_the_study_leaves_open(city):
    text = city.scheme.description
    for phrase in ("正式党员7人以上", "支委会不足3人", "预备党员不计", "有副书记和支部委员",
                   "由填报人据实判断", "半数及以上", "2个及以上", "平均年龄50岁及以上", "不满40岁",
                   "离退休党支部不适用", "各25分", "必要时可以设", "50余个特色支部品牌",
                   "与己无关"):
        assert phrase in text, phrase
