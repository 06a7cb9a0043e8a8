"""schemathesis against the live OpenAPI schema: no server error, responses as documented.

Every operation the live server documents gets a bounded number of generated requests (valid
and invalid), sent with a write key over real HTTP. Select with `-m schemathesis`.

Every check runs except "schema-valid data must be accepted": an Evaluation's `inputs` is an
open object in the generic schema, and what each scheme accepts there (its own inputs, ranges,
org types) is published per scheme at `/schemes/{id}/input-schema`; the kernel's 400 for
anything else is the documented behaviour.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from .conftest import SCHEME, WRITE, branch

pytestmark = pytest.mark.schemathesis
EXAMPLES = 15


def operations(base_url: str):
    schema = schemathesis.openapi.from_url(f"{base_url}/docs/openapi.json")
    for result in schema.get_all_operations():
        yield result.ok()


def test_every_documented_operation_is_found_and_checked(live_server):
    labels = {operation.label for operation in operations(live_server)}
    assert "POST /schemes/{scheme_id}/score" in labels
    assert "GET /runs/{run_id}/results/{org_id}" in labels
    assert len(labels) == 17


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["valid", "invalid"])
def test_live_api_has_no_server_error_and_matches_its_schema(live_server, mode):
    created = httpx.post(f"{live_server}/schemes/{SCHEME}/runs", headers=WRITE, json={
        "evaluations": [branch("g1", onsite=[95], superior=80)]})
    assert created.status_code == 201
    failures: dict[str, str] = {}
    checked = 0
    for operation in operations(live_server):
        checked += 1

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            if mode is GenerationMode.POSITIVE:
                # aim valid requests at what exists, so they reach the scoring and storage code
                for name, value in (("scheme_id", SCHEME), ("run_id", 1)):
                    if name in (case.path_parameters or {}):
                        case.path_parameters[name] = value
            case.call_and_validate(base_url=live_server, headers=WRITE,
                                  excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Unsatisfiable:
            # nothing in this operation can be made invalid (no parameters, no body)
            assert mode is GenerationMode.NEGATIVE, operation.label
        except (FailureGroup, AssertionError) as exc:  # report every operation's failures
            failures[operation.label] = str(exc)[:2000]
    assert checked == 17
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
