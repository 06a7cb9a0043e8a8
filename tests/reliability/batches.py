"""Generated input batches for the Jilin 2019 scheme, each row knowing what must become of it.

A row is good (it must be scored) or carries one fault (it must be rejected, naming its row
and the field at fault). The same rows are written as JSONL, CSV (UTF-8, UTF-8 with BOM or GBK)
or XLSX, with blank lines, duplicate organization ids and 100 KB strings mixed in.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

FLAGS = {"integrity_problem": "党风廉政建设出现问题", "many_problems": "党建工作问题较多",
         "poor_mass_appraisal": "群众评议较差", "serious": "情况严重"}
COLUMNS = {"org_id": "组织编号", "name": "组织名称", "type": "组织类型",
           "onsite": "现场评议测评", "superior": "上级党组织评议得分", **FLAGS}
TYPES = ["branch", "committee", "general_branch", "organ_committee",
         "党支部", "党委", "党总支", "机关党委"]
LABELS = ["好", "较好", "一般", "差"]
GBK_TEXT = "党支部委员会财务处人事科第一二三四五六七八九十医院中心卫生健康ABC123"
LONG = "长" * 100_000
XLSX_CELL_LIMIT = 32_767
"""An XLSX cell holds at most 32,767 characters (the format's limit, enforced by openpyxl)."""


class Raw(str):
    """A value written into JSON as it is, not quoted: NaN, 1e400, a truncated object."""


@dataclass
class Row:
    org_id: Any
    name: str
    type: str
    onsite: Any
    superior: Any
    flags: dict[str, Any] = dataclasses.field(default_factory=dict)
    fault: str = ""
    field: str | None = None       # the field a reject must name (None: no field)
    reason: str | None = None      # a part of the reason a reject must give
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)      # more top-level JSON keys
    extra_inputs: dict[str, Any] = dataclasses.field(default_factory=dict)
    extra_cell: str | None = None  # a cell beyond the header (CSV, XLSX)
    line: bytes | None = None      # the whole JSONL line, when the fault is below JSON

    @property
    def rejected(self) -> bool:
        return bool(self.fault)


# -- strategies -------------------------------------------------------------------------
names = st.one_of(st.text(GBK_TEXT, min_size=1, max_size=12),
                  st.sampled_from(["财务处党支部", "第一党支部", LONG]))
rating = st.one_of(st.integers(0, 100), st.sampled_from(LABELS),
                   st.integers(0, 1000).map(lambda n: n / 10))
superior = st.one_of(st.integers(0, 100), st.integers(0, 1000).map(lambda n: n / 10))
flag_values = st.dictionaries(st.sampled_from(list(FLAGS)), st.booleans(), max_size=4)


@st.composite
def good_rows(draw, n: int) -> Row:
    return Row(org_id=f"o{n}", name=draw(names), type=draw(st.sampled_from(TYPES)),
               onsite=draw(st.lists(rating, min_size=1, max_size=5)), superior=draw(superior),
               flags=draw(flag_values))


COMMON_FAULTS = ["superior_text", "superior_range", "superior_nan", "onsite_bad",
                 "onsite_missing", "superior_missing", "flag_bad", "type_unknown",
                 "type_missing", "org_id_missing"]
JSONL_FAULTS = ["overflow", "unknown_field", "unknown_input", "wrong_type", "broken",
                "not_object", "gbk_line", "too_deep"]
TABLE_FAULTS = ["extra_cell"]


def faults_of(kind: str) -> list[str]:
    return COMMON_FAULTS + (JSONL_FAULTS if kind == "jsonl" else TABLE_FAULTS)


