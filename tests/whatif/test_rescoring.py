"""What-if on the Jilin 2019 demo organizations: who changes grade, who newly needs 约谈, who
loses 优秀, checked against a hand formula from the raw inputs (not the engine)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import msgspec
import pytest

from dangjian.scoring.engine import Plan
from dangjian.store.whatif import compare, encode_whatif, plan_of, target_scheme

from .conftest import SCHEME, demo_evaluations

BALLOTS = {"好": Decimal(95), "较好": Decimal(85), "一般": Decimal(70), "差": Decimal(50)}


def hand_total(inputs: dict, onsite_weight: str, superior_weight: str) -> Decimal:
    """The notice's formula written out: the raters' mean (ballots 好95 较好85 一般70 差50),
    weighted with the superior's score, rounded half up to 2 places."""
    ratings = [BALLOTS[r] if isinstance(r, str) else Decimal(r) for r in inputs["onsite"]]
    onsite = sum(ratings) / len(ratings)
    total = Decimal(onsite_weight) * onsite + Decimal(superior_weight) * Decimal(inputs["superior"])
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hand_grade(total: Decimal, good_from: int = 90, fair_from: int = 80) -> str:
    if total >= good_from:
        return "好"
    if total >= fair_from:
        return "较好"
    return "一般" if total >= 60 else "差"


def hand_moves(**lines) -> dict[str, tuple[str, str]]:
    """org → (grade at 70/30 with the notice's lines, grade under the changed rule)."""
    weights = lines.pop("weights", ("0.7", "0.3"))
    moves = {}
    for evaluation in demo_evaluations():
        before = hand_grade(hand_total(evaluation.inputs, "0.7", "0.3"))
        after = hand_grade(hand_total(evaluation.inputs, *weights), **lines)
        if before != after:
            moves[evaluation.org_id] = (before, after)
    return moves


def rescore(catalog, demo_pairs, baseline, overrides=None, scheme=None, top=100):
    target = plan_of(target_scheme(catalog, catalog.scheme(SCHEME), scheme, overrides or {}),
                     catalog)
    rows = []
    report = compare(demo_pairs, baseline, target, top=top, overrides=overrides,
                     on_row=rows.append)
    return report, rows


ONSITE_60 = {"components.onsite.weight": "0.6", "components.superior.weight": "0.4"}


def test_the_baseline_totals_are_the_hand_formula_at_70_30(demo_pairs):
    for evaluation, result in demo_pairs:
        assert result.total == hand_total(evaluation.inputs, "0.7", "0.3"), evaluation.org_id


def test_onsite_60_percent_moves_no_organization_across_a_grade_line(catalog, demo_pairs,
                                                                      baseline):
    assert hand_moves(weights=("0.6", "0.4")) == {}
    report, rows = rescore(catalog, demo_pairs, baseline, ONSITE_60)
    assert (report.organizations, report.compared, report.changed_grade) == (55, 55, 0)
    assert [(t.from_grade, t.to_grade, t.count) for t in report.matrix] == [
        ("好", "好", 34), ("较好", "较好", 16), ("一般", "一般", 3), ("差", "差", 2)]
    assert report.outcome_changes == []
    # every total is the hand formula at 60/40
    for (evaluation, _), row in zip(demo_pairs, rows, strict=True):
        assert row.new_total == hand_total(evaluation.inputs, "0.6", "0.4")


def test_onsite_60_percent_and_the_good_line_at_92_moves_exactly_jl_s02(catalog, demo_pairs,
                                                                         baseline):
    # jl-s02: 30 raters (17 好 = 1615, 3 较好 = 255, ten scores = 939) mean 93.633…;
    # 0.6 × 93.633… + 0.4 × 88 = 91.52 (was 0.7 × … + 0.3 × 88 = 92.11): 好 → 较好 at 92.
    expected = hand_moves(weights=("0.6", "0.4"), good_from=92)
    assert expected == {"jl-s02": ("好", "较好")}
    report, rows = rescore(catalog, demo_pairs, baseline, {**ONSITE_60, "bands.好.min": "92"})
    moved = {r.org_id: (r.old_grade, r.new_grade) for r in rows if r.grade_changed}
    assert moved == expected
    [row] = [r for r in rows if r.org_id == "jl-s02"]
    assert (row.old_total, row.new_total, row.change) == (
        Decimal("92.11"), Decimal("91.52"), Decimal("-0.59"))
    assert row.honours_lost == ["年度考核优秀等次"] and row.consequences_added == []
    assert (report.changed_grade, report.raised, report.lowered) == (1, 0, 1)
    assert [(t.from_grade, t.to_grade, t.count) for t in report.matrix] == [
        ("好", "好", 33), ("好", "较好", 1), ("较好", "较好", 16), ("一般", "一般", 3),
        ("差", "差", 2)]
    [lost] = report.outcome_changes
    assert (lost.kind, lost.id, lost.change, lost.count) == ("honour", "excellent_rating",
                                                              "lost", 1)
    assert [o.org_id for o in lost.orgs] == ["jl-s02"]
    assert report.movers[0].org_id == "jl-s02" and report.movers[0].change == Decimal("-0.59")


def test_the_good_line_at_92_alone_moves_nobody_since_no_total_lies_in_90_to_92(
        catalog, demo_pairs, baseline):
    assert hand_moves(good_from=92) == {}
    assert not [r for _, r in demo_pairs if Decimal(90) <= r.total < 92]
    report, rows = rescore(catalog, demo_pairs, baseline, {"bands.好.min": "92"})
    assert report.changed_grade == 0 and report.movers == []
    assert all(r.change == 0 for r in rows)


