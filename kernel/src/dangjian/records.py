"""Turning input records into evaluations: a JSONL line or a spreadsheet row.

Readers of files (JSONL, CSV, XLSX) live in the shell; what a record means lives here, so the
CLI and the API accept exactly the same things and reject them with the same reasons.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from .models import Evaluation, OrgInline, Reject
from .scheme import Scheme

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
    ):
        if re.match(pattern, text):
            text = re.sub(pattern, repl, text)
            break
    named = re.search(r"(?:unknown|missing required) field `(.+?)`", message)
    if named:
        path = f"{path}.{named.group(1)}" if path else named.group(1)
    return text, path


def decode_evaluation(data: bytes | str, *, row: int, source: str | None = None) -> Evaluation | Reject:
    """One JSONL line as an Evaluation, or a Reject naming the row and field."""
    try:
        return _evaluation_decoder.decode(data)
    except msgspec.ValidationError as exc:
        reason, path = explain_validation(str(exc))
        return Reject(row=row, source=source, field=path, reason=reason)
    except msgspec.DecodeError as exc:
        return Reject(row=row, source=source, field=None, reason=f"不是有效的 JSON：{exc}")


def evaluation_from_object(obj: Any, *, row: int, source: str | None = None) -> Evaluation | Reject:
    """A decoded JSON object (e.g. an API request item) as an Evaluation, or a Reject."""
    try:
        return msgspec.convert(obj, Evaluation, strict=True)
    except msgspec.ValidationError as exc:
        reason, path = explain_validation(str(exc))
        return Reject(row=row, source=source, field=path, reason=reason)


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
        for cell in header:
            name = str(cell).strip().lstrip("\ufeff") if cell is not None else ""
            key = by_name.get(name)
            if key is None and name:
                self.unknown.append(name)
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
        for extra in cells[len(self.keys):]:
            if extra not in (None, ""):
                return Reject(row=row, source=self.source, field=None,
                              reason=f"本行比表头多出数据“{extra}”")
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
