"""Golden cases: hand-computed expectations beside a scheme, checked with differences shown."""

from __future__ import annotations

import pytest
from dangjian.errors import InputFileError
from dangjian.tools.golden import golden_files, load_cases, run_golden

from .conftest import DATA


def _write(tmp_path, text, name="golden.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_golden_table_beside_the_scheme_file_is_found_and_passes(secretaries):
    assert golden_files(DATA / "secretaries.toml") == [DATA / "golden.toml"]
    report = secretaries.golden()
    assert [c.passed for c in report.cases] == [True, True, True]
    assert report.ok and "通过 3 个，失败 0 个" in report.text()


def test_a_wrong_expectation_fails_naming_expected_and_actual(secretaries, tmp_path):
    golden = _write(tmp_path, '''
[[cases]]
name = "现场评议95分、上级评议80分"
evaluation = { org_id = "g1", org = { type = "branch" }, inputs = { onsite = [95], superior = 80 } }
expect = { total = "90.00", grade = "较好", vetoes = ["integrity"], consequences = [] }
''')
    report = secretaries.golden(files=[golden])
    assert not report.ok
    differences = report.cases[0].differences
    assert "总分应为 90.00，实为 90.50" in differences
    assert "等次应为“较好”，实为“好”" in differences
    assert any(d.startswith("一票否决应为 [integrity]，实为 []") for d in differences)
    assert "✗ 现场评议95分、上级评议80分" in report.text()


def test_same_value_with_other_decimals_is_a_difference_with_a_hint(secretaries, tmp_path):
    golden = _write(tmp_path, '''
[[cases]]
name = "90.5"
evaluation = { org_id = "g1", org = { type = "branch" }, inputs = { onsite = [95], superior = 80 } }
expect = { total = "90.5" }
''')
    [case] = secretaries.golden(files=[golden]).cases
    assert case.differences == ["总分应为 90.5，实为 90.50（数值相同，但方案保留的小数位数不同）"]


def test_expected_rejection_that_scores_fails_and_unexpected_rejection_fails(secretaries, tmp_path):
    golden = _write(tmp_path, '''
[[cases]]
name = "应拒绝却评分"
evaluation = { org_id = "a", org = { type = "branch" }, inputs = { onsite = [95], superior = 80 } }
expect = { rejected = true }
[[cases]]
name = "意外拒绝"
evaluation = { org_id = "b", org = { type = "branch" }, inputs = { onsite = ["优"], superior = 80 } }
expect = { total = "90.50" }
[[cases]]
name = "拒绝原因不符"
evaluation = { org_id = "c", org = { type = "党组" }, inputs = { onsite = [95], superior = 80 } }
expect = { rejected = true, reason_contains = "评议人数" }
''')
    first, second, third = secretaries.golden(files=[golden]).cases
    assert first.differences == ["应被拒绝，实际得分90.50、等次“好”"]
    assert second.differences[0].startswith("被拒绝：") and "优" in second.differences[0]
    assert "不在本方案的适用范围内" in third.differences[0]


def test_honour_and_line_expectations(secretaries, tmp_path):
    golden = _write(tmp_path, '''
[[cases]]
name = "廉政问题：先进集体被否决"
evaluation = { org_id = "a", org = { type = "branch" }, inputs = { onsite = [95], superior = 80, integrity_problem = true } }
expect = { eligible = ["advanced_collective"], ineligible = ["excellent"], line_contains = "没有这句话" }
''')
    [case] = secretaries.golden(files=[golden]).cases
    assert "应可评定“先进集体”，实为不得评定（党风廉政建设出现问题）" in case.differences
    assert "应不得评定“年度考核优秀等次”，实为可以评定" in case.differences
    assert "没有一行说明包含“没有这句话”" in case.differences


def test_coverage_lists_what_the_cases_exercised_and_what_not(secretaries):
    coverage = {(i.kind, i.id): i for i in secretaries.golden().coverage}
    assert coverage[("band", "好")].covered and coverage[("band", "一般")].covered
    assert not coverage[("band", "较好")].covered and not coverage[("band", "差")].covered
    assert not coverage[("veto", "integrity")].covered
    assert coverage[("consequence", "talk")].covered
    assert coverage[("honour", "excellent")].covered  # seen granted (好) and refused (一般)
    assert not coverage[("honour", "advanced_collective")].covered
    assert coverage[("honour", "advanced_collective")].detail == "只见到“可以评定”"
    assert coverage[("method", "rating")].covered and coverage[("method", "number")].covered
    assert coverage[("reject", "reject")].covered
    text = secretaries.golden().text()
    assert "等次 2/4：✓好  ✗较好  ✓一般  ✗差" in text
    assert "未覆盖：" in text and "一票否决“党风廉政建设出现问题”" in text


def test_pattern_keeps_matching_cases_only(secretaries):
    report = secretaries.golden(pattern="拒绝")
    assert [c.name for c in report.cases] == ["没有评议人：拒绝"]
    assert report.selected_out == 2


def test_csv_golden_table_with_chinese_headers(secretaries, tmp_path):
    golden = _write(tmp_path, "用例,组织编号,组织类型,现场评议测评,上级党组织评议得分,期望总分,期望等次,期望否决,期望后果\n"
                    "两张好票,a1,党支部,好;好,80,90.50,好,无,无\n"
                    "一般票,a2,党支部,一般、一般,60,67.00,一般,无,talk\n"
                    ",a3,党支部,,80,,,,\n", "golden.csv")
    report = secretaries.golden(files=[golden])
    assert [c.name for c in report.cases] == ["两张好票", "一般票", "第4行"]
    assert [c.passed for c in report.cases] == [True, True, False]
    assert report.cases[2].differences[0].startswith("被拒绝：")


def test_xlsx_golden_table(secretaries, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "org_id", "org_type", "onsite", "superior", "expect_total",
                  "expect_grade", "expect_rejected", "expect_reason_contains"])
    sheet.append(["好票与95分", "x1", "branch", "好;95", 80, "90.50", "好", None, None])
    sheet.append(["没填现场评议", "x2", "branch", None, 80, None, None, "是", "缺少必填输入 onsite"])
    path = tmp_path / "golden.xlsx"
    book.save(path)
    report = secretaries.golden(files=[path])
    assert [c.passed for c in report.cases] == [True, True], report.text()


