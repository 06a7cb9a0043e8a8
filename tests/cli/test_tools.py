"""The seed 002 tools over any scheme: `sample`, `coverage`, `lint-report`, `deadlines`."""

from __future__ import annotations

import json

import pytest

from .conftest import SECRETARIES

ORGS = ["--orgs"]


def test_sample_draws_at_least_a_third_reproducibly(cli, data):
    args = ("sample", SECRETARIES, "--orgs", data / "orgs.jsonl", "--seed", "2020-01-08", "--json")
    first = json.loads(cli(*args).stdout)
    # committees and branches: 4 office branches, 2 committees, 3 hospital branches = 9 → 3
    assert first["population"] == 9 and len(first["onsite"]) == 3 and len(first["written"]) == 6
    assert json.loads(cli(*args).stdout) == first
    other = json.loads(cli("sample", SECRETARIES, "--orgs", data / "orgs.jsonl", "--seed", "x",
                           "--json").stdout)
    assert other["population_digest"] == first["population_digest"]


def test_sample_under_an_organization_draws_among_its_direct_units(cli, data):
    result = cli("sample", SECRETARIES, "--orgs", data / "orgs.jsonl", "--seed", "1", "--under", "oc")
    assert result.exit_code == 0
    # the organ committee's own round: 4 branches and 2 unit committees = 6 → 2 on site
    assert "现场述职（2 个）" in result.stdout and "书面述职（4 个）" in result.stdout
    assert "种子 1，比例不少于 1/3，共 6 个组织，抽取 2 个" in result.stderr
    hospital = json.loads(cli("sample", SECRETARIES, "--orgs", data / "orgs.jsonl", "--seed", "1",
                              "--under", "h1", "--json").stdout)
    assert hospital["population"] == 3 and len(hospital["onsite"]) == 1


