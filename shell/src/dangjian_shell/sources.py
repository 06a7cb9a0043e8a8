"""Input files as records for the kernel: `(row, raw)` pairs, raw being a JSONL line (bytes), an
Evaluation or a Reject. Every non-blank row or line becomes exactly one record."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dangjian.models import Evaluation, Reject
from dangjian.scoring.pipeline import Lines, chunks
from dangjian.scoring.records import ORG_COLUMNS, RowReader, decode_evaluation

from .activities import ActivityIndex
from .readers import Table, bad_bytes, bad_cell, bad_cell_reason, find_header, is_blank, kind_of
from .templates import EXAMPLE_ORG_ID, example_note, is_example, is_example_line

_BOM = b"\xef\xbb\xbf"
_BLOCK = 1 << 20
_EXAMPLE = EXAMPLE_ORG_ID.encode()  # a line without it is no example line
ORG_ID_NAMES = set(ORG_COLUMNS["org_id"])
BAD_BYTES_REASON = ("本行含有无法识别的字符：文件既不是 UTF-8 也不是 GB18030 编码"
                    "（请在 Excel 中另存为“CSV UTF-8”或 .xlsx）")


@dataclass
class InputFile:
    """One evaluation file given to `score`, with the notes its reading produced."""

    path: Path
    scheme: Any
    activities: ActivityIndex | None = None
    kind: str = ""
    notes: list[str] = field(default_factory=list)
    skip_example: bool = True  # the template's example row (组织编号“示例”) is never scored

    def __post_init__(self) -> None:
        self.kind = kind_of(self.path)

    @property
    def source(self) -> str:
        return str(self.path)

    def records(self) -> Iterable[tuple[int, Any]]:
        """The file's records, to be read once: `(row, raw)` pairs (see the module)."""
        if self.kind == "jsonl":
            return _JsonlRecords(self)
        return self._table()

    # -- JSONL ---------------------------------------------------------------------------
    def _blocks(self) -> Iterator[tuple[int, list[bytes], bool]]:
        """The lines a block at a time: the block's first row, its lines, and whether they
        are clean (each line a record as it is: no blank line, no example line to skip, no
        activities to merge)."""
        with open(self.path, "rb") as f:
            number = 0
            while True:
                data = f.read(_BLOCK)
                if not data:
                    return
                if data[-1:] != b"\n":
                    data += f.readline()
                if number == 0 and data.startswith(_BOM):
                    data = data[len(_BOM):]
                lines = io.BytesIO(data).readlines()
                start, number = number + 1, number + len(lines)
                yield start, lines, (self.activities is None
                                     and not (self.skip_example and _EXAMPLE in data)
                                     and not any(map(bytes.isspace, lines)))

    def _jsonl(self) -> Iterator[tuple[int, Any]]:
        """Numbered lines: a clean block goes out as it is, the others line by line."""
        for start, lines, clean in self._blocks():
            if clean:
                yield from enumerate(lines, start)
            else:
                yield from self._jsonl_lines(lines, start)

    def _jsonl_chunks(self, size: int) -> Iterator[list[tuple[int, Any]]]:
        """The records of `_jsonl` in chunks of `size` (fewer where a block that is not clean
        begins or ends a run of clean ones): a run of clean lines as `Lines`, the rest as
        lists of pairs."""
        pending: list[bytes] = []
        first = 1
        for start, lines, clean in self._blocks():
            if not clean:
                if pending:
                    yield Lines(first, pending)
                    pending = []
                yield from chunks(self._jsonl_lines(lines, start), size)
                continue
            if not pending:
                first = start
            pending += lines
            while len(pending) >= size:
                yield Lines(first, pending[:size])
                del pending[:size]
                first += size
        if pending:
            yield Lines(first, pending)

    def _jsonl_lines(self, lines: list[bytes], start: int) -> Iterator[tuple[int, Any]]:
        for number, line in enumerate(lines, start):
            if not line or line.isspace():
                continue
            if self.skip_example and _EXAMPLE in line and is_example_line(line):
                self.notes.append(example_note(self.path, number))
                continue
            if self.activities is None:
                yield number, line
                continue
            item = decode_evaluation(line, row=number, source=self.source)
            yield number, self._merge(item, number)

    # -- CSV / XLSX ----------------------------------------------------------------------
    def _table(self) -> Iterator[tuple[int, Any]]:
        table = Table(self.path, self.kind)
        rows = table.rows()
        header_row, header, pending = find_header(rows, ORG_ID_NAMES)
        self.notes.extend(table.notes)
        if header_row > 1:
            self.notes.append(f"{self.path}：表头在第 {header_row} 行，前面的标题行未计入")
        reader = RowReader(self.scheme, [str(c) if c is not None else "" for c in header],
                           source=self.source)
        if reader.unknown:
            self.notes.append(f"{self.path}：以下列不属于本方案，已忽略：{'、'.join(reader.unknown)}")
        text_columns = self._text_columns(reader)

        def all_rows():
            yield from pending
            yield from rows

        for number, cells in all_rows():
            if is_blank(cells):
                continue
            if self.skip_example and is_example(reader.keys, cells):
                self.notes.append(example_note(self.path, number))
                continue
            if bad_bytes(cells):
                yield number, Reject(row=number, source=self.source, reason=BAD_BYTES_REASON)
                continue
            broken = bad_cell(cells)
            if broken is not None:
                yield number, self._bad_cell(reader, header, cells, number, *broken)
                continue
            if reader.missing_org_id():
                yield number, Reject(row=number, source=self.source, field="org_id",
                                     reason="表头中没有组织编号列（org_id 或 组织编号），"
                                     "无法确定本行属于哪个组织")
                continue
            for i in text_columns:
                if i < len(cells) and isinstance(cells[i], (int, float)) \
                        and not isinstance(cells[i], bool):
                    cells[i] = str(cells[i])
            yield number, self._merge(reader.evaluation(list(cells), row=number), number)

    def _bad_cell(self, reader: RowReader, header: list[Any], cells: list[Any], number: int,
                  index: int, cell: Any) -> Reject:
        """The reject of a row holding a cell that could not be read, naming its column."""
        key = reader.keys[index] if index < len(reader.keys) else None
        field = f"inputs.{key}" if key in reader.input_names else key
        title = header[index] if index < len(header) else None
        org_id = None
        if "org_id" in reader.keys:
            value = cells[reader.keys.index("org_id")] if reader.keys.index("org_id") < len(cells) \
                else None
            org_id = str(value).strip() if isinstance(value, (str, int)) and str(value).strip() \
                else None
        return Reject(row=number, source=self.source, field=field or (title and str(title)) or
                      cell.column, reason=bad_cell_reason(cell, title), org_id=org_id)

    def _text_columns(self, reader: RowReader) -> list[int]:
        """Columns whose values are text even when Excel stored a number (2019 → "2019")."""
        text_keys = {spec.name for spec in self.scheme.inputs
                     if spec.type in ("text", "choice")}
        return [i for i, key in enumerate(reader.keys) if key in text_keys]

    def _merge(self, item: Evaluation | Reject, number: int) -> Evaluation | Reject:
        if isinstance(item, Reject) or self.activities is None:
            return item
        return self.activities.merge(item, row=number, source=self.source)


class _JsonlRecords:
    """A JSONL file's records: iterated, `(row, line)` pairs; to the pipeline, which asks for
    `chunks`, the same in chunks whose clean lines cross to another process as read."""

    def __init__(self, file: InputFile) -> None:
        self._file = file

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        return self._file._jsonl()

    def chunks(self, size: int) -> Iterator[list[tuple[int, Any]]]:
        return self._file._jsonl_chunks(size)