@st.composite
def faulty_rows(draw, n: int, kind: str, fault: str | None = None) -> Row:
    row = draw(good_rows(n))
    row.fault = fault = fault or draw(st.sampled_from(faults_of(kind)))
    if fault == "superior_text":
        row.superior, row.field = draw(st.sampled_from(["很好", "九十", "80分", "x" * 100_000])), \
            "inputs.superior"
    elif fault == "superior_range":
        row.superior = draw(st.one_of(st.integers(101, 10**24), st.integers(-10**24, -1),
                                      st.sampled_from([100.01, -0.5, 1e20])))
        row.field = "inputs.superior"
    elif fault == "superior_nan":
        row.superior = Raw(draw(st.sampled_from(["NaN", "Infinity", "-Infinity"])))
        row.field = "inputs.superior"
    elif fault == "onsite_bad":
        bad = draw(st.sampled_from(["优秀", 101, -5, "很差"]))
        at = draw(st.integers(0, len(row.onsite)))
        row.onsite = [*row.onsite[:at], bad, *row.onsite[at:]]
        row.field = "inputs.onsite"
    elif fault == "onsite_missing":
        row.onsite, row.field = None, "inputs.onsite"
    elif fault == "superior_missing":
        row.superior, row.field = None, "inputs.superior"
    elif fault == "flag_bad":
        flag = draw(st.sampled_from(list(FLAGS)))
        row.flags[flag] = draw(st.sampled_from(["也许", "不清楚", "2"]))
        row.field = f"inputs.{flag}"
    elif fault == "type_unknown":
        row.type, row.field = draw(st.sampled_from(["地球", "党小组", "party_cell"])), "org.type"
    elif fault == "type_missing":
        row.type, row.field = "", "org.type"
    elif fault == "org_id_missing":
        row.org_id, row.field = None, "org_id"
    elif fault == "overflow":
        if draw(st.booleans()):
            row.superior, row.field = Raw("1e400"), "inputs.superior"
        else:
            row.onsite = [*row.onsite, Raw("-1e999")]
            row.field = f"inputs.onsite[{len(row.onsite) - 1}]"
    elif fault == "unknown_field":
        key = draw(st.sampled_from(["orgid", "score", "备注"]))
        row.extra[key], row.field = "x", key
    elif fault == "unknown_input":
        key = draw(st.sampled_from(["bonus", "现场", "superiour"]))
        row.extra_inputs[key], row.field = 5, f"inputs.{key}"
    elif fault == "wrong_type":
        choice = draw(st.sampled_from(["org_id", "inputs", "org"]))
        if choice == "org_id":
            row.org_id = n
        else:
            row.extra[choice] = [1, 2] if choice == "inputs" else "党支部"
        row.field = choice
    elif fault == "broken":
        text = jsonl_bytes(row)
        cut = draw(st.integers(1, len(text) - 1))
        row.line = text[:cut] if draw(st.booleans()) else text + b" }"
        row.reason = "JSON"
    elif fault == "not_object":
        row.line = draw(st.sampled_from([b"[1, 2]", b'"o1"', b"null", b"42", b"true"]))
        row.reason = "类型应为 object"
    elif fault == "gbk_line":
        # 党 is B5 B3 in GBK: B5 cannot start a UTF-8 character, so the line is never UTF-8.
        row.name = "党" + draw(st.text(GBK_TEXT[:20], max_size=8))
        row.line = jsonl_text(row).encode("gbk")
        row.reason = "不是 UTF-8 编码"
    elif fault == "too_deep":
        depth = draw(st.sampled_from([100_000, 200_000]))  # beyond any recursion limit
        row.line = (f'{{"org_id":"{row.org_id}","inputs":{{"onsite":' + "[" * depth
                    + "]" * depth + "}}").encode()
        row.reason = "嵌套过深"
    elif fault == "extra_cell":
        row.extra_cell, row.reason = draw(st.sampled_from(["多余", "1", "x" * 1000])), \
            "本行比表头多出数据"
    return row


