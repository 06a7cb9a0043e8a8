"""Seed-002 tools: the reproducible on-site draw (≥ 1/3) and the written-report check."""

from __future__ import annotations

import math

import pytest

from .conftest import SCHEME, SEEDS, seed_lines

DRAW = f"/schemes/{SCHEME}/draw"
CHECK = f"/schemes/{SCHEME}/report-check"


def test_draw_takes_at_least_one_third_rounded_up_of_the_units_below_the_organ_committee(client):
    orgs = seed_lines("orgs.jsonl")
    below = [o["id"] for o in orgs if o["parent_id"] == "jl-jgdw"]
    response = client.post(DRAW, json={"orgs": orgs, "under": "jl-jgdw", "seed": "2020-01-08"})
    assert response.status_code == 200
    draw = response.json()
    assert draw["population"] == len(below) == 25
    assert len(draw["onsite"]) == math.ceil(25 / 3) == 9
    assert sorted(draw["onsite"] + draw["written"]) == sorted(below)
    assert draw["onsite_title"] == "现场述职述责述廉"
    assert draw["written_title"] == "提交书面报告"
    assert draw["seed"] == "2020-01-08" and draw["fraction"] == "1/3"


def test_same_roster_and_seed_give_the_same_draw_whatever_the_order(client):
    orgs = seed_lines("orgs.jsonl")
    first = client.post(DRAW, json={"orgs": orgs, "seed": "7"}).json()
    again = client.post(DRAW, json={"orgs": list(reversed(orgs)), "seed": "7"}).json()
    assert first == again
    # the organ committee itself reports to the provincial working committee: not drawn
    assert first["population"] == 54 and len(first["onsite"]) == 18
    assert "jl-jgdw" not in first["onsite"] + first["written"]


def test_draw_without_a_seed_returns_the_generated_one_to_redo_it(client):
    orgs = seed_lines("orgs.jsonl")
    drawn = client.post(DRAW, json={"orgs": orgs}).json()
    redo = client.post(DRAW, json={"orgs": orgs, "seed": drawn["seed"]}).json()
    assert redo["onsite"] == drawn["onsite"]


def test_draw_accepts_chinese_type_titles_and_refuses_an_empty_population(client):
    roster = [{"id": "d1", "name": "甲支部", "type": "党支部"},
              {"id": "d2", "name": "乙支部", "type": "党支部"}]
    assert len(client.post(DRAW, json={"orgs": roster, "seed": "1"}).json()["onsite"]) == 1
    only_party_group = [{"id": "p", "name": "委党组", "type": "party_group"}]
    response = client.post(DRAW, json={"orgs": only_party_group})
    assert response.status_code == 400
    assert response.json()["field"] == "orgs"
    assert "名册中没有可抽取的组织" in response.json()["detail"]


def test_draw_under_an_unknown_organization_is_400(client):
    response = client.post(DRAW, json={"orgs": seed_lines("orgs.jsonl"), "under": "nowhere"})
    assert response.status_code == 400
    assert response.json()["field"] == "under"


@pytest.mark.parametrize("name,ok,codes", [
    ("compliant.txt", True, []),
    ("missing_list.txt", False, ["missing_section"]),
    ("too_long.txt", False, ["too_long"]),
])
def test_report_check_of_the_demo_reports(client, name, ok, codes):
    text = (SEEDS / "reports" / name).read_text(encoding="utf-8")
    response = client.post(CHECK, json={"text": text})
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is ok
    assert report["title"] == "述职述责述廉报告"
    assert report["chars"] == sum(1 for ch in text if not ch.isspace())
    assert [f["code"] for f in report["findings"] if f["code"] in codes] == codes


def test_a_3001_character_report_is_too_long(client):
    third = "成绩清单" + "绩" * 996, "问题清单" + "问" * 996, "任务清单" + "任" * 997
    report = client.post(CHECK, json={"text": "\n".join(third)}).json()
    assert report["chars"] == 3001
    assert [f["message"] for f in report["findings"]] == [
        "述职述责述廉报告共3001字，超过3000字的要求"]
    exact = client.post(CHECK, json={"text": "\n".join(third)[:-1]}).json()
    assert exact["chars"] == 3000 and exact["ok"] is True


def test_schemes_without_draw_or_report_answer_404_in_chinese(client, catalog):
    for scheme_id, loaded in sorted(catalog.schemes.items()):
        draw = client.post(f"/schemes/{scheme_id}/draw",
                           json={"orgs": [{"id": "a", "type": "branch"}], "seed": "1"})
        check = client.post(f"/schemes/{scheme_id}/report-check", json={"text": "成绩清单"})
        assert (draw.status_code == 404) is (loaded.scheme.draw is None), scheme_id
        assert (check.status_code == 404) is (loaded.scheme.report is None), scheme_id
        if loaded.scheme.draw is None:
            assert draw.json()["detail"] == \
                f"方案 {scheme_id} 没有现场抽取规则（[draw]），无法抽取"
        if loaded.scheme.report is None:
            assert check.json()["detail"] == f"方案 {scheme_id} 没有报告要求（[report]），无法检查"
    assert any(loaded.scheme.draw is None for loaded in catalog.schemes.values())
