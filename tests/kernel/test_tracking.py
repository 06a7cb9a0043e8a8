"""Tracked flags: raised by a run, kept while they fire, cleared by a later run or by 整顿."""

from __future__ import annotations

import datetime
import sqlite3

import msgspec
import pytest
from dangjian import DangjianError, NotFound, hookimpl, load_catalog
from dangjian.store.runner import score_batch
from dangjian.scheme import Scheme
from dangjian.store.storage import Store
from dangjian.store.tracking import (
    CLEARED_BY_HAND,
    CLEARED_BY_RUN,
    clear,
    flag_history,
    open_flags,
    tracked_flags_of,
    update_from_run,
)

from tests.conftest import evaluation

SCHEME = """
id = "test-tracking"
title = "支部排查"
version = "1"
org_types = ["branch"]
extra = { tracked_flags = ["too_small"] }

[[inputs]]
name = "members"
title = "党员人数"
type = "integer"
min = 0

[[inputs]]
name = "secretary"
title = "支部书记"
type = "text"
required = false

[[diagnostics]]
id = "too_small"
title = "党员不足3人"
method = "threshold"
severity = "高"
params = { attribute = "members", op = "<", value = 3, message = "党员仅{value}人，不足3人" }

[[diagnostics]]
id = "no_secretary"
title = "未配备书记"
method = "missing"
severity = "中"
params = { attribute = "secretary", message = "支部书记空缺" }

[[bands]]
grade = "已排查"
min = 0
"""

MAY = datetime.date(2019, 5, 31)
DEC = datetime.date(2019, 12, 31)
JUNE_2020 = datetime.date(2020, 6, 30)


class TrackingScheme:
    @hookimpl
    def register_schemes(self, register):
        register(msgspec.toml.decode(SCHEME, type=Scheme))


@pytest.fixture(scope="module")
def plan():
    return load_catalog(entry_points=False, plugins=[TrackingScheme()]).plan("test-tracking")


def run(store, plan, *evaluations):
    return score_batch(plan, list(enumerate(evaluations, 1)), store=store,
                       track_flags=False).run_id


def test_a_run_raises_a_flag_for_each_firing_finding(tmp_path, plan):
    store = Store(tmp_path / "runs.db")
    first = run(store, plan, evaluation("a", members=2, secretary="甲"),
                evaluation("b", members=12, secretary="乙"), evaluation("c", members=9))
    update = update_from_run(store, first, on=MAY)
    assert sorted((f.org_id, f.flag) for f in update.raised) == [("a", "too_small"),
                                                                ("c", "no_secretary")]
    small = open_flags(store, flag="too_small")[0]
    assert (small.raised_run, small.raised_on, small.severity) == (first, MAY, "高")
    assert small.message == "党员仅2人，不足3人" and small.org_name == "组织a"
    assert open_flags(store, org_id="b") == []


def test_a_later_run_keeps_firing_flags_and_clears_the_rest(tmp_path, plan):
    store = Store(tmp_path / "runs.db")
    first = run(store, plan, evaluation("a", members=2, secretary="甲"),
                evaluation("b", members=12, secretary="乙"), evaluation("c", members=9),
                evaluation("e", members=1, secretary="戊"))
    update_from_run(store, first, on=MAY)
    # a still too small, b now too small, c got a secretary; e was not evaluated again.
    second = run(store, plan, evaluation("a", members=2, secretary="甲"),
                 evaluation("b", members=1, secretary="乙"),
                 evaluation("c", members=9, secretary="丙"))
    update = update_from_run(store, second, on=DEC)
    assert [(f.org_id, f.flag) for f in update.raised] == [("b", "too_small")]
    assert [(f.org_id, f.flag) for f in update.cleared] == [("c", "no_secretary")]
    cleared = update.cleared[0]
    assert (cleared.cleared_on, cleared.cleared_run, cleared.cleared_by) == (DEC, second,
                                                                             CLEARED_BY_RUN)
    a = open_flags(store, org_id="a")[0]
    assert (a.raised_run, a.raised_on, a.last_run, a.last_on) == (first, MAY, second, DEC)
    assert [f.org_id for f in open_flags(store, scheme_id="test-tracking")] == ["a", "b", "e"]
    assert "2019-12-31销号" in cleared.text()


