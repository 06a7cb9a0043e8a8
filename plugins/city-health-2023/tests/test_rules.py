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


def test_no_committee_members_in_a_branch_that_needs_a_committee(city):
    result = city.score(survey(committee_size=1, committee_posts=[1], committee_ages=[45]))
    thin = findings(result)["thin_committee"]
    assert thin.severity == "高"
    assert thin.message == ("党员24人，按《中国共产党支部工作条例（试行）》应设支部委员会（委员3至5人），"
                            "现仅有书记1人，没有支部委员，班子队伍保障不够")
    assert (result.total, result.grade) == (Decimal("80.00"), "基本健全")
    assert [c.id for c in result.consequences] == ["staff_committee"]


def test_a_branch_under_seven_members_needs_no_committee(city):
    result = city.score(survey(members=6, committee_size=1, committee_posts=[0],
                               committee_ages=[45]))
    assert result.findings == []


def test_a_large_branch_without_a_deputy_secretary(city):
    result = city.score(survey(members=42))
    assert findings(result)["no_deputy"].message == (
        "党员42人（30人以上），支部未配备副书记，班子队伍保障不够")
    assert city.score(survey(members=42, deputy_secretary=True)).findings == []


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


def test_a_branch_without_a_brand_project(city):
    result = city.score(survey(brand=None))
    no_brand = findings(result)["no_brand"]
    assert (no_brand.severity, no_brand.message) == ("低", "没有支部品牌项目，支部特色和活力不足")
    assert [c.id for c in result.consequences] == ["build_brand"]


def test_every_problem_at_once_is_a_weak_branch(city):
    result = city.score(survey(members=31, committee_size=1, committee_posts=[3],
                               committee_ages=[57], dedicated_party_worker=None, brand=None))
    assert sorted(findings(result)) == ["ageing", "no_brand", "no_deputy", "overloaded",
                                        "thin_committee"]
    assert (result.total, result.grade) == (Decimal("0.00"), "薄弱")


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
    assert (result.total, result.grade) == (Decimal("80.00"), "基本健全")
    # 50, 50, 50, 50, 49: mean 49.8, just under 50
    assert city.score(survey(committee_ages=[50, 50, 50, 50, 49])).findings == []


def test_two_findings_are_60_the_lowest_sound_enough_total_and_three_are_weak(city):
    # 31 members with the secretary alone: no committee (−20) and no deputy (−20) → 60
    two = city.score(survey(members=31, committee_size=1, committee_posts=[1],
                            committee_ages=[45]))
    assert sorted(findings(two)) == ["no_deputy", "thin_committee"]
    assert (two.total, two.grade) == (Decimal("60.00"), "基本健全")
    # and no brand as well → 40
    three = city.score(survey(members=31, committee_size=1, committee_posts=[1],
                              committee_ages=[45], brand=None))
    assert (three.total, three.grade) == (Decimal("40.00"), "薄弱")


def test_the_description_states_every_threshold_the_study_leaves_open(city):
    text = city.scheme.description
    for phrase in ("党员7人以上", "支委会不足3人", "党员30人以上", "半数及以上", "2个及以上",
                   "平均年龄50岁及以上", "不满40岁", "离退休党支部不适用", "各20分",
                   "60至80分基本健全", "与己无关"):
        assert phrase in text, phrase
