"""docs/scheme-format.md explains every key of every table of the scheme format."""

from __future__ import annotations

import re

import msgspec
import pytest
from dangjian import scheme as models

from .conftest import ROOT

DOC = (ROOT / "docs" / "scheme-format.md").read_text(encoding="utf-8")
SECTIONS = {match.group(1): match.group(2) for match in
            re.finditer(r"^## .*?（(\w+)）\n(.*?)(?=^## |\Z)", DOC, flags=re.DOTALL | re.MULTILINE)}
STRUCTS = [name for name, value in vars(models).items()
           if isinstance(value, type) and issubclass(value, msgspec.Struct)
           and value.__module__ == models.__name__]


def test_every_table_of_the_format_has_a_section():
    assert set(STRUCTS) == set(SECTIONS)


@pytest.mark.parametrize("name", sorted(STRUCTS))
def test_every_key_is_explained(name):
    keys = [f.name for f in msgspec.structs.fields(getattr(models, name))]
    missing = [key for key in keys if f"`{key}`" not in SECTIONS[name]]
    assert missing == []


def test_the_documents_toml_examples_are_valid_scheme_parts():
    blocks = re.findall(r"```toml\n(.*?)```", DOC, flags=re.DOTALL)
    head = 'id = "doc"\ntitle = "文档示例"\nversion = "1"\n'
    for block in blocks:
        msgspec.toml.decode((head + block).encode(), type=models.Scheme, strict=True)