def test_a_rejected_row_is_no_evidence_and_keeps_its_flag(tmp_path, plan):
    store = Store(tmp_path / "runs.db")
    update_from_run(store, run(store, plan, evaluation("a", members=2)), on=MAY)
    second = run(store, plan, evaluation("a", members="很多"))
    assert store.run(second)["rejected"] == 1
    update = update_from_run(store, second, on=DEC)
    assert update.cleared == []
    assert sorted(f.flag for f in open_flags(store, org_id="a")) == ["no_secretary", "too_small"]


def test_clear_by_hand_closes_the_flag_with_a_note_and_a_new_run_can_raise_it_again(tmp_path,
                                                                                       plan):
    store = Store(tmp_path / "runs.db")
    update_from_run(store, run(store, plan, evaluation("a", members=2, secretary="甲")), on=MAY)
    done = clear(store, "test-tracking", "a", "too_small", DEC, "整顿完成，已补充发展党员")
    assert (done.cleared_on, done.cleared_by, done.cleared_run) == (DEC, CLEARED_BY_HAND, None)
    assert "整顿完成：整顿完成，已补充发展党员" in done.text()
    assert open_flags(store) == []
    with pytest.raises(NotFound, match="没有未销号的标记 too_small"):
        clear(store, "test-tracking", "a", "too_small", DEC)
    again = run(store, plan, evaluation("a", members=2, secretary="甲"))
    update = update_from_run(store, again, on=JUNE_2020)
    assert [(f.org_id, f.raised_on) for f in update.raised] == [("a", JUNE_2020)]
    assert [f.open for f in flag_history(store, org_id="a")] == [False, True]


def test_clear_before_the_flag_was_raised_is_refused(tmp_path, plan):
    store = Store(tmp_path / "runs.db")
    update_from_run(store, run(store, plan, evaluation("a", members=2, secretary="甲")), on=DEC)
    with pytest.raises(DangjianError, match="早于标记日期"):
        clear(store, "test-tracking", "a", "too_small", MAY)
    assert len(open_flags(store)) == 1


def test_each_run_applies_once_and_never_after_a_later_run(tmp_path, plan):
    store = Store(tmp_path / "runs.db")
    first = run(store, plan, evaluation("a", members=2, secretary="甲"))
    second = run(store, plan, evaluation("a", members=5, secretary="甲"))
    update_from_run(store, second, on=DEC)
    with pytest.raises(DangjianError, match=f"批次 {first} 早于"):
        update_from_run(store, first, on=MAY)
    again = update_from_run(store, second, on=DEC)
    assert again.already_applied and again.raised == [] and again.cleared == []
    assert flag_history(store) == []


def test_flags_limit_what_is_tracked(tmp_path, plan):
    store = Store(tmp_path / "runs.db")
    first = run(store, plan, evaluation("a", members=2), evaluation("b", members=8))
    codes = tracked_flags_of(plan.scheme)
    assert codes == ["too_small"]
    update = update_from_run(store, first, on=MAY, flags=codes)
    assert [(f.org_id, f.flag) for f in update.raised] == [("a", "too_small")]


def test_flags_persist_in_the_sqlite_file_and_the_migration_is_recorded(tmp_path, plan):
    path = tmp_path / "runs.db"
    store = Store(path)
    first = run(store, plan, evaluation("a", members=2, secretary="甲"))
    update = update_from_run(store, first)
    finished = datetime.date.fromisoformat(store.run(first)["finished_at"][:10])
    assert update.on == finished
    store.close()
    reopened = Store(path)
    assert [(f.org_id, f.raised_on) for f in open_flags(reopened)] == [("a", finished)]
    reopened.close()
    conn = sqlite3.connect(path)
    names = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    rows = conn.execute("SELECT org_id, flag, raised_run FROM tracked_flags").fetchall()
    conn.close()
    assert "m002_tracked_flags" in names
    assert rows == [("a", "too_small", first)]


def test_an_unknown_run_is_not_found(tmp_path):
    store = Store(tmp_path / "runs.db")
    with pytest.raises(NotFound):
        update_from_run(store, 99)
