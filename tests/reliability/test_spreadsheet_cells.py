"""Every spreadsheet dangjian writes is safe to open: an org name or id that a spreadsheet would
run as a formula is text (OWASP CSV injection), numbers stay numbers, and a cell longer than
XLSX's 32,767 characters is never cut silently."""

from __future__ import annotations

import csv
import json

import pytest
from dangjian_shell.writers import RejectWriter
from openpyxl import load_workbook

from .conftest import SCHEME, no_traceback, run

PAYLOADS = ['=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0", "+1+1",
            "@SUM(1)", "-2+3", "\t=1+1"]


def evaluations(path, superior=80):
    rows = [{"org_id": payload, "org": {"name": payload, "type": "branch"},
             "inputs": {"onsite": [95, "好"], "superior": superior}} for payload in PAYLOADS]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def xlsx_rows(path):
    book = load_workbook(path)
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(min_row=2)]


def assert_text_cells(cells):
    """The payload cells are text cells holding exactly the payload, never formulas."""
    for cell, payload in zip(cells, PAYLOADS):
        assert cell.data_type == "s" and cell.value == payload
        assert cell.quotePrefix


def csv_rows(text):
    return list(csv.reader(text.splitlines()))[1:]


def test_score_and_results_write_formula_like_names_as_text(tmp_path):
    evaluations(tmp_path / "in.jsonl")
    proc = run("score", SCHEME, "in.jsonl", "--db", "runs.db", "--out", "out.xlsx", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = xlsx_rows(tmp_path / "out.xlsx")
    assert_text_cells([r[0] for r in rows])  # 组织编号
    assert_text_cells([r[1] for r in rows])  # 组织名称
    assert all(r[3].data_type == "n" and r[3].value == 90.5 for r in rows)  # 总分 stays a number

    proc = run("score", SCHEME, "in.jsonl", "--no-db", "--out", "out.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = csv_rows((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))
    assert [r[0] for r in rows] == ["'" + p for p in PAYLOADS]
    assert [r[1] for r in rows] == ["'" + p for p in PAYLOADS]
    assert {r[3] for r in rows} == {"90.50"}

    proc = run("results", "--db", "runs.db", "--out", "stored.xlsx", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert_text_cells([r[0] for r in xlsx_rows(tmp_path / "stored.xlsx")])
    proc = run("results", "--db", "runs.db", "--format", "csv", cwd=tmp_path)
    assert [r[0] for r in csv_rows(proc.stdout)] == ["'" + p for p in PAYLOADS]


def test_rejected_rows_write_formula_like_ids_as_text(tmp_path):
    evaluations(tmp_path / "in.jsonl", superior=101)
    proc = run("score", SCHEME, "in.jsonl", "--db", "runs.db", "--rejects", "rejects.xlsx",
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = xlsx_rows(tmp_path / "rejects.xlsx")
    assert_text_cells([r[2] for r in rows])
    assert [r[1].value for r in rows] == list(range(1, len(PAYLOADS) + 1))  # 行号: numbers

    proc = run("results", "--db", "runs.db", "--rejected", "--format", "csv", cwd=tmp_path)
    assert [r[2] for r in csv_rows(proc.stdout)] == ["'" + p for p in PAYLOADS]


def test_a_template_from_a_scheme_with_formula_like_titles_is_text(tmp_path):
    scheme = (tmp_path / "draft.toml")
    scheme.write_text('''
id = "draft"
title = "=1+1"
version = "1"
max = 100
[[inputs]]
name = "score"
title = "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"
example = "@SUM(1)"
type = "text"
[[criteria]]
id = "c"
title = "评分"
max = 100
method = "number"
input = "score"
[[bands]]
grade = "合格"
min = 0
''', encoding="utf-8")
    proc = run("template", "draft.toml", "--format", "xlsx", "--out", "t.xlsx", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    sheet = load_workbook(tmp_path / "t.xlsx").worksheets[0]
    header, example = list(sheet.iter_rows(max_row=2))
    title = header[-1]
    assert title.data_type == "s" and title.value.startswith("=HYPERLINK")
    assert example[-1].data_type == "s" and example[-1].value == "@SUM(1)"
    proc = run("template", "draft.toml", "--format", "csv", "--out", "-", cwd=tmp_path)
    header, example = csv_rows("x\n" + proc.stdout.lstrip("\ufeff"))[:2]
    assert header[-1].startswith("'=HYPERLINK") and example[-1] == "'@SUM(1)"


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_numbers_stay_numbers_and_numeric_text_is_left_alone(tmp_path, suffix):
    from dangjian.models import Reject

    writer = RejectWriter(tmp_path / f"r.{suffix}")
    writer.write(Reject(row=-2, source="-2", org_id="-2+3", field="+1", reason="-0.5"))
    writer.write(Reject(row=3, source="\r=1+1", org_id="=1", reason="-"))
    writer.close()
    if suffix == "csv":
        rows = list(csv.reader(open(tmp_path / "r.csv", encoding="utf-8-sig", newline="")))
        assert rows[1] == ["-2", "-2", "'-2+3", "+1", "-0.5"]
        assert rows[2] == ["'\r=1+1", "3", "'=1", "", "'-"]
    else:
        row = xlsx_rows(tmp_path / "r.xlsx")[0]
        assert [(c.data_type, c.value) for c in row] == [
            ("s", "-2"), ("n", -2), ("s", "-2+3"), ("s", "+1"), ("s", "-0.5")]
        assert [c.quotePrefix for c in row] == [False, False, True, False, False]


def test_a_cell_over_32767_characters_is_cut_visibly_and_the_command_says_so(tmp_path):
    long_name = "长" * 40_000
    (tmp_path / "in.jsonl").write_text(json.dumps(
        {"org_id": "o1", "org": {"name": long_name, "type": "branch"},
         "inputs": {"onsite": [95], "superior": 80}}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    proc = run("score", SCHEME, "in.jsonl", "--no-db", "--out", "out.xlsx", cwd=tmp_path)
    assert proc.returncode == 0 and no_traceback(proc.stderr), proc.stderr
    assert "1 个单元格超过 XLSX 的上限 32,767 个字符，已截断" in proc.stderr.replace("\n", "")
    name = xlsx_rows(tmp_path / "out.xlsx")[0][1].value
    assert len(name) == 32_767
    assert name.endswith("……【超过 XLSX 单元格上限 32,767 个字符，已截断；原文 40,000 个字符】")
    assert name.startswith("长" * 32_000)


def test_headers_from_a_scheme_are_neutralised_too(tmp_path):
    from dangjian_shell.writers import _Table
    from dangjian_shell.xlsx_style import text

    for suffix in ("xlsx", "csv"):
        table = _Table(tmp_path / f"h.{suffix}", suffix, [text("组织编号"), text("=1+1得分")],
                       "评分结果")
        table.append(["o1", -2])
        table.close()
    header = list(load_workbook(tmp_path / "h.xlsx").worksheets[0].iter_rows(max_row=1))[0]
    assert [(c.data_type, c.value) for c in header] == [("s", "组织编号"), ("s", "=1+1得分")]
    rows = list(csv.reader(open(tmp_path / "h.csv", encoding="utf-8-sig", newline="")))
    assert rows == [["组织编号", "'=1+1得分"], ["o1", "-2"]]
