"""`Plan.assess` (the compiled path, no text) gives exactly the numbers of `Plan.score` (the
renderer): total, grades, components, vetoes, consequences, eligibility, findings and the
distance to the next band, for every golden case of the five plugins, generated records and
the seeds; and the same rejections."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from dangjian import Reject, Result, Scheme
from tests.conftest import evaluation

from .reference import catalog_for, evaluation_of, read, registry_of

HEADER, CASES = read()


@pytest.fixture(scope="module")
def reference_catalog():
    schemes = [msgspec.convert(s, Scheme, strict=False) for s in HEADER.schemes]
    return catalog_for(schemes)


def numbers(outcome: Result | Reject) -> bytes:
    if isinstance(outcome, Reject):
        return msgspec.json.encode(outcome)
    return msgspec.json.encode(msgspec.structs.replace(outcome, lines=[]))


def test_assess_gives_the_numbers_of_score_for_every_reference_case(reference_catalog):
    differ = []
    for case in CASES:
        plan = reference_catalog.plan(case.scheme)
        rows = [(case.row, evaluation_of(case))]
        (scored,) = plan.score_many(rows, registry_of(case))
        (assessed,) = plan.assess_many(rows, registry_of(case))
        if numbers(scored) != numbers(assessed):
            differ.append(f"{case.scheme} {case.name} row {case.row}")
        if isinstance(assessed, Result):
            assert assessed.lines == []
    assert not differ, differ[:5]


def test_decoding_a_record_then_assessing_it_matches_the_reference(reference_catalog):
    """The typed decoder takes what the general decoder took, and rejects what it rejected."""
    for case in CASES:
        plan = reference_catalog.plan(case.scheme)
        raw = msgspec.json.encode(case.evaluation)
        decoded = plan.decode(raw, row=case.row, source=case.name)
        if isinstance(decoded, Reject):
            assert case.reject is not None, (case.name, decoded.reason)
            continue
        (assessed,) = plan.assess_many([(case.row, decoded)], registry_of(case))
        expected = case.result if case.result is not None else case.reject
        if isinstance(assessed, Result):
            got = msgspec.json.decode(numbers(assessed))
            got.pop("scheme")
            want = msgspec.json.decode(expected)
            want["lines"] = []
            want.pop("scheme")
            assert got == want, case.name
        else:
            assert msgspec.json.decode(expected)["reason"] == assessed.reason, case.name


def test_the_reference_schemes_fast_path_needs_no_text(catalog):
    plan = catalog.plan("jilin-health-2019")
    for cp in plan.components:
        assert cp.points is not None and cp.points.__name__ == "points"
    result = plan.assess(evaluation(onsite=[95, "好", 88], superior=80, integrity_problem=True))
    # mean(95, 95, 88) = 92.666… → 0.7 × 92.666… + 0.3 × 80 = 88.866… → 88.87 较好
    assert (result.total, result.grade) == (Decimal("88.87"), "较好")
    assert [v.id for v in result.vetoes] == ["integrity_problem"]
    assert result.to_next_band.points == Decimal("1.13") and result.lines == []


# -- every built-in method, over generated inputs good and bad ----------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

def mostly(good, bad):
    """Good values seven times in eight, so that many examples are scored, not rejected."""
    return st.one_of(*[good] * 7, bad)


points = st.one_of(st.integers(min_value=0, max_value=100),
                   st.decimals(min_value=0, max_value=100, places=3))
odd = st.one_of(st.integers(min_value=-5, max_value=120),
                st.sampled_from(["好", "优秀", "", " 88 ", "9_5", "-0", "1e1", "٩٥"]))
record = st.fixed_dictionaries({
    "ratings": mostly(st.lists(points, min_size=3, max_size=8), st.lists(odd, max_size=4)),
    "votes": mostly(st.lists(st.sampled_from(["好", "较好", "一般", "差"]), min_size=1,
                             max_size=6), st.lists(st.just("优"), max_size=2)),
}, optional={
    "superior": mostly(points, odd),
    "misses": mostly(st.lists(st.sampled_from(["三会一课", "主题党日", "组织生活会"]),
                              max_size=3), st.just(["党课"])),
    "awards": st.integers(min_value=-2, max_value=9),
    "standardized": mostly(st.decimals(min_value=0, max_value=1, places=2), odd),
    "ledger": st.booleans(),
    "plan": mostly(st.sampled_from(["完成", "部分完成", "未完成"]), st.just("做了")),
    "plan_evidence": st.sampled_from(["", "会议记录"]),
    "penalties": st.integers(min_value=0, max_value=5),
    "integrity_problem": st.booleans(),
})
months = st.lists(st.integers(min_value=1, max_value=12), max_size=14)


@settings(max_examples=400, deadline=None)
@given(inputs=record, months=months)
def agrees(mixed, inputs, months):
    inputs = {k: [str(x) if isinstance(x, Decimal) else x for x in v] if isinstance(v, list)
              else str(v) if isinstance(v, Decimal) else v for k, v in inputs.items()}
    activity = [{"kind": "主题党日", "date": f"2022-{m:02d}-15"} for m in months]
    rows = [(1, evaluation(activities=activity, **inputs))]
    (scored,) = mixed.score_many(rows)
    (assessed,) = mixed.assess_many(rows)
    assert numbers(scored) == numbers(assessed)
    outcomes.append(type(scored).__name__)


outcomes: list[str] = []


def test_assess_agrees_with_score_on_every_built_in_method(mixed):
    outcomes.clear()
    agrees(mixed=mixed)
    assert outcomes.count("Result") > 20 and outcomes.count("Reject") > 20


def test_rejections_leave_no_garbage_while_the_collector_is_paused(catalog):
    """assess_many pauses the garbage collector; the cycles a rejection's exception leaves
    (traceback ↔ frame) are still swept, so a batch of bad rows does not grow memory."""
    import gc

    from dangjian.scoring import engine

    plan = catalog.plan("jilin-health-2019")
    bad = evaluation(onsite=[95, "优"], superior=120)
    gc.collect()
    before = len(gc.get_objects())
    rows = 4 * engine.SWEEP
    out = plan.assess_many((i, bad) for i in range(rows))
    assert sum(isinstance(o, Reject) for o in out) == rows
    assert gc.isenabled()
    assert len(gc.get_objects()) - before < rows
