"""Writing results and rejects: JSONL (the kernel's one encoding), CSV (opens in Excel) or XLSX.

The format follows the extension; `-` writes JSONL to stdout. A file is written beside its
target and renamed into place when complete, so an interrupted run never leaves a partial
file under the name the user asked for. JSONL objects are exactly
`dangjian.storage.encode_result`; CSV and XLSX hold one row per organization with Chinese
headers, totals as written by the scheme's rounding. Every cell goes through `cells`: text a
spreadsheet would run as a formula is neutralised, XLSX's 32,767-character limit is never a
silent cut (the writer says how many cells it cut).
"""

from __future__ import annotations

import csv
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from dangjian.errors import InputFileError
from dangjian.models import Reject, Result
from dangjian.pipeline import Encoded
from dangjian.storage import encode_result

from .cells import CellGuard, csv_row

OUTPUT_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
_decode_result = msgspec.json.Decoder(Result).decode
_encode = msgspec.json.Encoder(decimal_format="number").encode
REJECT_COLUMNS = [("source", "文件"), ("row", "行号"), ("org_id", "组织编号"), ("field", "字段"),
                  ("reason", "原因")]


def partial_path(path: Path) -> Path:
    """Where an output file is written until it is complete (beside it, hidden)."""
    return path.with_name(f".{path.name}.partial")


def output_kind(path: Path | str) -> str:
    """The format of an output path, checked before any work is done."""
    if str(path) == "-":
        return "jsonl"
    path = Path(path)
    kind = OUTPUT_KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputFileError(f"不支持的输出文件类型“{path.suffix or '无扩展名'}”"
                             "（可用：.jsonl、.csv、.xlsx）", file=str(path))
    parent = path.parent
    if not parent.is_dir():
        raise InputFileError(f"目录 {parent} 不存在", file=str(path))
    return kind


class ResultColumns:
    """The columns of a result table for one scheme: who, total, grade, parts, outcomes."""

    def __init__(self, scheme, catalog, components: list[tuple[str, str]] | None = None) -> None:
        self.components = components if components is not None else \
            [(c.id, c.title) for c in scheme.components]
        self.type_titles = {t.id: t.title for t in catalog.org_types.values()}

    def header(self) -> list[str]:
        return ["组织编号", "组织名称", "组织类型", "总分", "满分", "等次", "按分数等次",
                *(f"{title}得分" for _, title in self.components),
                "一票否决", "结果运用", "不得评定", "诊断", "距上一等次", "方案", "方案版本"]

    def row(self, r: Result) -> list[Any]:
        points = {c.id: c.points for c in r.components}
        next_band = (f"距“{r.to_next_band.grade}”还差{_plain(r.to_next_band.points)}分"
                     if r.to_next_band is not None else "")
        return [r.org_id, r.org_name, self.type_titles.get(r.org_type, r.org_type), r.total,
                r.max, r.grade, r.points_grade,
                *(_points(points.get(cid)) for cid, _ in self.components),
                "；".join(_fired(v) for v in r.vetoes),
                "；".join(_fired(c) for c in r.consequences),
                "；".join(e.title for e in r.eligibility if not e.eligible),
                "；".join(f"【{f.severity}】{f.message}" for f in r.findings),
                next_band, r.scheme.id, r.scheme.version]


def _fired(item) -> str:
    return item.title if not item.reason or item.reason == item.title \
        else f"{item.title}（{item.reason}）"