@st.composite
def batches(draw, kind: str) -> list[Row]:
    """1–12 rows, about one in three faulty, some reusing an earlier organization id."""
    rows: list[Row] = []
    for n in range(1, draw(st.integers(1, 12)) + 1):
        row = draw(st.one_of(good_rows(n), faulty_rows(n, kind)) if draw(st.integers(0, 2))
                   else faulty_rows(n, kind))
        earlier = [r.org_id for r in rows if isinstance(r.org_id, str)]
        if earlier and isinstance(row.org_id, str) and draw(st.integers(0, 5)) == 0:
            row.org_id = draw(st.sampled_from(earlier))
        if kind == "xlsx" and row.name == LONG:
            row.name = LONG[:XLSX_CELL_LIMIT]
        if not row.rejected and row.org_id in {r.org_id for r in rows if not r.rejected}:
            # an organization already scored in this batch: the later row is rejected
            row.fault, row.field, row.reason = "duplicate", "org_id", "重复"
        rows.append(row)
    return rows


# -- writing ------------------------------------------------------------------------------
def _json_value(value: Any, raws: dict[str, str]) -> Any:
    if isinstance(value, Raw):
        marker = f"@@raw{len(raws)}@@"
        raws[marker] = str(value)
        return marker
    if isinstance(value, list):
        return [_json_value(v, raws) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v, raws) for k, v in value.items()}
    return value


def jsonl_text(row: Row) -> str:
    raws: dict[str, str] = {}
    org = {"name": row.name}
    if row.type:
        org["type"] = row.type
    inputs = {k: v for k, v in (("onsite", row.onsite), ("superior", row.superior))
              if v is not None}
    obj: dict[str, Any] = {"org_id": row.org_id} if row.org_id is not None else {}
    obj.update(org=org, inputs={**inputs, **row.flags, **row.extra_inputs})
    obj.update(row.extra)
    text = json.dumps(_json_value(obj, raws), ensure_ascii=False)
    for marker, raw in raws.items():
        text = text.replace(json.dumps(marker), raw)
    return text


def jsonl_bytes(row: Row) -> bytes:
    return row.line if row.line is not None else jsonl_text(row).encode("utf-8")


def _cell(value: Any, kind: str) -> Any:
    if value is None:
        return None if kind == "xlsx" else ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == "xlsx" and isinstance(value, Raw):
        return str(value)
    return value if kind == "xlsx" else str(value)


def table_cells(row: Row, kind: str) -> list[Any]:
    values = [row.org_id, row.name, row.type, row.onsite, row.superior,
              *(row.flags.get(flag) for flag in FLAGS)]
    cells = [_cell(v, kind) for v in values]
    if row.extra_cell is not None:
        cells.append(row.extra_cell)
    return cells


@dataclass
class Written:
    """A batch on disk: which file row each generated row landed on."""

    path: Path
    numbers: list[int]


def write(rows: list[Row], directory: Path, kind: str, *, blanks: list[int], bom: bool = False,
          encoding: str = "utf-8", crlf: bool = False, unknown_column: bool = False) -> Written:
    """Write `rows` with `blanks[i]` blank lines before row i; return each row's number."""
    numbers: list[int] = []
    path = directory / f"评分输入.{kind}"
    if kind == "jsonl":
        lines: list[bytes] = []
        for row, blank in zip(rows, blanks):
            lines.extend([b"", b"   "][: blank])
            lines.append(jsonl_bytes(row))
            numbers.append(len(lines))
        data = b"\n".join(lines) + b"\n"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return Written(path, numbers)
    header = list(COLUMNS.values()) + (["备注"] if unknown_column else [])
    table = [header]
    for row, blank in zip(rows, blanks):
        table.extend([[""] * len(header) if kind == "csv" else [None] * len(header)] * blank)
        cells = table_cells(row, kind)
        if unknown_column:
            cells = [*cells[:len(COLUMNS)], "备注内容", *cells[len(COLUMNS):]]
        table.append(cells)
        numbers.append(len(table))
    if kind == "csv":
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows(table)
        data = buffer.getvalue().encode(encoding)
        path.write_bytes((b"\xef\xbb\xbf" if bom and encoding == "utf-8" else b"") + data)
    else:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        for cells in table:
            sheet.append(cells)
        book.save(path)
    return Written(path, numbers)
