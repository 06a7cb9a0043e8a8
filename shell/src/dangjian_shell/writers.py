"""Writing results and rejects: JSONL (the kernel's one encoding), CSV (opens in Excel) or XLSX.

The format follows the extension; `-` writes JSONL to stdout. A file is written beside its
target and renamed into place when complete (`finish`, then `publish` once the run is
stored), so an interrupted run never leaves a partial file under the name the user asked for. JSONL objects are exactly
`dangjian.storage.encode_result`; CSV and XLSX hold one row per organization with Chinese
headers, totals as written by the scheme's rounding.
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
from dangjian.compact import Scored, encode_result
from dangjian.models import Reject, Result

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

    def __init__(self, scheme, catalog, components: list[tuple[str, str]] | None = None,
                 *, explain: bool = False) -> None:
        self.components = components if components is not None else \
            [(c.id, c.title) for c in scheme.components]
        self.type_titles = {t.id: t.title for t in catalog.org_types.values()}
        self.explain = explain

    def header(self) -> list[str]:
        return ["组织编号", "组织名称", "组织类型", "总分", "满分", "等次", "按分数等次",
                *(f"{title}得分" for _, title in self.components),
                "一票否决", "结果运用", "不得评定", "诊断", "距上一等次", "方案", "方案版本",
                *(["得分说明"] if self.explain else [])]

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
                next_band, r.scheme.id, r.scheme.version,
                *([explanation(r)] if self.explain else [])]


def explanation(result: Result) -> str:
    """A result's explanation lines as one cell: one line each, indented by depth."""
    return "\n".join("  " * line.depth + line.text for line in result.lines)


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
        self._done = False
        if kind == "csv":
            # Kept open across write() calls and closed by close(): a context manager cannot.
            self._file = open(self._partial, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._csv = csv.writer(self._file)
            self._csv.writerow(header)
        else:
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(sheet)
            self._sheet.freeze_panes = "A2"
            self._sheet.append(header)

    def append(self, values: list[Any]) -> None:
        if self.kind == "csv":
            self._csv.writerow(["" if v is None else f"{v:f}" if isinstance(v, Decimal) else v
                                for v in values])
        else:
            self._sheet.append([self._cell(v) for v in values])

    def _cell(self, value: Any) -> Any:
        if not isinstance(value, Decimal):
            return value
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=float(value))
        exponent = -value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0
        places = max(exponent, 0)
        cell.number_format = "0." + "0" * places if places else "0"
        return cell

    def finish(self) -> None:
        if self._done:
            return
        self._done = True
        if self.kind == "csv":
            self._file.close()
        else:
            self._book.save(self._partial)

    def close(self) -> None:
        self.finish()
        os.replace(self._partial, self.path)

    def discard(self) -> None:
        if self.kind == "csv":
            self._file.close()
        self._partial.unlink(missing_ok=True)


class _Output:
    """An output file written beside its name: `finish` completes it, `publish` renames it
    into place (`close` does both); `discard` drops it."""

    path: Path | str
    _file: Any
    _table: Any

    @property
    def partial(self) -> Path | None:
        """Where the file is until published (None for standard output)."""
        if str(self.path) == "-":
            return None
        return partial_path(Path(self.path))

    def finish(self) -> None:
        if self._file is not None:
            if str(self.path) == "-":
                self._file.flush()
            elif not self._file.closed:
                self._file.close()
        else:
            self._table.finish()

    def publish(self) -> None:
        if str(self.path) != "-":
            os.replace(partial_path(Path(self.path)), self.path)

    def close(self) -> None:
        """Finish the file: only now does it appear under its name, complete."""
        self.finish()
        self.publish()

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


class ResultWriter(_Output):
    """Takes results as they are scored (`Scored` from the pipeline, or stored Results)."""

    def __init__(self, path: Path | str, columns: ResultColumns):
        self.path = path
        self.kind = output_kind(path)
        self.columns = columns
        self.count = 0
        self._table = None
        self._file = None
        if self.kind == "jsonl":
            self._file = sys.stdout.buffer if str(path) == "-" \
                else open(partial_path(Path(path)), "wb")  # noqa: SIM115
        else:
            self._table = _Table(Path(path), self.kind, columns.header(), "评分结果")

    def write(self, item: Scored | Result) -> None:
        self.count += 1
        if self._file is not None:
            data = item.out if isinstance(item, Scored) else encode_result(item)
            self._file.write(data + b"\n")
        else:
            result = _decode_result(item.out) if isinstance(item, Scored) else item
            self._table.append(self.columns.row(result))



class RejectWriter(_Output):
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

