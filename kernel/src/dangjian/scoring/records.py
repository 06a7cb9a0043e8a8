"""Turning input records into evaluations: a JSONL line or a spreadsheet row.

Readers of files (JSONL, CSV, XLSX) live in the shell; what a record means lives here, so the
CLI and the API accept exactly the same things and reject them with the same reasons.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import msgspec

from dangjian.models import Evaluation, OrgInline, Reject
from dangjian.scheme import Scheme

_evaluation_decoder = msgspec.json.Decoder(Evaluation)
_AT = re.compile(r" - at `\$(.*)`$")

ORG_COLUMNS = {
    "org_id": ("org_id", "组织编号"),
    "name": ("org_name", "组织名称"),
    "type": ("org_type", "组织类型"),
    "parent_id": ("parent_id", "上级组织编号"),
}


def _field_of(message: str) -> tuple[str, str | None]:
    match = _AT.search(message)
    if not match:
        return message, None
    return message[: match.start()], match.group(1).lstrip(".") or None


def explain_validation(message: str) -> tuple[str, str | None]:
    """msgspec's validation message as a Chinese reason and a field path."""
    text, path = _field_of(message)
    for pattern, repl in (
        (r"^Object missing required field `(.+)`$", r"缺少必填字段 \1"),
        (r"^Object contains unknown field `(.+)`$", r"未知字段 \1"),
        (r"^Expected `(.+)`, got `(.+)`$", r"类型应为 \1，实为 \2"),
        (r"^Invalid isoformat string.*$", "日期格式应为 YYYY-MM-DD"),
        (r"^Invalid date.*$", "日期格式应为 YYYY-MM-DD"),
        (r"^Invalid RFC3339 encoded date$", "日期格式应为 YYYY-MM-DD"),
    ):
        if re.match(pattern, text):
            text = re.sub(pattern, repl, text)
            break
    named = re.search(r"(?:unknown|missing required) field `(.+?)`", message)
    if named:
        path = f"{path}.{named.group(1)}" if path else named.group(1)
    return text, path


TOO_DEEP = "不是可以评分的 JSON：数组或对象嵌套过深"
_BYTE = re.compile(r"^JSON is malformed: (.+) \(byte (\d+)\)$")
_MALFORMED = {
    "trailing characters": "JSON 对象之后还有多余的字符",
    "trailing comma in object": "对象末尾多了逗号",
    "trailing comma in array": "数组末尾多了逗号",
    "object keys must be strings": "对象的键应为双引号括起的字符串",
    "invalid character": "无效字符",
    "invalid escape character in string": "字符串中的转义无效",
    "invalid number": "数字格式有误",
    "unexpected end of escaped utf-16 surrogate pair": "字符串中有不成对的 UTF-16 代理项（如 \\ud800），不是有效字符",
    "invalid utf-16 surrogate pair": "字符串中有无效的 UTF-16 代理项对，不是有效字符",
}


def org_id_problem(org_id: str) -> str | None:
    """Why an organization id cannot name an organization (empty, blanks only, a NUL), or None."""
    if not org_id or org_id.isspace():
        return "组织编号为空" if not org_id else "组织编号只有空白字符"
    if "\x00" in org_id:
        return "组织编号含有空字符（NUL），不是有效的编号"
    return None


def explain_decode(message: str, data: bytes | str) -> tuple[str, str | None]:
    """msgspec's decode error (bad JSON, a number beyond range) as a Chinese reason and, when
    it can be found, the field that holds the offending value."""
    text, path = _field_of(message)
    if text in ("Number out of range", "Integer value out of range"):
        return "数字超出可表示的范围", _locate_out_of_range(data, path)
    if path is not None or not text.startswith(("JSON is malformed", "Input data")):
        return explain_validation(message)
    if text == "Input data was truncated":
        return "不是有效的 JSON：内容不完整（括号或引号没有闭合）", None
    match = _BYTE.match(text)
    if match:
        problem, at = match.group(1), int(match.group(2))
        said = _MALFORMED.get(problem, problem)
        raw = data.encode() if isinstance(data, str) else data
        path = None
        if raw[at:at + 3] in (b"NaN", b"Inf") or raw[at:at + 4] == b"-Inf":
            said = "NaN 和 Infinity 不是 JSON 中的数字"
            path = _non_finite_path(raw)
        return f"不是有效的 JSON（第 {at + 1} 个字节）：{said}", path
    return f"不是有效的 JSON：{text}", path


def _locate_out_of_range(data: bytes | str, path: str | None) -> str | None:
    """msgspec names a value inside a free-form mapping as `[...]`; find the key it means."""
    if path is None or "[...]" not in path:
        return path
    import json

    try:
        obj = json.loads(data, parse_int=Decimal)  # an int of 5000 digits is no str for int()
    except ValueError:
        return path
    tokens = re.findall(r"\[\.\.\.\]|\[\d+\]|[^.\[\]]+", path)
    found = _walk(obj, tokens)
    return found.lstrip(".") if found else path