def test_the_fair_line_at_85_makes_two_branches_newly_need_an_admonitory_talk(
        catalog, demo_pairs, baseline):
    expected = hand_moves(fair_from=85)
    assert expected == {"jl-u04-b3": ("较好", "一般"), "jl-u08-b2": ("较好", "一般")}
    report, rows = rescore(catalog, demo_pairs, baseline, {"bands.较好.min": "85"})
    assert {r.org_id: (r.old_grade, r.new_grade) for r in rows if r.grade_changed} == expected
    changes = [(c.title, c.change, c.count, [o.org_id for o in c.orgs])
               for c in report.outcome_changes]
    assert changes == [("约谈", "added", 2, ["jl-u04-b3", "jl-u08-b2"]),
                       ("限期整改", "added", 2, ["jl-u04-b3", "jl-u08-b2"])]
    # the 一般 band now starts at 60 and ends below 85: the line moved for both grades
    assert report.target.hash != report.baseline.hash


def test_last_years_organizations_under_the_2020_scheme_are_not_comparable_with_the_inputs_named(
        catalog, demo_pairs, baseline):
    report, rows = rescore(catalog, demo_pairs, baseline, scheme="jilin-health-2020", top=3)
    scheme_2020 = catalog.scheme("jilin-health-2020").scheme
    required = [(s.name, s.title) for s in scheme_2020.inputs if s.required]
    assert (report.compared, report.not_comparable) == (0, 55)
    assert [(m.name, m.title, m.count) for m in report.missing_inputs] == [
        (name, title, 55) for name, title in required]
    assert report.missing_inputs[0].title == "带头做到“两个维护”完成情况"
    assert len(report.not_comparable_orgs) == 3
    assert report.not_comparable_orgs[0].missing == [title for _, title in required]
    assert all(not r.comparable and r.new_grade is None for r in rows)
    assert report.matrix == [] and report.movers == []
    assert "现场评议测评" in report.unused_inputs and "上级党组织评议得分" in report.unused_inputs


def test_an_input_made_required_leaves_out_only_the_organizations_that_lack_it(
        catalog, demo_pairs, baseline):
    flagged = {e.org_id for e, _ in demo_pairs if "integrity_problem" in e.inputs}
    assert 0 < len(flagged) < 55
    report, rows = rescore(catalog, demo_pairs, baseline,
                           {"inputs.integrity_problem.required": "true"})
    assert {r.org_id for r in rows if r.comparable} == flagged
    assert [(m.title, m.count) for m in report.missing_inputs] == [
        ("党风廉政建设出现问题", 55 - len(flagged))]
    excluded = report.not_comparable_orgs[0]
    assert excluded.missing == ["党风廉政建设出现问题"]
    assert excluded.reason == "缺少本方案要求的输入：党风廉政建设出现问题"


def test_organizations_outside_the_targets_org_types_are_not_comparable_with_the_reason(
        catalog, demo_pairs, baseline):
    report, rows = rescore(catalog, demo_pairs, baseline, {"org_types": "branch"})
    outside = [r for r in rows if not r.comparable]
    types = {e.org_id: e.org.type for e, _ in demo_pairs}
    assert {r.org_id for r in outside} == {o for o, t in types.items() if t != "branch"}
    assert outside[0].org_id == "jl-jgdw"
    assert outside[0].reason == "组织类型“机关党委”不在本方案的适用范围内"
    assert report.missing_inputs == []
    assert report.compared == sum(t == "branch" for t in types.values())


def test_movers_are_the_top_n_by_size_of_change_and_lists_keep_their_full_count(
        catalog, demo_pairs, baseline):
    report, rows = rescore(catalog, demo_pairs, baseline, {"bands.较好.min": "85",
                                                           **ONSITE_60}, top=1)
    changes = sorted((abs(r.change), r.org_id) for r in rows if r.change)
    assert len(report.movers) == 1
    assert abs(report.movers[0].change) == changes[-1][0]
    talk = report.outcome_changes[0]
    assert talk.title == "约谈" and talk.count >= 2 and len(talk.orgs) == 1


def test_the_report_encodes_cells_as_from_and_to_with_totals_as_numbers(
        catalog, demo_pairs, baseline):
    report, _ = rescore(catalog, demo_pairs, baseline, {**ONSITE_60, "bands.好.min": "92"},
                        top=1)
    data = msgspec.json.decode(encode_whatif(report))
    assert data["matrix"][1] == {"from": "好", "to": "较好", "count": 1}
    assert data["movers"][0]["new_total"] == 91.52
    assert data["overrides"] == {**ONSITE_60, "bands.好.min": "92"}


def test_the_target_plans_assess_is_used_when_it_offers_one(catalog, demo_pairs, baseline):
    calls = []

    class Assessing(Plan):
        def assess(self, evaluation):
            calls.append(evaluation.org_id)
            return self.score(evaluation)

    target = Assessing(catalog.scheme(SCHEME), catalog)
    report = compare(demo_pairs[:3], baseline, target)
    assert calls == [e.org_id for e, _ in demo_pairs[:3]] and report.compared == 3


def test_top_out_of_range_is_refused(catalog, demo_pairs, baseline):
    from dangjian.errors import DangjianError

    with pytest.raises(DangjianError, match="top 应在 1—1000 之间"):
        compare(demo_pairs, baseline, baseline, top=0)
