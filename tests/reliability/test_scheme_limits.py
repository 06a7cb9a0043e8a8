"""`dangjian check` refuses schemes no one can mean (NaN or infinite maxima, min > max, negative
maxima, numbers of thousands of digits, trees hundreds deep, arrays nested 100,000 deep) with a
Chinese message naming the field, never "内部错误"; bands are checked in n log n time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dangjian import load_catalog
from dangjian.catalogue.check import check_scheme
from dangjian.errors import SchemeError
from dangjian.catalogue.loading import decode_scheme
from dangjian.scheme import Band
from typer.testing import CliRunner

BASE = '''id = "t"
title = "临时方案"
version = "1"
max = 10
[[inputs]]
name = "a"
title = "甲"
min = 0
max = 10
[[criteria]]
id = "c"
title = "丙"
max = 10
method = "number"
input = "a"
[[bands]]
grade = "合格"
min = 0
'''


def deep_tree(depth: int) -> str:
    head = BASE.split("[[criteria]]")[0]
    tables = "".join(f'[[{".".join(["criteria", *["children"] * d])}]]\nid = "n{d}"\n'
                     f'title = "第{d}层"\n' for d in range(depth))
    return head + tables + '[[bands]]\ngrade = "合格"\nmin = 0\n'


CASES = [
    ("nan-max", BASE.replace("max = 10\n[[inputs]]", "max = nan\n[[inputs]]"),
     "max", "应为有限的数，实为 NaN"),
    ("inf-max", BASE.replace("max = 10\n[[inputs]]", "max = inf\n[[inputs]]"),
     "max", "应为有限的数，实为 Infinity"),
    ("inf-criterion", BASE.replace("max = 10\nmethod", "max = inf\nmethod"),
     "criteria.c.max", "应为有限的数，实为 Infinity"),
    ("negative-criterion", BASE.replace("max = 10\nmethod", "max = -5\nmethod"),
     "criteria.c.max", "不能为负数（实为 -5）"),
    ("negative-scheme", BASE.replace("max = 10\n[[inputs]]", "max = -10\n[[inputs]]"),
     "max", "不能为负数（实为 -10）"),
    ("min-over-max", BASE.replace("min = 0\nmax = 10", "min = 20\nmax = 10"),
     "inputs.a", "下限 min 20 大于上限 max 10"),
    ("huge-band", BASE.replace("min = 0\n", "min = 1e300\n").replace("min = 1e300\nmax", "min = 0\nmax"),
     "bands.合格.min", "数值过大（1.000E+300），应小于 10 亿"),
]


@pytest.mark.parametrize(("name", "text", "field", "message"), CASES,
                         ids=[case[0] for case in CASES])
def test_numbers_no_scheme_can_mean_are_errors_naming_the_field(name, text, field, message):
    scheme = decode_scheme(text.encode(), file=f"{name}.toml")
    errors = [(f.where, f.message) for f in check_scheme(scheme, load_catalog())
              if f.level == "error"]
    assert errors == [(field, message)]


UNREADABLE = [
    ("digits", BASE.replace("max = 10\n[[inputs]]", f"max = {'9' * 5000}\n[[inputs]]"),
     "toml", "max", "第 4 行：数字超过 100 位，无法作为方案读取"),
    ("deep-tree", deep_tree(500), "toml",
     "criteria[0].children[0].children[0].children[0]…（第 65 层）",
     "嵌套超过 64 层，无法作为方案读取"),
    ("nested-toml", BASE + "[extra]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", "toml",
     "x", "第 20 行：数组或表嵌套超过 64 层，无法作为方案读取"),
    ("nested-json", '{"id": "t", "title": "x", "version": "1", "extra": {"x": '
     + "[" * 100_000 + "]" * 100_000 + "}}", "json",
     "x", "第 1 行：数组或表嵌套超过 64 层，无法作为方案读取"),
    ("interleaved-json", '{"id": "t", "title": "x", "version": "1", "extra": {"x": '
     + "[1, " * 100 + "1" + "]" * 100 + "}}", "json",
     "extra.x[1][1][1][1][1][1]…（第 65 层）", "嵌套超过 64 层，无法作为方案读取"),
]


@pytest.mark.parametrize(("name", "text", "fmt", "field", "message"), UNREADABLE,
                         ids=[case[0] for case in UNREADABLE])
def test_files_that_would_exhaust_the_decoder_are_refused_naming_where(name, text, fmt, field,
                                                                      message):
    with pytest.raises(SchemeError) as caught:
        decode_scheme(text.encode(), file=f"{name}.{fmt}", fmt=fmt)
    assert (caught.value.field, caught.value.message) == (field, message)


@pytest.mark.parametrize(("name", "text", "fmt"),
                         [(c[0], c[1], "toml") for c in CASES] + [c[:3] for c in UNREADABLE],
                         ids=[c[0] for c in CASES] + [c[0] for c in UNREADABLE])
def test_dangjian_check_refuses_them_with_exit_1_never_an_internal_error(tmp_path, monkeypatch,
                                                                        name, text, fmt):
    from dangjian_shell.cli import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / f"{name}.{fmt}").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", f"{name}.{fmt}"], env={"COLUMNS": "300"})
    assert result.exit_code == 1, result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert "错误" in result.output


class Grade(str):
    """A grade that counts how often it is compared."""

    comparisons = 0

    def __eq__(self, other):
        Grade.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_bands_are_checked_in_n_log_n_comparisons_not_quadratic():
    scheme = decode_scheme(BASE.encode(), file="t.toml")
    n = 5_000
    bands = [Band(grade=Grade(f"g{i}"), min=Decimal(i), below=Decimal(i + 1) if i < n - 1 else None)
             for i in range(n)]
    many = decode_scheme(BASE.replace("max = 10\n[[inputs]]", f"max = {n}\n[[inputs]]").encode(),
                         file="t.toml")
    import msgspec

    many = msgspec.structs.replace(many, bands=bands)
    Grade.comparisons = 0
    findings = check_scheme(many, load_catalog())
    assert [f for f in findings if f.level == "error"] == []
    assert Grade.comparisons < 20 * n  # quadratic was n² / 2 = 12,500,000
    assert scheme.bands[0].grade == "合格"


def test_a_hundred_thousand_bands_check_without_error():
    n = 100_000
    text = BASE.replace("max = 10\n[[inputs]]", f"max = {n}\n[[inputs]]").split("[[bands]]")[0]
    text += "".join(f'[[bands]]\ngrade = "g{i}"\nmin = {i}\nbelow = {i + 1}\n'
                    for i in range(n - 1)) + f'[[bands]]\ngrade = "g{n - 1}"\nmin = {n - 1}\n'
    scheme = decode_scheme(text.encode(), file="many.toml")
    findings = check_scheme(scheme, load_catalog())
    assert [f.message for f in findings if f.level == "error"] == []
