"""`dangjian template`: Chinese headers and one example row, accepted back by `score` unchanged."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
from dangjian.store.storage import Store

from .conftest import SECRETARIES, WORKPOINTS

HEADERS = ["组织编号", "组织名称", "组织类型", "上级组织编号", "现场评议测评", "上级党组织评议得分",
           "党风廉政建设出现问题"]


def test_csv_template_has_chinese_headers_and_a_valid_example(cli):
    rows = list(csv.reader(io.StringIO(cli("template", SECRETARIES, "-f", "csv", "-o", "-").stdout)))
    assert rows[0] == HEADERS
    assert rows[1] == ["示例", "示例党支部（示例行，评分时跳过）", "党支部", "", "95;好;88", "85", "否"]


def test_jsonl_template_is_one_evaluation_with_activity_examples(cli):
    line = cli("template", WORKPOINTS, "-f", "jsonl", "-o", "-").stdout
    evaluation = json.loads(line)
    assert evaluation["inputs"] == {"integrity_month": "完成",
                                    "integrity_month_evidence": "示例：纪律教育学习宣传月佐证材料"}
    assert [a["kind"] for a in evaluation["activities"]] == ["主题党日", "思想状况报告"]


def test_xlsx_template_round_trips_generate_fill_in_score(cli, tmp_path):
    result = cli("template", SECRETARIES)
    assert result.exit_code == 0
    path = tmp_path / "cli-secretaries-2019-评分表.xlsx"
    assert "已生成评分输入模板" in result.stderr and "示例行按本方案评分被拒绝" not in result.stderr
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["评分表", "填写说明"]
    sheet = book["评分表"]
    assert [c.value for c in sheet[1]] == HEADERS
    sheet.delete_rows(2)
    sheet.append(["oc-b01", "办公室党支部", "党支部", "oc", "95;好;90", 88, "否"])
    sheet.append(["oc-b02", "人事处党支部", "党支部", "oc", "一般、差", 60, None])
    sheet.append(["h1-b02", "外科党支部", "党支部", "h1", "90;较好;80", 85, "是"])
    book.save(path)

    result = cli("score", SECRETARIES, path, "--db", "runs.db", "--json")
    summary = json.loads(result.stdout)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (3, 3, 0)
    assert summary["notes"] == []
    store = Store("runs.db")
    assert [(r.org_id, str(r.total), r.grade) for r in store.results(1)] == [
        ("oc-b01", "91.73", "好"), ("oc-b02", "60.00", "一般"), ("h1-b02", "85.00", "较好")]


def test_the_example_row_is_skipped_with_a_note_and_never_scored(cli, tmp_path):
    for fmt in ("xlsx", "csv", "jsonl"):
        result = cli("template", SECRETARIES, "-f", fmt)
        # the example row itself scores (70% × (95+95+88)/3 + 30% × 85 = 90.37, 好) …
        assert result.exit_code == 0 and "示例行按本方案评分被拒绝" not in result.stderr
        path = tmp_path / f"cli-secretaries-2019-评分表.{fmt}"
        summary = json.loads(cli("score", SECRETARIES, path, "--no-db", "--json").stdout)
        # … but a forgotten example row is never scored
        assert (summary["read"], summary["scored"], summary["grades"]) == (0, 0, {}), fmt
        row = 1 if fmt == "jsonl" else 2
        assert summary["notes"] == [f"{path}：第 {row} 行是模板的示例行（组织编号“示例”），"
                                    "已跳过，未评分；填写真实数据时请改为真实的组织编号"], fmt


def test_a_filled_template_keeping_its_example_row_scores_only_the_real_rows(cli, tmp_path):
    assert cli("template", SECRETARIES).exit_code == 0
    path = tmp_path / "cli-secretaries-2019-评分表.xlsx"
    book = openpyxl.load_workbook(path)
    book["评分表"].append(["oc-b01", "办公室党支部", "党支部", "oc", "95;好;90", 88, "否"])
    book.save(path)
    result = cli("score", SECRETARIES, path, "--no-db")
    assert "读入 1 行，评分 1 个，拒绝 0 行" in result.stderr
    assert "第 2 行是模板的示例行" in result.stderr


def test_xlsx_template_offers_drop_downs_for_org_type_and_yes_no(cli, tmp_path):
    assert cli("template", "jilin-health-2019", "-o", "表.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "表.xlsx")["评分表"]
    header = [c.value for c in sheet[1]]
    lists = {str(rule.sqref).split(":")[0]: rule.formula1
             for rule in sheet.data_validations.dataValidation}
    column = {title: openpyxl.utils.get_column_letter(i) for i, title in enumerate(header, 1)}
    assert lists[f"{column['组织类型']}2"] == '"机关党委,党委,党总支,党支部"'
    assert lists[f"{column['党风廉政建设出现问题']}2"] == '"是,否"'
    assert lists[f"{column['情况严重']}2"] == '"是,否"'
    assert f"{column['现场评议测评']}2" not in lists  # several votes in one cell: no list


def test_template_never_overwrites_a_filled_sheet_without_force(cli, tmp_path):
    assert cli("template", SECRETARIES, "-o", "表.xlsx").exit_code == 0
    result = cli("template", SECRETARIES, "-o", "表.xlsx")
    assert result.exit_code == 1 and "已存在" in result.stderr and "--force" in result.stderr
    assert cli("template", SECRETARIES, "-o", "表.xlsx", "--force").exit_code == 0


def test_activities_template_lists_the_kinds_the_scheme_counts(cli, data):
    text = cli("template", WORKPOINTS, "--activities", "-f", "csv", "-o", "-").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["组织编号", "活动类型", "日期", "人员", "备注"]
    assert [r[1] for r in rows[1:]] == ["主题党日", "思想状况报告"]
    assert rows[1][2] == "2022-03-15"


def test_template_format_errors(cli):
    result = cli("template", SECRETARIES, "-f", "pdf")
    assert result.exit_code == 1 and "不支持的模板格式 pdf" in result.stderr
    result = cli("template", SECRETARIES, "-f", "xlsx", "-o", "-")
    assert result.exit_code == 1 and "XLSX 模板需要写入文件" in result.stderr
