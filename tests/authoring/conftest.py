"""Authoring fixtures: the test schemes under data/ (a 70/30 secretaries' scheme and its
next year's version) loaded through the kernel's own pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def secretaries(dangjian_scheme):
    return dangjian_scheme(DATA / "secretaries.toml")
