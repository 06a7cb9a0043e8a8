"""Ranks in `dangjian results` and the result CSV/XLSX, and how the XLSX looks in Excel: widths,
a bold frozen header, an autofilter, one number format per column, 汇总 and 拒绝的行 sheets."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from .conftest import ORGS, SCHEME, SEEDS


def test_results_table_shows_ranks_and_states_the_tie_rule(runs):
    text = runs("results", "1", "--db", "runs.db", "--orgs", ORGS).stdout
    assert "名次" in text and "单位内名次" in text and "11（并列）" in text
    assert "总分相同者名次相同，其后名次顺延（如 1、2、2、4）" in text


def test_results_of_a_run_without_parents_rank_the_batch_and_say_how_to_get_units(flat):
    plain = flat("results", "--db", "flat.db").stdout
    assert "11（并列）" in plain and "单位内名次需要上级组织，可用 --orgs 组织名册给出" in plain
    ranked = flat("results", "--db", "flat.db", "--orgs", ORGS).stdout
    assert "单位内名次" in ranked and "省卫生健康委机关党委" in ranked


def test_equal_totals_share_a_rank_in_the_csv_and_the_next_rank_skips(runs):
    rows = list(csv.DictReader(io.StringIO(
        runs("results", "1", "--db", "runs.db", "--orgs", ORGS, "-f", "csv").stdout)))
    by_id = {r["组织编号"]: r for r in rows}
    assert [(by_id[o]["总分"], by_id[o]["名次"], by_id[o]["单位内名次"])
            for o in ("jl-b04", "jl-u04", "jl-b05")] == [
        ("94.22", "11", "4"), ("94.22", "11", "4"), ("94.13", "13", "6")]
    assert by_id["jl-b12"]["名次"] == "1" and by_id["jl-s03"]["名次"] == "55"
    assert by_id["jl-u01-b3"]["上级组织"] == "省第一人民医院党委"
    assert by_id["jl-jgdw"]["单位内名次"] == ""


def test_a_filtered_listing_keeps_the_ranks_of_the_whole_run(runs):
    rows = list(csv.DictReader(io.StringIO(
        runs("results", "1", "--db", "runs.db", "--grade", "差", "-f", "csv").stdout)))
    assert [(r["组织编号"], r["名次"]) for r in rows] == [("jl-u07-b1", "54"), ("jl-s03", "55")]


def test_scoring_to_csv_ranks_the_batch_and_the_units_from_the_registry(cli):
    result = cli("score", SCHEME, SEEDS / "evaluations.jsonl", "--orgs", ORGS, "--no-db",
                 "--out", "结果.csv", "-q")
    assert result.exit_code == 0, result.output
    with open("结果.csv", encoding="utf-8-sig", newline="") as f:
        by_id = {r["组织编号"]: r for r in csv.DictReader(f)}
    assert (by_id["jl-u04"]["名次"], by_id["jl-u04"]["单位内名次"]) == ("11", "4")
    assert by_id["jl-u02-b4"]["名次"] == by_id["jl-u05-b3"]["名次"] == "15"


@pytest.fixture
def book(runs):
    result = runs("results", "2", "--db", "runs.db", "--orgs", ORGS, "--out", "结果.xlsx")
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook("结果.xlsx")


def test_result_xlsx_has_the_results_a_summary_and_the_rejects(book):
    assert book.sheetnames == ["评分结果", "汇总", "拒绝的行"]


def test_result_sheet_has_widths_a_bold_frozen_header_and_an_autofilter(book):
    sheet = book["评分结果"]
    header = [cell.value for cell in sheet[1]]
    assert header[:10] == ["组织编号", "组织名称", "组织类型", "总分", "满分", "等次", "按分数等次",
                           "名次", "上级组织", "单位内名次"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}56"
    width = {title: sheet.column_dimensions[get_column_letter(i)].width
             for i, title in enumerate(header, 1)}
    assert width["组织名称"] == 28 and width["上级组织"] == 24 and width["总分"] >= 9


def test_each_result_column_has_one_number_format(book):
    sheet = book["评分结果"]
    header = [cell.value for cell in sheet[1]]
    formats = {title: {row[i].number_format for row in sheet.iter_rows(min_row=2)}
               for i, title in enumerate(header)}
    assert formats["总分"] == {"0.00"} and formats["满分"] == {"0.00"}
    assert formats["述评现场评议测评得分"] == {"0.00"} and formats["名次"] == {"0"}
    row = {title: cell.value for title, cell in zip(header, sheet[2])}
    assert (row["组织编号"], row["总分"], row["等次"], row["名次"]) == (
        "jl-jgdw", pytest.approx(86.29), "较好", 38)
    b06 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "jl-b06")
    assert (b06[3], b06[7], b06[8], b06[9]) == (pytest.approx(97.43), 1, "省卫生健康委机关党委", 1)


def test_summary_sheet_counts_grades_in_grade_order(book):
    rows = [tuple(c for c in row if c is not None)
            for row in book["汇总"].iter_rows(values_only=True)]
    facts = {row[0]: row[1] for row in rows if len(row) == 2}
    assert facts["批次"] == 2 and facts["方案编号"] == SCHEME and facts["方案版本"] == "2019.1"
    assert facts["读入行数"] == 56 and facts["评分个数"] == 55 and facts["拒绝行数"] == 1
    assert facts["方案"].startswith("2019年度吉林省卫生健康委") and facts["评分时间"]
    start = rows.index(("等次", "个数", "占比"))
    assert rows[start + 1:start + 5] == [("好", 30, "54.5%"), ("较好", 19, "34.5%"),
                                         ("一般", 4, "7.3%"), ("差", 2, "3.6%")]
    assert "其后名次顺延" in facts["名次规则"]


def test_rejects_sheet_names_the_column_by_its_chinese_title(book):
    sheet = book["拒绝的行"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("文件", "行号", "组织编号", "字段", "原因")
    assert rows[1][1:4] == (56, "jl-b99", "上级党组织评议得分")
    assert "超过上限" in rows[1][4] and sheet.auto_filter.ref == "A1:E2"
    assert sheet["A1"].font.bold


def test_explanation_column_only_on_request(catalog, tmp_path):
    from dangjian.store.storage import Store
    from dangjian_shell.writers import ResultColumns, ResultWriter

    store = Store(tmp_path / "runs.db")
    plan = catalog.plan(SCHEME)
    from dangjian.store.runner import RunInput, run_meta, score_run
    from dangjian_shell.orgs import read_orgs

    registry = {o.id: o for o in read_orgs(ORGS)}
    records = enumerate((SEEDS / "evaluations.jsonl").read_bytes().splitlines()[:3], 1)
    score_run(plan, [RunInput(records, None)], store=store, meta=run_meta(plan), registry=registry)
    for explain, path in ((False, tmp_path / "plain.xlsx"), (True, tmp_path / "explained.xlsx")):
        writer = ResultWriter(path, ResultColumns(plan.scheme, catalog, explain=explain))
        for result in store.results(1, with_lines=True):
            writer.write(result)
        writer.close()
    store.close()
    assert "得分说明" not in [c.value for c in openpyxl.load_workbook(tmp_path / "plain.xlsx")
                          ["评分结果"][1]]
    sheet = openpyxl.load_workbook(tmp_path / "explained.xlsx")["评分结果"]
    assert sheet.cell(1, sheet.max_column).value == "得分说明"
    text = sheet.cell(2, sheet.max_column).value
    assert "权重70%" in text and sheet.cell(2, sheet.max_column).alignment.wrap_text


def test_scoring_to_xlsx_lists_the_counts_and_its_rejects(cli, tmp_path):
    """The file is complete before the run is stored (so a kill between the two never leaves a
    stored run without its file): its summary has the counts; the run's number is in `runs`."""
    from .conftest import later_evaluations

    result = cli("score", SCHEME, later_evaluations(tmp_path / "later.jsonl"), "--orgs", ORGS,
                 "--db", "runs.db", "--out", "结果.xlsx", "-q")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook("结果.xlsx")
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True) if row[0]}
    assert (summary["评分个数"], summary["拒绝行数"]) == (55, 1) and "批次" not in summary
    assert summary["方案编号"] == SCHEME
    rejects = list(book["拒绝的行"].iter_rows(values_only=True))
    assert rejects[1][1:4] == (56, "jl-b99", "上级党组织评议得分")
    ranks = {row[0]: row[7] for row in book["评分结果"].iter_rows(min_row=2, values_only=True)}
    assert ranks["jl-b06"] == 1 and len(ranks) == 55
