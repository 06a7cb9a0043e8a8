"""Activity records (主题党日, 党课 …) from a separate file, merged into evaluations by org_id.

CSV and XLSX evaluation rows cannot hold a list of dated records, so `score --activities FILE`
reads them from a CSV, XLSX or JSONL file with the columns org_id, kind, date, person, note and
optionally for_year (所属年度: the year an annual item such as a 述职评议 is for).
A bad record rejects its organization's evaluation (naming the file and row), so an activity
never silently fails to count.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from dangjian.models import Activity, Evaluation, Reject

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
    "org_id": ("org_id", "组织编号"),
    "kind": ("kind", "活动类型", "类型"),
    "date": ("date", "日期", "活动日期"),
    "person": ("person", "人员", "参加人员"),
    "note": ("note", "备注"),
    "for_year": ("for_year", "所属年度", "年度"),
}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value: Any) -> datetime.date:
    """2022-08-19, 2022/8/19, 2022.8.19, 2022年8月19日, or an Excel date cell."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(str(value))
    if not match:
        raise ValueError(f"日期“{value}”应为 YYYY-MM-DD")
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"日期“{value}”不存在") from None


def _year(value: Any) -> int | None:
    """所属年度 as 2019, “2019” or “2019年度”; blank is none."""
    if value in (None, ""):
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:年度|年)?\s*", str(value).removesuffix(".0"))
    if not match:
        raise ValueError(f"所属年度“{value}”应为四位年份，如 2019")
    return int(match.group(1))


@dataclass
class ActivityIndex:
    """Activity records by organization, with the problems found while reading them."""

    path: Path
    by_org: dict[str, list[Activity]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    orphans: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    count: int = 0
    notes: list[str] = field(default_factory=list)

    def merge(self, evaluation: Evaluation, *, row: int, source: str) -> Evaluation | Reject:
        org_id = evaluation.org_id
        self.used.add(org_id)
        problems = self.errors.get(org_id)
        if problems:
            more = f"（另有{len(problems) - 1}处）" if len(problems) > 1 else ""
            return Reject(row=row, source=source, org_id=org_id, field="activities",
                          reason=f"活动记录有误：{problems[0]}{more}")
        extra = self.by_org.get(org_id)
        if not extra:
            return evaluation
        return msgspec.structs.replace(evaluation,
                                       activities=[*evaluation.activities, *extra])

    def unmatched(self) -> list[str]:
        """Organizations that have activity records but no evaluation in this batch."""
        return sorted((set(self.by_org) | set(self.errors)) - self.used)

    def _add(self, number: int, values: dict[str, Any]) -> None:
        where = f"{self.path} 第 {number} 行"
        org_id = values.get("org_id")
        if org_id in (None, ""):
            self.orphans.append(f"{where}：缺少组织编号 org_id，无法归属")
            return
        org_id = str(org_id).strip()
        try:
            activity = self._activity(values)
        except ValueError as exc:
            self.errors.setdefault(org_id, []).append(f"{where}：{exc}")
            return
        self.count += 1
        self.by_org.setdefault(org_id, []).append(activity)

    @staticmethod
    def _activity(values: dict[str, Any]) -> Activity:
        kind = values.get("kind")
        if kind in (None, ""):
            raise ValueError("缺少活动类型 kind")
        if values.get("date") in (None, ""):
            raise ValueError("缺少日期 date")
        text = {k: (str(values[k]).strip() if values.get(k) not in (None, "") else None)
                for k in ("person", "note")}
        return Activity(kind=str(kind).strip(), date=parse_date(values["date"]),
                        org_id=str(values["org_id"]).strip(),
                        for_year=_year(values.get("for_year")), **text)


def read_activities(path: Path) -> ActivityIndex:
    """Read a whole activities file (CSV, XLSX or JSONL) into an index by org_id."""
    kind = kind_of(path)
    index = ActivityIndex(path)
    rows = _jsonl_rows(path, index) if kind == "jsonl" else _table_rows(path, kind, index)
    for number, values in rows:
        index._add(number, values)
    return index


def _jsonl_rows(path: Path, index: ActivityIndex) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(text_lines(path, "utf-8-sig"), 1):
        if not line.strip():
            continue
        try:
            obj = msgspec.json.decode(line)
        except msgspec.DecodeError as exc:
            index.orphans.append(f"{path} 第 {number} 行：不是有效的 JSON（{exc}）")
            continue
        if not isinstance(obj, dict):
            index.orphans.append(f"{path} 第 {number} 行：应为一个 JSON 对象")
            continue
        unknown = set(obj) - set(COLUMNS)
        if unknown and obj.get("org_id"):
            index.errors.setdefault(str(obj["org_id"]), []).append(
                f"{path} 第 {number} 行：未知字段 {'、'.join(sorted(unknown))}"
                f"（可用：{'、'.join(COLUMNS)}）")
            continue
        yield number, obj


def _table_rows(path: Path, kind: str, index: ActivityIndex) -> Iterator[tuple[int, dict]]:
    table = Table(path, kind)
    rows = table.rows()
    names = {name: key for key, options in COLUMNS.items() for name in options}
    _header_row, header, pending = find_header(rows, set(COLUMNS["org_id"]))
    index.notes.extend(table.notes)
    keys = [names.get(str(c).strip().lstrip("\ufeff")) if c is not None else None
            for c in header]
    for number, cells in [*pending, *rows]:
        if is_blank(cells):
            continue
        if bad_bytes(cells):
            index.orphans.append(f"{path} 第 {number} 行：含有无法识别的字符")
            continue
        broken = bad_cell(cells)
        if broken is not None:
            column, cell = broken
            message = f"{path} 第 {number} 行：" + bad_cell_reason(
                cell, header[column] if column < len(header) else None)
            org = dict(zip(keys, cells)).get("org_id")
            if isinstance(org, (str, int)) and str(org).strip():
                index.errors.setdefault(str(org).strip(), []).append(message)
            else:
                index.orphans.append(message)
            continue
        yield number, {key: cell for key, cell in zip(keys, cells) if key is not None}
