"""Fixtures for the jilin-health-2019 plugin tests: the installed catalogue and its plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dangjian import Organization, load_catalog

SEEDS = Path(__file__).resolve().parents[3] / "seeds" / "jilin-health-2019"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def plan(catalog):
    return catalog.plan("jilin-health-2019")


@pytest.fixture(scope="session")
def scheme(catalog):
    return catalog.scheme("jilin-health-2019").scheme


@pytest.fixture(scope="session")
def demo_orgs() -> list[Organization]:
    import msgspec

    return [msgspec.convert(json.loads(line), Organization)
            for line in (SEEDS / "orgs.jsonl").read_text(encoding="utf-8").splitlines()]
