"""Fixtures for the 八化 scheme: the installed catalogue, its plan, and the demo seed files."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from dangjian import Evaluation, Organization, load_catalog

SEEDS = Path(__file__).resolve().parents[3] / "seeds" / "tibet-health-2019"
AREAS = ["setup", "committee", "members", "life", "premises", "systems", "operation", "support"]


@pytest.fixture(scope="session")
def tibet_catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def tibet(tibet_catalog):
    return tibet_catalog.plan("tibet-health-2019")


def read_jsonl(name: str, type_):
    with open(SEEDS / name, "rb") as lines:
        return [msgspec.json.decode(line, type=type_) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def demo_orgs() -> list[Organization]:
    return read_jsonl("orgs.jsonl", Organization)


@pytest.fixture(scope="session")
def demo_evaluations() -> list[Evaluation]:
    return read_jsonl("evaluations.jsonl", Evaluation)


def branch(org_id: str = "b1", *, unmet=(), no_evidence=(), org_type="branch",
           **extra) -> Evaluation:
    """A branch's evaluation: every area met with evidence unless listed."""
    inputs: dict = {}
    for area in AREAS:
        inputs[area] = "未达标" if area in unmet else "达标"
        if area not in unmet and area not in no_evidence:
            inputs[f"{area}_evidence"] = "工作台账"
    inputs.update(extra)
    return msgspec.convert({"org_id": org_id, "org": {"name": f"第{org_id}党支部",
                                                       "type": org_type},
                            "inputs": inputs}, Evaluation)
