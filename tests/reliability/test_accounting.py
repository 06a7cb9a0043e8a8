"""Accounting: every non-blank input row ends up scored or rejected — never lost, never twice.

For JSONL, CSV and XLSX, generated batches mix good rows with every kind of fault (broken
JSON, wrong types, missing and unknown fields, huge numbers, NaN, not UTF-8), blank lines,
BOMs, GBK-encoded CSV, repeated organization ids (the first scored, later ones rejected) and
100 KB strings. Each run must end without
a traceback; read = scored + rejected in the summary and in the stored run; the results are
exactly the good rows in input order, and each reject names its row and the field at fault.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from dangjian.store.storage import Store
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from .batches import LONG, Row, batches, faults_of, faulty_rows, good_rows, write
from .conftest import SCHEME, no_traceback, run

# No shrinking: every example runs the whole command, and a failure prints its faults anyway.
EXAMPLES = settings(max_examples=12, deadline=None,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])
MANY = settings(EXAMPLES, max_examples=150)


def score(path: Path, db: Path) -> tuple[dict, str]:
    """`dangjian score` in-process; the JSON summary and everything printed."""
    from dangjian_shell.cli import app

    result = CliRunner().invoke(app, ["score", SCHEME, str(path), "--db", str(db), "--json",
                                      "--quiet"])
    printed = result.stdout + result.stderr
    assert result.exit_code == 0, printed
    assert result.exception is None or isinstance(result.exception, SystemExit), printed
    assert no_traceback(printed)
    return json.loads(result.stdout), printed


def check_accounting(rows: list[Row], numbers: list[int], path: Path, db: Path) -> None:
    summary, _printed = score(path, db)
    good = [row for row in rows if not row.rejected]
    bad = {n: row for n, row in zip(numbers, rows) if row.rejected}
    assert (summary["read"], summary["scored"], summary["rejected"]) == (
        len(rows), len(good), len(bad))

    store = Store(db)
    try:
        run = store.run(summary["run_id"])
        assert (run["read"], run["scored"], run["rejected"]) == (len(rows), len(good), len(bad))
        results = list(store.results(summary["run_id"]))
        rejects = store.rejects(summary["run_id"])
    finally:
        store.close()
    assert [r.org_id for r in results] == [row.org_id for row in good]
    assert sorted(r.row for r in rejects) == sorted(bad)
    for reject in rejects:
        row = bad[reject.row]
        assert reject.source == str(path)
        assert reject.field == row.field, (row.fault, reject)
        if row.reason is not None:
            assert row.reason in reject.reason, (row.fault, reject)
        assert reject.reason and "Traceback" not in reject.reason
        assert "内部错误" not in reject.reason and "评分方法出错" not in reject.reason, reject


layout = st.fixed_dictionaries({"blanks": st.lists(st.integers(0, 2), min_size=12, max_size=12),
                                "bom": st.booleans()})


def _check(rows: list[Row], kind: str, options: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        written = write(rows, Path(tmp), kind, **options)
        check_accounting(rows, written.numbers, written.path, Path(tmp) / "runs.db")


@EXAMPLES
@given(rows=batches("jsonl"), options=layout)
def test_every_jsonl_line_is_scored_or_rejected_naming_row_and_field(rows, options):
    _check(rows, "jsonl", options)


csv_layout = st.fixed_dictionaries({
    "blanks": st.lists(st.integers(0, 2), min_size=12, max_size=12),
    "bom": st.booleans(), "encoding": st.sampled_from(["utf-8", "gbk"]),
    "crlf": st.booleans(), "unknown_column": st.booleans()})


@EXAMPLES
@given(rows=batches("csv"), options=csv_layout)
def test_every_csv_row_is_scored_or_rejected_naming_row_and_field(rows, options):
    _check(rows, "csv", options)


xlsx_layout = st.fixed_dictionaries({
    "blanks": st.lists(st.integers(0, 2), min_size=12, max_size=12),
    "unknown_column": st.booleans()})


@EXAMPLES
@given(rows=batches("xlsx"), options=xlsx_layout)
def test_every_xlsx_row_is_scored_or_rejected_naming_row_and_field(rows, options):
    _check(rows, "xlsx", options)


@pytest.mark.slow
@MANY
@given(kind=st.sampled_from(["jsonl", "csv", "xlsx"]), data=st.data())
def test_many_more_generated_batches_lose_no_row(kind, data):
    rows = data.draw(batches(kind))
    options = data.draw({"jsonl": layout, "csv": csv_layout, "xlsx": xlsx_layout}[kind])
    _check(rows, kind, options)


# -- the installed command, one batch per format with every fault ---------------------------
def every_fault(kind: str):
    """One row of each fault the format can carry, each after a good row."""
    pairs = [st.tuples(good_rows(2 * n), faulty_rows(2 * n + 1, kind, fault))
             for n, fault in enumerate(faults_of(kind), 1)]
    return st.tuples(*pairs).map(lambda ps: [row for pair in ps for row in pair])


@pytest.mark.parametrize("kind", ["jsonl", "csv", "xlsx"])
def test_the_installed_command_states_the_accounting_and_stores_it(tmp_path, kind):
    @settings(EXAMPLES, max_examples=1)
    @given(rows=every_fault(kind))
    def check(rows):
        rows[0].name = LONG[:32_767] if kind == "xlsx" else LONG
        # the same organization twice: the first row scored, the later one rejected naming it
        rows[2].org_id = rows[0].org_id
        rows[2].fault, rows[2].field, rows[2].reason = "duplicate", "org_id", "重复"
        for db in tmp_path.glob("*.db*"):
            db.unlink()
        written = write(rows, tmp_path, kind, blanks=[1, 0] * len(rows), bom=kind != "xlsx")
        proc = run("score", SCHEME, written.path, "--db", "runs.db", cwd=tmp_path)
        assert proc.returncode == 0 and no_traceback(proc.stdout + proc.stderr), proc.stderr
        good = sum(not row.rejected for row in rows)
        assert f"读入 {len(rows)} 行，评分 {good} 个，拒绝 {len(rows) - good} 行" in proc.stderr
        assert f"组织编号 {rows[0].org_id} 重复：已按{written.path} 第 {written.numbers[0]} 行评分" \
            in proc.stderr
        check_accounting(rows, written.numbers, written.path, tmp_path / "again.db")

    check()


def test_a_stray_carriage_return_or_a_huge_cell_does_not_end_a_csv_file(tmp_path):
    header = "组织编号,组织名称,组织类型,现场评议测评,上级党组织评议得分\n"
    body = ("a,甲支部,branch,95,80\rb,乙支部,branch,好,90\n"
            f"c,{'长' * 200_000},branch,85,70\r\nd,丁支部,branch,101,70\n")
    path = tmp_path / "in.csv"
    path.write_text(header + body, encoding="utf-8")
    summary, _ = score(path, tmp_path / "runs.db")
    assert (summary["read"], summary["scored"], summary["rejected"]) == (4, 3, 1)
    store = Store(tmp_path / "runs.db")
    [reject] = store.rejects(summary["run_id"])
    assert (reject.row, reject.field) == (5, "inputs.onsite")
    store.close()


def test_an_absurd_exponent_is_rejected_with_a_short_reason(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("组织编号,组织类型,现场评议测评,上级党组织评议得分\n"
                    "a,branch,95,1E+1000000\nb,branch,95;1e400000,80\n", encoding="utf-8")
    summary, _ = score(path, tmp_path / "runs.db")
    assert (summary["read"], summary["rejected"]) == (2, 2)
    store = Store(tmp_path / "runs.db")
    rejects = store.rejects(summary["run_id"])
    store.close()
    assert [r.field for r in rejects] == ["inputs.superior", "inputs.onsite"]
    assert all(len(r.reason) < 200 for r in rejects), [len(r.reason) for r in rejects]
