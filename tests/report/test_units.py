"""Units (parent organizations) of a stored run: from the evaluations the store keeps, else from
the registry given with --orgs, the registry winning where both name a parent."""

from __future__ import annotations

from decimal import Decimal

import msgspec
from dangjian.models import Evaluation, Organization
from dangjian.store.storage import Store
from dangjian_shell.units import Units, rank_run, units_of_run

from .conftest import SCHEME


def scored_store(catalog, path, *, parents: bool = True):
    from dangjian.store.runner import RunInput, run_meta, score_run

    plan = catalog.plan(SCHEME)
    evaluations = [msgspec.convert({
        "org_id": org_id, "org": {"name": f"{org_id}支部", "type": "branch",
                                  "parent_id": parent if parents else None},
        "inputs": {"onsite": [score], "superior": score}}, Evaluation)
        for org_id, parent, score in (("a", "u1", 90), ("b", "u1", 95), ("c", "u2", 90),
                                      ("d", "u1", 90))]
    store = Store(path)
    score_run(plan, [RunInput(enumerate(evaluations, 1), None)], store=store, meta=run_meta(plan))
    return store, evaluations


def test_without_parents_in_the_run_or_a_registry_there_are_no_units(catalog, tmp_path):
    store, _ = scored_store(catalog, tmp_path / "runs.db", parents=False)
    units = units_of_run(store, 1)
    assert not units.known and units.source == ""
    ranking = rank_run(store, 1, units)
    assert ranking.rank(Decimal("90")) == 2 and ranking.unit_rank("a", Decimal("90")) is None
    store.close()


def test_units_from_the_stored_evaluations_then_the_registry(catalog, tmp_path):
    store, _ = scored_store(catalog, tmp_path / "runs.db")
    units = units_of_run(store, 1)
    assert units.source == "评分输入" and units.unit_of("c") == "u2"
    ranking = rank_run(store, 1, units)
    assert [ranking.unit_rank(o, Decimal(t)) for o, t in (("b", 95), ("a", 90), ("d", 90))] == \
        [1, 2, 2]
    moved = units_of_run(store, 1, [Organization(id="c", parent_id="u1"),
                                    Organization(id="u1", name="第一党委")], "组织名册 orgs.csv")
    assert moved.source == "组织名册 orgs.csv" and moved.unit_of("c") == "u1"
    assert moved.title("u1") == "第一党委" and moved.title(None) == "（无上级组织）"
    assert Units().title("u9") == "u9"
    store.close()
