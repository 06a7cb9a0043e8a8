"""End to end: the installed `dangjian` command in a subprocess, over real JSONL, CSV and XLSX
files, a real SQLite file and the installed plugins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from dangjian.store.storage import Store

DATA = Path(__file__).resolve().parents[1] / "cli" / "data"
SCHEME = "jilin-health-2019"
DANGJIAN = str(Path(sys.executable).with_name("dangjian"))
HEADER = "组织编号,组织名称,组织类型,上级组织编号,现场评议测评,上级党组织评议得分,党风廉政建设出现问题\n"


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "COLUMNS": "200", **(env or {})}
    environment.pop("DANGJIAN_DB", None)
    return subprocess.run([DANGJIAN, *map(str, args)], check=False, cwd=cwd, env=environment,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def no_traceback(proc: subprocess.CompletedProcess) -> bool:
    return "Traceback" not in proc.stdout + proc.stderr


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    """The same batch as JSONL, a GB18030 CSV with one undecodable row, and an XLSX sheet."""
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_bytes((DATA / "evaluations.jsonl").read_bytes())
    gb = tmp_path / "b.csv"
    gb.write_bytes((HEADER + "x-b01,财务处党支部,党支部,oc,较好;较好;好,90,否\n").encode("gb18030")
                   + b"x-b02,\xff\xfe,branch,oc,90,90,\n"
                   + "x-b03,审计处党支部,党支部,oc,差,50,\n".encode("gb18030"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["x-c01", "科教处党支部", "党支部", "oc", "95;95;好", 100, "否"])
    sheet.append(["x-c02", "法规处党支部", "党支部", "oc", "很好", 80, None])
    book.save(tmp_path / "c.xlsx")
    return [jsonl, gb, tmp_path / "c.xlsx"]


def test_one_run_over_jsonl_csv_and_xlsx_loses_no_row(tmp_path, inputs):
    proc = run("score", SCHEME, *inputs, "--db", "runs.db", "--rejects", "rejects.csv",
               "--out", "results.jsonl", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    # JSONL 8 lines (3 scored), CSV 3 rows (2 scored), XLSX 2 rows (1 scored)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (13, 6, 7)
    assert summary["read"] == summary["scored"] + summary["rejected"]
    assert any("GB18030" in note or "逐行识别" in note for note in summary["notes"])
    results = {r["org_id"]: r for r in map(json.loads, (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines())}
    # 70% × (85+85+95)/3 + 30% × 90 = 61.83 + 27 = 88.83: 较好
    assert (results["x-b01"]["total"], results["x-b01"]["grade"]) == (88.83, "较好")
    # 70% × 50 + 30% × 50 = 50.00: 差, so 约谈 and 限期整改
    assert (results["x-b03"]["total"], results["x-b03"]["grade"]) == (50.0, "差")
    assert [c["id"] for c in results["x-b03"]["consequences"]] == ["admonitory_talk",
                                                                   "rectify_by_deadline"]
    # 70% × (95+95+95)/3 + 30% × 100 = 66.5 + 30 = 96.50: 好
    assert (results["x-c01"]["total"], results["x-c01"]["grade"]) == (96.5, "好")
    rejects = (tmp_path / "rejects.csv").read_text(encoding="utf-8-sig")
    for expected in ("a.jsonl,4,,,不是有效的 JSON", "未知的组织类型“小组”", "缺少必填输入 superior",
                     "“优秀”不是有效值", "b.csv,3,,,本行含有无法识别的字符", "c.xlsx,3,x-c02,现场评议测评"):
        assert expected in rejects, expected
    store = Store(tmp_path / "runs.db")
    assert store.run(1)["rejected"] == 7 and store.count_results(1) == 6


def test_explain_runs_and_results_read_the_stored_run(tmp_path, inputs):
    run("score", SCHEME, inputs[0], "--db", "runs.db", "-q", cwd=tmp_path)
    explained = run("explain", "oc-b02", "--db", "runs.db", cwd=tmp_path)
    assert explained.returncode == 0
    assert "距“较好”还差20分" in explained.stdout and "约谈" in explained.stdout
    runs = json.loads(run("runs", "--db", "runs.db", "--json", cwd=tmp_path).stdout)
    assert runs[0]["scheme_id"] == SCHEME and runs[0]["read"] == 8
    lines = run("results", "1", "--db", "runs.db", "-f", "jsonl", cwd=tmp_path).stdout.splitlines()
    assert [json.loads(line)["total"] for line in lines] == [91.73, 60.0, 85.0]
    rejected = run("results", "--db", "runs.db", "--rejected", "-f", "jsonl", cwd=tmp_path)
    assert [json.loads(line)["row"] for line in rejected.stdout.splitlines()] == [3, 4, 5, 6, 8]


def test_xlsx_template_round_trip(tmp_path):
    made = run("template", SCHEME, "--format", "xlsx", "--out", "表.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    book = openpyxl.load_workbook(tmp_path / "表.xlsx")
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["组织编号", "组织名称", "组织类型", "上级组织编号", "现场评议测评", "上级党组织评议得分"]
    sheet.delete_rows(2)
    values = {"组织编号": "t-01", "组织名称": "测试党支部", "组织类型": "党支部",
              "现场评议测评": "好;较好;一般", "上级党组织评议得分": 80}
    sheet.append([values.get(h) for h in headers])
    book.save(tmp_path / "表.xlsx")
    proc = run("score", SCHEME, "表.xlsx", "--db", "runs.db", "--out", "out.csv", cwd=tmp_path)
    assert proc.returncode == 0 and "读入 1 行，评分 1 个，拒绝 0 行" in proc.stderr
    # 70% × (95+85+70)/3 + 30% × 80 = 58.33 + 24 = 82.33: 较好
    row = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(",")
    assert row[:7] == ["t-01", "测试党支部", "党支部", "82.33", "100", "较好", "较好"]


def test_two_workers_store_what_one_stores(tmp_path):
    lines = []
    for i in range(300):
        lines.append(json.dumps({"org_id": f"o{i}", "org": {"type": "branch"},
                                 "inputs": {"onsite": [60 + i % 41, "好"], "superior": 50 + i % 51}}))
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n{broken\n", encoding="utf-8")
    for workers in ("1", "2"):
        proc = run("score", SCHEME, "many.jsonl", "--db", "runs.db", "--workers", workers, "-q",
                   "--note", f"{workers} 个进程", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    store = Store(tmp_path / "runs.db")
    assert list(store.stored_bytes(1)) == list(store.stored_bytes(2))
    assert store.run(2)["workers"] == 2 and store.run(2)["rejected"] == 1


@pytest.mark.parametrize("args, message", [
    (["score", "no-such-scheme", "x.jsonl"], "未知的方案 no-such-scheme"),
    (["score", SCHEME, "missing.csv"], "文件不存在"),
    (["score", SCHEME, "folder.csv"], "这不是一个文件"),
    (["runs", "--db", "garbage.db"], "数据库出错"),
    (["score", SCHEME, "fake.xlsx"], "不是有效的 XLSX 文件"),
])
def test_errors_are_one_chinese_line_with_non_zero_exit(tmp_path, args, message):
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "garbage.db").write_bytes(b"this is not a database" * 100)
    (tmp_path / "fake.xlsx").write_bytes(b"PK not really a zip")
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode != 0
    assert proc.stderr.startswith("错误：") and message in proc.stderr
    assert no_traceback(proc)
