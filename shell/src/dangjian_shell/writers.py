"""Writing results and rejects: JSONL (the kernel's one encoding), CSV (opens in Excel) or XLSX.

The format follows the extension; `-` writes JSONL to stdout. A file is written beside its
target and renamed into place when complete (`finish`, then `publish` once the run is
stored), so an interrupted run never leaves a partial file under the name the user asked for.
JSONL objects are exactly `dangjian.store.compact.encode_result`; CSV and XLSX hold one row per organization with Chinese
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
from dangjian.store.compact import Scored, encode_result
from dangjian.errors import InputFileError
from dangjian.models import Reject, Result
from dangjian.store.ranking import TIE_RULE, BatchRanking

from .cells import CellGuard, csv_row
from .xlsx_style import Column, StyledSheet, integer, number, text

OUTPUT_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
_decode_result = msgspec.json.Decoder(Result).decode
_encode = msgspec.json.Encoder(decimal_format="number").encode


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
    """The columns of a result table for one scheme: who, total, grade, rank, parts, outcomes.

    `units` (see `units.Units`) adds the parent organization and the rank within it;
    `explain=True` adds the explanation, line by line (it needs results with their lines).
    """

    def __init__(self, scheme, catalog, components: list[tuple[str, str]] | None = None, *,
                 units=None, explain: bool = False) -> None:
        self.components = components if components is not None else \
            [(c.id, c.title) for c in scheme.components]
        self.type_titles = {t.id: t.title for t in catalog.org_types.values()}
        self.places = scheme.rounding.places if scheme is not None else 2
        self.units = units if units is not None and units.known else None
        self.explain = explain
        self.scheme = scheme

    def columns(self) -> list[Column]:
        unit = [text("上级组织", 24), integer("单位内名次")] if self.units is not None else []
        return [text("组织编号", 14), text("组织名称", 28), text("组织类型", 12),
                number("总分", self.places), number("满分", self.places), text("等次", 8),
                text("按分数等次", 12), integer("名次"), *unit,
                *(number(f"{title}得分", 2) for _, title in self.components),
                text("一票否决", 30), text("结果运用", 30), text("不得评定", 24),
                text("诊断", 30), text("距上一等次", 20), text("方案", 18), text("方案版本", 10),
                *([text("得分说明", 80, wrap=True)] if self.explain else [])]

    def header(self) -> list[str]:
        return [column.title for column in self.columns()]

    def row(self, r: Result, ranking: BatchRanking | None = None) -> list[Any]:
        points = {c.id: c.points for c in r.components}
        next_band = (f"距“{r.to_next_band.grade}”还差{_plain(r.to_next_band.points)}分"
                     if r.to_next_band is not None else "")
        rank = ranking.rank(r.total) if ranking is not None else None
        unit = []
        if self.units is not None:
            parent = self.units.unit_of(r.org_id)
            unit = [self.units.title(parent) if parent is not None else "",
                    ranking.unit_rank(r.org_id, r.total) if ranking is not None else None]
        return [r.org_id, r.org_name, self.type_titles.get(r.org_type, r.org_type), r.total,
                r.max, r.grade, r.points_grade, rank, *unit,
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


def field_title(scheme, field: str | None) -> str:
    """A reject's field as the column a clerk filled in: `inputs.onsite` → 现场评议测评."""
    if not field:
        return ""
    known = {"org_id": "组织编号", "org.name": "组织名称", "org.type": "组织类型",
             "org.parent_id": "上级组织编号", "org": "组织", "activities": "活动记录"}
    head, dot, rest = field.partition(".")
    if head == "inputs" and scheme is not None:
        name, sep, tail = rest.partition(".")
        bracket = name.find("[")
        base, index = (name[:bracket], name[bracket:]) if bracket > 0 else (name, "")
        titles = {i.name: i.title for i in scheme.inputs if i.title}
        if base in titles:
            return titles[base] + index + (sep + tail if sep else "")
    for key in sorted(known, key=len, reverse=True):
        if field == key or field.startswith(key + ".") or field.startswith(key + "["):
            return known[key] + field[len(key):]
    return field


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
    """Rows to a CSV (UTF-8 with BOM, so Excel shows Chinese) or a styled XLSX sheet."""

    def __init__(self, path: Path, kind: str, columns: list[Column], sheet: str) -> None:
        self.path, self.kind = path, kind
        self._partial = partial_path(path)
        self._done = False
        self.guard = CellGuard()
        if kind == "csv":
            # Kept open across write() calls and closed by close(): a context manager cannot.
            self._file = open(self._partial, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._csv = csv.writer(self._file)
            self._csv.writerow(csv_row([column.title for column in columns]))
        else:
            from openpyxl import Workbook

            self.book = Workbook(write_only=True)
            self._sheet = StyledSheet(self.book, sheet, columns, self.guard)

    def append(self, values: list[Any]) -> None:
        if self.kind == "csv":
            self._csv.writerow(csv_row(values))
        else:
            self._sheet.append(values)

    def finish(self) -> None:
        """Complete the file beside its name, and say what had to change in its cells."""
        if self._done:
            return
        self._done = True
        if self.kind == "csv":
            self._file.close()
        else:
            self._sheet.finish()
            self.book.save(self._partial)
        if self.notes:
            from .console import esc, warn

            for line in self.notes:
                warn(esc(line))

    def close(self) -> None:
        self.finish()
        os.replace(self._partial, self.path)

    @property
    def notes(self) -> list[str]:
        return self.guard.notes(str(self.path))

    def discard(self) -> None:
        if self.kind == "csv":
            self._file.close()
        self._partial.unlink(missing_ok=True)


def reject_columns(scheme=None) -> list[Column]:
    return [text("文件", 24), integer("行号"), text("组织编号", 14), text("字段", 20),
            text("原因", 70, wrap=True)]


def reject_row(reject: Reject, scheme=None) -> list[Any]:
    return [reject.source, reject.row, reject.org_id, field_title(scheme, reject.field),
            reject.reason]


class _Output:
    """An output file written beside its name: `finish` completes it, `publish` renames it
    into place (`close` does both); `discard` drops it."""

    path: Path | str
    _file: Any

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
            self._finish_table()

    def _finish_table(self) -> None:
        raise NotImplementedError

    def publish(self) -> None:
        if str(self.path) != "-":
            os.replace(partial_path(Path(self.path)), self.path)

    def close(self) -> None:
        """Finish the file: only now does it appear under its name, complete."""
        self.finish()
        self.publish()


class ResultWriter(_Output):
    """Takes results as they are scored (`Scored` from the pipeline, or stored Results).

    JSONL is written as results come. CSV and XLSX hold ranks, which are known only once every
    result is in: results are kept in a temporary file beside the target and the table is
    written from it when the writer finishes. `ranking` gives ranks computed elsewhere (over a
    whole run when only some of its results are written); without it the results written are
    ranked among themselves. XLSX adds a 汇总 sheet (counts, grades, scheme, run, time, the tie
    rule) and a 拒绝的行 sheet of the rejects passed to `reject()`.
    """

    def __init__(self, path: Path | str, columns: ResultColumns, *,
                 ranking: BatchRanking | None = None, facts: list[tuple[str, Any]] | None = None):
        self.path = path
        self.kind = output_kind(path)
        self.columns = columns
        self.count = 0
        self.facts = list(facts or [])
        self.run_id: int | None = None
        self._file = None
        self._spool = None
        self._ranking = ranking
        self._own_ranking = None
        self._grades: dict[str, int] = {}
        self._rejects: list[Reject] = []
        if self.kind == "jsonl":
            self._file = sys.stdout.buffer if str(path) == "-" \
                else open(partial_path(Path(path)), "wb")  # noqa: SIM115
        else:
            import tempfile

            self._spool = tempfile.TemporaryFile(dir=Path(path).parent)  # noqa: SIM115
            if ranking is None:
                units = columns.units
                self._own_ranking = BatchRanking(units.unit_of if units is not None
                                                 else lambda org_id: None)

    def write(self, item: Scored | Result) -> None:
        self.count += 1
        if self._file is not None:
            self._file.write((item.out if isinstance(item, Scored) else encode_result(item))
                             + b"\n")
            return
        if isinstance(item, Scored):
            data, total = item.out, Decimal(item.total)
        else:
            data, total = encode_result(item), item.total
        self._spool.write(data + b"\n")
        self._grades[item.grade] = self._grades.get(item.grade, 0) + 1
        if self._own_ranking is not None:
            self._own_ranking.add(item.org_id, total)

    def reject(self, reject: Reject) -> None:
        """A rejected row, listed on the XLSX's 拒绝的行 sheet (other formats do not list them)."""
        if self.kind == "xlsx":
            self._rejects.append(reject)

    def write_chunk(self, items: list) -> None:
        """A chunk of a run in input order: results written, rejected rows listed."""
        for item in items:
            if item.__class__ is Reject:
                self.reject(item)
            else:
                self.write(item)

    def _finish_table(self) -> None:
        if self._spool.closed:
            return
        ranking = self._ranking or self._own_ranking
        table = _Table(Path(self.path), self.kind, self.columns.columns(), "评分结果")
        try:
            self._spool.seek(0)
            for line in self._spool:
                table.append(self.columns.row(_decode_result(line), ranking))
            if self.kind == "xlsx":
                self._extra_sheets(table.book, table.guard)
        except BaseException:
            table.discard()
            raise
        finally:
            self._spool.close()
        table.finish()

    def _extra_sheets(self, book, guard) -> None:
        from .xlsx_style import summary_sheet

        scheme = self.columns.scheme
        facts = [*self.facts] or scheme_facts(scheme)
        if self.run_id is not None and not any(k == "批次" for k, _ in facts):
            facts.insert(0, ("批次", self.run_id))
        facts.append(("评分个数", self.count))
        if not any(k == "拒绝行数" for k, _ in facts):
            facts.append(("拒绝行数", len(self._rejects)))
        summary_sheet(book, facts, _grade_rows(scheme, self._grades, self.count), TIE_RULE, guard)
        sheet = StyledSheet(book, "拒绝的行", reject_columns(scheme), guard)
        for reject in self._rejects:
            sheet.append(reject_row(reject, scheme))
        sheet.finish()

    def discard(self) -> None:
        """Drop what was written (an interrupted run): no partial file is left under its name."""
        if self._file is not None:
            if str(self.path) == "-":
                self._file.flush()
            else:
                self._file.close()
                Path(self._file.name).unlink(missing_ok=True)
        else:
            self._spool.close()
            partial_path(Path(self.path)).unlink(missing_ok=True)


def scheme_facts(scheme, when: str | None = None) -> list[tuple[str, Any]]:
    """方案 and 时间 for a summary: the scheme's title, id and version, and a local time."""
    import datetime

    when = when or datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    if scheme is None:
        return [("时间", when)]
    return [("方案", scheme.title), ("方案编号", scheme.id), ("方案版本", scheme.version),
            ("时间", when)]


def run_facts(run: dict, scheme) -> list[tuple[str, Any]]:
    """The summary facts of a stored run: its id, scheme, times, counts and note."""
    facts: list[tuple[str, Any]] = [("批次", run["id"])]
    facts += [f for f in scheme_facts(scheme) if f[0] != "时间"] if scheme is not None and \
        scheme.version == run.get("scheme_version") else \
        [("方案编号", run["scheme_id"]), ("方案版本", run.get("scheme_version") or "")]
    facts += [("评分时间", local_time(run.get("finished_at") or run.get("started_at"))),
              ("读入行数", run.get("read", 0)), ("拒绝行数", run.get("rejected", 0))]
    for message in batch_findings(run):
        facts.append(("批次规则", message))
    if run.get("note"):
        facts.append(("备注", run["note"]))
    return facts


def batch_findings(run: dict[str, Any]) -> list[str]:
    """The run's batch-rule findings (such as a quota on 好), when the store records them."""
    found = run.get("batch_findings") or run.get("findings") or []
    messages = []
    for item in found if isinstance(found, list) else []:
        if isinstance(item, str):
            messages.append(item)
        elif isinstance(item, dict) and item.get("message"):
            messages.append(str(item["message"]))
        elif getattr(item, "message", None):
            messages.append(str(item.message))
    return messages


def local_time(stamp: str | None) -> str:
    """A stored ISO time as local time, to the minute (2026-12-02 10:34)."""
    import datetime

    if not stamp:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def _grade_rows(scheme, grades: dict[str, int], scored: int) -> list[tuple[str, int, str]]:
    from .summary import grade_order

    order = grade_order(scheme, grades) if scheme is not None else sorted(grades)
    return [(g, grades[g], f"{grades[g] / scored * 100:.1f}%" if scored else "—") for g in order]


class RejectWriter(_Output):
    """Rejected rows with file, row, org, field and reason, to CSV, XLSX or JSONL; in CSV and
    XLSX the field is the column's Chinese title when the scheme is given."""

    def __init__(self, path: Path | str, scheme=None) -> None:
        self.path = path
        self.kind = output_kind(path)
        self.scheme = scheme
        self.count = 0
        self._file = None
        self._table = None
        if self.kind == "jsonl":
            self._file = sys.stdout.buffer if str(path) == "-" \
                else open(partial_path(Path(path)), "wb")  # noqa: SIM115
        else:
            self._table = _Table(Path(path), self.kind, reject_columns(scheme), "拒绝的行")

    def write(self, reject: Reject) -> None:
        self.count += 1
        if self._file is not None:
            self._file.write(_encode(reject) + b"\n")
        else:
            self._table.append(reject_row(reject, self.scheme))

    def write_chunk(self, items: list) -> None:
        """A chunk of a run in input order: its rejected rows written."""
        for item in items:
            if item.__class__ is Reject:
                self.write(item)

    def _finish_table(self) -> None:
        self._table.finish()

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
