"""`dangjian explain`, `runs` and `results`: reading back what a run stored."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest

from .conftest import SECRETARIES


@pytest.fixture
def scored(cli, data):
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", "--db", "runs.db", "-q")
    assert result.exit_code == 0
    return cli


def test_explain_gives_every_line_and_the_points_to_the_next_band(scored):
    result = scored("explain", "oc-b02", "--db", "runs.db")
    assert result.exit_code == 0
    text = result.stdout
    assert "人事处党支部（oc-b02，党支部）" in text
    assert "总分 60.00 / 100，等次 “一般”" in text
    assert "平均60分，得60分（满分100分）；权重70%，计入总分42分" in text
    assert "上级党组织评议60分，得60分（满分100分）；权重30%，计入总分18分" in text
    assert "距“较好”还差20分" in text
    assert "约谈：等次为“一般”" in text


def test_explain_shows_the_veto_and_the_exact_total(scored):
    text = scored("explain", "--run", "1", "oc-b01", "--db", "runs.db").stdout
    assert "总分91.73分（精确值91.733333…，四舍五入保留2位小数）" in text
    assert "已是最高等次" in text
    veto = scored("explain", "h1-b02", "--db", "runs.db").stdout
    assert "一票否决：党风廉政建设出现问题，不得评为先进集体" in veto
    assert "先进集体：不得评定（党风廉政建设出现问题）" in veto


def test_explain_json_is_the_stored_result(scored):
    result = json.loads(scored("explain", "oc-b01", "--db", "runs.db", "--json").stdout)
    assert result["total"] == 91.73 and result["lines"][0]["id"] == "onsite"


def test_explain_unknown_org_or_missing_database_is_a_clear_error(scored):
    result = scored("explain", "nobody", "--db", "runs.db")
    assert result.exit_code == 1 and "评分批次中没有组织 nobody" in result.stderr
    result = scored("explain", "nobody", "--db", "runs.db", "--run", "1")
    assert result.exit_code == 1 and "批次 1 中没有组织 nobody 的结果" in result.stderr
    result = scored("explain", "oc-b01", "--db", "missing.db")
    assert result.exit_code == 1 and "评分数据库 missing.db 不存在" in result.stderr
    result = scored("explain", "oc-b01", "--db", "runs.db", "--run", "9")
    assert result.exit_code == 1 and "没有编号为 9 的评分批次" in result.stderr


def test_explain_without_run_finds_the_latest_run_holding_the_org(scored, data, tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text('{"org_id": "x-1", "org": {"name": "新支部", "type": "branch"},'
                     ' "inputs": {"onsite": [80], "superior": 70}}\n', encoding="utf-8")
    assert scored("score", SECRETARIES, other, "--db", "runs.db", "-q").exit_code == 0
    result = scored("explain", "oc-b02", "--db", "runs.db")
    assert result.exit_code == 0 and "总分 60.00 / 100" in result.stdout
    assert "取自批次 1（方案 cli-secretaries-2019" in result.stderr
    newest = scored("explain", "x-1", "--db", "runs.db")
    assert "取自批次 2" in newest.stderr and "新支部" in newest.stdout


def test_results_for_a_grade_the_scheme_does_not_have_is_an_error(scored):
    result = scored("results", "--grade", "优秀", "--db", "runs.db")
    assert result.exit_code == 1
    assert "没有等次“优秀”" in result.stderr and "好、较好、一般、差" in result.stderr
    assert scored("results", "--grade", "一般", "--db", "runs.db").exit_code == 0


def test_runs_lists_counts_and_grades(scored, data):
    scored("score", SECRETARIES, data / "evaluations.jsonl", "--db", "runs.db", "-q",
           "--note", "第二次")
    text = scored("runs", "--db", "runs.db").stdout
    assert "cli-secretaries-2019" in text and re.search(r"好 1\s.*较好 1\s.*一般 1", text, re.DOTALL)
    rows = json.loads(scored("runs", "--db", "runs.db", "--json").stdout)
    assert [r["id"] for r in rows] == [2, 1]
    assert (rows[0]["read"], rows[0]["scored"], rows[0]["rejected"]) == (8, 3, 5)
    assert rows[0]["note"] == "第二次"


def test_results_table_filters_by_grade_and_type(scored):
    text = scored("results", "--db", "runs.db").stdout
    assert "共 3 个" in text and "91.73" in text and "约谈" in text
    only = scored("results", "1", "--db", "runs.db", "--grade", "一般").stdout
    assert "oc-b02" in only and "oc-b01" not in only and "共 1 个" in only
    assert "共 3 个" in scored("results", "--db", "runs.db", "--type", "党支部").stdout
    assert "共 0 个" in scored("results", "--db", "runs.db", "--type", "committee").stdout


def test_results_as_csv_jsonl_and_xlsx(scored):
    rows = list(csv.DictReader(io.StringIO(scored("results", "--db", "runs.db", "-f", "csv").stdout)))
    assert [(r["组织编号"], r["总分"], r["等次"]) for r in rows] == [
        ("oc-b01", "91.73", "好"), ("oc-b02", "60.00", "一般"), ("h1-b02", "85.00", "较好")]
    lines = scored("results", "--db", "runs.db", "-f", "jsonl", "--limit", "2").stdout.splitlines()
    assert [json.loads(line)["org_id"] for line in lines] == ["oc-b01", "oc-b02"]
    assert json.loads(lines[0])["lines"] == []
    explained = scored("results", "--db", "runs.db", "-f", "jsonl", "--explain").stdout
    assert json.loads(explained.splitlines()[0])["lines"][0]["id"] == "onsite"
    result = scored("results", "--db", "runs.db", "--grade", "较好", "--out", "good.xlsx")
    assert result.exit_code == 0 and "已写入 1 个结果" in result.stderr
    values = list(openpyxl.load_workbook("good.xlsx").active.iter_rows(values_only=True))
    assert values[1][0] == "h1-b02" and len(values) == 2 and "得分说明" not in values[0]
    scored("results", "--db", "runs.db", "--grade", "较好", "--out", "told.xlsx", "--explain")
    told = list(openpyxl.load_workbook("told.xlsx").active.iter_rows(values_only=True))
    assert told[0][-1] == "得分说明"
    assert "总分85分，按分数应为“较好”" in told[1][-1] or "总分85.00分" in told[1][-1]


def test_results_rejected_lists_stored_reasons(scored):
    text = scored("results", "--db", "runs.db", "--rejected").stdout
    assert "第 4 行" in text and "不是有效的 JSON" in text
    rows = list(csv.DictReader(io.StringIO(
        scored("results", "--db", "runs.db", "--rejected", "-f", "csv").stdout)))
    assert [int(r["行号"]) for r in rows] == [3, 4, 5, 6, 8]
    lines = scored("results", "--db", "runs.db", "--rejected", "-f", "jsonl").stdout.splitlines()
    assert json.loads(lines[2])["field"] == "org.type"


def test_results_format_errors(scored):
    result = scored("results", "--db", "runs.db", "-f", "xlsx")
    assert result.exit_code == 1 and "XLSX 格式需要用 --out 指定文件" in result.stderr
    result = scored("results", "--db", "runs.db", "-f", "pdf")
    assert result.exit_code == 1 and "不支持的格式 pdf" in result.stderr
