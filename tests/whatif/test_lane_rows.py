"""What-if over a stored run rescored through the target's lane gives the very comparisons and
report of the general path (every stored evaluation decoded and assessed in full)."""

from __future__ import annotations

import random

import msgspec

from dangjian.store.runner import RunInput, run_meta, score_run
from dangjian.store.storage import Store
from dangjian.store.whatif import compare, encode_whatif, stored_comparer, stored_pairs, whatif_run

from .conftest import SCHEME

ONSITE_60 = {"components.onsite.weight": "0.6", "components.superior.weight": "0.4"}


def evaluations(n: int):
    """Secretaries' assessments: 15–40 raters (scores and ballots mixed), a superior's score,
    now and then a veto or accountability flag."""
    rng = random.Random(2019)
    for i in range(n):
        onsite = [rng.choice([rng.randint(60, 100), rng.choice(["好", "较好", "一般", "差"])])
                  for _ in range(rng.randint(15, 40))]
        inputs = {"onsite": onsite, "superior": rng.randint(55, 100)}
        for flag in ("integrity_problem", "many_problems", "serious"):
            if rng.random() < 0.05:
                inputs[flag] = True
        yield {"org_id": f"j{i:04d}", "org": {"name": f"第{i}党支部", "type": "branch"},
               "inputs": inputs}


def stored_run(tmp_path, catalog) -> tuple[Store, int]:
    plan = catalog.plan(SCHEME)
    lines = [msgspec.json.encode(record) for record in evaluations(300)]
    # Records the lane leaves to the general path: scores with decimals, a ballot table.
    lines += [b'{"org_id":"f1","org":{"name":"\xe5\x9b\x9b\xe6\x94\xaf\xe9\x83\xa8","type":"branch"},'
              b'"inputs":{"onsite":[89.99,"\xe5\xa5\xbd"],"superior":90}}',
              b'{"org_id":"f2","org":{"type":"branch"},"inputs":{"onsite":{"\xe5\xa5\xbd":3},'
              b'"superior":70.5,"serious":true}}']
    store = Store(tmp_path / "runs.db", catalog=catalog)
    summary = score_run(plan, [RunInput(enumerate(lines, 1), "gen.jsonl")], store=store,
                        meta=run_meta(plan), catalog=catalog).summary
    assert summary.scored == 302
    return store, summary.run_id


def test_lane_and_general_path_compare_every_organization_alike(tmp_path, catalog):
    store, run_id = stored_run(tmp_path, catalog)
    assert catalog.plan(SCHEME).lane is not None
    rows = []
    report = whatif_run(store, catalog, run_id, overrides=ONSITE_60, top=1000,
                        on_row=rows.append)
    general = stored_comparer(store, catalog, run_id, overrides=ONSITE_60, top=1000)
    assert general.target.lane is not None  # the 60/40 scheme compiles a lane too
    expected_rows = []
    expected = compare(stored_pairs(store, run_id), general.baseline, general.target,
                       top=1000, run_id=run_id, overrides=ONSITE_60,
                       on_row=expected_rows.append)
    assert rows == expected_rows and len(rows) == 302
    assert encode_whatif(report) == encode_whatif(expected)
    # 60/40 moves totals: the report is not trivially empty.
    assert report.compared == 302 and report.movers and any(r.change for r in rows)


def test_a_run_whose_outcomes_are_stored_inline_compares_alike(tmp_path, catalog, monkeypatch):
    from dangjian.store import chunks

    store, run_id = stored_run(tmp_path, catalog)
    expected = whatif_run(store, catalog, run_id, overrides=ONSITE_60, top=1000)
    # The same records stored again, every outcome kept in its row (as a packer does once it
    # holds `PROFILES_KEPT` profiles): no profile is found by id.
    monkeypatch.setattr(chunks, "PROFILES_KEPT", 0)
    inline = tmp_path / "inline"
    inline.mkdir()
    inline_store, inline_run = stored_run(inline, catalog)
    assert inline_store.conn.execute("SELECT count(*) FROM profiles").fetchone()[0] == 0
    rows = []
    report = whatif_run(inline_store, catalog, inline_run, overrides=ONSITE_60, top=1000,
                        on_row=rows.append)
    assert encode_whatif(report) == encode_whatif(expected)
    # Outcomes change for some organizations under 60/40: the lists were read and compared.
    titles = sum(len(r.consequences_added) + len(r.consequences_removed)
                 + len(r.honours_gained) + len(r.honours_lost) for r in rows)
    assert len(rows) == 302 and titles == sum(e.count for e in report.outcome_changes) == 40
