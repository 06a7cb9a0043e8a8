"""`dangjian demo`: seeds found by $DANGJIAN_SEEDS or by walking up; a fresh database each time."""

from __future__ import annotations

import shutil

import pytest
from dangjian.store.storage import Store

from .conftest import DATA


@pytest.fixture
def seeds(tmp_path):
    """A seeds/ folder holding small jilin-health-2019 demo data."""
    folder = tmp_path / "seeds" / "jilin-health-2019"
    folder.mkdir(parents=True)
    shutil.copy(DATA / "evaluations.jsonl", folder / "evaluations.jsonl")
    shutil.copy(DATA / "orgs.jsonl", folder / "orgs.jsonl")
    return tmp_path / "seeds"


def test_demo_scores_the_seeds_explains_one_and_suggests_commands(cli, seeds, tmp_path):
    result = cli("demo", env={"DANGJIAN_SEEDS": str(seeds)})
    assert result.exit_code == 0, result.output
    assert "读入 8 行，评分 3 个，拒绝 5 行" in result.stderr
    assert "批次 1 已存入 dangjian-demo.db" in result.stderr
    # the first organization with a consequence is explained: 60.00, 一般, 约谈
    assert "人事处党支部（oc-b02，党支部）" in result.stdout
    assert "总分 60.00 / 100，等次 “一般”" in result.stdout
    assert "接下来可以试试" in result.stderr and "dangjian explain --db dangjian-demo.db oc-b02" in result.stderr
    store = Store(tmp_path / "dangjian-demo.db")
    assert store.run(1)["scheme_id"] == "jilin-health-2019"
    store.close()


def test_demo_replaces_its_database_each_time(cli, seeds, tmp_path):
    env = {"DANGJIAN_SEEDS": str(seeds)}
    assert cli("demo", env=env).exit_code == 0
    assert cli("demo", env=env).exit_code == 0
    store = Store(tmp_path / "dangjian-demo.db")
    assert [run["id"] for run in store.runs()] == [1]


def test_seeds_found_by_walking_up_from_the_working_directory(cli, seeds, tmp_path, monkeypatch):
    deeper = tmp_path / "work" / "2020"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    result = cli("demo", "--db", "demo.db")
    assert result.exit_code == 0, result.output
    assert (deeper / "demo.db").exists()


def test_demo_without_seed_data_says_where_it_looked(cli, tmp_path):
    result = cli("demo", "--scheme", "no-such-scheme", env={"DANGJIAN_SEEDS": str(tmp_path)})
    assert result.exit_code == 1
    assert "找不到方案 no-such-scheme 的演示数据" in result.stderr
    assert "DANGJIAN_SEEDS" in result.stderr and "Traceback" not in result.output
