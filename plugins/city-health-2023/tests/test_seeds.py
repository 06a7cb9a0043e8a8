"""The demo tree reproduces the study's counts, and the survey exercises every diagnostic."""

from __future__ import annotations

from collections import Counter

import msgspec
import pytest

from dangjian.tools.orgtree import OrgTree
from dangjian.store.storage import RunSummary, tally
from dangjian_city_health_2023.rollup import structure_rollup

from .conftest import SEEDS


def test_the_unit_rollup_reproduces_the_studys_counts(demo_orgs):
    units = structure_rollup(demo_orgs)
    assert OrgTree(demo_orgs).roots() == ["ct-pg"]
    whole = units["ct-oc"]
    assert whole.units_by_kind == {"公立医院": 8, "卫生健康事业单位": 4}
    assert whole.units_by_form == {"基层党委": 6, "总支单位": 3, "支部单位": 3}
    assert whole.branches == 144
    assert (whole.members, whole.members_in_service, whole.members_retired) == (3151, 2411, 740)
    assert sum(whole.branches_by_category.values()) == 144
    assert whole.text() == ("市卫生健康委直属单位党委：所属单位12家（公立医院8家，卫生健康事业单位4家；"
                            "基层党委6家，总支单位3家，支部单位3家），共有144个支部（在职129个、"
                            "离退休15个），党员3151名，其中在职党员2411人，离退休党员740人")


def test_each_unit_adds_up_to_the_whole(demo_orgs):
    units = structure_rollup(demo_orgs)
    children = [u for u in units.values()
                if next(o for o in demo_orgs if o.id == u.org_id).parent_id == "ct-oc"]
    assert len(children) == 12
    assert sum(u.branches for u in children) == 144
    assert sum(u.members for u in children) == 3151
    hospital = units["ct-u01"]
    assert (hospital.branches, hospital.branches_by_category) == (30, {"在职": 27, "离退休": 3})
    unit_branch = units["ct-u10"]
    assert (unit_branch.type, unit_branch.branches, unit_branch.members) == ("branch", 1, 15)


def test_the_survey_scores_every_branch_and_raises_every_finding(city, demo_orgs,
                                                                  demo_evaluations):
    registry = {o.id: o for o in demo_orgs}
    summary = RunSummary(run_id=None)
    items = list(tally(city.score_many(enumerate(demo_evaluations, 1), registry), summary))
    assert (summary.read, summary.scored, summary.rejected) == (144, 144, 0)
    codes = Counter(f.code for r in items for f in r.findings)
    assert set(codes) == {"thin_committee", "unsupported_team", "overloaded", "ageing"}
    assert set(summary.grades) == {"健全", "基本健全", "薄弱"}
    units = structure_rollup(demo_orgs, items)
    assert units["ct-oc"].evaluated == 144
    assert units["ct-oc"].findings == dict(codes)
    assert sum(units[f"ct-u{i:02d}"].findings.get("ageing", 0) for i in range(1, 13)) == \
        codes["ageing"]


def test_flags_shows_the_findings_of_a_stored_run(tmp_path, monkeypatch):
    """The README lists city-health-2023 under tracked flags: a stored run raises them and
    `dangjian flags` lists them."""
    shell = pytest.importorskip("dangjian_shell.cli")
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "city.db")
    run = CliRunner().invoke(shell.app, ["score", "city-health-2023", str(SEEDS / "evaluations.jsonl"),
                                         "--orgs", str(SEEDS / "orgs.jsonl"), "--db", db])
    assert run.exit_code == 0, run.output
    shown = CliRunner().invoke(shell.app, ["flags", "city-health-2023", "--db", db])
    assert shown.exit_code == 0, shown.output
    evaluations = [msgspec.json.decode(line) for line in
                   (SEEDS / "evaluations.jsonl").read_bytes().splitlines() if line.strip()]
    lacking = next(e for e in evaluations if e["inputs"].get("team_support") == "不够")
    assert "班子队伍保障不够" in shown.output and lacking["org"]["name"] in shown.output
