"""A broken or hostile XLSX file: one unreadable cell rejects its row (file, row, column), a
broken file is refused as "不是有效的 XLSX 文件" with exit 1, and a file that unpacks to far more
than it looks (a zip bomb, a huge string, millions of shared strings) is refused before it is
parsed. Never "内部错误", never a traceback, also under a memory limit.

The files are written part by part (`xlsx_parts`), with exactly the XML an attacker would send.
"""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from .conftest import SCHEME, no_traceback, run
from .xlsx_parts import cell, row, shared, sheet, write_xlsx

HEADER = row(1, [cell("A1", "org_id"), cell("B1", "org_type"), cell("C1", "onsite"),
                 cell("D1", "superior")])


def good(number: int, org_id: str) -> str:
    return row(number, [cell(f"A{number}", org_id), cell(f"B{number}", "branch"),
                        cell(f"C{number}", "95;好"), cell(f"D{number}", 80)])


def with_superior(number: int, org_id: str, superior: str) -> str:
    return row(number, [cell(f"A{number}", org_id), cell(f"B{number}", "branch"),
                        cell(f"C{number}", "95;好"), superior])


def score(tmp_path, name: str, env: dict | None = None, prefix: list[str] | None = None):
    proc = run("score", SCHEME, name, "--db", "runs.db", "--rejects", "rejects.jsonl", "--json",
               cwd=tmp_path, env=env, prefix=prefix)
    assert no_traceback(proc.stdout + proc.stderr), proc.stderr
    assert "内部错误" not in proc.stderr
    return proc


