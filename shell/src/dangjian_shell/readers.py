"""Reading files: JSONL streamed line by line, CSV (UTF-8, else GB18030) and XLSX rows.

What a record means is the kernel's business (`dangjian.scoring.records`); here are only bytes, text
encodings and spreadsheet cells. Row numbers are what a user sees: the line of a JSONL file,
the spreadsheet row of a CSV or XLSX file (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dangjian.errors import InputFileError

KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
_BOM = b"\xef\xbb\xbf"
_BAD_BYTES = re.compile("[\udc80-\udcff]")
GB18030_NOTE = "按 GB18030 编码读取（中文版 Excel 另存的 CSV）"
CSV_FIELD_LIMIT = 1 << 30
"""Cells of any size a file can hold (Python's default limit, 128 KiB, would end the file)."""
_LINE_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def kind_of(path: Path, allowed: tuple[str, ...] = ("jsonl", "csv", "xlsx")) -> str:
    """The file's format by extension; anything else is refused before reading starts."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None or kind not in allowed:
        names = "、".join(sorted({f".{k}" for k in allowed}))
        hint = "，请在 Excel 中另存为 .xlsx 或 .csv" if path.suffix.lower() in (".xls", ".et") else ""
        raise InputFileError(f"不支持的文件类型“{path.suffix or '无扩展名'}”（可用：{names}）{hint}",
                             file=str(path))
    if not path.is_file():
        raise InputFileError("文件不存在" if not path.exists() else "这不是一个文件",
                             file=str(path))
    return kind


def digest(paths: list[Path]) -> str:
    """A content hash of the input files, recorded with the run so it can be redone."""
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:16]


# -- text ---------------------------------------------------------------------------------
def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """`utf-8-sig` if the whole file is UTF-8, else `gb18030`, else `mixed` (line by line)."""
    if _decodes(path, "utf-8-sig"):
        return "utf-8-sig"
    if _decodes(path, "gb18030"):
        return "gb18030"
    return "mixed"


def _decode_line(raw: bytes, encoding: str) -> str:
    if encoding != "mixed":
        return raw.decode(encoding)
    for candidate in ("utf-8", "gb18030"):
        try:
            return raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "surrogateescape")


def text_lines(path: Path, encoding: str) -> Iterator[str]:
    """Decoded lines with their line ends; undecodable bytes kept as surrogates to reject."""
    with open(path, "rb") as f:
        first = True
        for raw in f:
            if first and raw.startswith(_BOM):
                raw = raw[len(_BOM):]
            first = False
            yield _decode_line(raw, encoding)


def universal_lines(lines: Iterator[str]) -> Iterator[str]:
    """Lines split at a lone carriage return too (old Mac line ends, a stray CR in a cell), so
    the CSV reader never sees a line end inside an unquoted field."""
    for text in lines:
        body = text.removesuffix("\r\n")
        if "\r" in body:
            yield from (part for part in _LINE_END.findall(text) if part)
        else:
            yield text


def read_text(path: Path) -> tuple[str, str | None]:
    """A whole text file (a report), UTF-8 or GB18030; the note says which was used."""
    data = path.read_bytes()
    for encoding, note in (("utf-8-sig", None), ("gb18030", "按 GB18030 编码读取")):
        try:
            return data.decode(encoding), note
        except UnicodeDecodeError:
            continue
    raise InputFileError("既不是 UTF-8 也不是 GB18030 编码的文本，无法读取", file=str(path))


def bad_bytes(cells: list[Any]) -> bool:
    return any(isinstance(c, str) and _BAD_BYTES.search(c) for c in cells)


# -- tables --------------------------------------------------------------------------------
@dataclass
class Table:
    """A spreadsheet being read: its rows with their numbers, and what to tell the user."""

    path: Path
    kind: str
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        if self.kind == "csv":
            yield from self._csv_rows()
        else:
            yield from self._xlsx_rows()

    def _csv_rows(self) -> Iterator[tuple[int, list[Any]]]:
        self.encoding = detect_encoding(self.path)
        if self.encoding == "gb18030":
            self.notes.append(f"{self.path}：{GB18030_NOTE}")
        elif self.encoding == "mixed":
            self.notes.append(f"{self.path}：既不是完整的 UTF-8 也不是 GB18030 编码，逐行识别，"
                              "无法识别的行已拒绝")
        csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
        reader = csv.reader(universal_lines(text_lines(self.path, self.encoding)))
        try:
            yield from enumerate(reader, 1)
        except csv.Error as exc:
            raise InputFileError(f"CSV 格式有误：{exc}", file=str(self.path),
                                 row=reader.line_num) from None

    def _xlsx_rows(self) -> Iterator[tuple[int, list[Any]]]:
        from .xlsx import Workbook

        try:
            book = Workbook(self.path)
            try:
                if any(name != "填写说明" for name in book.sheet_names[1:]):
                    self.notes.append(f"{self.path}：只读取第一个工作表“{book.sheet_names[0]}”")
                for number, values in book.rows():
                    yield number, [_cell(v) for v in values]
            finally:
                book.close()
        except MemoryError:
            raise InputFileError("读取 XLSX 文件时内存不足，文件太大", file=str(self.path)) from None


def _cell(value: Any) -> Any:
    """Excel stores 12 as 12.0 and dates as datetimes; give the plain value back."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def bad_cell(cells: list[Any]) -> tuple[int, Any] | None:
    """(column index, BadCell) of the first spreadsheet cell in a row that could not be read."""
    from .xlsx import BadCell

    for index, cell in enumerate(cells):
        if isinstance(cell, BadCell):
            return index, cell
    return None


def bad_cell_reason(cell: Any, title: Any = None) -> str:
    """Why a row is rejected for a cell: its column (letter and header) and what is wrong."""
    named = f"（{str(title).strip()}）" if title is not None and str(title).strip() else ""
    return f"{cell.column} 列{named}的单元格无法读取：{cell.reason}"


def is_blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def find_header(rows: Iterator[tuple[int, list[Any]]], names: set[str],
                look_ahead: int = 10) -> tuple[int, list[Any], list[tuple[int, list[Any]]]]:
    """The header row: the first row (within `look_ahead`) naming one of `names`, so a title
    row above the header is allowed. Returns (row number, header, rows read past it)."""
    seen: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        seen.append((number, cells))
        labels = {str(c).strip().lstrip("\ufeff") for c in cells if c is not None}
        if labels & names:
            return number, cells, []
        if len(seen) >= look_ahead:
            break
    first = next(((n, c) for n, c in seen if not is_blank(c)), None)
    if first is None:
        return 0, [], []
    return first[0], first[1], [(n, c) for n, c in seen if n > first[0]]
