"""Scheme diff: what changed from one year's rules to the next, as a tree and as JSON."""

from __future__ import annotations

from dangjian import load_scheme
from dangjian.catalogue.diff import diff_schemes

from .conftest import DATA

OLD = load_scheme(DATA / "secretaries.toml")
NEW = load_scheme(DATA / "secretaries-2020.toml")


def _section(diff, key):
    return next(s for s in diff.sections if s.key == key).changes


def _field(change, name):
    return next(f for f in change.fields if f.field == name)


def test_weights_move_from_70_30_to_60_40():
    onsite, superior = _section(diff_schemes(OLD, NEW), "components")
    assert (onsite.id, _field(onsite, "weight").old, _field(onsite, "weight").new) == (
        "onsite", "70%", "60%")
    assert (_field(superior, "weight").old, _field(superior, "weight").new) == ("30%", "40%")


def test_criteria_added_retitled_and_moved():
    changes = {c.id: c for c in _section(diff_schemes(OLD, NEW), "criteria")}
    assert changes["c1"].op == "changed"
    assert _field(changes["c1"], "title").new == "（一）履行全面从严治党主体责任情况"
    assert changes["c3"].op == "added"
    moved = {c.id: c for c in changes["c2"].children}
    assert moved["c1.1"].op == "moved"
    parent = _field(moved["c1.1"], "parent")
    assert (parent.old, parent.new) == ("c1", "c2")
    assert moved["c2.1"].op == "added"


def test_bands_vetoes_honours_and_consequences():
    diff = diff_schemes(OLD, NEW)
    [good] = _section(diff, "bands")
    assert (good.id, _field(good, "min").old, _field(good, "min").new) == ("好", "90", "92")
    [veto] = _section(diff, "vetoes")
    assert _field(veto, "cap_grade").new == "一般"
    assert _field(veto, "blocks").old == "[advanced_collective]"
    assert [(c.op, c.id) for c in _section(diff, "honours")] == [("removed", "advanced_collective")]
    assert [(c.op, c.id) for c in _section(diff, "consequences")] == [("added", "rectify")]


def test_readable_tree_and_json():
    diff = diff_schemes(OLD, NEW)
    text = diff.text()
    assert text.splitlines()[0] == (
        "方案 test-secretaries（版本 2019.1） → test-secretaries-2020（版本 2020.1）")
    assert "│  ├─ ~ onsite 现场评议测评\n│  │  └─ 权重：70% → 60%" in text
    assert "→ c1.1 党组织书记履行第一责任人职责情况" in text
    assert "+ c3 （三）整改落实情况" in text
    data = diff.to_dict()
    assert data["same"] is False
    assert [s["key"] for s in data["sections"]] == [
        "basics", "criteria", "components", "bands", "vetoes", "honours", "consequences"]


def test_a_scheme_against_itself_has_no_changes():
    diff = diff_schemes(OLD, OLD)
    assert diff.empty and diff.text().endswith("规则没有变化")


def test_the_tree_shown_in_the_versioning_docs_is_the_real_output():
    from .conftest import ROOT

    doc = (ROOT / "docs" / "versioning.md").read_text(encoding="utf-8")
    assert diff_schemes(OLD, NEW).text() + "\n" in doc