def test_each_unreadable_cell_rejects_its_row_naming_file_row_and_column(tmp_path):
    rows = [HEADER, good(2, "ok1"),
            with_superior(3, "nan", '<c r="D3"><v>NaN</v></c>'),
            with_superior(4, "inf", '<c r="D4"><v>INF</v></c>'),
            with_superior(5, "garbage", '<c r="D5"><v>garbage</v></c>'),
            with_superior(6, "no-string", '<c r="D6" t="s"><v>999</v></c>'),
            with_superior(7, "not-a-date", '<c r="D7" t="d"><v>notadate</v></c>'),
            with_superior(8, "far-right", '<c r="ZZZZZ8"><v>80</v></c>'),
            with_superior(9, "huge", '<c r="D9"><v>1e400</v></c>'),
            with_superior(10, "long-int", f'<c r="D10"><v>{"9" * 5000}</v></c>'),
            good(11, "ok2")]
    write_xlsx(tmp_path / "in.xlsx", sheet(rows), shared(["a"]))
    proc = score(tmp_path, "in.xlsx")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["read"], summary["scored"], summary["rejected"]) == (10, 2, 8)
    rejects = [json.loads(line) for line in
               (tmp_path / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    got = [(r["row"], r["org_id"], r["field"], r["reason"]) for r in rejects]
    unreadable = "D 列（superior）的单元格无法读取："
    assert got == [
        (3, "nan", "inputs.superior", unreadable + "数值“NaN”不是有限的数字"),
        (4, "inf", "inputs.superior", unreadable + "数值“INF”不是有限的数字"),
        (5, "garbage", "inputs.superior", unreadable + "数值“garbage”不是有限的数字"),
        (6, "no-string", "inputs.superior", unreadable + "共享字符串编号“999”不存在"),
        (7, "not-a-date", "inputs.superior", unreadable + "日期“notadate”无效"),
        (8, "far-right", "inputs.superior", unreadable + "单元格位置“ZZZZZ8”无效"),
        (9, "huge", "inputs.superior", unreadable + "数值“1e400”不是有限的数字"),
        (10, "long-int", "inputs.superior", unreadable + f"数值“{'9' * 40}”不是有限的数字"),
    ]
    assert all(r["source"] == "in.xlsx" for r in rejects)


def test_an_overlong_shared_string_rejects_only_the_rows_using_it(tmp_path):
    rows = [HEADER, good(2, "ok1"),
            with_superior(3, "long", '<c r="D3" t="s"><v>0</v></c>'), good(4, "ok2")]
    write_xlsx(tmp_path / "in.xlsx", sheet(rows), shared(["8" * 40_000]))
    proc = score(tmp_path, "in.xlsx")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["scored"] == 2
    reject = json.loads((tmp_path / "rejects.jsonl").read_text(encoding="utf-8"))
    assert reject["row"] == 3
    assert reject["reason"].endswith("单元格超过 32,767 个字符（40,000 个）")


@pytest.mark.parametrize(("name", "sheet_xml", "message"), [
    ("dtd", sheet([HEADER, good(2, "o1")],
                  prolog='<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'),
     "xl/worksheets/sheet1.xml 含有 DTD 声明（可能是 XML 实体攻击），拒绝读取"),
    ("truncated", sheet([HEADER, good(2, "o1")])[:-30],
     "xl/worksheets/sheet1.xml 不是完好的 XML"),
])
def test_a_hostile_or_broken_sheet_refuses_the_file_with_exit_1(tmp_path, name, sheet_xml,
                                                                message):
    write_xlsx(tmp_path / f"{name}.xlsx", sheet_xml)
    proc = score(tmp_path, f"{name}.xlsx")
    assert proc.returncode == 1
    assert f"不是有效的 XLSX 文件：{message}" in proc.stderr.replace("\n", "")
    assert f"{name}.xlsx" in proc.stderr


def test_a_file_that_is_not_a_workbook_is_refused_with_exit_1(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w") as z:
        z.writestr("hello.txt", "not a workbook")
    proc = score(tmp_path, "empty.xlsx")
    assert proc.returncode == 1
    assert "不是有效的 XLSX 文件：缺少工作簿" in proc.stderr


def spaces(total: int, chunk: int = 1 << 20):
    """A sheet that is almost all whitespace: tiny compressed, `total` bytes unpacked."""
    yield sheet([HEADER]).split("<sheetData>")[0].encode() + b"<sheetData>"
    for _ in range(total // chunk):
        yield b" " * chunk
    yield b"</sheetData></worksheet>"


def test_a_zip_bomb_is_refused_by_its_ratio_before_parsing_with_the_default_limits(tmp_path):
    write_xlsx(tmp_path / "bomb.xlsx", spaces(64 << 20))
    assert (tmp_path / "bomb.xlsx").stat().st_size < 200_000
    proc = score(tmp_path, "bomb.xlsx", prefix=["prlimit", f"--as={512 << 20}"])
    assert proc.returncode == 1
    assert ("XLSX 文件中的 xl/worksheets/sheet1.xml 压缩比超过 100 倍，疑似压缩炸弹，拒绝读取"
            "（上限可用环境变量 DANGJIAN_XLSX_MAX_RATIO 调整）") in proc.stderr.replace("\n", "")


def test_the_unpacked_size_is_bounded_even_when_the_ratio_is_allowed(tmp_path):
    write_xlsx(tmp_path / "big.xlsx", spaces(3 << 20))
    env = {"DANGJIAN_XLSX_MAX_BYTES": str(2 << 20), "DANGJIAN_XLSX_MAX_RATIO": "100000"}
    proc = score(tmp_path, "big.xlsx", env=env)
    assert proc.returncode == 1
    assert "XLSX 文件解压后超过 2 MiB，疑似压缩炸弹" in proc.stderr.replace("\n", "")


def test_millions_of_shared_strings_are_refused_at_the_limit(tmp_path):
    write_xlsx(tmp_path / "strings.xlsx", sheet([HEADER, good(2, "o1")]),
               shared(str(i) for i in range(1001)))
    proc = score(tmp_path, "strings.xlsx", env={"DANGJIAN_XLSX_MAX_STRINGS": "1000"})
    assert proc.returncode == 1
    assert "XLSX 文件中的共享字符串超过 1,000 个" in proc.stderr
    proc = score(tmp_path, "strings.xlsx", env={"DANGJIAN_XLSX_MAX_STRINGS": "1001"})
    assert proc.returncode == 0, proc.stderr


def test_a_huge_string_is_read_in_bounded_memory_under_a_memory_limit(tmp_path):
    """A 256 MiB shared string (the ratio check switched off) under a 512 MiB address space:
    the row using it is rejected, the others are scored."""
    header = sheet([HEADER]).split("<sheetData>")[0]
    rows = [HEADER, good(2, "ok1"), with_superior(3, "huge", '<c r="D3" t="s"><v>0</v></c>')]

    def strings():
        yield (header.replace("worksheet", "sst") + "<si><t>").replace("<sheetData>", "")
        for _ in range(256):
            yield "8" * (1 << 20)
        yield "</t></si></sst>"

    write_xlsx(tmp_path / "huge.xlsx", sheet(rows), "".join(strings()))
    env = {"DANGJIAN_XLSX_MAX_RATIO": "1000000", "DANGJIAN_XLSX_MAX_BYTES": str(1 << 30)}
    proc = score(tmp_path, "huge.xlsx", env=env, prefix=["prlimit", f"--as={512 << 20}"])
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["scored"], summary["rejected"]) == (1, 1)


def test_a_small_file_is_read_under_the_same_memory_limit(tmp_path):
    """The limit of the test above leaves room for the command itself."""
    book = Workbook()
    book.active.append(["org_id", "org_type", "onsite", "superior"])
    book.active.append(["o1", "branch", "95", 80])
    book.save(tmp_path / "small.xlsx")
    proc = score(tmp_path, "small.xlsx", prefix=["prlimit", f"--as={512 << 20}"])
    assert proc.returncode == 0, proc.stderr


def test_unreadable_cells_in_org_and_activity_files_name_file_row_and_column(tmp_path):
    orgs = [row(1, [cell("A1", "id"), cell("B1", "name"), cell("C1", "type")]),
            row(2, [cell("A2", "o1"), cell("B2", "一支部"), cell("C2", "branch")]),
            row(3, [cell("A3", "o2"), '<c r="B3" t="s"><v>7</v></c>', cell("C3", "branch")])]
    write_xlsx(tmp_path / "orgs.xlsx", sheet(orgs))
    (tmp_path / "in.jsonl").write_text(json.dumps(
        {"org_id": "o1", "inputs": {"onsite": [95], "superior": 80}}) + "\n", encoding="utf-8")
    proc = run("score", SCHEME, "in.jsonl", "--orgs", "orgs.xlsx", "--no-db", cwd=tmp_path)
    assert proc.returncode == 1 and no_traceback(proc.stderr)
    message = proc.stderr.replace("\n", "")
    assert "orgs.xlsx" in message and "3" in message
    assert "B 列（name）的单元格无法读取：共享字符串编号“7”不存在" in message

    acts = [row(1, [cell("A1", "org_id"), cell("B1", "kind"), cell("C1", "date")]),
            row(2, [cell("A2", "o1"), cell("B2", "主题党日"), '<c r="C2" t="d"><v>notadate</v></c>'])]
    write_xlsx(tmp_path / "acts.xlsx", sheet(acts))
    evaluation = {"org_id": "o1", "org": {"type": "branch"},
                  "inputs": {"onsite": [95], "superior": 80}}
    (tmp_path / "in.jsonl").write_text(json.dumps(evaluation) + "\n", encoding="utf-8")
    proc = run("score", SCHEME, "in.jsonl", "--activities", "acts.xlsx", "--no-db",
               "--rejects", "r.jsonl", "--json", cwd=tmp_path)
    assert proc.returncode == 0 and no_traceback(proc.stderr), proc.stderr
    assert json.loads(proc.stdout)["rejected"] == 1
    reason = json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8"))["reason"]
    assert "acts.xlsx 第 2 行：C 列（date）的单元格无法读取：日期“notadate”无效" in reason


def test_a_zip_directory_that_understates_a_size_is_caught_while_unpacking(tmp_path):
    import struct
    import zipfile

    path = write_xlsx(tmp_path / "liar.xlsx", "".join(
        part.decode() for part in spaces(3 << 20)))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    local = info.header_offset
    name = b"xl/worksheets/sheet1.xml"
    struct.pack_into("<I", data, local + 22, 1000)  # local header: uncompressed size
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46:entry + 46 + len(name)] != name:
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 24, 1000)  # central directory: uncompressed size
    path.write_bytes(bytes(data))
    proc = score(tmp_path, "liar.xlsx")
    assert proc.returncode == 1
    assert "不是有效的 XLSX 文件：xl/worksheets/sheet1.xml" in proc.stderr.replace("\n", "")
