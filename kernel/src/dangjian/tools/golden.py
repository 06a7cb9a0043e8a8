"""Golden cases: a plugin's own table of inputs and hand-computed expectations, run as tests.

A plugin ships `golden.toml` (or `golden.csv` / `golden.xlsx`) beside its scheme file; each
case is scored with the compiled plan and compared with its `expect`. The report says which
cases failed and how, and which bands, vetoes, honours, consequences, findings and methods the
cases exercised, so an author sees what the table does not yet test.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from dangjian.errors import DangjianError, InputFileError
from dangjian.catalogue.loading import _key_path, _translate
from dangjian.models import Reject, Result
from dangjian.scoring.records import RowReader, evaluation_from_object
from dangjian.scheme import Criterion, Scheme

GOLDEN_FILES = ("golden.toml", "golden.csv", "golden.xlsx")


class Expect(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What a case must produce; every key is optional and only stated keys are checked."""

    total: str | None = None
    grade: str | None = None
    points_grade: str | None = None
    vetoes: list[str] | None = None
    consequences: list[str] | None = None
    eligible: list[str] | None = None
    ineligible: list[str] | None = None
    findings: list[str] | None = None
    rejected: bool | None = None
    reason_contains: str | None = None
    line_contains: str | None = None


class GoldenCase(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One row of the golden table: a name, an evaluation in the input format, expectations."""

    name: str
    evaluation: dict[str, Any]
    expect: Expect = Expect()
    source: str = ""
    row: int = 0


class _GoldenFile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    cases: list[GoldenCase] = []


@dataclass
class CaseResult:
    """The outcome of one case: passed or not, with each difference as a Chinese sentence."""

    case: GoldenCase
    passed: bool
    differences: list[str] = field(default_factory=list)
    result: Result | None = None
    reject_reason: str | None = None

    @property
    def name(self) -> str:
        return self.case.name


@dataclass
class CoverageItem:
    """One thing a scheme can do (a band, a veto …) and whether some passing case showed it."""

    kind: str
    id: str
    title: str
    covered: bool
    detail: str = ""


COVERAGE_KINDS = {
    "band": "等次",
    "veto": "一票否决",
    "honour": "荣誉（评定资格）",
    "consequence": "后果",
    "finding": "诊断",
    "method": "评分方法",
    "reject": "拒绝",
}


@dataclass
class GoldenReport:
    """Every case of one scheme's golden table, and the coverage summary."""

    scheme_id: str
    files: list[str]
    cases: list[CaseResult]
    coverage: list[CoverageItem]
    selected_out: int = 0

    @property
    def ok(self) -> bool:
        return all(c.passed for c in self.cases)

    @property
    def failed(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]

    def text(self) -> str:
        return format_report(self)

    def to_dict(self) -> dict:
        return {
            "scheme": self.scheme_id,
            "files": self.files,
            "ok": self.ok,
            "passed": sum(c.passed for c in self.cases),
            "failed": len(self.failed),
            "cases": [{"name": c.name, "passed": c.passed, "differences": c.differences,
                       "source": c.case.source, "row": c.case.row} for c in self.cases],
            "coverage": [{"kind": i.kind, "id": i.id, "title": i.title, "covered": i.covered,
                          "detail": i.detail} for i in self.coverage],
        }


# -- reading ------------------------------------------------------------------------------------

def golden_files(scheme_path: str | Path | None) -> list[Path]:
    """The golden tables beside a scheme file, in the order they are run."""
    if not scheme_path:
        return []
    folder = Path(str(scheme_path)).parent
    return [folder / name for name in GOLDEN_FILES if (folder / name).is_file()]


def _decode_toml(data: bytes, file: str) -> list[GoldenCase]:
    try:
        parsed = msgspec.toml.decode(data, type=_GoldenFile, strict=True)
    except msgspec.ValidationError as exc:
        message, path = _key_path(str(exc))
        hint = ""
        if path and path.endswith("expect.total"):
            hint = "（总分请写成带引号的字符串，如 total = \"90.50\"）"
        raise InputFileError(_translate(message) + hint, file=file, field=path) from None
    except msgspec.DecodeError as exc:
        raise InputFileError(f"无法解析 TOML：{exc}", file=file) from None
    return [msgspec.structs.replace(case, source=file, row=i)
            for i, case in enumerate(parsed.cases, 1)]


# Expectation columns of a CSV/XLSX golden table: key, Chinese header.
EXPECT_COLUMNS = {
    "total": "期望总分",
    "grade": "期望等次",
    "points_grade": "期望分数等次",
    "vetoes": "期望否决",
    "consequences": "期望后果",
    "eligible": "期望可评荣誉",
    "ineligible": "期望不可评荣誉",
    "findings": "期望诊断",
    "rejected": "期望拒绝",
    "reason_contains": "期望拒绝原因",
    "line_contains": "期望说明",
}
_LIST_KEYS = {"vetoes", "consequences", "eligible", "ineligible", "findings"}
_NONE_WORDS = {"无", "-", "—", "none", "[]"}
_NAME_COLUMNS = ("name", "用例")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table_cases(rows: list[list[Any]], scheme: Scheme, file: str) -> list[GoldenCase]:
    """Rows of a CSV/XLSX golden table (header first) as cases; the input columns are those of
    the scheme's input template, the expectations are `expect_*` or 期望… columns."""
    if not rows:
        return []
    header = [_cell_text(h).lstrip("\ufeff") for h in rows[0]]
    expect_at: dict[int, str] = {}
    name_at: int | None = None
    input_header: list[str] = []
    for i, name in enumerate(header):
        key = name[len("expect_"):] if name.startswith("expect_") else None
        key = key or next((k for k, title in EXPECT_COLUMNS.items() if title == name), None)
        if key in EXPECT_COLUMNS:
            expect_at[i] = key
            input_header.append("")
        elif name in _NAME_COLUMNS:
            name_at = i
            input_header.append("")
        else:
            input_header.append(name)
    reader = RowReader(scheme, input_header, source=file)
    if reader.unknown:
        raise InputFileError(f"未知的列 {'、'.join(reader.unknown)}（应为方案的输入、组织列、"
                             f"name/用例 或 expect_…/期望… 列）", file=file, row=1)
    cases = []
    for row_number, cells in enumerate(rows[1:], 2):
        if all(_cell_text(c) == "" for c in cells):
            continue
        expect: dict[str, Any] = {}
        for i, key in expect_at.items():
            text = _cell_text(cells[i]) if i < len(cells) else ""
            if text == "":
                continue
            if key in _LIST_KEYS:
                expect[key] = [] if text.lower() in _NONE_WORDS else [
                    part for part in text.replace("；", ";").replace("、", ";").split(";")
                    if part.strip()]
                expect[key] = [part.strip() for part in expect[key]]
            elif key == "rejected":
                expect[key] = text.lower() in {"true", "1", "是", "y", "yes"}
            else:
                expect[key] = text
        input_cells = [None if i in expect_at or i == name_at else c for i, c in enumerate(cells)]
        evaluation = reader.evaluation(input_cells, row=row_number)
        if isinstance(evaluation, Reject):
            raise InputFileError(evaluation.reason, file=file, row=row_number,
                                 field=evaluation.field)
        name = _cell_text(cells[name_at]) if name_at is not None and name_at < len(cells) else ""
        cases.append(GoldenCase(name=name or f"第{row_number}行", source=file, row=row_number,
                                evaluation=msgspec.to_builtins(evaluation),
                                expect=msgspec.convert(expect, Expect)))
    return cases


def _csv_rows(data: bytes, file: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError("CSV 文件应为 UTF-8 编码", file=file) from None
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(path: Path) -> list[list[Any]]:
    try:
        import openpyxl
    except ImportError:
        raise InputFileError("读取 XLSX 黄金用例需要 openpyxl（pip install openpyxl）",
                             file=str(path)) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputFileError(f"无法读取 XLSX：{exc}", file=str(path)) from None
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def load_cases(path: str | Path, scheme: Scheme) -> list[GoldenCase]:
    """The cases of one golden file (TOML, CSV or XLSX); errors name the file, row and key."""
    path = Path(path)
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"无法读取黄金用例文件：{exc.strerror or exc}", file=file) from None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return _decode_toml(data, file)
    if suffix == ".csv":
        return _table_cases(_csv_rows(data, file), scheme, file)
    if suffix == ".xlsx":
        return _table_cases(_xlsx_rows(path), scheme, file)
    raise InputFileError("黄金用例文件应为 .toml、.csv 或 .xlsx", file=file)


# -- checking -----------------------------------------------------------------------------------

def _ids(items) -> list[str]:
    return sorted(getattr(i, "id", None) or i for i in items)


def _compare_set(label: str, expected: list[str], actual: list[str], out: list[str]) -> None:
    if sorted(expected) != sorted(actual):
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        parts = []
        if missing:
            parts.append(f"缺少 {'、'.join(missing)}")
        if extra:
            parts.append(f"多出 {'、'.join(extra)}")
        out.append(f"{label}应为 [{'、'.join(sorted(expected))}]，实为 "
                   f"[{'、'.join(sorted(actual))}]（{'，'.join(parts)}）")


def check_case(case: GoldenCase, result: Result | None, reject: str | None) -> list[str]:
    """Every way the outcome differs from the case's expectations (empty: the case passes)."""
    exp = case.expect
    out: list[str] = []
    if result is None:
        if not exp.rejected:
            out.append(f"被拒绝：{reject}")
        elif exp.reason_contains and exp.reason_contains not in (reject or ""):
            out.append(f"拒绝原因应包含“{exp.reason_contains}”，实为“{reject}”")
        return out
    if exp.rejected:
        out.append(f"应被拒绝，实际得分{result.total:f}、等次“{result.grade}”")
        return out
    if exp.total is not None:
        actual = f"{result.total:f}"
        if actual != exp.total.strip():
            try:
                same_value = Decimal(exp.total) == result.total
            except ArithmeticError:
                same_value = False
            hint = "（数值相同，但方案保留的小数位数不同）" if same_value else ""
            out.append(f"总分应为 {exp.total}，实为 {actual}{hint}")
    if exp.grade is not None and exp.grade != result.grade:
        out.append(f"等次应为“{exp.grade}”，实为“{result.grade}”")
    if exp.points_grade is not None and exp.points_grade != result.points_grade:
        out.append(f"按分数的等次应为“{exp.points_grade}”，实为“{result.points_grade}”")
    if exp.vetoes is not None:
        _compare_set("一票否决", exp.vetoes, _ids(result.vetoes), out)
    if exp.consequences is not None:
        _compare_set("后果", exp.consequences, _ids(result.consequences), out)
    if exp.findings is not None:
        _compare_set("诊断", exp.findings, sorted({f.code for f in result.findings}), out)
    status = {e.honour: e for e in result.eligibility}
    for honour in exp.eligible or []:
        entry = status.get(honour)
        if entry is None:
            out.append(f"方案没有荣誉 {honour}")
        elif not entry.eligible:
            out.append(f"应可评定“{entry.title}”，实为不得评定（{'；'.join(entry.reasons)}）")
    for honour in exp.ineligible or []:
        entry = status.get(honour)
        if entry is None:
            out.append(f"方案没有荣誉 {honour}")
        elif entry.eligible:
            out.append(f"应不得评定“{entry.title}”，实为可以评定")
    if exp.line_contains is not None and not any(exp.line_contains in line.text
                                                 for line in result.lines):
        out.append(f"没有一行说明包含“{exp.line_contains}”")
    return out


def run_case(plan, case: GoldenCase) -> CaseResult:
    """Score one case with the compiled plan and compare it with its expectations."""
    evaluation = evaluation_from_object(case.evaluation, row=case.row, source=case.source)
    result: Result | None = None
    reject: str | None = None
    if isinstance(evaluation, Reject):
        reject = evaluation.reason + (f"（字段 {evaluation.field}）" if evaluation.field else "")
    else:
        try:
            result = plan.score(evaluation)
        except DangjianError as exc:
            reject = exc.message + (f"（字段 {exc.field}）" if exc.field else "")
        except Exception as exc:  # a plugin method failing is a failed case, not a crash
            reject = f"评分方法出错：{type(exc).__name__}: {exc}"
            differences = [f"评分时出错：{type(exc).__name__}: {exc}"]
            return CaseResult(case, False, differences, None, reject)
    differences = check_case(case, result, reject)
    return CaseResult(case, not differences, differences, result, reject)


def _matches(name: str, pattern: str | None) -> bool:
    return not pattern or pattern.lower() in name.lower()


# -- coverage -----------------------------------------------------------------------------------

def _method_nodes(scheme: Scheme) -> dict[str, list[str]]:
    """Each method the scheme uses, with the criteria/components that use it."""
    uses: dict[str, list[str]] = {}

    def walk(nodes: list[Criterion]) -> None:
        for node in nodes:
            if node.method:
                uses.setdefault(node.method, []).append(node.id)
            walk(node.children)

    walk(scheme.criteria)
    for comp in scheme.components:
        if comp.method:
            uses.setdefault(comp.method, []).append(comp.id)
    for adj in scheme.adjustments:
        walk(adj.items)
    return uses


def coverage(scheme: Scheme, cases: list[CaseResult]) -> list[CoverageItem]:
    """What the passing cases exercised: bands reached, vetoes and consequences fired, honours
    seen both granted and refused, findings raised, methods run, and whether a reject is tested."""
    results = [c.result for c in cases if c.passed and c.result is not None]
    items: list[CoverageItem] = []
    reached = {r.points_grade for r in results} | {r.grade for r in results}
    for band in scheme.bands:
        items.append(CoverageItem("band", band.grade, band.grade, band.grade in reached))
    fired = {v.id for r in results for v in r.vetoes}
    for veto in scheme.vetoes:
        items.append(CoverageItem("veto", veto.id, veto.title, veto.id in fired))
    for honour in scheme.honours:
        seen = {e.eligible for r in results for e in r.eligibility if e.honour == honour.id}
        detail = "" if seen == {True, False} else (
            "只见到“可以评定”" if seen == {True} else "只见到“不得评定”" if seen else "")
        items.append(CoverageItem("honour", honour.id, honour.title, seen == {True, False},
                                  detail))
    followed = {c.id for r in results for c in r.consequences}
    for rule in scheme.consequences:
        items.append(CoverageItem("consequence", rule.id, rule.title, rule.id in followed))
    raised = {f.code for r in results for f in r.findings}
    for diag in scheme.diagnostics:
        items.append(CoverageItem("finding", diag.id, diag.title, diag.id in raised))
    for method, nodes in sorted(_method_nodes(scheme).items()):
        ran = {line.id for r in results for line in r.lines if line.points is not None}
        hit = [n for n in nodes if n in ran]
        detail = f"用于 {'、'.join(nodes)}" if len(nodes) <= 6 else f"用于{len(nodes)}项"
        items.append(CoverageItem("method", method, method, bool(hit), detail))
    rejected = any(c.passed and c.result is None for c in cases)
    items.append(CoverageItem("reject", "reject", "拒绝不合格的输入", rejected))
    return items


# -- running ------------------------------------------------------------------------------------

def run_golden(plan, files: list[str | Path] | None = None, *, pattern: str | None = None,
               cases: list[GoldenCase] | None = None) -> GoldenReport:
    """Run a compiled plan's golden cases (from `files`, default: those beside its scheme file,
    or the `cases` given); `pattern` keeps only cases whose name contains it."""
    scheme: Scheme = plan.scheme
    paths = [Path(f) for f in files] if files is not None else golden_files(plan.loaded.path)
    all_cases = list(cases or [])
    for path in paths:
        all_cases.extend(load_cases(path, scheme))
    chosen = [c for c in all_cases if _matches(c.name, pattern)]
    results = [run_case(plan, case) for case in chosen]
    return GoldenReport(scheme_id=scheme.id, files=[str(p) for p in paths], cases=results,
                        coverage=coverage(scheme, results),
                        selected_out=len(all_cases) - len(chosen))


def golden_for_scheme(catalog, scheme_id: str, *, pattern: str | None = None) -> GoldenReport:
    """Run the golden cases shipped beside a registered scheme (`catalog.plan(id).score`)."""
    return run_golden(catalog.plan(scheme_id), pattern=pattern)


def _where(case: GoldenCase) -> str:
    if not case.source:
        return ""
    unit = "个用例" if case.source.endswith(".toml") else "行"
    return f"{Path(case.source).name} 第{case.row}{unit}"


def format_report(report: GoldenReport) -> str:
    """The report as a reader sees it: one line per case, differences indented, then coverage."""
    lines = [f"方案 {report.scheme_id}：黄金用例 {len(report.cases)} 个"
             + (f"（另有{report.selected_out}个未选中）" if report.selected_out else "")]
    for case in report.cases:
        mark = "✓" if case.passed else "✗"
        lines.append(f"  {mark} {case.name}")
        for diff in case.differences:
            where = _where(case.case)
            lines.append(f"      {diff}" + (f"（{where}）" if where and diff == case.differences[0]
                                              else ""))
    passed = sum(c.passed for c in report.cases)
    lines.append(f"通过 {passed} 个，失败 {len(report.cases) - passed} 个")
    lines.append("覆盖情况：")
    for kind, title in COVERAGE_KINDS.items():
        group = [i for i in report.coverage if i.kind == kind]
        if not group:
            continue
        hit = [i for i in group if i.covered]
        parts = [("✓" if i.covered else "✗") + i.title + (f"（{i.detail}）" if i.detail and
                                                         not i.covered else "") for i in group]
        lines.append(f"  {title} {len(hit)}/{len(group)}：{'  '.join(parts)}")
    missing = [i for i in report.coverage if not i.covered]
    if missing:
        lines.append("未覆盖：" + "、".join(f"{COVERAGE_KINDS[i.kind]}“{i.title}”"
                                         for i in missing))
    return "\n".join(lines)
