"""`rollup` and `flags` on the Tibet demo tree: unit roll-ups from the kernel and flags tracked
from one run to the next until the lagging branches are reorganized."""

from __future__ import annotations

import json

from tests.conftest import ROOT

TIBET = ROOT / "seeds" / "tibet-health-2019"
CITY = ROOT / "seeds" / "city-health-2023"


def score(cli, name):
    result = cli("score", "tibet-health-2019", TIBET / name, "--orgs", TIBET / "orgs.jsonl",
                 "--db", "t.db")
    assert result.exit_code == 0, result.stderr
    return result


def test_rollup_counts_branches_standardized_and_lagging_against_the_goal(cli):
    score(cli, "evaluations.jsonl")
    result = cli("rollup", "tibet-health-2019", "--orgs", TIBET / "orgs.jsonl", "--db", "t.db",
                 "--json")
    rows = json.loads(result.stdout)["tibet_standardization"]["rows"]
    top = next(r for r in rows if r["type"] == "party_group")
    assert (top["branches"], top["members"], top["standardized"], top["lagging"]) == (67, 1706, 11, 7)
    assert "批次 1" in result.stderr


def test_rollup_without_a_database_counts_the_tree_only(cli):
    result = cli("rollup", "city-health-2023", "--orgs", CITY / "orgs.jsonl", "--db", "none.db")
    assert result.exit_code == 0
    assert "共有144个支部" in result.stdout and "党员3151名" in result.stdout
    assert "在职党员2411人，离退休党员740人" in result.stdout


def test_rollup_for_a_scheme_without_one_says_so(cli):
    result = cli("rollup", "jilin-health-2019", "--orgs", TIBET / "orgs.jsonl")
    assert result.exit_code == 1 and "没有提供汇总" in result.stderr


def test_flags_are_raised_by_one_run_and_cleared_by_the_next(cli):
    first = score(cli, "evaluations.jsonl")
    assert "新标记7个，销号0个，未销号7个" in first.stderr
    listing = json.loads(cli("flags", "tibet-health-2019", "--db", "t.db", "--json").stdout)
    assert len(listing) == 7 and {f["flag"] for f in listing} == {"weak_committee",
                                                                  "low_standardization"}
    second = score(cli, "followup.jsonl")
    assert "新标记0个，销号7个，未销号0个" in second.stderr
    assert "未销号标记共 0 条" in cli("flags", "tibet-health-2019", "--db", "t.db").stdout
    history = cli("flags", "tibet-health-2019", "--db", "t.db", "--history").stdout
    assert history.count("批次2中不再出现") == 7


def test_a_flag_can_be_cleared_by_hand_after_reorganization(cli):
    score(cli, "evaluations.jsonl")
    flag = json.loads(cli("flags", "tibet-health-2019", "--db", "t.db", "--json").stdout)[0]
    target = f"{flag['org_id']}:{flag['flag']}"
    done = cli("flags", "tibet-health-2019", "--db", "t.db", "--clear", target, "--on",
               "2099-06-30", "--note", "整顿验收合格")
    assert done.exit_code == 0 and "整顿完成：整顿验收合格" in done.stderr
    again = cli("flags", "tibet-health-2019", "--db", "t.db", "--clear", target)
    assert again.exit_code != 0 and "没有未销号的标记" in again.stderr
