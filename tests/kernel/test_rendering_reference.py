"""The explanation renderer (`Plan.score`) stays byte-identical to the reference taken before
the compiled fast path existed: every golden case of the five plugins, generated records and
the seeds' demo data."""

from __future__ import annotations

import msgspec
import pytest

from dangjian import Result, Scheme

from .reference import catalog_for, encode_result, evaluation_of, read, registry_of

HEADER, CASES = read()


@pytest.fixture(scope="module")
def reference_catalog():
    schemes = [msgspec.convert(s, Scheme, strict=False) for s in HEADER.schemes]
    return catalog_for(schemes)


def test_the_reference_covers_every_plugin_golden_table_generated_records_and_seeds():
    kinds = {(case.scheme, case.name.split(":")[0]) for case in CASES}
    for scheme in ("jilin-health-2019", "jilin-health-2020", "hubei-organs-2022",
                   "tibet-health-2019", "city-health-2023"):
        assert (scheme, "golden") in kinds and (scheme, "seed") in kinds
    assert sum(case.name == "generated" for case in CASES) >= 300


def test_every_explanation_is_byte_identical_to_the_reference(reference_catalog):
    changed = []
    for case in CASES:
        plan = reference_catalog.plan(case.scheme)
        (outcome,) = plan.score_many([(case.row, evaluation_of(case))], registry_of(case))
        if isinstance(outcome, Result):
            got, expected = encode_result(outcome).decode(), case.result
        else:
            got, expected = msgspec.json.encode(outcome).decode(), case.reject
        if got != expected:
            changed.append(f"{case.scheme} {case.name} row {case.row}:\n  was {expected}\n"
                           f"  now {got}")
    assert not changed, f"{len(changed)} explanations changed:\n" + "\n".join(changed[:3])
