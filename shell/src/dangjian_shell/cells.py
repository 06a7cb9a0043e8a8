"""Cells the project writes into spreadsheets (CSV and XLSX), made safe to open.

Text that a spreadsheet would run as a formula (an org name `=HYPERLINK(…)`) is neutralised as
OWASP's CSV-injection guidance says: a cell starting with `=` `+` `-` `@`, a tab or a carriage
return is text. In CSV it gets a leading `'`; in XLSX it is stored as a text cell with Excel's
quote prefix, so the value is kept exactly and shown as written. Numbers (a score of -2) stay
numbers, and text that is just a number (`-2`, `+1.5`) cannot run and is left alone.

XLSX holds at most 32,767 characters in a cell: longer text is cut with a visible marker at its
end, and characters XLSX cannot store (control characters) become U+FFFD; `CellGuard` counts
both so the writer can say so.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from dangjian.numbers import is_number_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CHARS = 32_767
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # what openpyxl refuses to write


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula (or a DDE command)."""
    return text.startswith(FORMULA_START) and not is_number_text(text)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: decimals written out in full, formula-like text quoted with `'`."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value
    return value


def csv_row(values: list[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def _utf16_len(text: str) -> int:
    """Excel counts UTF-16 code units: a character beyond the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def truncation_marker(length: int) -> str:
    return f"……【超过 XLSX 单元格上限 32,767 个字符，已截断；原文 {length:,} 个字符】"


class CellGuard:
    """Makes text cells safe for one XLSX sheet and counts what had to change."""

    def __init__(self) -> None:
        self.cut = 0
        self.replaced = 0

    def text(self, value: str) -> str:
        """Text that XLSX can hold: illegal characters replaced, over-long text cut visibly."""
        if _ILLEGAL.search(value):
            self.replaced += 1
            value = _ILLEGAL.sub("\ufffd", value)
        if len(value) > XLSX_MAX_CHARS // 2 and _utf16_len(value) > XLSX_MAX_CHARS:
            self.cut += 1
            marker = truncation_marker(_utf16_len(value))
            keep = XLSX_MAX_CHARS - len(marker)
            head = value[:keep]
            while _utf16_len(head) > keep:
                head = head[: keep - (_utf16_len(head) - keep)]
            value = head + marker
        return value

    def notes(self, name: str) -> list[str]:
        """What the user must be told about the sheet written to `name`."""
        notes = []
        if self.cut:
            notes.append(f"{name}：{self.cut} 个单元格超过 XLSX 的上限 32,767 个字符，已截断，"
                         "截断处注明了原文长度；完整内容请用 JSONL 或 CSV 输出")
        if self.replaced:
            notes.append(f"{name}：{self.replaced} 个单元格含有 XLSX 无法保存的控制字符，"
                         "已替换为 �")
        return notes


def as_text(cell) -> None:
    """Store a cell's value as text, never as a formula (what Excel does for a leading `'`)."""
    if isinstance(cell.value, str) and runs_as_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def append(sheet, values: list[Any], guard: CellGuard | None = None) -> None:
    """`sheet.append` for a sheet built in memory (a template), every text cell made safe."""
    guard = guard or CellGuard()
    sheet.append([guard.text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        as_text(cell)
