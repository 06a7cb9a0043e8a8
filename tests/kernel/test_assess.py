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
