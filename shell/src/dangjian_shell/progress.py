"""The progress bar of a long `score` run: the input rows counted first where that is cheap
(JSONL and CSV lines, an XLSX sheet's recorded dimension), so the bar shows the share done and
the time left; without a count it shows how many rows were scored so far."""

from __future__ import annotations

from pathlib import Path

_CHUNK = 1 << 20


def count_lines(path: Path) -> int:
    """Lines, counted in binary chunks (a JSONL line or a CSV row each; blank lines, which the
    readers skip, are rare enough not to matter to a progress bar)."""
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def count_rows(path: Path) -> int | None:
    """About how many evaluations `path` holds, or None when that is not cheap to know."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            return count_lines(path)
        if suffix == ".csv":
            return max(count_lines(path) - 1, 0)
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            try:
                rows = book.worksheets[0].max_row
            finally:
                book.close()
            return max(rows - 1, 0) if rows else None
    except (OSError, ValueError, KeyError, IndexError):
        return None
    return None


def count_inputs(paths: list[Path]) -> int | None:
    counts = [count_rows(Path(p)) for p in paths]
    return None if any(c is None for c in counts) else sum(counts)


class ScoringProgress:
    """`with ScoringProgress(wanted, inputs) as advance:` — tell `advance` how many rows each
    chunk held. Shown on stderr only when it is a terminal (or on `console`, for tests)."""

    def __init__(self, wanted: bool, inputs: list[Path], console=None) -> None:
        self.wanted, self.inputs, self.console = wanted, inputs, console
        self._progress = None

    def __enter__(self):
        if not self.wanted:  # nothing is shown: rich is not even imported
            return lambda count: None
        from .console import err

        console = self.console if self.console is not None else err()
        if not console.is_terminal:
            return lambda count: None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        total = count_inputs(self.inputs)
        if total:
            columns = [TextColumn("评分中"), BarColumn(), TaskProgressColumn(),
                       MofNCompleteColumn(), TextColumn("剩余"), TimeRemainingColumn(),
                       TextColumn("已用"), TimeElapsedColumn()]
        else:
            columns = [SpinnerColumn(), TextColumn("评分中"), MofNCompleteColumn(),
                       TextColumn("已用"), TimeElapsedColumn()]
        self._progress = Progress(*columns, console=console, transient=True)
        self._progress.start()
        task = self._progress.add_task("score", total=total or None)
        progress = self._progress
        done = [0]

        def advance(count: int) -> None:
            done[0] += count
            progress.update(task, completed=done[0])

        return advance

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
