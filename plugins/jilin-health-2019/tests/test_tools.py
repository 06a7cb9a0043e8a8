"""The notice's procedures: the one-third on-site draw, reporting lines and full coverage, the
report rules and the timeline — run on the demo commission."""

from __future__ import annotations

import csv
import datetime
import json
import math
import shutil
import subprocess
import sys

import pytest

from dangjian import Organization
from dangjian.tools.documents import check_report
from dangjian.tools.draw import draw_onsite
from dangjian.tools.orgtree import coverage
from dangjian.tools.timeline import check_timeline

from .conftest import SEEDS


def drawable(scheme, orgs):
    return [o.id for o in orgs if o.type in scheme.draw.org_types and o.parent_id == "jl-jgdw"]


def test_draw_takes_at_least_one_third_rounded_up(scheme, demo_orgs):
    ids = drawable(scheme, demo_orgs)
    result = draw_onsite(ids, scheme.draw, seed="2020")
    assert len(result.onsite) == math.ceil(len(ids) / 3)
    assert sorted(result.onsite + result.written) == sorted(ids)
    assert result.onsite_title == "现场述职述责述廉" and result.written_title == "提交书面报告"
    assert len(draw_onsite(ids[:7], scheme.draw, seed="x").onsite) == 3  # 7 / 3 → 3


def test_draw_is_reproducible_from_its_seed_and_records_it(scheme, demo_orgs):
    ids = drawable(scheme, demo_orgs)
    first = draw_onsite(ids, scheme.draw, seed="吉卫2020")
    again = draw_onsite(list(reversed(ids)), scheme.draw, seed="吉卫2020")
    other = draw_onsite(ids, scheme.draw, seed="another")
    assert first == again and first.seed == "吉卫2020" and first.population == len(ids)
    assert other.onsite != first.onsite


def test_reporting_lines_follow_the_three_levels(scheme, demo_orgs):
    result = coverage(demo_orgs, [o.id for o in demo_orgs], scheme.reporting_lines,
                      scheme.org_types)
    to = {a.org_id: a.reports_to for a in result.assignments}
    assert to["jl-jgdw"] == "省直机关工委"
    assert to["jl-b01"] == "委直属机关党委"       # an office branch
    assert to["jl-u01"] == "委直属机关党委"       # an affiliated unit's 党委
    assert to["jl-s01"] == "委直属机关党委"       # a unit with only a branch
    assert to["jl-u02-b1"] == "省中心医院党委"     # a branch of a unit with its own 党委
    assert None not in to.values() and result.complete


def test_a_branch_under_a_general_branch_of_a_committee_unit_reports_to_the_units_committee(
        scheme, demo_orgs):
    # 通知一、（三）: a unit with its own 党委 runs the round for all its grassroots organizations
    # (全覆盖), and their reports go to the unit's 党委 first (三、（一）4), a 总支's branches too.
    to = {a.org_id: a.reports_to for a in coverage(demo_orgs, [], scheme.reporting_lines,
                                                   scheme.org_types).assignments}
    assert to["jl-u01-z1"] == "省第一人民医院党委"
    assert to["jl-u01-b4"] == to["jl-u01-b5"] == "省第一人民医院党委"


def test_a_branch_of_a_general_branch_unit_reports_to_that_general_branch(scheme):
    # The notice is silent here; the scheme states its choice.
    orgs = [Organization(id="oc", name="委直属机关党委", type="organ_committee"),
            Organization(id="z", name="省血液中心党总支", type="general_branch", parent_id="oc"),
            Organization(id="zb", name="省血液中心第一党支部", type="branch", parent_id="z")]
    to = {a.org_id: a.reports_to for a in coverage(orgs, [], scheme.reporting_lines,
                                                   scheme.org_types).assignments}
    assert to == {"oc": "省直机关工委", "z": "委直属机关党委", "zb": "省血液中心党总支"}
    assert "述职对象通知未作规定，本插件记为该党总支" in scheme.description


