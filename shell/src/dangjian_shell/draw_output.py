"""`dangjian sample --out FILE`: the draw's list with its seed and roll digest, kept for the
audit as CSV (UTF-8 with BOM), XLSX (with a sheet 抽取记录) or JSONL (one organization a line)."""

from __future__ import annotations

import csv
from pathlib import Path

import msgspec

HEADER = ["序号", "述职方式", "组织编号", "组织名称", "组织类型", "方案", "种子", "抽取比例",
          "名册组织数", "名册摘要"]
KEYS = ["order", "mode", "org_id", "org_name", "org_type", "scheme", "seed", "fraction",
        "population", "population_digest"]


def draw_rows(result, scheme_id: str, orgs: dict, type_title) -> list[list]:
    """One row per organization: on site first, in the order drawn, then in writing."""
    rows = []
    for mode, ids in ((result.onsite_title, result.onsite),
                      (result.written_title, result.written)):
        for org_id in ids:
            org = orgs[org_id]
            rows.append([len(rows) + 1, mode, org.id, org.name, type_title(org.type), scheme_id,
                         result.seed, result.fraction, result.population,
                         result.population_digest])
    return rows


def write_draw(path: Path, kind: str, result, scheme_id: str, rows: list[list]) -> None:
    """Write the rows to `path` in `kind` (csv, xlsx or jsonl)."""
    if kind == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(rows)
    elif kind == "jsonl":
        with open(path, "wb") as f:
            for row in rows:
                f.write(msgspec.json.encode(dict(zip(KEYS, row, strict=True))) + b"\n")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "抽取结果"
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        record = book.create_sheet("抽取记录")
        for label, value in (("方案", scheme_id), ("种子", result.seed),
                             ("抽取比例（不少于，向上取整）", result.fraction),
                             ("名册组织数", result.population),
                             (result.onsite_title, len(result.onsite)),
                             (result.written_title, len(result.written)),
                             ("名册摘要", result.population_digest),
                             ("复核", f"同样的名册和种子 {result.seed} 得到同样的结果")):
            record.append([label, value])
        book.save(path)
