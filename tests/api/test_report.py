"""The leadership report and the ranks over the API, for a run stored through the API."""

from __future__ import annotations

import re

from .conftest import READ, SCHEME, WRITE, seed_lines


def stored(client, note: str = "") -> None:
    response = client.post(f"/schemes/{SCHEME}/runs", headers=WRITE, json={
        "evaluations": seed_lines("evaluations.jsonl"), "orgs": seed_lines("orgs.jsonl"),
        "note": note})
    assert response.status_code == 201, response.text


def test_report_is_an_html_page_behind_a_read_key(client):
    stored(client)
    assert client.get("/runs/1/report").status_code == 401
    response = client.get("/runs/1/report", headers=READ)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert re.findall(r'class="value">([^<]+)<', html) == [
        "34个（61.8%）", "16个（29.1%）", "3个（5.5%）", "2个（3.6%）"]
    assert "<h3>问责（1个）</h3>" in html and "11（并列）" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)


def test_report_compares_with_an_earlier_run_and_refuses_unknown_ones(client):
    stored(client)
    stored(client, "复核")
    html = client.get("/runs/2/report?compare=1", headers=READ).text
    assert "上升 0 个，下降 0 个，不变 55 个" in html
    missing = client.get("/runs/2/report?compare=7", headers=READ)
    assert missing.status_code == 404 and "没有编号为 7 的评分批次" in missing.json()["detail"]
    assert client.get("/runs/9/report", headers=READ).status_code == 404


def test_a_results_page_carries_the_ranks_of_the_whole_run(client):
    stored(client)
    page = client.get("/runs/1/results?grade=差", headers=READ).json()
    assert [(r["org_id"], r["rank"]) for r in page["ranks"]] == [("jl-u07-b1", 54),
                                                                  ("jl-s03", 55)]
    assert [r["org_id"] for r in page["results"]] == ["jl-u07-b1", "jl-s03"]
    assert "1、2、2、4" in page["tie_rule"]
    full = client.get("/runs/1/results?limit=100", headers=READ).json()
    ranks = {r["org_id"]: r["rank"] for r in full["ranks"]}
    assert ranks["jl-b04"] == ranks["jl-u04"] == 11 and ranks["jl-b05"] == 13


def test_report_from_the_live_server_renders_in_headless_chromium(live_server, tmp_path):
    import httpx

    from ..report.conftest import headless, need

    chromium = need("chromium")
    created = httpx.post(f"{live_server}/schemes/{SCHEME}/runs", headers=WRITE, json={
        "evaluations": seed_lines("evaluations.jsonl"), "orgs": seed_lines("orgs.jsonl")})
    run_id = created.json()["run_id"]
    response = httpx.get(f"{live_server}/runs/{run_id}/report", headers=READ)
    assert response.status_code == 200
    page = tmp_path / "报告.html"
    page.write_bytes(response.content)
    dom = headless(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    text = dom.stdout.decode("utf-8")
    assert re.findall(r'class="label">([^<]+)<', text) == ["好", "较好", "一般", "差"]
    assert '<tr><td>好</td><td class="num">34</td><td class="num">61.8%</td></tr>' in text
    assert '<td class="num">11（并列）</td><td>财务处党支部</td>' in text
