"""The standardization rate, the evidence rule and the weak/lagging flags, case by case."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from dangjian import EvaluationRejected, SchemeError, load_catalog
from dangjian.scheme import Diagnostic

from .conftest import branch


def codes(result):
    return sorted(f.code for f in result.findings)


def test_all_eight_areas_met_is_a_standardized_branch_with_no_findings(tibet):
    result = tibet.score(branch())
    assert (result.total, result.grade) == (Decimal("100.00"), "已达标")
    assert codes(result) == [] and result.vetoes == [] and result.consequences == []
    assert [e.eligible for e in result.eligibility] == [True]


@pytest.mark.parametrize(("unmet", "total", "grade"), [
    (1, "87.50", "未达标"), (2, "75.00", "未达标"), (3, "62.50", "未达标"),
    (4, "50.00", "未达标"), (5, "37.50", "后进"), (8, "0.00", "后进")])
def test_the_total_is_the_share_of_eight_areas_met(tibet, unmet, total, grade):
    from .conftest import AREAS

    result = tibet.score(branch(unmet=AREAS[:unmet]))
    assert result.total == Decimal(total) and result.grade == grade


def test_an_area_marked_met_without_evidence_does_not_count(tibet):
    result = tibet.score(branch(no_evidence=("premises",)))
    assert result.total == Decimal("87.50") and result.grade == "未达标"
    line = next(line for line in result.lines if line.id == "premises")
    assert line.text == "阵地建设规范化：填报“达标”但缺少佐证材料，得0分（满分12.5分）"
    unmet = next(f for f in result.findings if f.code == "unmet_areas")
    assert unmet.message == "“八化”7/8项达标（标准化率87.5%），未达标：阵地建设规范化"
    assert unmet.severity == "低"


def test_below_half_the_areas_is_flagged_lagging_and_put_under_reorganization(tibet):
    result = tibet.score(branch(unmet=("members", "life", "premises", "systems", "support")))
    low = next(f for f in result.findings if f.code == "low_standardization")
    assert low.severity == "高"
    assert low.message == "“八化”仅3项达标，标准化率37.5%，低于50%，认定为后进党支部"
    assert [v.id for v in result.vetoes] == ["weak"]
    assert [c.id for c in result.consequences] == ["reorganize"]


def test_exactly_half_is_not_lagging(tibet):
    result = tibet.score(branch(unmet=("members", "life", "premises", "systems")))
    assert codes(result) == ["unmet_areas"] and result.grade == "未达标"
    assert [c.id for c in result.consequences] == ["catch_up"]


def test_a_committee_unable_to_do_its_job_is_weak_whatever_the_areas(tibet):
    """The commission's report only says it reorganized 7 后进 branches and turned round 软弱涣散
    ones; it names no criterion. “班子履职能力差、凝聚力弱” is borrowed from another story on the
    same page, about the village 两委 of 卡琼村 — the plugin's choice, and it says so."""
    result = tibet.score(branch(committee_weak=True))
    assert codes(result) == ["weak_committee"]
    assert (result.points_grade, result.grade) == ("已达标", "后进")
    assert result.findings[0].message == "支部班子履职能力差、凝聚力弱，按本方案认定为软弱涣散党支部"
    description = tibet.scheme.description
    assert "没有写认定标准" in description and "卡琼村（村党组织，不是卫生健康委的支部）" in description
    assert "两篇报道都没有，均为本方案的选择" in description
    standardized = result.eligibility[0]
    assert not standardized.eligible and "认定为软弱涣散（后进）党支部" in standardized.reasons
    assert [c.id for c in result.consequences] == ["reorganize"]


def test_the_weak_flag_is_quiet_when_the_committee_works(tibet):
    assert codes(tibet.score(branch(committee_weak=False))) == []


def test_bad_rows_are_rejected_with_the_field(tibet):
    with pytest.raises(EvaluationRejected) as missing:
        tibet.score(msgspec.structs.replace(branch(), inputs={"setup": "达标"}))
    assert missing.value.field == "inputs.committee"
    with pytest.raises(EvaluationRejected, match="应为 达标 / 未达标 之一"):
        tibet.score(branch(life="基本达标"))


def test_the_diagnostics_refuse_bad_params(tibet_catalog, tibet):
    scheme = tibet.scheme
    eight = tibet_catalog.diagnostics["eight_areas"]
    with pytest.raises(SchemeError, match="below"):
        eight.compile(Diagnostic(id="x", title="x", method="eight_areas",
                                 params={"areas": ["setup"], "below": 3}), scheme)
    with pytest.raises(SchemeError, match="areas"):
        eight.compile(Diagnostic(id="x", title="x", method="eight_areas",
                                 params={"areas": ["nowhere"], "below": 1}), scheme)
    flag = tibet_catalog.diagnostics["flag_raised"]
    with pytest.raises(SchemeError, match="是/否"):
        flag.compile(Diagnostic(id="x", title="x", method="flag_raised",
                                params={"inputs": ["setup"]}), scheme)


def test_only_this_plugin_can_be_loaded_by_name():
    catalog = load_catalog(selected="tibet-health-2019")
    assert sorted(catalog.schemes) == ["tibet-health-2019"]


def test_evidence_missing_on_one_of_four_areas_drops_the_branch_below_half(tibet):
    # four areas marked met, one without evidence: 3 × 12.5 = 37.5 < 50 → 后进
    result = tibet.score(branch(unmet=("premises", "systems", "operation", "support"),
                                no_evidence=("setup",)))
    assert (result.total, result.grade) == (Decimal("37.50"), "后进")
    assert codes(result) == ["low_standardization", "unmet_areas"]
    assert [c.id for c in result.consequences] == ["reorganize"]


def test_a_weak_committee_at_exactly_half_is_lagging_and_only_reorganized(tibet):
    result = tibet.score(branch(unmet=("premises", "systems", "operation", "support"),
                                committee_weak=True))
    assert result.total == Decimal("50.00")
    assert (result.points_grade, result.grade) == ("未达标", "后进")
    assert [c.id for c in result.consequences] == ["reorganize"]


def test_the_description_states_the_choices_the_report_leaves_open(tibet):
    text = tibet.scheme.description
    for phrase in ("12.5分", "无佐证材料不计", "8项全部达标（100%）为“已达标”",
                   "4至7项（50%至87.5%）为“未达标”", "不足4项（低于50%）为“后进”",
                   "履职能力差、凝聚力弱", "列入整顿"):
        assert phrase in text, phrase
