"""Startup: `dangjian --help` against `python -c "import typer"` (median wall time of several
runs each, alternated so both see the same machine)."""

from __future__ import annotations

import statistics
import sys

from .conftest import check_goal
from .measure import command, run

ROUNDS = 11


def test_help_starts_within_one_and_a_half_imports_of_typer(figures):
    help_times, typer_times = [], []
    for _ in range(ROUNDS):
        done = run([command("dangjian"), "--help"])
        assert done.returncode == 0 and "dangjian" in done.stdout
        help_times.append(done.seconds)
        done = run([sys.executable, "-c", "import typer"])
        assert done.returncode == 0
        typer_times.append(done.seconds)
    help_s = figures.add("startup: dangjian --help (median)", statistics.median(help_times) * 1000,
                         "ms")
    typer_s = figures.add("startup: python -c 'import typer' (median)",
                          statistics.median(typer_times) * 1000, "ms")
    check_goal(figures.ratio("dangjian --help / import typer", help_s / typer_s, 1.5,
                             higher_is_better=False))