def _points(value: Decimal | None) -> Decimal | None:
    """A component's exact points shown with at most two decimals (93.33, not 93.3333…)."""
    from dangjian.numbers import fmt

    return None if value is None else Decimal(fmt(value))


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Table:
    """Rows to a CSV (UTF-8 with BOM, so Excel shows Chinese) or a streamed XLSX sheet."""

    def __init__(self, path: Path, kind: str, header: list[str], sheet: str) -> None:
        self.path, self.kind = path, kind
        self._partial = partial_path(path)
        self.guard = CellGuard()
        if kind == "csv":
            # Kept open across write() calls and closed by close(): a context manager cannot.
            self._file = open(self._partial, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._csv = csv.writer(self._file)
            self._csv.writerow(csv_row(header))
        else:
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(sheet)
            self._sheet.freeze_panes = "A2"
            self._sheet.append([self._cell(v) for v in header])

    def append(self, values: list[Any]) -> None:
        if self.kind == "csv":
            self._csv.writerow(csv_row(values))
        else:
            self._sheet.append([self._cell(v) for v in values])

    def _cell(self, value: Any) -> Any:
        if not isinstance(value, Decimal):
            return self.guard.xlsx_cell(self._sheet, value)
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=float(value))
        exponent = -value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0
        places = max(exponent, 0)
        cell.number_format = "0." + "0" * places if places else "0"
        return cell

    def close(self) -> None:
        if self.kind == "csv":
            self._file.close()
        else:
            self._book.save(self._partial)
        os.replace(self._partial, self.path)
        if self.notes:
            from .console import esc, warn

            for line in self.notes:
                warn(esc(line))

    @property
    def notes(self) -> list[str]:
        return self.guard.notes(str(self.path))

    def discard(self) -> None:
        if self.kind == "csv":
            self._file.close()
        self._partial.unlink(missing_ok=True)


class ResultWriter:
    """Takes results as they are scored (Encoded from the pipeline, or stored Results)."""

    def __init__(self, path: Path | str, columns: ResultColumns, *, with_lines: bool = True):
        self.path = path
        self.kind = output_kind(path)
        self.with_lines = with_lines
        self.columns = columns
        self.count = 0
        self._table = None
        self._file = None
        if self.kind == "jsonl":
            self._file = sys.stdout.buffer if str(path) == "-" \
                else open(partial_path(Path(path)), "wb")  # noqa: SIM115
        else:
            self._table = _Table(Path(path), self.kind, columns.header(), "评分结果")

    def write(self, item: Encoded | Result) -> None:
        self.count += 1
        if self._file is not None:
            data = (item.json() if self.with_lines else item.payload) \
                if isinstance(item, Encoded) else encode_result(item)
            self._file.write(data + b"\n")
        else:
            result = _decode_result(item.payload) if isinstance(item, Encoded) else item
            self._table.append(self.columns.row(result))

    def close(self) -> None:
        """Finish the file: only now does it appear under its name, complete."""
        if self._file is not None:
            if str(self.path) == "-":
                self._file.flush()
            else:
                self._file.close()
                os.replace(self._file.name, self.path)
        else:
            self._table.close()

    def discard(self) -> None:
        """Drop what was written (an interrupted run): no partial file is left under its name."""
        if self._file is not None:
            if str(self.path) == "-":
                self._file.flush()
            else:
                self._file.close()
                Path(self._file.name).unlink(missing_ok=True)
        else:
            self._table.discard()


class RejectWriter:
    """Rejected rows with file, row, org, field and reason, to CSV, XLSX or JSONL."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.kind = output_kind(path)
        self.count = 0
        self._file = None
        self._table = None
        if self.kind == "jsonl":
            self._file = sys.stdout.buffer if str(path) == "-" \
                else open(partial_path(Path(path)), "wb")  # noqa: SIM115
        else:
            self._table = _Table(Path(path), self.kind, [t for _, t in REJECT_COLUMNS], "拒绝的行")

    def write(self, reject: Reject) -> None:
        self.count += 1
        if self._file is not None:
            self._file.write(_encode(reject) + b"\n")
        else:
            self._table.append([getattr(reject, key) for key, _ in REJECT_COLUMNS])

    def close(self) -> None:
        """Finish the file: only now does it appear under its name, complete."""
        if self._file is not None:
            if str(self.path) == "-":
                self._file.flush()
            else:
                self._file.close()
                os.replace(self._file.name, self.path)
        else:
            self._table.close()

    def discard(self) -> None:
        """Drop what was written (an interrupted run): no partial file is left under its name."""
        if self._file is not None:
            if str(self.path) == "-":
                self._file.flush()
            else:
                self._file.close()
                Path(self._file.name).unlink(missing_ok=True)
        else:
            self._table.discard()
