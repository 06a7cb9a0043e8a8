"""What-if fixtures: the Jilin 2019 demo organizations as a stored run gives them (each
evaluation with its organization inline) and the results they had under the installed scheme."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from dangjian import Evaluation

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "jilin-health-2019"
SCHEME = "jilin-health-2019"


def seed_lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (SEEDS / name).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def demo_evaluations() -> list[Evaluation]:
    orgs = {org["id"]: org for org in seed_lines("orgs.jsonl")}
    evaluations = []
    for line in seed_lines("evaluations.jsonl"):
        org = orgs[line["org_id"]]
        line["org"] = {key: org[key] for key in ("name", "type", "parent_id", "attributes")}
        evaluations.append(msgspec.convert(line, Evaluation))
    return evaluations


@pytest.fixture(scope="session")
def baseline(catalog):
    return catalog.plan(SCHEME)


@pytest.fixture(scope="session")
def demo_pairs(baseline):
    """(evaluation, result it had) for all 55 demo organizations, in input order."""
    return [(evaluation, baseline.score(evaluation)) for evaluation in demo_evaluations()]
