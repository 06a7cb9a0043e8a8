"""`dangjian runs` at a terminal's default width: nothing cut, local times, grades in the
scheme's order (已达标 before 未达标 although 未达标 is the larger count)."""

from __future__ import annotations

import datetime
import json
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def zone(monkeypatch):
    """`zone("Asia/Shanghai")` makes that the local time zone of this process."""
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_runs_fits_80_columns_in_local_time_and_grade_order(cli, zone):
    zone("UTC")
    for scheme in ("jilin-health-2019", "tibet-health-2019"):
        folder = SEEDS / scheme
        assert cli("score", scheme, folder / "evaluations.jsonl", "--orgs", folder / "orgs.jsonl",
                   "-q").exit_code == 0
    zone("Asia/Shanghai")
    result = cli("runs", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    text = result.stdout
    assert "…" not in text
    assert "jilin-health-2019" in text and "tibet-health-2019" in text
    assert "读入 55" in text and "读入 67" in text
    tibet = text[text.index("tibet-health-2019"):text.index("jilin-health-2019")]
    assert tibet.index("已达标 11") < tibet.index("未达标 49") < tibet.index("后进 7")
    stored = json.loads(cli("runs", "--json").stdout)[0]["finished_at"]
    utc = datetime.datetime.fromisoformat(stored)
    local = (utc + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")
    assert utc.utcoffset() == datetime.timedelta(0)
    assert local in text and "本地时间" in text
    hour = (utc + datetime.timedelta(hours=8)).strftime("%H:%M")
    assert hour in text
