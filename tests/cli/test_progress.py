"""The progress bar of `score`: the input counted first (JSONL and CSV lines, the XLSX sheet's
dimension), so it shows the share done and the time left instead of `49920/?`."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from rich.console import Console

from dangjian_shell.progress import ScoringProgress, count_inputs, count_rows

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "jilin-health-2019"


def test_counts_jsonl_lines_csv_rows_and_xlsx_rows(tmp_path):
    assert count_rows(SEEDS / "evaluations.jsonl") == 55
    csv_file = tmp_path / "表.csv"
    csv_file.write_text("组织编号,上级党组织评议得分\r\nb1,80\r\nb2,90\r\nb3,70", encoding="utf-8")
    assert count_rows(csv_file) == 3
    book = Workbook()
    book.active.append(["组织编号", "上级党组织评议得分"])
    for n in range(40):
        book.active.append([f"b{n}", 80])
    book.save(tmp_path / "表.xlsx")
    assert count_rows(tmp_path / "表.xlsx") == 40
    assert count_inputs([SEEDS / "evaluations.jsonl", csv_file, tmp_path / "表.xlsx"]) == 98
    assert count_inputs([tmp_path / "missing.jsonl"]) is None


def shown(progress: ScoringProgress) -> str:
    screen = Console(record=True, width=120, file=io.StringIO())
    screen.print(progress._progress.make_tasks_table(progress._progress.tasks))
    return screen.export_text()


def test_the_bar_shows_percent_and_time_left_when_the_input_was_counted(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text('{"org_id": "x"}\n' * 1000, encoding="utf-8")
    terminal = Console(force_terminal=True, file=io.StringIO(), width=120)
    progress = ScoringProgress(True, [path], console=terminal)
    with progress as advance:
        for _chunk in range(4):  # the run hands on chunks of 128 rows
            advance(128)
        text = shown(progress)
    assert progress._progress.tasks[0].total == 1000
    assert "51%" in text and "512/1000" in text and "剩余" in text


def test_without_a_count_it_shows_how_many_so_far(tmp_path):
    terminal = Console(force_terminal=True, file=io.StringIO(), width=120)
    progress = ScoringProgress(True, [tmp_path / "gone.jsonl"], console=terminal)
    with progress as advance:
        advance(200)
        advance(56)
        text = shown(progress)
    assert progress._progress.tasks[0].total is None and "256/?" in text and "%" not in text


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path):
    quiet = Console(force_terminal=False, file=io.StringIO())
    progress = ScoringProgress(True, [SEEDS / "evaluations.jsonl"], console=quiet)
    with progress as advance:
        advance(3)
    assert progress._progress is None
