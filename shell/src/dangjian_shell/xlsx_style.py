"""How a sheet a clerk opens in Excel looks: column widths, a bold frozen header, an autofilter,
and one number format per column (totals with the scheme's decimals, ranks as whole numbers).

Sheets are openpyxl write-only sheets (rows streamed), so widths are set before the first row
and the autofilter, which spans the rows written, when the sheet is finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .cells import CellGuard, as_text, runs_as_formula

HEADER_FILL = "DDE4EE"


@dataclass(frozen=True)
class Column:
    """One column: its Chinese title, its width in characters, its number format (None: text)."""

    title: str
    width: float = 12
    number_format: str | None = None
    wrap: bool = False


def text(title: str, width: float | None = None, *, wrap: bool = False) -> Column:
    return Column(title, width if width is not None else max(10, _display_width(title) + 2),
                  wrap=wrap)


def number(title: str, places: int = 2) -> Column:
    """A score column: every cell shows `places` decimals (91.70, never 91.7 beside 91.73)."""
    return Column(title, max(9, _display_width(title) + 2),
                  "0." + "0" * places if places > 0 else "0")


def integer(title: str) -> Column:
    return Column(title, max(7, _display_width(title) + 2), "0")


def _display_width(value: str) -> int:
    """Characters as Excel measures them: a Chinese character is about two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in value)


class StyledSheet:
    """A write-only sheet with a styled header; rows are converted to cells by column, text
    through `guard` (formula-like text kept as text, over-long text cut visibly)."""

    def __init__(self, book, title: str, columns: list[Column],
                 guard: CellGuard | None = None) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self._cell_type = WriteOnlyCell
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self.sheet = book.create_sheet(title)
        self.columns = columns
        self.guard = guard if guard is not None else CellGuard()
        self.rows = 0
        for index, column in enumerate(columns, 1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(self.sheet, value=self.guard.text(column.title))
            if runs_as_formula(cell.value):
                as_text(cell)
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
            header.append(cell)
        self.sheet.append(header)

    def append(self, values: list[Any]) -> None:
        self.rows += 1
        self.sheet.append([self._cell(column, value)
                           for column, value in zip(self.columns, values, strict=False)])

    def _cell(self, column: Column, value: Any) -> Any:
        if isinstance(value, Decimal):
            value = float(value)
        formula = False
        if isinstance(value, str):
            value = self.guard.text(value)
            formula = runs_as_formula(value)
        if column.number_format is None and not column.wrap and not formula:
            return value
        cell = self._cell_type(self.sheet, value=value)
        if formula:
            as_text(cell)
        if column.number_format is not None:
            cell.number_format = column.number_format
        if column.wrap:
            cell.alignment = self._wrap
        return cell

    def finish(self) -> None:
        """The autofilter over the header and every row written."""
        from openpyxl.utils import get_column_letter

        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def summary_sheet(book, facts: list[tuple[str, Any]], grades: list[tuple[str, int, str]],
                  note: str, guard: CellGuard | None = None) -> None:
    """The run at a glance: facts (方案, 批次, 时间, counts) as label and value, then the grade
    distribution in grade order, then `note` (how ranks are given)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    guard = guard if guard is not None else CellGuard()
    sheet = book.create_sheet("汇总")
    for letter, width in (("A", 16), ("B", 56), ("C", 10)):
        sheet.column_dimensions[letter].width = width

    def bold(value: Any, fill: bool = False):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        if fill:
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        return cell

    def plain(value: Any, number_format: str | None = None):
        if isinstance(value, str):
            value = guard.text(value)
        cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
        if isinstance(value, str) and runs_as_formula(value):
            as_text(cell)
        if number_format is None and isinstance(value, int):
            number_format = "0"
        if number_format is not None:
            cell.number_format = number_format
        return cell

    sheet.append([bold("评分汇总", True), bold("", True), bold("", True)])
    for key, value in facts:
        sheet.append([bold(key), plain(value)])
    sheet.append([])
    sheet.append([bold("等次", True), bold("个数", True), bold("占比", True)])
    for grade, count, share in grades:
        sheet.append([plain(grade), plain(count), plain(share)])
    sheet.append([])
    sheet.append([bold("名次规则"), plain(note)])
