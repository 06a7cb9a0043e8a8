"""Kernel fixtures: a catalogue of the kernel's defaults plus throwaway test plugins."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian import hookimpl, load_catalog

DATA = Path(__file__).parent / "data"


class MixedSchemePlugin:
    """A plugin defined only in the tests: it ships one scheme file."""

    @hookimpl
    def register_schemes(self, register):
        register(DATA / "mixed.toml")


@pytest.fixture(scope="session")
def kernel_catalog():
    return load_catalog(entry_points=False, plugins=[MixedSchemePlugin()])


@pytest.fixture(scope="session")
def mixed(kernel_catalog):
    return kernel_catalog.plan("test-mixed")
