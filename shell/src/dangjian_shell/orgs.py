"""The organization registry (`--orgs FILE`): JSONL of Organization objects, or a CSV/XLSX
table with id, name, type and parent_id columns (any other column becomes an attribute)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
from dangjian.errors import InputFileError
from dangjian.models import Organization
from dangjian.scoring.records import explain_validation

from .readers import (
    Table,
    bad_bytes,
    bad_cell,
    bad_cell_reason,
    find_header,
    is_blank,
    kind_of,
    text_lines,
)

COLUMNS = {
    "id": ("id", "org_id", "组织编号"),
    "name": ("name", "org_name", "组织名称"),
    "type": ("type", "org_type", "组织类型"),
    "parent_id": ("parent_id", "上级组织编号"),
}
_decode = msgspec.json.Decoder(Organization).decode
_INT = re.compile(r"^-?(0|[1-9]\d*)$")
_FLOAT = re.compile(r"^-?(0|[1-9]\d*)\.\d+$")


def _number(value: Any) -> Any:
    """A CSV cell that is plainly a number (35, 2.5) becomes one, as it would in XLSX."""
    if isinstance(value, str):
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
    return value


def read_orgs(path: Path, catalog=None) -> list[Organization]:
    """Every organization in the file; a bad row stops with the file, row and field named,
    because a tree with a hole in it would misplace whole branches. Types given by their
    Chinese title (党支部) become ids (branch) when `catalog` knows them."""
    kind = kind_of(path)
    orgs = _jsonl(path) if kind == "jsonl" else _table(path, kind)
    seen: dict[str, int] = {}
    for number, org in orgs:
        if org.id in seen:
            raise InputFileError(f"组织编号 {org.id} 重复（第 {seen[org.id]} 行已出现）",
                                 file=str(path), row=number, field="id")
        seen[org.id] = number
    result = [org for _, org in orgs]
    if catalog is not None:
        result = normalise_types(result, catalog)
    return result


def normalise_types(orgs: list[Organization], catalog) -> list[Organization]:
    return [msgspec.structs.replace(o, type=catalog.type_id(o.type) or o.type) for o in orgs]


def _jsonl(path: Path) -> list[tuple[int, Organization]]:
    out = []
    for number, line in enumerate(text_lines(path, "utf-8-sig"), 1):
        if not line.strip():
            continue
        try:
            out.append((number, _decode(line)))
        except msgspec.ValidationError as exc:
            reason, where = explain_validation(str(exc))
            raise InputFileError(reason, file=str(path), row=number, field=where) from None
        except msgspec.DecodeError as exc:
            raise InputFileError(f"不是有效的 JSON：{exc}", file=str(path), row=number) from None
    return out


def _table(path: Path, kind: str) -> list[tuple[int, Organization]]:
    rows = Table(path, kind).rows()
    names = {name: key for key, options in COLUMNS.items() for name in options}
    _, header, pending = find_header(rows, set(COLUMNS["id"]))
    labels = [str(c).strip().lstrip("\ufeff") if c is not None else "" for c in header]
    if not any(names.get(label) == "id" for label in labels):
        raise InputFileError("表头中没有组织编号列（id、org_id 或 组织编号）", file=str(path))
    out = []
    for number, cells in [*pending, *rows]:
        if is_blank(cells):
            continue
        if bad_bytes(cells):
            raise InputFileError("含有无法识别的字符（请另存为 UTF-8 编码）", file=str(path),
                                 row=number)
        broken = bad_cell(cells)
        if broken is not None:
            index, cell = broken
            title = labels[index] if index < len(labels) else None
            raise InputFileError(bad_cell_reason(cell, title), file=str(path), row=number,
                                 field=names.get(title or "") or title or cell.column)
        fields: dict[str, Any] = {}
        attributes: dict[str, Any] = {}
        for label, cell in zip(labels, cells):
            if cell is None or (isinstance(cell, str) and not cell.strip()) or not label:
                continue
            value = cell.strip() if isinstance(cell, str) else cell
            key = names.get(label)
            if key is None:
                attributes[label] = _number(value)
            else:
                fields[key] = str(value)
        if "id" not in fields:
            raise InputFileError("缺少组织编号", file=str(path), row=number, field="id")
        out.append((number, Organization(**fields, attributes=attributes)))
    return out
