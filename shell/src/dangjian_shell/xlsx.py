"""Reading the first sheet of an XLSX file: bounded, defended, and one bad cell spoils one row.

An XLSX file is a zip of XML parts. Before anything is parsed, the parts to be read are checked
against `Limits` (uncompressed size, compression ratio, number of shared strings), so a small
file that unpacks to gigabytes is refused with a Chinese line instead of exhausting memory.
The XML is parsed with expat as a stream, refusing any DTD (what defusedxml's `forbid_dtd`
does), with no text kept beyond the XLSX cell limit. A cell that cannot be read (`NaN`, an
unknown shared string, a date that is not one, a position like `ZZZZZ3`) becomes a `BadCell`
naming the column and the reason, so the reader rejects that row and goes on.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from dangjian.errors import InputFileError
from dangjian.numbers import is_number_text

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384  # XFD
MAX_CELL_CHARS = 32_767
RATIO_FLOOR = 1 << 20
"""Parts smaller than this unpacked are not checked for their ratio (tiny parts compress well)."""
_CHUNK = 1 << 16
_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_REL_DOCUMENT = "/officeDocument"
ENV = {"max_bytes": "DANGJIAN_XLSX_MAX_BYTES", "max_ratio": "DANGJIAN_XLSX_MAX_RATIO",
       "max_strings": "DANGJIAN_XLSX_MAX_STRINGS"}


@dataclass(frozen=True)
class Limits:
    """How much an XLSX file may unpack to. Each can be changed by its environment variable."""

    max_bytes: int = 512 << 20
    """Uncompressed size of the parts read (workbook, styles, shared strings, the sheet)."""
    max_ratio: int = 100
    """Uncompressed size over compressed size of any part over `RATIO_FLOOR`."""
    max_strings: int = 1_000_000
    """Shared strings (each distinct text of the workbook)."""

    @classmethod
    def from_env(cls) -> Limits:
        values = {}
        for name, variable in ENV.items():
            text = os.environ.get(variable, "").strip()
            if text:
                try:
                    values[name] = max(1, int(text))
                except ValueError:
                    raise InputFileError(f"环境变量 {variable} 应为正整数，实为“{text}”") from None
        return cls(**values)


class BadCell:
    """A cell that could not be read: the row holding it is rejected with this reason."""

    __slots__ = ("column", "reason")

    def __init__(self, column: str, reason: str) -> None:
        self.column, self.reason = column, reason

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"BadCell({self.column!r}, {self.reason!r})"


class _Overlong:
    """A shared string longer than a cell may be (kept as its length only)."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


