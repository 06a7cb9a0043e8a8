"""`dangjian score`: every row scored or rejected with file, row, field and reason; results
written to JSONL/CSV/XLSX exactly as the kernel encodes them, and stored as one run."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import msgspec
import openpyxl
import pytest
from dangjian.store.storage import Store, encode_result

from .conftest import DATA, SECRETARIES

QUOTA = DATA / "quota.toml"

HEADER = "组织编号,组织名称,组织类型,上级组织编号,现场评议测评,上级党组织评议得分,党风廉政建设出现问题\n"
ROWS = ("oc-b01,办公室党支部,党支部,oc,95;好;90,88,否\n"
        "oc-b02,人事处党支部,branch,oc,一般、差,60,\n")


def lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").splitlines()


def summary_of(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_jsonl_batch_scores_three_and_rejects_five_with_reasons(cli, data):
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", "--db", "runs.db",
                 "--rejects", "rejects.csv", "--json")
    summary = summary_of(result)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (8, 3, 5)
    assert summary["read"] == summary["scored"] + summary["rejected"]
    assert summary["grades"] == {"好": 1, "一般": 1, "较好": 1}
    with open("rejects.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by_row = {int(r["行号"]): r for r in rows}
    assert sorted(by_row) == [3, 4, 5, 6, 8]
    assert all(r["文件"].endswith("evaluations.jsonl") for r in rows)
    assert by_row[3]["字段"] == "现场评议测评" and "“优秀”不是有效值" in by_row[3]["原因"]
    assert "不是有效的 JSON" in by_row[4]["原因"]
    assert by_row[5]["字段"] == "组织类型" and "未知的组织类型“小组”" in by_row[5]["原因"]
    assert by_row[6]["字段"] == "上级党组织评议得分" and "缺少必填输入 superior" in by_row[6]["原因"]
    assert "缺少必填字段 org_id" in by_row[8]["原因"]


def test_summary_on_stderr_names_counts_grades_and_destinations(cli, data):
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", "--db", "runs.db",
                 "--out", "out.jsonl")
    assert result.exit_code == 0
    assert result.stdout == ""
    err = result.stderr
    assert "读入 8 行，评分 3 个，拒绝 5 行" in err
    assert "等次分布" in err and "33.3%" in err
    assert "批次 1 已存入 runs.db" in err and "结果已写入 out.jsonl" in err
    assert "第 3 行，组织 oc-b03，字段 inputs.onsite" in err
    assert "dangjian results 1 --rejected" in err


def test_hand_computed_totals_grades_vetoes_and_consequences(cli, data):
    cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--out", "out.jsonl")
    results = {r["org_id"]: r for r in map(json.loads, lines("out.jsonl"))}
    assert set(results) == {"oc-b01", "oc-b02", "h1-b02"}
    # 70% × (95+95+90)/3 + 30% × 88 = 65.333… + 26.4 = 91.73
    assert (results["oc-b01"]["total"], results["oc-b01"]["grade"]) == (91.73, "好")
    # 70% × (70+50)/2 + 30% × 60 = 42 + 18 = 60.00: 一般, so 约谈
    assert (results["oc-b02"]["total"], results["oc-b02"]["grade"]) == (60.0, "一般")
    assert [c["id"] for c in results["oc-b02"]["consequences"]] == ["talk"]
    assert results["oc-b02"]["to_next_band"] == {"grade": "较好", "points": 20}
    # 70% × (90+85+80)/3 + 30% × 85 = 59.5 + 25.5 = 85.00: 较好, integrity veto blocks 先进集体
    h1 = results["h1-b02"]
    assert (h1["total"], h1["grade"]) == (85.0, "较好")
    assert [v["id"] for v in h1["vetoes"]] == ["integrity"]
    assert {e["honour"]: e["eligible"] for e in h1["eligibility"]} == {
        "excellent": False, "advanced_collective": False}
    assert not any(r["lines"] for r in results.values())  # explanations only when asked
    cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--out", "explained.jsonl",
        "--explain")
    explained = {r["org_id"]: r for r in map(json.loads, lines("explained.jsonl"))}
    assert all(r["lines"] for r in explained.values())
    assert {k: {**v, "lines": []} for k, v in explained.items()} == results


def test_jsonl_output_is_exactly_the_stored_encoding(cli, data):
    cli("score", SECRETARIES, data / "evaluations.jsonl", "--db", "runs.db", "--out", "out.jsonl",
        "--explain")
    store = Store("runs.db")
    stored = [encode_result(store.result(1, org)) for org in ("oc-b01", "oc-b02", "h1-b02")]
    assert Path("out.jsonl").read_bytes().splitlines() == stored
    plain = [encode_result(store.result(1, org, with_lines=False))
             for org in ("oc-b01", "oc-b02", "h1-b02")]
    results = cli("results", "1", "--db", "runs.db", "--format", "jsonl").stdout
    assert results.encode().splitlines() == plain
    explained = cli("results", "1", "--db", "runs.db", "--format", "jsonl", "--explain").stdout
    assert explained.encode().splitlines() == stored
    run = store.run(1)
    assert (run["read"], run["scored"], run["rejected"]) == (8, 3, 5)
    assert [r.row for r in store.rejects(1)] == [3, 4, 5, 6, 8]
    assert run["sources"] == [str(data / "evaluations.jsonl")]
    assert run["input_digest"]


def test_out_dash_writes_jsonl_to_stdout(cli, data):
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--out", "-")
    lines = result.stdout.splitlines()
    assert [json.loads(line)["org_id"] for line in lines] == ["oc-b01", "oc-b02", "h1-b02"]
    assert "读入 8 行" in result.stderr


def test_csv_and_xlsx_outputs_have_chinese_headers_and_rounded_totals(cli, data):
    cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--out", "out.csv")
    with open("out.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    first = rows[0]
    assert (first["组织编号"], first["总分"], first["等次"]) == ("oc-b01", "91.73", "好")
    assert first["述评现场评议得分"] == "93.33" and first["组织类型"] == "党支部"
    assert rows[1]["结果运用"].startswith("约谈") and rows[1]["距上一等次"] == "距“较好”还差20分"
    assert rows[2]["一票否决"] == "党风廉政建设出现问题" and rows[2]["不得评定"] == "年度考核优秀等次；先进集体"

    cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--out", "out.xlsx",
        "--rejects", "rejects.xlsx")
    sheet = openpyxl.load_workbook("out.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:6] == ("组织编号", "组织名称", "组织类型", "总分", "满分", "等次")
    assert values[1][0] == "oc-b01" and values[1][3] == pytest.approx(91.73)
    assert len(values) == 4
    rejects = list(openpyxl.load_workbook("rejects.xlsx").active.iter_rows(values_only=True))
    assert rejects[0] == ("文件", "行号", "组织编号", "字段", "原因") and len(rejects) == 6


def test_rejects_jsonl_keeps_file_row_field_and_reason(cli, data):
    cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--rejects", "rejects.jsonl")
    rejects = [json.loads(line) for line in lines("rejects.jsonl")]
    assert rejects[0] == {"row": 3, "field": "inputs.onsite", "org_id": "oc-b03",
                          "source": str(data / "evaluations.jsonl"),
                          "reason": rejects[0]["reason"]}
    assert "应为 好 / 较好 / 一般 / 差" in rejects[0]["reason"]


def test_csv_in_utf8_with_list_cells(cli, data):
    path = data / "input.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8-sig")
    summary = summary_of(cli("score", SECRETARIES, path, "--no-db", "--json", "--out", "o.jsonl"))
    assert (summary["read"], summary["scored"], summary["rejected"]) == (2, 2, 0)
    totals = [json.loads(line)["total"] for line in lines("o.jsonl")]
    assert totals == [91.73, 60.0]


def test_gb18030_csv_from_chinese_excel_is_read_and_said_so(cli, data):
    path = data / "excel.csv"
    path.write_bytes((HEADER + ROWS).encode("gb18030"))
    result = cli("score", SECRETARIES, path, "--no-db")
    assert result.exit_code == 0
    assert "读入 2 行，评分 2 个，拒绝 0 行" in result.stderr
    assert "按 GB18030 编码读取" in result.stderr


def test_undecodable_csv_row_is_rejected_and_counted(cli, data):
    path = data / "broken.csv"
    path.write_bytes((HEADER + ROWS).encode("utf-8")
                     + "oc-b03,规划处".encode() + b"\xff\xfe" + b",branch,oc,90,90,\n")
    result = cli("score", SECRETARIES, path, "--no-db", "--rejects", "r.jsonl", "--json")
    summary = summary_of(result)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (3, 2, 1)
    reject = json.loads(Path("r.jsonl").read_text(encoding="utf-8"))
    assert reject["row"] == 4 and "既不是 UTF-8 也不是 GB18030" in reject["reason"]
    assert any("逐行识别" in note for note in summary["notes"])


def test_title_row_above_header_and_unknown_columns_are_noted(cli, data):
    path = data / "titled.csv"
    header = HEADER.strip() + ",备注\n"
    rows = "".join(line + ",说明\n" for line in ROWS.splitlines())
    path.write_text("2019年度述职评议得分表,,,,,,,\n" + header + rows + ",,,,,,,\n",
                    encoding="utf-8-sig")
    summary = summary_of(cli("score", SECRETARIES, path, "--no-db", "--json"))
    assert (summary["read"], summary["scored"]) == (2, 2)
    assert any("表头在第 2 行" in note for note in summary["notes"])
    assert any("已忽略：备注" in note for note in summary["notes"])


def test_header_without_org_id_rejects_every_row_with_the_reason(cli, data):
    path = data / "noid.csv"
    path.write_text("名称,现场评议测评,上级党组织评议得分\n甲,90,90\n乙,80,80\n", encoding="utf-8")
    result = cli("score", SECRETARIES, path, "--no-db", "--json", "--rejects", "r.csv")
    summary = summary_of(result)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (2, 0, 2)
    assert "表头中没有组织编号列" in Path("r.csv").read_text(encoding="utf-8-sig")


def test_xlsx_input_with_numeric_ids_and_single_score_cells(cli, data):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["org_id", "org_name", "org_type", "onsite", "superior", "integrity_problem"])
    sheet.append([101, "数字编号支部", "党支部", 95, 90.0, "是"])
    sheet.append(["oc-b02", "人事处党支部", "branch", "一般;差", 60, None])
    book.save(data / "input.xlsx")
    cli("score", SECRETARIES, data / "input.xlsx", "--no-db", "--out", "o.jsonl")
    results = [json.loads(line) for line in lines("o.jsonl")]
    # 70% × 95 + 30% × 90 = 93.5, 好 by points; the integrity flag blocks 先进集体
    assert (results[0]["org_id"], results[0]["total"], results[0]["grade"]) == ("101", 93.5, "好")
    assert [v["id"] for v in results[0]["vetoes"]] == ["integrity"]
    assert results[1]["total"] == 60.0


def test_several_inputs_make_one_run_and_repeated_organizations_are_rejected(cli, data):
    path = data / "input.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8-sig")
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", path, "--db", "runs.db",
                 "--json", "--out", "out.csv", "--rejects", "rejects.jsonl")
    summary = summary_of(result)
    # oc-b01 and oc-b02 were scored from the JSONL file: their CSV rows are rejected
    assert (summary["read"], summary["scored"], summary["rejected"]) == (10, 3, 7)
    store = Store("runs.db")
    assert store.run(1)["sources"] == [str(data / "evaluations.jsonl"), str(path)]
    first = f"{data / 'evaluations.jsonl'} 第 1 行"
    repeated = [r for r in store.rejects(1) if r.source == str(path)]
    assert [(r.row, r.org_id, r.field) for r in repeated] == [(2, "oc-b01", "org_id"),
                                                             (3, "oc-b02", "org_id")]
    assert first in repeated[0].reason and "重复" in repeated[0].reason
    written = [json.loads(line) for line in lines("rejects.jsonl")]
    assert [(r["row"], r["org_id"]) for r in written if r["source"] == str(path)] == \
        [(2, "oc-b01"), (3, "oc-b02")]
    assert Path("out.csv").read_text(encoding="utf-8-sig").count("oc-b01") == 1
    # the stored result, the output file and explain agree: the JSONL row was scored
    assert store.result(1, "oc-b01").total == Decimal("91.73")
    assert store.duplicates(1) == {}
    no_db = summary_of(cli("score", SECRETARIES, data / "evaluations.jsonl", path, "--no-db",
                           "--json"))
    assert (no_db["scored"], no_db["rejected"]) == (3, 7)


def test_workers_option_gives_the_same_results(cli, data):
    cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--out", "one.jsonl")
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--out", "two.jsonl",
                 "--workers", "2")
    assert result.exit_code == 0
    assert "单进程" in result.stderr  # a scheme file cannot be rebuilt in worker processes
    assert Path("one.jsonl").read_bytes() == Path("two.jsonl").read_bytes()


def test_activities_and_org_registry_are_merged_by_org_id(cli, data):
    from .conftest import WORKPOINTS

    result = cli("score", WORKPOINTS, data / "workpoints.csv", "--orgs", data / "wp-orgs.csv",
                 "--activities", data / "activities.csv", "--db", "runs.db",
                 "--rejects", "r.jsonl", "--json")
    summary = summary_of(result)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (3, 2, 1)
    store = Store("runs.db")
    w1, w2 = store.result(1, "w1"), store.result(1, "w2")
    # 12 monthly theme days (60) + both half-year reports (20) + 完成 (20) = 100
    assert (str(w1.total), w1.grade, w1.org_type, w1.org_name) == ("100.00", "好", "branch",
                                                                    "第一党支部")
    # 10 of 12 months (50) + first half only (10) + 部分完成 (10) = 70
    assert (str(w2.total), w2.grade) == ("70.00", "一般")
    assert any("11月、12月未达到" in line.text for line in w2.lines)
    reject = json.loads(Path("r.jsonl").read_text(encoding="utf-8"))
    assert reject["org_id"] == "w3" and reject["field"] == "activities"
    assert "activities.csv 第 27 行" in reject["reason"] and "2022-13-01" in reject["reason"]
    notes = "\n".join(summary["notes"])
    assert "读入活动记录 26 条" in notes and "未使用：w9" in notes and "第 29 行" in notes


def test_jsonl_evaluations_get_activities_appended(cli, data):
    from .conftest import WORKPOINTS

    path = data / "wp.jsonl"
    path.write_text(json.dumps({"org_id": "w2", "org": {"type": "branch"},
                                "inputs": {"integrity_month": "完成", "integrity_month_evidence": "总结"},
                                "activities": [{"kind": "主题党日", "date": "2022-11-10"},
                                               {"kind": "主题党日", "date": "2022-12-10"}]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    cli("score", WORKPOINTS, path, "--activities", data / "activities.csv", "--no-db",
        "--out", "o.jsonl")
    result = json.loads(Path("o.jsonl").read_text(encoding="utf-8"))
    # 12 of 12 months (60) + first half only (10) + 完成 (20) = 90
    assert result["total"] == 90.0


@pytest.mark.parametrize("args, message", [
    (["nope-2019", "x.jsonl"], "未知的方案 nope-2019"),
    ([str(SECRETARIES), "missing.jsonl"], "文件不存在"),
    ([str(SECRETARIES), "old.xls"], "请在 Excel 中另存为 .xlsx 或 .csv"),
])
def test_unusable_scheme_or_file_is_a_clear_error(cli, data, args, message):
    (data.parent / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("score", *args)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_bad_output_extension_stops_before_anything_is_stored(cli, data, tmp_path):
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", "--out", "out.txt")
    assert result.exit_code == 1 and "不支持的输出文件类型“.txt”" in result.stderr
    assert not (tmp_path / "dangjian.db").exists()


def test_default_database_is_dangjian_db_in_the_working_directory(cli, data, tmp_path):
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", "-q")
    assert result.exit_code == 0 and result.stderr == ""
    assert Store(tmp_path / "dangjian.db").count_results(1) == 3


def test_broken_orgs_file_names_file_and_row(cli, data):
    (data / "orgs.jsonl").write_text('{"id": "a", "name": "甲"}\n{"name": "乙"}\n',
                                     encoding="utf-8")
    result = cli("score", SECRETARIES, data / "evaluations.jsonl", "--orgs", data / "orgs.jsonl")
    assert result.exit_code == 1
    assert "orgs.jsonl" in result.stderr and "第 2 行" in result.stderr
    assert "缺少必填字段 id" in result.stderr


def test_encoded_result_matches_kernel_struct(cli, data):
    from dangjian.models import Result

    cli("score", SECRETARIES, data / "evaluations.jsonl", "--no-db", "--out", "o.jsonl")
    first = msgspec.json.decode(Path("o.jsonl").read_bytes().splitlines()[0], type=Result)
    assert str(first.total) == "91.73" and first.scheme.id == "cli-secretaries-2019"
    assert first.scheme.plugin == "scheme-file"


def test_activities_from_jsonl_and_xlsx_with_excel_dates(cli, data):
    import datetime

    from .conftest import WORKPOINTS

    records = [{"org_id": "w1", "kind": "主题党日", "date": f"2022-{m:02d}-01"} for m in range(1, 13)]
    records.append({"org_id": "w2", "kind": "主题党日", "date": "2022-01-01", "place": "会议室"})
    (data / "acts.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                     encoding="utf-8")
    summary = summary_of(cli("score", WORKPOINTS, data / "workpoints.csv", "--orgs",
                             data / "wp-orgs.csv", "--activities", data / "acts.jsonl",
                             "--no-db", "--json", "--rejects", "r.jsonl"))
    assert (summary["scored"], summary["rejected"]) == (2, 1)
    reject = json.loads(Path("r.jsonl").read_text(encoding="utf-8"))
    assert reject["org_id"] == "w2" and "未知字段 place" in reject["reason"]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["活动记录表"])
    sheet.append(["组织编号", "活动类型", "日期"])
    for month in range(1, 13):
        sheet.append(["w1", "主题党日", datetime.datetime(2022, month, 8)])
    book.save(data / "acts.xlsx")
    cli("score", WORKPOINTS, data / "workpoints.csv", "--orgs", data / "wp-orgs.csv",
        "--activities", data / "acts.xlsx", "--no-db", "--out", "o.jsonl")
    first = json.loads(lines("o.jsonl")[0])
    # 12 monthly theme days (60) + no thought reports (0) + 完成 (20) = 80
    assert (first["org_id"], first["total"], first["grade"]) == ("w1", 80.0, "较好")


def test_batch_rules_are_shown_in_the_summary_and_stored_with_the_run(cli, tmp_path):
    rows = [json.dumps({"org_id": f"o{i}", "org": {"type": "branch"},
                        "inputs": {"x": 95 if i <= 3 else 50}}) for i in range(1, 11)]
    (tmp_path / "in.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli("score", QUOTA, "in.jsonl", "--db", "runs.db")
    assert result.exit_code == 0, result.stderr
    said = "优秀比例：符合条件3个，超过比例上限20%（10个中至多2个），需择优确定"
    assert "批次规则【中】" in result.stderr and said in result.stderr
    assert Store("runs.db").run(1)["batch_findings"][0]["message"] == said