def test_sample_writes_the_list_with_seed_and_digest_to_csv_xlsx_and_jsonl(cli, data, tmp_path):
    import csv

    from openpyxl import load_workbook

    base = ("sample", SECRETARIES, "--orgs", data / "orgs.jsonl", "--seed", "2020-01-08")
    drawn = json.loads(cli(*base, "--json").stdout)
    result = cli(*base, "--out", tmp_path / "名单.csv")
    assert result.exit_code == 0 and "已写入" in result.stderr
    with open(tmp_path / "名单.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["组织编号"] for r in rows] == drawn["onsite"] + drawn["written"]
    assert [r["述职方式"] for r in rows].count("现场述职") == 3 and len(rows) == 9
    assert {(r["种子"], r["名册摘要"], r["名册组织数"]) for r in rows} == {
        ("2020-01-08", drawn["population_digest"], "9")}
    assert cli(*base, "--out", tmp_path / "名单.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "名单.xlsx")
    listed = [row for row in book["抽取结果"].iter_rows(min_row=2, values_only=True)]
    assert [row[2] for row in listed] == drawn["onsite"] + drawn["written"]
    record = dict(book["抽取记录"].iter_rows(values_only=True))
    assert record["种子"] == "2020-01-08" and record["名册摘要"] == drawn["population_digest"]
    assert record["现场述职"] == 3 and record["名册组织数"] == 9
    assert cli(*base, "--out", tmp_path / "名单.jsonl").exit_code == 0
    lines = [json.loads(line) for line in
             (tmp_path / "名单.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["org_id"] for line in lines[:3]] == drawn["onsite"]
    assert lines[0]["seed"] == "2020-01-08"
    assert lines[0]["population_digest"] == drawn["population_digest"]
    bad = cli(*base, "--out", tmp_path / "名单.txt")
    assert bad.exit_code == 1 and "不支持的输出文件类型" in bad.stderr


def test_sample_without_seed_prints_the_generated_one(cli, data):
    result = cli("sample", SECRETARIES, "--orgs", data / "orgs.jsonl")
    assert result.exit_code == 0 and "复核时用 --seed" in result.stderr


def test_coverage_from_a_run_lists_who_was_not_assessed(cli, data):
    cli("score", SECRETARIES, data / "evaluations.jsonl", "--db", "runs.db", "-q")
    result = cli("coverage", SECRETARIES, "--orgs", data / "orgs.jsonl", "--db", "runs.db")
    assert result.exit_code == 1
    assert "应评 10 个，已评 3 个，未评 7 个，未全覆盖" in result.stderr
    assert "省直机关工委" in result.stdout and "省人民医院党委" in result.stdout
    report = json.loads(cli("coverage", SECRETARIES, "--orgs", data / "orgs.jsonl", "--db",
                            "runs.db", "--json").stdout)
    lines = {a["org_id"]: a["reports_to"] for a in report["assignments"]}
    assert lines == {"oc": "省直机关工委", "oc-b01": "委直属机关党委", "oc-b02": "委直属机关党委",
                     "oc-b03": "委直属机关党委", "oc-b04": "委直属机关党委", "h1": "委直属机关党委",
                     "c1": "委直属机关党委", "h1-b01": "省人民医院党委",
                     "h1-b02": "省人民医院党委", "h1-b03": "省人民医院党委"}
    assert report["source"] == "批次 1"


def test_coverage_complete_exits_zero(cli, data):
    lines = [json.dumps({"org_id": o["id"], "org": {"type": o["type"]},
                         "inputs": {"onsite": [90], "superior": 90}})
             for o in map(json.loads, (data / "orgs.jsonl").read_text(encoding="utf-8").splitlines())]
    (data / "all.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("coverage", SECRETARIES, "--orgs", data / "orgs.jsonl", data / "all.jsonl")
    assert result.exit_code == 0 and "应评 10 个，已评 10 个，未评 0 个，已全覆盖" in result.stderr


def _report(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_lint_report_passes_a_balanced_report_and_sends_back_others(cli, tmp_path):
    good = _report(tmp_path, "good.txt", "成绩清单" + "做了工作" * 100 + "\n问题清单" +
                   "存在问题" * 100 + "\n任务清单" + "明年任务" * 100)
    long = _report(tmp_path, "long.txt", "成绩清单" + "甲" * 2000 + "\n问题清单" + "乙" * 600 +
                   "\n任务清单" + "丙" * 600, encoding="gb18030")
    result = cli("lint-report", SECRETARIES, good, long)
    assert result.exit_code == 1
    text = result.stdout
    assert "good.txt：1212字，符合要求" in text
    assert "long.txt：3212字，不符合要求" in text and "按 GB18030 编码读取" in text
    assert "共3212字，超过3000字的要求" in text
    assert "“成绩清单”2004字，占全文62.4%，偏离三分之一（33.3%）超过10个百分点" in text
    assert cli("lint-report", SECRETARIES, good).exit_code == 0


def test_lint_report_missing_list_and_json(cli, tmp_path):
    path = _report(tmp_path, "r.md", "成绩清单很多\n问题清单很少\n")
    reports = json.loads(cli("lint-report", SECRETARIES, path, "--json").stdout)
    assert [f["code"] for f in reports[0]["findings"]] == ["missing_section"]
    assert "缺少“任务清单”" in reports[0]["findings"][0]["message"]


def test_lint_report_refuses_word_documents(cli, tmp_path):
    path = _report(tmp_path, "r.docx", "x")
    result = cli("lint-report", SECRETARIES, path)
    assert result.exit_code == 1 and "另存为纯文本" in result.stderr


def test_deadlines_lists_the_timeline(cli):
    result = cli("deadlines", SECRETARIES)
    assert result.exit_code == 0
    assert "上报述职述责述廉报告" in result.stdout and "2020年1月20日后，2020年2月15日前（含当日）" in result.stdout


def test_deadlines_checks_dates_given_by_id_or_title(cli):
    result = cli("deadlines", SECRETARIES, "report=2020-01-10", "上报本单位工作方案=2020/1/15",
                 "meeting=2020-01-20")
    assert result.exit_code == 1
    text = result.stdout
    assert "上报述职述责述廉报告：2020-01-10，按时" in text
    assert "上报本单位工作方案：2020-01-15提交，逾期1天" in text
    assert "召开述评会议：2020-01-20过早" in text
    ok = cli("deadlines", SECRETARIES, "report=2020-01-09", "plan=2020-01-14",
             "meeting=2020-02-15")
    assert ok.exit_code == 0 and "0 项未按要求完成" in ok.stdout


def test_last_years_report_is_not_on_time_for_this_years_deadline(cli):
    result = cli("deadlines", "jilin-health-2019", "report=2019-01-09", "plan=2020-01-14",
                 "--json")
    assert result.exit_code == 1
    items = {i["id"]: i for i in json.loads(result.stdout)[0]["items"]}
    assert (items["report"]["ok"], items["report"]["status"]) == (False, "不在本期")
    assert "早于本期（自2020年1月8日起）" in items["report"]["message"]
    assert (items["plan"]["ok"], items["plan"]["status"]) == (True, "按时")
    shown = cli("deadlines", "jilin-health-2019", "report=2019-01-09").stdout
    assert "✗ 上报个人述职述责述廉报告：2019-01-09早于本期" in shown


def test_deadlines_from_a_file_per_organization(cli, data):
    path = data / "submitted.csv"
    path.write_text("组织编号,事项,日期\noc-b01,report,2020-01-09\noc-b01,plan,2020-01-14\n"
                    "oc-b01,meeting,2020-02-01\noc-b02,report,2020-01-12\n", encoding="utf-8")
    checked = json.loads(cli("deadlines", SECRETARIES, "--file", path, "--json").stdout)
    by_org = {c["org_id"]: {i["id"]: i["ok"] for i in c["items"]} for c in checked}
    assert by_org == {"oc-b01": {"report": True, "plan": True, "meeting": True},
                      "oc-b02": {"report": False, "plan": False, "meeting": False}}


def test_deadlines_unknown_step_is_named(cli):
    result = cli("deadlines", SECRETARIES, "summary=2020-02-20")
    assert result.exit_code == 1 and "未知的事项“summary”" in result.stderr


@pytest.mark.parametrize("command, extra, message", [
    ("sample", ["--orgs", "ORGS"], "没有现场抽取规则"),
    ("coverage", ["--orgs", "ORGS"], "没有述职关系"),
    ("lint-report", ["REPORT"], "没有报告要求"),
    ("deadlines", [], "没有时间节点"),
])
def test_tools_say_so_when_a_scheme_lacks_their_section(cli, data, tmp_path, command, extra,
                                                        message):
    from .conftest import WORKPOINTS

    report = _report(tmp_path, "r.txt", "成绩清单")
    args = [str(data / "orgs.jsonl") if a == "ORGS" else str(report) if a == "REPORT" else a
            for a in extra]
    result = cli(command, WORKPOINTS, *args)
    assert result.exit_code == 1 and message in result.stderr


def test_coverage_from_input_files_uses_the_org_tree_for_types(cli):
    from tests.conftest import ROOT

    seeds = ROOT / "seeds" / "jilin-health-2019"
    result = cli("coverage", "jilin-health-2019", "--orgs", seeds / "orgs.jsonl",
                 seeds / "evaluations.jsonl", "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["complete"] and report["evaluated"] == 55