def column_letter(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index


def _local(name: str) -> str:
    return name.rpartition("}")[2]


class _Doctype(Exception):
    """A part declares a DTD: entities could expand without bound (billion laughs)."""


def _refuse_dtd(*_args) -> None:
    raise _Doctype


def _parser() -> Any:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    return parser


class Workbook:
    """One XLSX file opened for reading its first sheet."""

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or Limits.from_env()
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise self._invalid(f"不是 zip 压缩包（{type(exc).__name__}）") from None
        self._names = {info.filename.lower(): info for info in self._zip.infolist()}
        self._budget = self.limits.max_bytes
        try:
            self._open()
        except BaseException:
            self._zip.close()
            raise

    def _invalid(self, why: str) -> InputFileError:
        return InputFileError(f"不是有效的 XLSX 文件：{why}", file=str(self.path))

    def _too_big(self, why: str, variable: str) -> InputFileError:
        return InputFileError(f"XLSX 文件{why}，疑似压缩炸弹，拒绝读取（上限可用环境变量 "
                              f"{variable} 调整）", file=str(self.path))

    # -- parts ------------------------------------------------------------------------------
    def _info(self, name: str) -> zipfile.ZipInfo | None:
        return self._names.get(name.lower().lstrip("/"))

    def _check(self, info: zipfile.ZipInfo) -> None:
        limits = self.limits
        if info.file_size > RATIO_FLOOR and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise self._too_big(f"中的 {info.filename} 压缩比超过 {limits.max_ratio} 倍",
                                ENV["max_ratio"])
        if info.file_size > self._budget:
            raise self._too_big(f"解压后超过 {_size(limits.max_bytes)}", ENV["max_bytes"])

    def _chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The part's bytes, counted as they unpack: a zip directory that lies is caught too."""
        self._check(info)
        try:
            with self._zip.open(info) as f:
                while chunk := f.read(_CHUNK):
                    self._budget -= len(chunk)
                    if self._budget < 0:
                        raise self._too_big(f"解压后超过 {_size(self.limits.max_bytes)}",
                                            ENV["max_bytes"])
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
            raise self._invalid(f"{info.filename} 无法解压（{type(exc).__name__}）") from None

    def _parse(self, info: zipfile.ZipInfo, parser: Any, after: Callable[[], Any] | None = None):
        """Feed a part to an expat parser; `after` is called after each chunk (rows ready)."""
        try:
            for chunk in self._chunks(info):
                parser.Parse(chunk, False)
                if after is not None:
                    yield from after()
            parser.Parse(b"", True)
        except _Doctype:
            raise self._invalid(f"{info.filename} 含有 DTD 声明（可能是 XML 实体攻击），"
                                "拒绝读取") from None
        except expat.ExpatError as exc:
            raise self._invalid(f"{info.filename} 不是完好的 XML（第 {exc.lineno} 行："
                                f"{expat.ErrorString(exc.code)}）") from None
        if after is not None:
            yield from after()

    def _elements(self, name: str, wanted: set[str]) -> list[tuple[str, dict]]:
        """The start tags (local name, attributes) of a small part, for the ones wanted."""
        info = self._info(name)
        if info is None:
            return []
        found: list[tuple[str, dict]] = []
        parser = _parser()

        def start(tag, attrs):
            local = _local(tag)
            if local in wanted:
                found.append((local, {_local(k): v for k, v in attrs.items()}))

        parser.StartElementHandler = start
        for _ in self._parse(info, parser):
            pass
        return found

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type, target path inside the zip)."""
        folder, base = posixpath.split(part)
        rels = {}
        for _, attrs in self._elements(posixpath.join(folder, "_rels", base + ".rels"),
                                       {"Relationship"}):
            target = attrs.get("Target", "")
            if attrs.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") \
                else posixpath.normpath(posixpath.join(folder, target))
            rels[attrs.get("Id", "")] = (attrs.get("Type", ""), path)
        return rels

    # -- the workbook ------------------------------------------------------------------------
    def _open(self) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        document = next((path for kind, path in self._relations("").values()
                         if kind.endswith(_REL_DOCUMENT)), "xl/workbook.xml")
        if self._info(document) is None:
            raise self._invalid("缺少工作簿（xl/workbook.xml）")
        elements = self._elements(document, {"sheet", "workbookPr"})
        sheets = [attrs for tag, attrs in elements if tag == "sheet"]
        flags = [attrs for tag, attrs in elements if tag == "workbookPr"]
        if not sheets:
            raise self._invalid("工作簿中没有工作表")
        self.sheet_names = [s.get("name", "") for s in sheets]
        date1904 = bool(flags) and flags[0].get("date1904", "").lower() in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        rels = self._relations(document)
        first = rels.get(sheets[0].get("id", ""))
        self._sheet = self._info(first[1]) if first else None
        if self._sheet is None:
            raise self._invalid(f"找不到第一个工作表“{self.sheet_names[0]}”的内容")
        by_type = {kind.rsplit("/", 1)[-1]: path for kind, path in rels.values()}
        self._dates, self._durations = self._date_styles(by_type.get("styles"))
        self._strings = self._shared_strings(by_type.get("sharedStrings"))

    def _date_styles(self, part: str | None) -> tuple[set[int], set[int]]:
        """Which cell styles show a number as a date (Excel stores dates as day counts)."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        if part is None:
            return set(), set()
        info = self._info(part)
        if info is None:
            return set(), set()
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        styles: list[int] = []
        depth = {"cellXfs": 0}
        parser = _parser()

        def start(tag, attrs):
            local = _local(tag)
            if local == "numFmt":
                try:
                    formats[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
                except ValueError:
                    pass
            elif local == "cellXfs":
                depth["cellXfs"] += 1
            elif local == "xf" and depth["cellXfs"]:
                try:
                    styles.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    styles.append(0)

        def end(tag):
            if _local(tag) == "cellXfs":
                depth["cellXfs"] -= 1

        parser.StartElementHandler, parser.EndElementHandler = start, end
        for _ in self._parse(info, parser):
            pass
        dates, durations = set(), set()
        for index, fmt_id in enumerate(styles):
            code = formats.get(fmt_id, "")
            if code and is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
        return dates, durations

    def _shared_strings(self, part: str | None) -> list[str | _Overlong]:
        info = self._info(part) if part else self._info("xl/sharedStrings.xml")
        if info is None:
            return []
        strings: list[str | _Overlong] = []
        text = _Text()
        state = {"si": False, "skip": 0}
        limit = self.limits.max_strings
        parser = _parser()

        def start(tag, attrs):
            local = _local(tag)
            if local == "si":
                if len(strings) >= limit:
                    raise self._too_big(f"中的共享字符串超过 {limit:,} 个", ENV["max_strings"])
                state["si"] = True
                text.reset()
            elif local in ("rPh", "phoneticPr"):
                state["skip"] += 1
            elif local == "t" and state["si"] and not state["skip"]:
                text.on = True

        def end(tag):
            local = _local(tag)
            if local == "si":
                state["si"] = False
                strings.append(text.value())
            elif local in ("rPh", "phoneticPr"):
                state["skip"] -= 1
            elif local == "t":
                text.on = False

        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.CharacterDataHandler = text.add
        for _ in self._parse(info, parser):
            pass
        return strings

    # -- the sheet ---------------------------------------------------------------------------
    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells) of the first sheet, in file order; missing rows are blank."""
        reader = _SheetReader(self)
        parser = _parser()
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.text.add
        yield from self._parse(self._sheet, parser, reader.take)

    def close(self) -> None:
        self._zip.close()


class _Text:
    """Text of one cell or shared string, kept up to the cell limit, counted beyond it."""

    __slots__ = ("length", "on", "parts")

    def __init__(self) -> None:
        self.on = False
        self.reset()

    def reset(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, data: str) -> None:
        if self.on:
            if self.length <= MAX_CELL_CHARS:
                self.parts.append(data)
            self.length += len(data)

    def value(self) -> str | _Overlong:
        if self.length > MAX_CELL_CHARS:
            return _Overlong(self.length)
        return "".join(self.parts)


class _SheetReader:
    """expat handlers turning `<row>`/`<c>` elements into lists of cell values."""

    def __init__(self, book: Workbook) -> None:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.book = book
        self.from_excel, self.from_iso = from_excel, from_ISO8601
        self.text = _Text()
        self.ready: list[tuple[int, list[Any]]] = []
        self.row_number = 0
        self.row: list[Any] | None = None
        self.column = 0
        self.cell: dict | None = None
        self.is_depth = 0
        self.skip = 0

    def take(self) -> list[tuple[int, list[Any]]]:
        ready, self.ready = self.ready, []
        return ready

    def start(self, tag: str, attrs: dict) -> None:
        local = _local(tag)
        if local == "c" and self.row is not None:
            self._start_cell(attrs)
        elif self.cell is not None:
            if local == "v":
                self.text.on = True
            elif local == "is":
                self.is_depth += 1
            elif local == "rPh":
                self.skip += 1
            elif local == "t" and self.is_depth and not self.skip:
                self.text.on = True
        elif local == "row":
            self._start_row(attrs)

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local in ("v", "t"):
            self.text.on = False
        elif local == "is":
            self.is_depth -= 1
        elif local == "rPh":
            self.skip -= 1
        elif local == "c" and self.cell is not None:
            self._end_cell()
        elif local == "row" and self.row is not None:
            self.ready.append((self.row_number, self.row))
            self.row = None

    def _start_row(self, attrs: dict) -> None:
        number = attrs.get("r")
        self.row_number = int(number) if number is not None and number.isdigit() \
            and 0 < int(number) <= MAX_ROW else self.row_number + 1
        self.row, self.column = [], 0

    def _start_cell(self, attrs: dict) -> None:
        ref = attrs.get("r")
        self.column += 1
        problem = None
        if ref is not None:
            match = _REF.fullmatch(ref)
            index = _column_index(match.group(1)) if match else 0
            if 0 < index <= MAX_COLUMN:
                self.column = index
            else:
                problem = f"单元格位置“{ref[:20]}”无效"
        if self.column > MAX_COLUMN:
            problem = problem or f"超出 XLSX 的最大列 XFD（第 {self.column} 列）"
        self.cell = {"t": attrs.get("t", "n"), "s": attrs.get("s"), "problem": problem}
        self.text.reset()
        self.is_depth = self.skip = 0

    def _end_cell(self) -> None:
        cell, self.cell = self.cell, None
        letter = column_letter(min(self.column, MAX_COLUMN))
        if cell["problem"]:
            value: Any = BadCell(letter, cell["problem"])
        elif self.text.length == 0 and cell["t"] != "inlineStr":
            value = None
        else:
            value = self._value(cell["t"], cell["s"], self.text.value(), letter)
        if self.column > MAX_COLUMN:
            self.column = MAX_COLUMN
        row = self.row
        if len(row) < self.column:
            row.extend([None] * (self.column - len(row)))
        row[self.column - 1] = value

    def _value(self, kind: str, style: str | None, text: str | _Overlong, letter: str) -> Any:
        if isinstance(text, _Overlong):
            return BadCell(letter, f"单元格超过 32,767 个字符（{text.length:,} 个）")
        if kind == "s":
            return self._shared(text, letter)
        if kind in ("str", "inlineStr", "e"):
            return text
        if kind == "b":
            if text.strip() in ("1", "true"):
                return True
            if text.strip() in ("0", "false"):
                return False
            return BadCell(letter, f"逻辑值“{text[:20]}”无效")
        if kind == "d":
            try:
                return self.from_iso(text.strip())
            except (ValueError, TypeError, OverflowError):
                return BadCell(letter, f"日期“{text[:40]}”无效")
        if kind != "n":
            return BadCell(letter, f"未知的单元格类型“{kind[:20]}”")
        number = _number(text)
        if number is None:
            return BadCell(letter, f"数值“{text[:40]}”不是有限的数字")
        if style is not None and style.isdigit() and int(style) in self.book._dates:
            try:
                return self.from_excel(number, self.book.epoch,
                                       timedelta=int(style) in self.book._durations)
            except (ValueError, OverflowError, TypeError):
                return BadCell(letter, f"日期序号 {text[:40]} 超出日期范围")
        return number

    def _shared(self, text: str, letter: str) -> Any:
        strings = self.book._strings
        index = int(text) if _INTEGER.fullmatch(text) and len(text) < 12 else -1
        if not 0 <= index < len(strings):
            return BadCell(letter, f"共享字符串编号“{text[:20]}”不存在")
        value = strings[index]
        if isinstance(value, _Overlong):
            return BadCell(letter, f"单元格超过 32,767 个字符（{value.length:,} 个）")
        return value


def _number(text: str) -> int | float | None:
    """A numeric cell's value; NaN, infinities, garbage and absurd lengths give None."""
    text = text.strip()
    if len(text) > 400 or not is_number_text(text):
        return None
    if _INTEGER.fullmatch(text):
        return int(text)
    value = float(text)
    return value if math.isfinite(value) else None


def _size(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MiB" if n >= 1 << 20 else f"{n:,} 字节"