def test_total_written_as_a_number_is_refused_with_a_hint(tmp_path, secretaries):
    golden = _write(tmp_path, '''
[[cases]]
name = "总分写成数字"
evaluation = { org_id = "a", inputs = {} }
expect = { total = 90.5 }
''')
    with pytest.raises(InputFileError) as info:
        load_cases(golden, secretaries.scheme)
    assert info.value.field == "cases[0].expect.total"
    assert "带引号的字符串" in info.value.message and str(golden) in str(info.value)


def test_unknown_expectation_key_and_unknown_csv_column_are_refused(tmp_path, secretaries):
    golden = _write(tmp_path, '[[cases]]\nname = "x"\nevaluation = {org_id = "a"}\n'
                    'expect = { totl = "1" }\n')
    with pytest.raises(InputFileError, match="未知的键 totl"):
        load_cases(golden, secretaries.scheme)
    table = _write(tmp_path, "org_id,现场评分\na,95\n", "golden.csv")
    with pytest.raises(InputFileError, match="未知的列 现场评分"):
        load_cases(table, secretaries.scheme)


def test_run_golden_on_an_installed_plan_with_explicit_cases(dangjian_catalog, tmp_path):
    from .conftest import DATA as data

    class Plugin:
        from dangjian import hookimpl

        @hookimpl
        def register_schemes(self, register):
            register(data / "secretaries.toml")

    catalog = dangjian_catalog(Plugin())
    report = run_golden(catalog.plan("test-secretaries"))
    assert report.files == [str(DATA / "golden.toml")] and report.ok
