"""The 70/30 rule, its grades and the use of results, as 吉卫党委发〔2020〕1号 states them."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from dangjian import Evaluation, EvaluationRejected
from dangjian.catalogue.check import check_scheme
from dangjian.tools.golden import golden_for_scheme


def score(plan, org_type="branch", **inputs):
    ev = msgspec.convert({"org_id": "t", "org": {"name": "测试支部", "type": org_type},
                          "inputs": inputs}, Evaluation)
    return plan.score(ev)


def test_onsite_95_and_superior_80_gives_90_50_hao(plan):
    result = score(plan, onsite=[95], superior=80)
    assert (result.total, result.grade) == (Decimal("90.50"), "好")
    assert [c.points for c in result.components] == [Decimal(95), Decimal(80)]


@pytest.mark.parametrize("value, grade", [("89.99", "较好"), ("90.00", "好"), ("59.99", "差"),
                                          ("60", "一般"), ("79.99", "一般"), ("80", "较好")])
def test_grade_read_from_rounded_total_lower_bound_inclusive(plan, value, grade):
    assert score(plan, onsite=[value], superior=value).grade == grade


def test_total_rounded_half_up_once(plan):
    # 0.7 × 89.99 + 0.3 × 90.01 = 89.996 → 90.00
    result = score(plan, onsite=[89.99], superior=90.01)
    assert (result.total, result.grade) == (Decimal("90.00"), "好")


def test_fractional_total_between_bands_takes_the_lower_grade(plan):
    # The notice says 80分—89分 and 90分及以上: 89.6 is 较好, not rounded up to 90.
    result = score(plan, onsite=[89.6], superior=89.6)
    assert (result.total, result.grade) == (Decimal("89.60"), "较好")


def test_rounding_is_half_up_not_half_even(plan):
    # 0.7 × 80.125 + 0.3 × 80.125 = 80.125 → 80.13 (half-even would give 80.12)
    assert score(plan, onsite=[80.125], superior=80.125).total == Decimal("80.13")


def test_a_single_number_or_ballot_for_onsite_is_one_rater(plan):
    assert score(plan, onsite=95, superior=80).total == Decimal("90.50")
    # one ballot 好 = 95 → the same 90.50
    result = score(plan, onsite="好", superior=80)
    assert result.total == Decimal("90.50") and "共1人评议" in result.lines[0].text


def test_raters_mean_over_many_numbers_and_ballots(plan):
    # 20 raters: ten 好 (95), five 88, five 较好 (85): mean (950 + 440 + 425) / 20 = 90.75
    # 0.7 × 90.75 + 0.3 × 86 = 63.525 + 25.8 = 89.325 → 89.33, 较好
    onsite = ["好"] * 10 + [88] * 5 + ["较好"] * 5
    result = score(plan, onsite=onsite, superior=86)
    assert result.components[0].points == Decimal("90.75")
    assert (result.total, result.grade) == (Decimal("89.33"), "较好")
    assert result.lines[0].text.startswith(
        "述评现场评议测评：共20人评议，5人打分、15人投等次票：好10票、较好5票（")
    assert score(plan, onsite=["好", "较好"], superior=86).lines[0].text.startswith(
        "述评现场评议测评：共2人评议，票数好1票、较好1票（")


def test_ballots_map_to_stated_points_and_average_with_numbers(plan):
    # (好 95 + 较好 85 + 一般 70 + 差 50) / 4 = 75 → 0.7 × 75 + 0.3 × 80 = 76.50
    result = score(plan, onsite=["好", "较好", "一般", "差"], superior=80)
    assert result.total == Decimal("76.50")
    onsite = result.lines[0]
    assert "好=95、较好=85、一般=70、差=50" in onsite.text and "平均75分" in onsite.text


def test_ballot_mapping_is_stated_in_the_scheme_description(scheme):
    assert "好=95、较好=85、一般=70、差=50" in scheme.description


def test_too_few_raters_rejects_with_reason(plan):
    with pytest.raises(EvaluationRejected) as exc:
        score(plan, onsite=[], superior=80)
    assert "评议人数0人，少于方案要求的1人" in exc.value.message


def test_rater_outside_0_to_100_or_unknown_ballot_rejects_naming_the_position(plan):
    with pytest.raises(EvaluationRejected) as exc:
        score(plan, onsite=[90, 101], superior=80)
    assert "第2项101超出0—100" in exc.value.message and exc.value.field == "inputs.onsite"
    with pytest.raises(EvaluationRejected) as exc:
        score(plan, onsite=["好", "优"], superior=80)
    assert "第2项“优”不是有效值" in exc.value.message


def test_serious_alone_adds_accountability_without_a_veto(plan):
    result = score(plan, onsite=[85], superior=85, serious=True)
    assert result.vetoes == [] and [c.id for c in result.consequences] == ["accountability"]


def test_only_hao_allows_the_excellent_annual_rating(plan):
    good = {e.honour: e for e in score(plan, onsite=[92], superior=90).eligibility}
    fair = {e.honour: e for e in score(plan, onsite=[85], superior=85).eligibility}
    assert good["excellent_rating"].eligible
    assert not fair["excellent_rating"].eligible
    assert "年度考核才能确定为优秀等次" in fair["excellent_rating"].reasons[0]


@pytest.mark.parametrize("grade_score, talk", [(85, False), (70, True), (50, True)])
def test_yiban_and_cha_bring_talk_and_rectification(plan, grade_score, talk):
    ids = [c.id for c in score(plan, onsite=[grade_score], superior=grade_score).consequences]
    assert ids == (["admonitory_talk", "rectify_by_deadline"] if talk else [])


@pytest.mark.parametrize("flag, title", [("integrity_problem", "党风廉政建设出现问题"),
                                         ("many_problems", "党建工作问题较多"),
                                         ("poor_mass_appraisal", "群众评议较差")])
def test_each_veto_blocks_advanced_collective_and_excellent_individual(plan, flag, title):
    result = score(plan, onsite=[95], superior=95, **{flag: True})
    assert result.grade == "好" and [v.id for v in result.vetoes] == [flag]
    blocked = {e.honour: e for e in result.eligibility if not e.eligible}
    assert set(blocked) == {"advanced_collective", "excellent_individual"}
    assert blocked["advanced_collective"].reasons == [title]
    assert any(line.kind == "veto" and title in line.text for line in result.lines)


def test_serious_adds_accountability(plan):
    result = score(plan, onsite=[95], superior=95, integrity_problem=True, serious=True)
    assert [c.id for c in result.consequences] == ["accountability"]
    assert "中国共产党问责条例" in result.consequences[0].reason


def test_points_to_next_band(plan):
    result = score(plan, onsite=[85], superior=85)
    assert (result.to_next_band.grade, result.to_next_band.points) == ("好", Decimal("5.00"))


def test_scheme_passes_the_kernel_check(catalog, scheme):
    assert [f for f in check_scheme(scheme, catalog)] == []


def test_criteria_tree_is_the_ten_content_areas_with_their_sub_points(scheme):
    titles = [c.title[:3] for c in scheme.criteria]
    assert titles == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）",
                      "（九）", "（十）"]
    assert [len(c.children) for c in scheme.criteria] == [4, 6, 4, 9, 4, 0, 4, 4, 6, 3]
    assert scheme.criteria[3].children[3].title == "4.围绕落实基本制度"


def test_golden_cases_pass_and_cover_every_rule(catalog):
    report = golden_for_scheme(catalog, "jilin-health-2019")
    assert report.ok, report.text()
    assert [item.title for item in report.coverage if not item.covered] == []


def test_plugin_is_listed_with_its_version_and_scheme(catalog):
    info = catalog.plugins["jilin-health-2019"]
    assert info.version == "0.1.0" and info.registered["scheme"] == ["jilin-health-2019"]


def test_a_score_on_a_band_edge_is_shown_as_given_not_rounded_onto_the_edge(plan):
    # 0.7 × 60 + 0.3 × 59.995 = 42 + 17.9985 = 59.9985 → 60.00 一般; the line must not say 60.
    result = score(plan, onsite=[60], superior=59.995)
    superior = result.lines[1].text
    assert "59.995分" in superior and "计入总分17.9985分" in superior, superior
    assert (result.total, result.grade) == (Decimal("60.00"), "一般")
    assert "精确值59.9985" in result.lines[2].text
