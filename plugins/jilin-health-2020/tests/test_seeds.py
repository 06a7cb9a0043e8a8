"""The demo year (seeds/jilin-health-2020): 16 organizations scored, every gap the generator
planted named in some explanation line, every other organization in full; the files are what
the generator writes; the CLI scores them the same way."""

from __future__ import annotations

import importlib.util
from collections import Counter
from decimal import Decimal

import msgspec
import pytest
from dangjian import Evaluation, Organization
from dangjian.scoring.records import decode_evaluation

from .conftest import SCHEME_ID, SEEDS, read_jsonl


@pytest.fixture(scope="module")
def demo(jilin):
    orgs = {o.id: o for o in read_jsonl("orgs.jsonl", Organization)}
    results = {}
    for evaluation in read_jsonl("evaluations.jsonl", Evaluation):
        result = jilin.score(evaluation, orgs)
        results[result.org_id] = result
    return orgs, results


def test_the_demo_covers_the_documents_addressees(demo):
    orgs, results = demo
    assert len(results) == 16
    assessed = Counter(orgs[org_id].type for org_id in results)
    assert assessed == {"branch": 12, "committee": 4}
    office = [o for o in results if orgs[o].attributes.get("unit_kind") == "委机关"]
    assert len(office) == 10 and all(orgs[o].parent_id == "jl-oc" for o in results)


def test_every_planted_gap_is_named_in_its_organizations_explanation(demo):
    _, results = demo
    gaps = read_jsonl("gaps.jsonl")
    assert len(gaps) >= 20
    for gap in gaps:
        texts = [line.text for line in results[gap["org_id"]].lines]
        assert any(gap["line_contains"] in text for text in texts), (gap, texts)


def test_the_demo_holds_the_gaps_the_assessment_meets(demo):
    _, results = demo
    text = {org_id: "\n".join(line.text for line in r.lines) for org_id, r in results.items()}
    assert "8月未达到" in text["jl-b03"]                       # a missed August theme day
    assert "未达到：郑立国" in text["jl-b07"]                   # a secretary with no lecture
    # only last year's report, sent in January 2020: it is for 2019, not 2020
    assert "意识形态工作报告（按所属年度计）全年开展0次" in text["jl-u2"]
    assert "组织生活会（按所属年度计）全年开展0次" in text["jl-b09"]   # no 2020年度 meeting
    assert "3月未达到" in text["jl-b01"]                       # a missed 党小组会
    # the 2020年度 reviews held in January 2021 count for 2020 everywhere
    assert all("述职评议（按所属年度计）全年开展1次" in t for t in text.values())
    assert not any("换届" in t for t in text.values())         # the document has no term rule


def test_organizations_without_gaps_keep_every_point(demo):
    _, results = demo
    with_gaps = {gap["org_id"] for gap in read_jsonl("gaps.jsonl")}
    assert with_gaps < set(results)
    for org_id, result in results.items():
        if org_id in with_gaps:
            assert result.total < 100
        else:
            assert result.total == Decimal("100.00"), org_id
    assert results["jl-u6"].grade == "较好"
    assert Counter(r.grade for r in results.values()) == {"好": 15, "较好": 1}


def test_the_seed_files_are_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("jilin_2020_seed", SEEDS / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    orgs = generate.build_orgs()
    assert orgs == read_jsonl("orgs.jsonl")
    assert generate.build_evaluations(orgs) == read_jsonl("evaluations.jsonl")
    assert [[g["org_id"], g["gap"], g["line_contains"]] for g in read_jsonl("gaps.jsonl")] == [
        list(g) for g in generate.GAPS]


def test_every_demo_line_decodes_as_an_evaluation():
    with open(SEEDS / "evaluations.jsonl", "rb") as lines:
        for row, data in enumerate(lines, 1):
            assert isinstance(decode_evaluation(data, row=row), Evaluation)


def test_the_cli_scores_the_demo_and_names_the_gaps(tmp_path, monkeypatch):
    shell = pytest.importorskip("dangjian_shell.cli")
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "结果.jsonl"
    run = CliRunner().invoke(shell.app, ["score", SCHEME_ID, str(SEEDS / "evaluations.jsonl"),
                                         "--orgs", str(SEEDS / "orgs.jsonl"), "--out", str(out),
                                         "--no-db", "--explain", "--quiet"])
    assert run.exit_code == 0, run.output
    results = {r["org_id"]: r for r in map(msgspec.json.decode, out.read_bytes().splitlines())}
    assert len(results) == 16
    for gap in read_jsonl("gaps.jsonl"):
        assert any(gap["line_contains"] in line["text"] for line in results[gap["org_id"]]["lines"])
