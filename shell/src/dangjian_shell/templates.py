"""Input templates generated from a scheme: Chinese headers, one example row that scores.

The columns are `dangjian.scoring.records.table_columns(scheme)`, the same the row reader accepts, so
a filled-in template goes back into `dangjian score` unchanged. Example values come from each
input's `example` when the scheme gives one, else from its type, range and choices.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from dangjian.scoring.records import table_columns

from .activities import COLUMNS as ACTIVITY_COLUMNS
from .cells import append, csv_row

EXAMPLE_ORG_ID = "示例"
EXAMPLE_ORG_NAME = "示例党支部（示例行，评分时跳过）"
LIST_SEPARATOR = ";"
ACTIVITY_HEADER = ["组织编号", "活动类型", "日期", "人员", "备注"]
_TYPES = {"number": "数字", "integer": "整数", "boolean": "是/否", "text": "文本", "date": "日期",
          "choice": "单选", "list": "多个值（用 ; 分隔）"}


def _scaled(spec, share: str) -> Decimal | int:
    low = spec.min if spec.min is not None else Decimal(0)
    high = spec.max if spec.max is not None else Decimal(100)
    value = low + (high - low) * Decimal(share)
    value = value.quantize(Decimal(1)) if high - low >= 10 else value.quantize(Decimal("0.1"))
    return int(value) if value == value.to_integral_value() else value


def example_value(spec, year: int) -> Any:
    """A plausible, valid value for one input (typed as JSON would carry it)."""
    if spec.example is not None:
        return spec.example
    if spec.type in ("number", "integer"):
        value = _scaled(spec, "0.85")
        return int(value) if spec.type == "integer" else value
    if spec.type == "boolean":
        return False
    if spec.type == "date":
        return f"{year}-06-30"
    if spec.type == "choice":
        return spec.choices[0] if spec.choices else ""
    if spec.type == "list":
        if spec.items == "label" and spec.choices:
            return [spec.choices[0], spec.choices[min(1, len(spec.choices) - 1)], spec.choices[0]]
        numbers = [_scaled(spec, share) for share in ("0.95", "0.88", "0.9")]
        if spec.items == "number_or_label" and spec.choices:
            return [numbers[0], spec.choices[0], numbers[1]]
        return numbers
    return f"示例：{spec.title}"


def example_type(scheme, catalog) -> str:
    """The example row's org type: 党支部 when the scheme applies to branches."""
    types = scheme.org_types or list(catalog.org_types)
    type_id = "branch" if "branch" in types else types[0] if types else ""
    org_type = catalog.org_types.get(type_id)
    return org_type.title if org_type else type_id


def activity_kinds(scheme) -> list[str]:
    """The activity kinds the scheme's frequency rules count (主题党日, 党课 …)."""
    kinds: list[str] = []

    def walk(nodes):
        for node in nodes:
            kind = node.params.get("kind") if node.method == "frequency" else None
            if isinstance(kind, str) and kind not in kinds:
                kinds.append(kind)
            walk(node.children)

    walk(scheme.criteria)
    for adj in scheme.adjustments:
        walk(adj.items)
    for comp in scheme.components:
        kind = comp.params.get("kind") if comp.method == "frequency" else None
        if isinstance(kind, str) and kind not in kinds:
            kinds.append(kind)
    return kinds


def _year(scheme) -> int:
    return scheme.year or datetime.date.today().year


def example_evaluation(scheme, catalog) -> dict:
    """The example row as a JSONL evaluation object."""
    year = _year(scheme)
    evaluation: dict[str, Any] = {
        "org_id": EXAMPLE_ORG_ID,
        "org": {"name": EXAMPLE_ORG_NAME, "type": example_type(scheme, catalog)},
        "inputs": {spec.name: example_value(spec, year) for spec in scheme.inputs},
    }
    kinds = activity_kinds(scheme)
    if kinds:
        evaluation["activities"] = [{"kind": kind, "date": f"{year}-03-15"} for kind in kinds]
    return evaluation


