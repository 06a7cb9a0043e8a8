"""Explanations rendered on demand from a stored run are byte for byte what a full score gives,
for every golden case of every installed scheme: the run stores no text, only the scheme once
and each organization's inputs and numbers."""

from __future__ import annotations

import pytest
from dangjian import load_catalog
from dangjian.tools.golden import golden_files, load_cases
from dangjian.models import Reject
from dangjian.scoring.records import evaluation_from_object
from dangjian.store.runner import RunInput, run_meta, score_run
from dangjian.store.storage import Store, encode_result

SCHEMES = ["jilin-health-2019", "jilin-health-2020", "hubei-organs-2022", "tibet-health-2019",
           "city-health-2023"]


@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_stored_golden_cases_explain_exactly_as_scored(tmp_path, scheme_id):
    catalog = load_catalog()
    if scheme_id not in catalog.schemes:
        pytest.skip(f"{scheme_id} is not installed")
    loaded = catalog.scheme(scheme_id)
    plan = catalog.plan(scheme_id)
    evaluations = []
    for path in golden_files(loaded.path):
        for case in load_cases(path, loaded.scheme):
            evaluation = evaluation_from_object(case.evaluation, row=case.row, source=case.source)
            if not isinstance(evaluation, Reject):
                evaluations.append(evaluation)
    # runs in which each organization id appears once (cases may reuse an id)
    runs: list[list] = []
    for evaluation in evaluations:
        for batch in runs:
            if all(e.org_id != evaluation.org_id for e in batch):
                batch.append(evaluation)
                break
        else:
            runs.append([evaluation])
    store = Store(tmp_path / "runs.db", catalog=catalog)
    compared = 0
    for number, batch in enumerate(runs, 1):
        summary = score_run(plan, [RunInput(list(enumerate(batch, 1)))], store=store,
                            meta=run_meta(plan, input_digest=str(number)), catalog=catalog,
                            track_flags=False).summary
        for evaluation in batch:
            try:
                full = plan.score(evaluation)
            except Exception:  # noqa: BLE001 — a case the scheme rejects is not stored
                continue
            stored = store.result(summary.run_id, evaluation.org_id)
            assert encode_result(stored) == encode_result(full), evaluation.org_id
            compared += 1
    assert compared >= 5
