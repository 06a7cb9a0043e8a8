"""`dangjian whatif` over a run stored by `dangjian score` from the Jilin 2019 demo data, in a
real SQLite file; the tables in Chinese, the per-organization file, `--save`, the errors."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dangjian.store.storage import Store

from .conftest import SCHEME, SEEDS

ONSITE_60 = ["--set", "components.onsite.weight=0.6", "--set", "components.superior.weight=0.4"]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    from dangjian_shell.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DANGJIAN_DB", raising=False)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})

    return run


@pytest.fixture
def demo_db(cli, tmp_path):
    """Run 1: the 55 demo organizations scored and stored by `dangjian score`."""
    db = tmp_path / "demo.db"
    scored = cli("score", SCHEME, SEEDS / "evaluations.jsonl", "--orgs", SEEDS / "orgs.jsonl",
                 "--db", db, "-q")
    assert scored.exit_code == 0, scored.stderr
    return db


def runs_in(db) -> list[dict]:
    store = Store(db)
    try:
        return store.runs()
    finally:
        store.close()


def test_onsite_60_with_the_good_line_at_92_prints_the_matrix_and_who_loses_excellent(
        cli, demo_db):
    result = cli("whatif", 1, *ONSITE_60, "--set", "bands.好.min=92", "--db", demo_db)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "共 55 个组织：可比较 55 个，等次变化 1 个（升 0、降 1），不可比较 0 个" in text
    assert "│ 好                │ 33 │    1 │    · │  · │   34 │" in text
    assert "荣誉：年度考核优秀等次 │ 失去资格 │      1 │ 省医学会党支部" in text
    assert "jl-s02" in text and "92.11" in text and "91.52" in text and "-0.59" in text
    assert len(runs_in(demo_db)) == 1  # nothing stored


def test_the_per_organization_comparison_goes_to_csv_xlsx_or_jsonl(cli, demo_db, tmp_path):
    for name in ("对比.csv", "对比.xlsx", "对比.jsonl"):
        result = cli("whatif", 1, "--set", "bands.较好.min=85", "--db", demo_db,
                     "--out", tmp_path / name)
        assert result.exit_code == 0, result.stderr
        assert f"已写入 55 个组织的对比到 {tmp_path / name}" in result.stderr
    with open(tmp_path / "对比.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 55
    moved = {r["组织编号"]: r for r in rows if r["等次变化"] == "是"}
    assert sorted(moved) == ["jl-u04-b3", "jl-u08-b2"]
    assert moved["jl-u04-b3"]["原总分"] == "83.97" and moved["jl-u04-b3"]["新等次"] == "一般"
    assert moved["jl-u04-b3"]["新增的结果运用"] == "约谈、限期整改"
    sheet = load_workbook(tmp_path / "对比.xlsx", read_only=True).active
    values = list(sheet.values)
    assert values[0][:4] == ("组织编号", "组织名称", "原总分", "原等次") and len(values) == 56
    lines = [json.loads(line) for line in (tmp_path / "对比.jsonl").read_text().splitlines()]
    assert [line["org_id"] for line in lines if line["old_grade"] != line["new_grade"]] == [
        "jl-u04-b3", "jl-u08-b2"]


def test_save_stores_a_new_run_noted_as_rescored_from_the_first(cli, demo_db):
    result = cli("whatif", 1, "--set", "bands.较好.min=85", "--save", "--db", demo_db)
    assert result.exit_code == 0, result.stderr
    assert "推演结果已存为批次 2（由批次 1 推演）" in result.stderr
    saved, first = runs_in(demo_db)
    assert saved["id"] == 2 and saved["note"] == "由批次 1 推演"
    assert saved["grades"] == {"好": 34, "较好": 14, "一般": 5, "差": 2}
    assert first["grades"] == {"好": 34, "较好": 16, "一般": 3, "差": 2}


def test_last_years_run_under_the_2020_scheme_lists_the_missing_inputs(cli, demo_db):
    result = cli("whatif", 1, "jilin-health-2020", "--db", demo_db, "--top", 2)
    assert result.exit_code == 0, result.stderr
    assert "可比较 0 个" in result.stdout and "不可比较 55 个" in result.stdout
    assert "带头做到“两个维护”完成情况（p01）" in result.stdout
    assert "不可比较的组织（55 个，列出前 2 个）" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--set", "components.onsite.weight=0.6"],
     "components：各分项 权重×满分 合计90分，与方案满分100分不符"),
    (["--set", "components.onsite.wieght=0.6"], "components.onsite 下没有“wieght”"),
    (["--set", "bands.好.min=九十二"], "bands.好.min 的值应为数字，实为“九十二”"),
    ([], "请给出推演用的方案（编号或方案文件），或至少一处参数修改（路径=值）"),
])
def test_bad_changes_end_in_one_chinese_line_and_exit_1(cli, demo_db, args, message):
    result = cli("whatif", 1, *args, "--db", demo_db)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_run_is_named(cli, demo_db):
    result = cli("whatif", 7, "--set", "bands.好.min=92", "--db", demo_db)
    assert result.exit_code == 1 and "没有编号为 7 的评分批次" in result.stderr


def test_a_draft_scheme_file_needing_a_new_input_names_it_for_every_organization(
        cli, demo_db, catalog, tmp_path):
    installed = catalog.scheme(SCHEME).path
    draft = tmp_path / "draft.toml"
    draft.write_text(open(installed, encoding="utf-8").read().replace(
        'version = "2019.1"', 'version = "2020.0"') + '\n[[inputs]]\nname = "stars"\n'
        'title = "星级达标创建星级"\ntype = "integer"\nmin = 1\nmax = 5\n', encoding="utf-8")
    result = cli("whatif", 1, draft, "--db", demo_db, "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["target"]["version"] == "2020.0"
    assert (report["compared"], report["not_comparable"]) == (0, 55)
    assert report["missing_inputs"] == [{"name": "stars", "title": "星级达标创建星级", "count": 55}]
    assert report["not_comparable_orgs"][0]["reason"] == "缺少本方案要求的输入：星级达标创建星级"