def cell_text(value: Any) -> Any:
    """A typed example value as a spreadsheet cell: lists joined by `;`, booleans as 是/否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(cell_text(v)) for v in value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def example_row(scheme, catalog) -> list[Any]:
    evaluation = example_evaluation(scheme, catalog)
    org = {"org_id": evaluation["org_id"], "org_name": evaluation["org"]["name"],
           "org_type": evaluation["org"]["type"], "parent_id": None}
    values = {**org, **evaluation["inputs"]}
    return [cell_text(values.get(key)) for key, _ in table_columns(scheme)]


def column_notes(scheme) -> list[list[str]]:
    """The 填写说明 sheet: one row per column."""
    rows = [["组织编号", "org_id", "文本", "必填", "", "每个被评组织一个编号，同一批次内不重复"],
            ["组织名称", "org_name", "文本", "选填", "", ""],
            ["组织类型", "org_type", "文本", "按方案", "", "组织类型名称（可从下拉列表选择）或编号，"
             "如 党支部 或 branch"],
            ["上级组织编号", "parent_id", "文本", "选填", "", "也可用 --orgs 组织名册提供"]]
    for spec in scheme.inputs:
        allowed = []
        if spec.min is not None or spec.max is not None:
            low = "" if spec.min is None else f"{spec.min:f}"
            high = "" if spec.max is None else f"{spec.max:f}"
            allowed.append(f"{low}—{high}")
        if spec.choices:
            allowed.append(" / ".join(spec.choices))
        rows.append([spec.title, spec.name, _TYPES.get(spec.type, spec.type),
                     "必填" if spec.required else "选填", "；".join(allowed), spec.description])
    return rows


GENERAL_NOTES = [
    f"第一行是表头，请勿修改；第二行是示例（组织编号“{EXAMPLE_ORG_ID}”），评分时自动跳过，"
    "不会计入结果；可以删除，也可以改成真实数据（组织编号改为真实编号）。",
    "表头可以用中文列名，也可以用英文键名；不属于本方案的列会被忽略并在摘要中提示。",
    "多人评分（如现场评议测评）写在一个单元格内，用分号 ; 分隔，如“95;88;好”。",
    "是/否类的列填“是”或“否”（也可 true/false、1/0），空白视为“否”。",
    "表格无法容纳活动记录（主题党日、党课等），请另做活动记录表，评分时用 --activities 指定。",
]


def write_csv(path: Path | None, scheme, catalog) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row([title for _, title in table_columns(scheme)]))
    writer.writerow(csv_row(example_row(scheme, catalog)))
    text = buffer.getvalue()
    if path is not None:
        path.write_text(text, encoding="utf-8-sig", newline="")
    return text


def write_jsonl(path: Path | None, scheme, catalog) -> str:
    encoder = msgspec.json.Encoder(decimal_format="number")
    line = encoder.encode(example_evaluation(scheme, catalog)).decode() + "\n"
    if path is not None:
        path.write_text(line, encoding="utf-8")
    return line


def write_xlsx(path: Path, scheme, catalog) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "评分表"
    columns = table_columns(scheme)
    append(sheet, [title for _, title in columns])
    append(sheet, example_row(scheme, catalog))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFE8E8")
    specs = {spec.name: spec for spec in scheme.inputs}
    for index, (key, title) in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(title) * 2 + 4))
        spec = specs.get(key)
        choices = (spec.choices if spec is not None and spec.type == "choice"
                   else ["是", "否"] if spec is not None and spec.type == "boolean" else None)
        required = spec.required if spec is not None else False
        if key == "org_type":
            choices = org_type_choices(scheme, catalog)
        _drop_down(sheet, letter, choices, required)
    example = Font(italic=True, color="FF808080")
    for cell in sheet[2]:
        cell.font = example
    sheet.freeze_panes = "B2"
    notes = book.create_sheet("填写说明")
    append(notes, [f"{scheme.title}（{scheme.id}，版本 {scheme.version}）评分表填写说明"])
    notes["A1"].font = bold
    for line in GENERAL_NOTES:
        notes.append([line])
    notes.append([])
    notes.append(["列名", "键名", "类型", "是否必填", "取值", "说明"])
    for cell in notes[notes.max_row]:
        cell.font = bold
    for row in column_notes(scheme):
        append(notes, row)
    for letter, width in zip("ABCDEF", (22, 18, 16, 10, 24, 40)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2, max_row=len(GENERAL_NOTES) + 1):
        row[0].alignment = Alignment(wrap_text=False)
    book.save(path)


def org_type_choices(scheme, catalog) -> list[str]:
    """The titles of the organization types the scheme applies to (all when it names none)."""
    types = scheme.org_types or list(catalog.org_types)
    return [catalog.org_types[t].title if t in catalog.org_types else t for t in types]


def _drop_down(sheet, letter: str, choices: list[str] | None, required: bool) -> None:
    """A list validation on the column below the header, when the choices fit Excel's list."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if not choices or any("," in c or '"' in c for c in choices):
        return
    formula = '"' + ",".join(choices) + '"'
    if len(formula) > 255:
        return
    rule = DataValidation(type="list", formula1=formula, allow_blank=not required,
                          showErrorMessage=True, errorTitle="不在可选范围内",
                          error="请从下拉列表中选择：" + "、".join(choices))
    rule.add(f"{letter}2:{letter}10000")
    sheet.add_data_validation(rule)


