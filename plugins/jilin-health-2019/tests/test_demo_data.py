"""The demo commission: every organization evaluated, all four grades and every veto present."""

from __future__ import annotations

import msgspec

from dangjian.scoring.records import decode_evaluation

from .conftest import SEEDS


def test_demo_tree_is_shaped_like_a_provincial_commission(demo_orgs):
    by_type: dict[str, int] = {}
    for org in demo_orgs:
        by_type[org.type] = by_type.get(org.type, 0) + 1
    assert by_type == {"organ_committee": 1, "committee": 8, "general_branch": 1, "branch": 45}


def test_demo_evaluations_cover_every_org_grade_and_veto(plan, demo_orgs):
    registry = {o.id: o for o in demo_orgs}
    lines = (SEEDS / "evaluations.jsonl").read_bytes().splitlines()
    results = [plan.score(decode_evaluation(line, row=i), registry) for i, line in enumerate(lines, 1)]
    assert sorted(r.org_id for r in results) == sorted(registry)
    assert {r.grade for r in results} == {"好", "较好", "一般", "差"}
    fired = {v.id for r in results for v in r.vetoes}
    assert fired == {"integrity_problem", "many_problems", "poor_mass_appraisal"}
    assert any(c.id == "accountability" for r in results for c in r.consequences)
    for line in lines:
        raters = msgspec.json.decode(line)["inputs"]["onsite"]
        assert 15 <= len(raters) <= 40