def test_coverage_lists_organizations_without_evaluation(scheme, demo_orgs):
    evaluated = [json.loads(line)["org_id"] for line in
                 (SEEDS / "evaluations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert coverage(demo_orgs, evaluated, scheme.reporting_lines, scheme.org_types).complete
    partial = coverage(demo_orgs, evaluated[:-2], scheme.reporting_lines, scheme.org_types)
    assert not partial.complete and partial.missing == evaluated[-2:]
    assert partial.total == 55 and partial.evaluated == 53


def test_compliant_report_has_no_findings(catalog, scheme):
    text = (SEEDS / "reports" / "compliant.txt").read_text(encoding="utf-8")
    assert check_report(text, scheme.report, catalog) == []


def test_report_over_3000_characters_and_unbalanced_is_flagged(catalog, scheme):
    text = (SEEDS / "reports" / "too_long.txt").read_text(encoding="utf-8")
    findings = check_report(text, scheme.report, catalog)
    assert [f.code for f in findings].count("too_long") == 1
    assert "超过3000字" in findings[0].message
    unbalanced = [f.message for f in findings if f.code == "unbalanced_section"]
    assert len(unbalanced) == 3 and unbalanced[0].startswith("“成绩清单”")
    assert "偏离三分之一（33.3%）超过10个百分点" in unbalanced[0]


def test_report_missing_a_list_is_flagged(catalog, scheme):
    text = (SEEDS / "reports" / "missing_list.txt").read_text(encoding="utf-8")
    findings = check_report(text, scheme.report, catalog)
    assert [f.message for f in findings if f.code == "missing_section"] == ["述职述责述廉报告缺少“任务清单”"]


def test_timeline_uses_the_notice_dates(scheme):
    d = {step.id: step for step in scheme.deadlines}
    assert d["report"].on_or_before == datetime.date(2020, 1, 10)
    assert d["plan"].on_or_before == datetime.date(2020, 1, 14)
    assert d["script"].on_or_before == datetime.date(2020, 1, 17)
    assert (d["meeting"].after, d["meeting"].on_or_before) == (datetime.date(2020, 1, 20),
                                                              datetime.date(2020, 2, 15))
    assert d["summary"].on_or_before == datetime.date(2020, 2, 20)


def test_timeline_finds_late_early_and_missing_submissions(scheme):
    D = datetime.date
    items = {i.id: i for i in check_timeline(scheme.deadlines, {
        "report": D(2020, 1, 12), "plan": D(2020, 1, 14), "script": D(2020, 1, 17),
        "meeting": D(2020, 1, 19)})}
    assert "逾期2天" in items["report"].message and not items["report"].ok
    assert items["plan"].ok and items["script"].ok
    assert "过早" in items["meeting"].message
    assert "未提交" in items["summary"].message
    on_time = check_timeline(scheme.deadlines, {"meeting": D(2020, 2, 15)})
    assert on_time[3].ok


def test_demo_submissions_checked_per_organization(scheme):
    by_org: dict[str, dict] = {}
    with open(SEEDS / "submissions.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_org.setdefault(row["org_id"], {})[row["step"]] = datetime.date.fromisoformat(row["date"])
    late = {org: {i.id: i.message for i in check_timeline(scheme.deadlines, dates) if not i.ok}
            for org, dates in by_org.items()}
    assert late["jl-u01"] == {}
    assert set(late["jl-u02"]) == {"report", "meeting", "summary"}
    assert "逾期2天" in late["jl-u02"]["report"] and "过早" in late["jl-u02"]["meeting"]
    assert "未提交" in late["jl-u02"]["summary"]
    assert late["jl-u03"] == {"meeting": "召开述评会议并完成述职述责述廉：2020-02-16提交，逾期1天"
                                          "（要求2020年1月20日后，2020年2月15日前（含当日））"}


def test_demo_data_is_what_the_seeded_generator_writes(tmp_path):
    shutil.copy(SEEDS / "generate.py", tmp_path / "generate.py")
    (tmp_path / "reports").mkdir()
    subprocess.run([sys.executable, "generate.py"], cwd=tmp_path, check=True)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")
                     if p.is_file() and p.name != "generate.py")
    assert [str(p) for p in written] == ["evaluations.jsonl", "orgs.jsonl", "reports/compliant.txt",
                                         "reports/missing_list.txt", "reports/too_long.txt",
                                         "submissions.csv"]
    for path in written:
        assert (tmp_path / path).read_bytes() == (SEEDS / path).read_bytes(), path


def test_timeline_boundaries_on_the_notice_dates(scheme):
    # “1月10日前”“2月15日前”“2月20日前” include the day; “1月20日后” excludes 1月20日.
    D = datetime.date
    items = {i.id: i for i in check_timeline(scheme.deadlines, {
        "report": D(2020, 1, 10), "plan": D(2020, 1, 15), "script": D(2020, 1, 18),
        "meeting": D(2020, 1, 20), "summary": D(2020, 2, 20)})}
    assert items["report"].ok and items["summary"].ok
    assert not items["plan"].ok and "逾期1天" in items["plan"].message
    assert not items["script"].ok and "逾期1天" in items["script"].message
    assert not items["meeting"].ok and "过早" in items["meeting"].message
    assert check_timeline(scheme.deadlines, {"meeting": D(2020, 1, 21)})[3].ok


def test_a_date_before_the_notice_belongs_to_another_round(scheme):
    # the notice is dated 2020-01-08: last year's report (2019-01-09) is not on time for it
    D = datetime.date
    assert {step.opens for step in scheme.deadlines} == {D(2020, 1, 8)}
    items = {i.id: i for i in check_timeline(scheme.deadlines, {
        "report": D(2019, 1, 9), "plan": D(2020, 1, 7), "script": D(2020, 1, 8)})}
    assert (items["report"].ok, items["report"].status) == (False, "不在本期")
    assert (items["plan"].ok, items["plan"].status) == (False, "不在本期")
    assert (items["script"].ok, items["script"].status) == (True, "按时")


@pytest.mark.parametrize("population, onsite", [(1, 1), (3, 1), (4, 2), (6, 2), (10, 4), (33, 11)])
def test_draw_is_never_below_one_third(scheme, population, onsite):
    # “现场抽取三分之一单位”“不少于三分之一”: ⌈n/3⌉ are drawn.
    ids = [f"u{i:02d}" for i in range(population)]
    assert len(draw_onsite(ids, scheme.draw, seed="2020").onsite) == onsite


def _report(a: int, b: int, c: int) -> str:
    # 2 + 3 × 6 heading characters, whitespace not counted
    return (f"报告\n一、成绩清单\n{'甲' * a}\n二、问题清单\n{'乙' * b}\n三、任务清单\n{'丙' * c}\n")


def test_report_of_exactly_3000_characters_passes_and_3001_is_too_long(catalog, scheme):
    # “字数一般不超过3000字”
    assert check_report(_report(993, 993, 994), scheme.report, catalog) == []
    findings = check_report(_report(993, 993, 995), scheme.report, catalog)
    assert [f.message for f in findings] == ["述职述责述廉报告共3001字，超过3000字的要求"]