def activity_rows(scheme) -> list[list[Any]]:
    """One example record per activity kind, and one per themed rule showing the wording its
    note must contain (备注 “喜迎二十大” …) and a date it accepts."""
    from dangjian.methods.activity import counted_kinds, example_record

    year = _year(scheme)
    kinds = activity_kinds(scheme) or ["主题党日"]
    rows = [[EXAMPLE_ORG_ID, kind, f"{year}-03-15", "", ""] for kind in kinds]
    for nodes in counted_kinds(scheme.criteria).values():
        for node in nodes:
            record = example_record(node.params, year) if node.method == "frequency" else None
            if record and record[2] and [EXAMPLE_ORG_ID, *record[:2], "", record[2]] not in rows:
                rows.append([EXAMPLE_ORG_ID, record[0], record[1], "", record[2]])
    return rows


def write_activities(path: Path | None, fmt: str, scheme) -> str:
    """The `--activities` file template: one example record per activity kind."""
    keys = list(ACTIVITY_COLUMNS)
    rows = activity_rows(scheme)
    if fmt == "jsonl":
        text = "".join(msgspec.json.encode({k: v for k, v in zip(keys, row) if v}).decode() + "\n"
                       for row in rows)
        if path is not None:
            path.write_text(text, encoding="utf-8")
        return text
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(ACTIVITY_HEADER)
        writer.writerows(csv_row(row) for row in rows)
        text = buffer.getvalue()
        if path is not None:
            path.write_text(text, encoding="utf-8-sig", newline="")
        return text
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "活动记录"
    sheet.append(ACTIVITY_HEADER)
    for row in rows:
        append(sheet, row)
    book.save(path)
    return ""


def is_example(keys: list[str | None], cells: list[Any]) -> bool:
    """Whether a spreadsheet row is the template's example row (组织编号“示例”)."""
    for key, cell in zip(keys, cells):
        if key == "org_id":
            return isinstance(cell, str) and cell.strip() == EXAMPLE_ORG_ID
    return False


_EXAMPLE_BYTES = EXAMPLE_ORG_ID.encode()


def is_example_line(line: bytes) -> bool:
    """Whether a JSONL line is the template's example evaluation (decoded only when it may be)."""
    if _EXAMPLE_BYTES not in line:
        return False
    try:
        found = msgspec.json.decode(line)
    except msgspec.DecodeError:
        return False
    return isinstance(found, dict) and found.get("org_id") == EXAMPLE_ORG_ID


def example_note(path: Path, row: int) -> str:
    return (f"{path}：第 {row} 行是模板的示例行（组织编号“{EXAMPLE_ORG_ID}”），已跳过，未评分；"
            "填写真实数据时请改为真实的组织编号")
