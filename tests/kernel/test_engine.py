"""The engine on the reference shape: 70/30 weights, exact rounding, bands, vetoes, gates."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from dangjian import EvaluationRejected, Scheme, hookimpl, load_catalog
from dangjian.catalogue.loading import load_scheme
from dangjian.scheme import Rounding
from tests.conftest import evaluation

from .conftest import DATA


def weighted_variant(**changes) -> Scheme:
    return msgspec.structs.replace(load_scheme(DATA / "weighted.toml"), **changes)


def plan_for(scheme: Scheme):
    class Plugin:
        @hookimpl
        def register_schemes(self, register):
            register(scheme)

    catalog = load_catalog(entry_points=False, plugins=[Plugin()])
    assert not catalog.problems, catalog.problems
    return catalog.plan(scheme.id)


@pytest.fixture(scope="module")
def weighted():
    return plan_for(load_scheme(DATA / "weighted.toml"))


def test_onsite_95_superior_80_gives_90_50_hao(weighted):
    result = weighted.score(evaluation(onsite=[95], superior=80))
    assert result.total == Decimal("90.50")
    assert result.grade == "好"
    assert [e.honour for e in result.eligibility if e.eligible] == ["excellent", "advanced"]


@pytest.mark.parametrize("score, grade", [
    ("89.99", "较好"), ("90", "好"), ("90.00", "好"), ("59.99", "差"), ("60", "一般"),
    ("79.99", "一般"), ("80", "较好"), ("0", "差"), ("100", "好"),
])
def test_band_boundaries_lower_bound_inclusive(weighted, score, grade):
    result = weighted.score(evaluation(onsite=[score], superior=score))
    assert result.total == Decimal(score).quantize(Decimal("0.01"))
    assert result.grade == grade


def test_total_is_rounded_once_half_up_to_two_places(weighted):
    # 0.7 × 89.99 + 0.3 × 90.01 = 89.996 → 90.00, graded 好 on the rounded total.
    result = weighted.score(evaluation(onsite=[89.99], superior=90.01))
    assert result.total == Decimal("90.00") and result.grade == "好"
    # 0.7 × 89.993 + 0.3 × 89.993 = 89.993 → 89.99 较好: no accidental rounding up.
    result = weighted.score(evaluation(onsite=["89.993"], superior="89.993"))
    assert result.total == Decimal("89.99") and result.grade == "较好"


def test_bands_read_from_the_raw_total_when_the_scheme_says_so():
    plan = plan_for(weighted_variant(id="raw-bands", rounding=Rounding(bands_read="raw")))
    result = plan.score(evaluation(onsite=[89.99], superior=90.01))
    assert result.total == Decimal("90.00") and result.grade == "较好"


def test_ballots_mean_of_mixed_numbers_and_grades(weighted):
    # mean(好=95, 较好=85, 90) = 90 → 0.7 × 90 + 0.3 × 80 = 87.00 较好
    result = weighted.score(evaluation(onsite=["好", "较好", 90], superior=80))
    assert result.total == Decimal("87.00") and result.grade == "较好"
    assert result.to_next_band.grade == "好" and result.to_next_band.points == Decimal("3.00")


def test_no_raters_is_rejected_with_the_reason(weighted):
    with pytest.raises(EvaluationRejected) as exc:
        weighted.score(evaluation(onsite=[], superior=80))
    assert "评议人数0人，少于方案要求的1人" in exc.value.message


def test_veto_blocks_honour_with_reason_but_keeps_grade(weighted):
    result = weighted.score(evaluation(onsite=[95], superior=95, integrity_problem=True))
    assert result.grade == "好"
    assert [v.id for v in result.vetoes] == ["integrity"]
    advanced = next(e for e in result.eligibility if e.honour == "advanced")
    assert not advanced.eligible and advanced.reasons == ["党风廉政建设出现问题"]


def test_veto_caps_grade_when_the_scheme_says_so():
    vetoes = [msgspec.structs.replace(v, cap_grade="一般") for v in weighted_variant().vetoes]
    plan = plan_for(weighted_variant(id="capped", vetoes=vetoes))
    result = plan.score(evaluation(onsite=[95], superior=95, integrity_problem=True))
    assert (result.points_grade, result.grade) == ("好", "一般")
    assert [c.id for c in result.consequences] == ["talk"]
    assert not next(e for e in result.eligibility if e.honour == "excellent").eligible


def test_gate_excellent_requires_hao(weighted):
    result = weighted.score(evaluation(onsite=[85], superior=85))
    excellent = next(e for e in result.eligibility if e.honour == "excellent")
    assert not excellent.eligible and "要求等次为“好”" in excellent.reasons[0]


def test_consequences_follow_grades_and_flags(weighted):
    assert [c.id for c in weighted.score(evaluation(onsite=[70], superior=70)).consequences] == ["talk"]
    serious = weighted.score(evaluation(onsite=[95], superior=95, serious=True))
    assert [c.id for c in serious.consequences] == ["accountability"]


def test_missing_component_is_rejected_unless_reweighting_is_allowed(weighted):
    with pytest.raises(EvaluationRejected) as exc:
        weighted.score(evaluation(onsite=[90]))
    assert "缺少上级评议" in exc.value.message
    plan = plan_for(weighted_variant(id="reweight", missing_components="reweight"))
    result = plan.score(evaluation(onsite=[90]))
    assert result.total == Decimal("90.00")
    assert any("按其余分项权重" in line.text for line in result.lines)


def test_every_result_names_scheme_hash_and_plugin_versions(weighted):
    result = weighted.score(evaluation(onsite=[95], superior=80))
    assert result.scheme.id == "test-weighted" and len(result.scheme.hash) == 16
    assert "dangjian" in result.scheme.plugins


def test_explanation_has_a_chinese_line_per_component_veto_gate_and_consequence(weighted):
    result = weighted.score(evaluation(onsite=[70], superior=70, integrity_problem=True))
    kinds = [line.kind for line in result.lines]
    assert kinds.count("component") == 2
    assert {"veto", "gate", "consequence", "total", "grade"} <= set(kinds)
    assert "权重70%，计入总分49分" in result.lines[0].text


def test_org_type_outside_the_scheme_is_rejected(weighted):
    with pytest.raises(EvaluationRejected) as exc:
        weighted.score(evaluation(org_type="党组", onsite=[90], superior=90))
    assert "不在本方案的适用范围内" in exc.value.message
    with pytest.raises(EvaluationRejected) as exc:
        weighted.score(evaluation(org_type="村委会", onsite=[90], superior=90))
    assert "未知的组织类型" in exc.value.message and exc.value.field == "org.type"


def test_unknown_input_is_rejected_naming_it(weighted):
    with pytest.raises(EvaluationRejected) as exc:
        weighted.score(evaluation(onsite=[90], superior=90, bonus=3))
    assert exc.value.field == "inputs.bonus"


def test_out_of_range_number_is_rejected(weighted):
    with pytest.raises(EvaluationRejected) as exc:
        weighted.score(evaluation(onsite=[90], superior=120))
    assert "超过上限100" in exc.value.message


def test_score_many_turns_failures_into_rejects_and_keeps_going(weighted):
    rows = [(1, evaluation("a", onsite=[90], superior=90)),
            (2, evaluation("b", onsite=[], superior=90)),
            (3, evaluation("c", onsite=[80], superior=80))]
    out = list(weighted.score_many(rows))
    assert [type(o).__name__ for o in out] == ["Result", "Reject", "Result"]
    assert out[1].row == 2 and out[1].org_id == "b"


def test_a_single_number_for_a_list_input_counts_as_one_rater(weighted):
    assert weighted.score(evaluation(onsite=95, superior=80)).total == Decimal("90.50")


def test_list_input_written_in_one_cell_is_split_on_chinese_and_ascii_separators(weighted):
    # mean(90, 好=95, 85, 较好=85) = 88.75 → 0.7 × 88.75 + 0.3 × 80 = 86.125 → 86.13
    result = weighted.score(evaluation(onsite="90；好、85,较好", superior="80"))
    assert result.total == Decimal("86.13")
