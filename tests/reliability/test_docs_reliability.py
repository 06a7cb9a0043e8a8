"""docs/reliability.md names only tests that exist, and every reliability test is named there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"
HERE = Path(__file__).parent


def references() -> list[tuple[str, str | None]]:
    text = DOC.read_text(encoding="utf-8")
    return [(path, name or None) for path, name in
            re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text)]


def test_every_test_the_document_names_exists():
    refs = references()
    assert len(refs) > 30
    for path, name in refs:
        source = (ROOT / path).read_text(encoding="utf-8")
        if name is not None:
            assert re.search(rf"^\s*def {name}\(", source, re.MULTILINE), f"{path}::{name}"


def test_every_reliability_test_is_named_in_the_document():
    named = {(path, name) for path, name in references()}
    for file in sorted(HERE.glob("test_*.py")):
        if file.name == Path(__file__).name:
            continue
        path = f"tests/reliability/{file.name}"
        for name in re.findall(r"^def (test_\w+)\(", file.read_text(encoding="utf-8"),
                               re.MULTILINE):
            assert (path, name) in named, f"docs/reliability.md 没有提到 {path}::{name}"