def _non_finite_path(raw: bytes) -> str | None:
    """Where the first NaN or Infinity sits (Python's own JSON reader accepts them)."""
    import json

    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    stack: list[tuple[Any, str]] = [(obj, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return path.lstrip(".") or None
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}") for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
    return None


_INT_LOW, _INT_HIGH = -(2 ** 63), 2 ** 64  # the integers msgspec reads


def _walk(obj: Any, tokens: list[str]) -> str | None:
    if not tokens:
        beyond = (isinstance(obj, float) and not math.isfinite(obj)
                  or isinstance(obj, Decimal) and not _INT_LOW <= obj < _INT_HIGH)
        return "" if beyond else None
    token, rest = tokens[0], tokens[1:]
    if token == "[...]":
        if not isinstance(obj, dict):
            return None
        for key, value in obj.items():
            tail = _walk(value, rest)
            if tail is not None:
                return f".{key}{tail}"
        return None
    if token.startswith("["):
        index = int(token[1:-1])
        if not isinstance(obj, list) or index >= len(obj):
            return None
        tail = _walk(obj[index], rest)
        return None if tail is None else f"{token}{tail}"
    if not isinstance(obj, dict) or token not in obj:
        return None
    tail = _walk(obj[token], rest)
    return None if tail is None else f".{token}{tail}"


def decode_evaluation(data: bytes | str, *, row: int, source: str | None = None) -> Evaluation | Reject:
    """One JSONL line as an Evaluation, or a Reject naming the row and field."""
    try:
        evaluation = _evaluation_decoder.decode(data)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError: both land here
        reason, path = explain_decode(str(exc), data)
        return Reject(row=row, source=source, field=path, reason=reason)
    except UnicodeDecodeError:
        return Reject(row=row, source=source, field=None, reason=_not_utf8(data))
    except RecursionError:
        return Reject(row=row, source=source, field=None, reason=TOO_DEEP)
    return _with_org_id(evaluation, row, source)


def _with_org_id(evaluation: Evaluation, row: int, source: str | None) -> Evaluation | Reject:
    problem = org_id_problem(evaluation.org_id)
    if problem is None:
        return evaluation
    return Reject(row=row, source=source, field="org_id", reason=problem)


def _not_utf8(data: bytes | str) -> str:
    try:
        data.decode("gb18030")  # type: ignore[union-attr]
        hint = "看起来是 GBK/GB18030 编码"
    except (UnicodeDecodeError, AttributeError):
        hint = "含有无法识别的字节"
    return f"本行不是 UTF-8 编码（{hint}），JSONL 文件应存为 UTF-8"


def evaluation_from_object(obj: Any, *, row: int, source: str | None = None) -> Evaluation | Reject:
    """A decoded JSON object (e.g. an API request item) as an Evaluation, or a Reject."""
    try:
        evaluation = msgspec.convert(obj, Evaluation, strict=True)
    except msgspec.ValidationError as exc:
        reason, path = explain_validation(str(exc))
        return Reject(row=row, source=source, field=path, reason=reason)
    except RecursionError:
        return Reject(row=row, source=source, field=None, reason=TOO_DEEP)
    return _with_org_id(evaluation, row, source)


def table_columns(scheme: Scheme) -> list[tuple[str, str]]:
    """The columns of a spreadsheet for a scheme: (key, Chinese header), org columns first.

    The header row may use either the key or the Chinese header; list inputs (raters' scores)
    are written in one cell separated by `;` `；` `、` or `,`.
    """
    columns = [(key, title) for key, title in ORG_COLUMNS.values()]
    columns.extend((spec.name, spec.title) for spec in scheme.inputs)
    return columns


class RowReader:
    """Maps a spreadsheet's header row to keys once, then turns each row into an Evaluation."""

    def __init__(self, scheme: Scheme, header: list[str], *, source: str | None = None) -> None:
        self.scheme = scheme
        self.source = source
        by_name: dict[str, str] = {}
        for key, title in table_columns(scheme):
            by_name[key] = key
            by_name[title] = key
        self.keys: list[str | None] = []
        self.unknown: list[str] = []
        self.unlabelled: list[int] = []
        for cell in header:
            name = str(cell).strip().lstrip("\ufeff") if cell is not None else ""
            key = by_name.get(name)
            if key is None and name:
                self.unknown.append(name)
            if not name:
                self.unlabelled.append(len(self.keys))
            self.keys.append(key)
        self.input_names = {spec.name for spec in scheme.inputs}

    def missing_org_id(self) -> bool:
        return "org_id" not in self.keys

    def evaluation(self, cells: list[Any], *, row: int) -> Evaluation | Reject:
        values: dict[str, Any] = {}
        for key, cell in zip(self.keys, cells):
            if key is None:
                continue
            if isinstance(cell, str):
                cell = cell.strip()
                if cell == "":
                    cell = None
            if cell is not None:
                values[key] = cell
        for column in [*self.unlabelled, *range(len(self.keys), len(cells))]:
            extra = cells[column] if column < len(cells) else None
            if extra is not None and str(extra).strip():
                return Reject(row=row, source=self.source, field=None,
                              reason=f"本行比表头多出数据“{_clip(extra)}”"
                              f"（第 {_column_letter(column)} 列没有表头）")
        org_id = values.pop("org_id", None)
        if org_id is None:
            return Reject(row=row, source=self.source, field="org_id", reason="缺少组织编号 org_id")
        if isinstance(org_id, float) and org_id.is_integer():
            org_id = int(org_id)
        org_fields = {}
        for key, (column, _title) in ORG_COLUMNS.items():
            if key != "org_id" and column in values:
                org_fields[key] = str(values.pop(column))
        inputs = {k: v for k, v in values.items() if k in self.input_names}
        org = OrgInline(**org_fields) if org_fields else None
        return Evaluation(org_id=str(org_id), org=org, inputs=inputs)


def _clip(value: Any, limit: int = 20) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _column_letter(index: int) -> str:
    """A 0-based column index as a spreadsheet column name: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
