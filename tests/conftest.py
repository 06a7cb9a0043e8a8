"""Shared fixtures: a catalogue of the installed plugins and helpers to build evaluations."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from dangjian import Evaluation, hookimpl, load_catalog
from dangjian.catalogue.cache import CACHE_ENV
from dangjian.catalogue.loading import decode_scheme

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def scheme_cache(tmp_path_factory):
    """Decoded schemes are kept in a folder of the test session's, not in the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("scheme-cache")))
        yield


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


def evaluation(org_id: str = "o1", org_type: str = "branch", activities=(), **inputs) -> Evaluation:
    return msgspec.convert({"org_id": org_id, "org": {"name": f"组织{org_id}", "type": org_type},
                            "inputs": inputs, "activities": list(activities)}, Evaluation)


def catalog_with_scheme(text: str):
    """The installed catalogue plus one scheme given as TOML text, registered by a plugin."""
    scheme = decode_scheme(text.encode(), file="scheme.toml")

    class Plugin:
        @hookimpl
        def register_schemes(self, register):
            register(scheme)

    return load_catalog(entry_points=False, plugins=[Plugin()])


def plan_of_scheme(text: str):
    """The compiled plan of a scheme given as TOML text; the scheme must load without problems."""
    catalog = catalog_with_scheme(text)
    assert catalog.problems == []
    return catalog.plan(decode_scheme(text.encode(), file="scheme.toml").id)

