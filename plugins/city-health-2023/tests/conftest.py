"""Fixtures for the branch-structure scheme: the catalogue, its plan and the demo seed files."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from dangjian import Evaluation, Organization, load_catalog

SEEDS = Path(__file__).resolve().parents[3] / "seeds" / "city-health-2023"


@pytest.fixture(scope="session")
def city_catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def city(city_catalog):
    return city_catalog.plan("city-health-2023")


def read_jsonl(name: str, type_):
    with open(SEEDS / name, "rb") as lines:
        return [msgspec.json.decode(line, type=type_) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def demo_orgs() -> list[Organization]:
    return read_jsonl("orgs.jsonl", Organization)


@pytest.fixture(scope="session")
def demo_evaluations() -> list[Evaluation]:
    return read_jsonl("evaluations.jsonl", Evaluation)


def survey(org_id: str = "b1", *, attributes=None, **changes) -> Evaluation:
    """A clean branch (24 members of whom 22 full, 5 young committee members, someone
    dedicated to party work), with `changes` applied; a value of None removes the input."""
    inputs = {"members": 24, "full_members": 22, "committee_size": 5,
              "committee_posts": [1, 0, 1, 2, 0], "dedicated_party_worker": True,
              "committee_ages": [45, 38, 33, 41, 36]}
    inputs.update(changes)
    org = {"name": f"{org_id}党支部", "type": "branch", "attributes": attributes or {}}
    return msgspec.convert({"org_id": org_id, "org": org,
                            "inputs": {k: v for k, v in inputs.items() if v is not None}},
                           Evaluation)
