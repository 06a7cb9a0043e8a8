"""The demo tree reproduces the report's counts, and its 2019 results roll up per unit:
11 branches standardized, 7 lagging put under 整顿 and tracked until reorganized."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from dangjian.tools.orgtree import OrgTree, rollup
from dangjian.store.runner import run_meta, score_batch
from dangjian.store.storage import Store
from dangjian.store.tracking import clear, open_flags, tracked_flags_of, update_from_run
from dangjian_tibet_health_2019.rollup import standardization_rollup

from .conftest import read_jsonl


def test_the_demo_tree_has_the_reported_organizations_and_members(demo_orgs):
    tree = rollup(demo_orgs, sum_attributes=["members", "members_in_service", "members_retired"],
                  count_values=["category"], include_self=False)
    system = tree["tb-pg"]
    assert OrgTree(demo_orgs).roots() == ["tb-pg"]
    assert system.type == "party_group"
    # 1 党组, 8 党委 (the offices' 机关党委 and 7 unit 党委), 65 in-service branches, 1,706 members
    assert system.by_type["committee"] + system.by_type["organ_committee"] == 8
    assert system.values["category"] == {"在职": 65, "离退休": 2}
    assert system.sums["members"] == 1706
    offices = tree["tb-oc"]
    assert offices.by_type == {"branch": 13}
    assert offices.values["category"] == {"在职": 11, "离退休": 2}
    assert (offices.sums["members"], offices.sums["members_in_service"],
            offices.sums["members_retired"]) == (164, 98, 66)


def test_the_2019_results_match_the_report(tibet, demo_evaluations):
    results = [tibet.score(e) for e in demo_evaluations]
    assert len(results) == 67
    assert Counter(r.grade for r in results) == {"已达标": 11, "未达标": 49, "后进": 7}
    codes = Counter(f.code for r in results for f in r.findings)
    assert codes["weak_committee"] == 4 and codes["low_standardization"] == 3
    # one branch met every area on paper but its committee could not do its job
    assert sum(1 for r in results if r.points_grade == "已达标" and r.grade == "后进") == 1
    # the evidence rule and the 50% boundary both occur in the demo
    assert any("缺少佐证材料" in line.text for r in results for line in r.lines)
    assert any(r.total == Decimal("50.00") and r.grade == "未达标" for r in results)


def test_the_unit_rollup_counts_standardized_and_lagging_against_the_2020_goal(
        tibet, demo_orgs, demo_evaluations):
    results = [tibet.score(e) for e in demo_evaluations]
    units = standardization_rollup(demo_orgs, results, goal=tibet.scheme.extra["goal"])
    system = units["tb-pg"]
    assert (system.branches, system.in_service_branches, system.retired_branches) == (67, 65, 2)
    assert (system.members, system.evaluated) == (1706, 67)
    # the goal is read against the 65 in-service branches the report counts; the 2 retired
    # branches of the offices are listed apart, not counted as short of the goal
    assert (system.standardized, system.lagging, system.gap) == (11, 7, 54)
    # members in service / retired are published only for the offices: nothing is guessed
    assert (system.split_branches, system.members_in_service, system.members_retired) == (
        13, 98, 66)
    assert "1640" not in system.text() and "还差56" not in system.text()
    assert system.text() == (
        "自治区卫生健康委党组：党支部67个（在职65个、离退休2个），党员1706人（在职、离退休人数只有"
        "13个党支部列明：在职98人、离退休66人，其余54个党支部未分列）；已评67个，已达标11个，后进7个，"
        f"平均标准化率{system.rate}%；对照“2020年全面实现标准化”，在职党支部65个中已达标11个，"
        "其余54个未达标或未评；离退休党支部2个另列（报道的目标是否包括离退休党支部未说明）")
    assert not system.goal_met and system.goal == "2020年全面实现标准化"
    assert system.rate == Decimal(sum(r.total for r in results) / 67).quantize(Decimal("0.01"))
    offices = units["tb-oc"]
    assert (offices.branches, offices.members_in_service, offices.members_retired) == (13, 98, 66)
    assert (offices.standardized, offices.lagging) == (3, 2)
    assert sum(u.standardized for k, u in units.items() if k != "tb-pg") == 11
    assert sum(u.lagging for k, u in units.items() if k != "tb-pg") == 7
    assert len(units) == 9
    assert offices.text().startswith("自治区卫生健康委机关党委：党支部13个（在职11个、离退休2个），"
                                     "党员164人（在职98人、离退休66人）；已评13个，已达标3个，后进2个")
    hospital = units["tb-u1"].text()
    assert "党员420人（未分列在职、离退休人数）" in hospital and "离退休党支部" not in hospital.split("；")[-1]


def test_a_unit_with_every_branch_standardized_meets_the_goal(tibet, demo_orgs):
    unit = [o for o in demo_orgs if o.parent_id == "tb-u7"]
    from .conftest import branch

    results = [tibet.score(branch(o.id)) for o in unit]
    summary = standardization_rollup(demo_orgs, results)["tb-u7"]
    assert (summary.branches, summary.standardized, summary.gap, summary.goal_met) == (
        4, 4, 0, True)
    assert summary.rate == Decimal("100.00") and summary.standardized_share == Decimal("100.00")


def test_lagging_branches_are_tracked_in_storage_until_reorganized(tibet, demo_orgs,
                                                                    demo_evaluations, tmp_path):
    store = Store(tmp_path / "tibet.db")
    registry = {o.id: o for o in demo_orgs}
    flags = tracked_flags_of(tibet.scheme)
    assert flags == ["weak_committee", "low_standardization"]
    # flags are updated here by hand, with the dates of each check (the run path would date
    # both runs with the scheme's assessment date)
    year_end = score_batch(tibet, list(enumerate(demo_evaluations, 1)), store=store,
                           meta=run_meta(tibet), registry=registry, track_flags=False)
    update = update_from_run(store, year_end.run_id, on=datetime.date(2019, 12, 31), flags=flags)
    assert len(update.raised) == 7 and len({f.org_id for f in update.raised}) == 7
    assert {f.flag for f in update.raised} == set(flags)

    # 整顿 of one branch is accepted by hand before the follow-up check
    done = clear(store, "tibet-health-2019", "tb-oc-b06", "weak_committee",
                 datetime.date(2020, 3, 31), "整顿完成，支委会调整到位，经机关党委验收")
    assert done.cleared_by == "manual"

    followup = read_jsonl("followup.jsonl", type(demo_evaluations[0]))
    assert sorted(e.org_id for e in followup) == sorted(f.org_id for f in update.raised)
    after = score_batch(tibet, list(enumerate(followup, 1)), store=store, meta=run_meta(tibet),
                        registry=registry, track_flags=False)
    cleared = update_from_run(store, after.run_id, on=datetime.date(2020, 6, 30), flags=flags)
    assert len(cleared.cleared) == 6 and cleared.raised == []
    assert open_flags(store, scheme_id="tibet-health-2019") == []


def test_the_demo_records_the_reports_2019_activity_counts(demo_orgs):
    facts = next(o for o in demo_orgs if o.id == "tb-pg").attributes["facts_2019"]
    assert (facts["理论中心组学习会"], facts["厅级领导干部专题学习会"],
            facts["“两委”工作部署会"], facts["专题讲座"]) == (23, 8, 10, 16)
    assert facts["“三会一课”专题学习讨论"] == 210        # "210余次"
    assert (facts["整顿后进党支部"], facts["完成标准化建设党支部"]) == (7, 11)
    assert (facts["委党组听取党建工作"], facts["专项整治任务"], facts["专项整治工作台账"],
            facts["形式主义官僚主义突出问题"], facts["函询机关干部"]) == (2, 12, 16, 15, 7)
