"""docs/methods.md documents every built-in scoring method with an example that really scores
as the page says."""

from __future__ import annotations

import json
import re

import pytest
from dangjian import hookimpl, load_catalog
from dangjian.catalogue.loading import decode_scheme
from dangjian.scoring.records import evaluation_from_object

from .conftest import ROOT

DOC = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
SECTIONS = dict(re.findall(r"^## `(\w+)` — .*?\n(.*?)(?=^## |\Z)", DOC,
                          flags=re.DOTALL | re.MULTILINE))
HEADER = 'id = "example"\ntitle = "示例"\nversion = "1"\nyear = 2024\n\n' \
         '[[bands]]\ngrade = "合格"\nmin = 0\n\n'
BUILTIN = sorted(name for name in load_catalog(entry_points=False).methods)


def test_every_builtin_method_has_a_section():
    assert BUILTIN and set(BUILTIN) <= set(SECTIONS)


@pytest.mark.parametrize("name", BUILTIN)
def test_the_example_scores_as_documented(name):
    section = SECTIONS[name]
    toml = re.search(r"```toml\n(.*?)```", section, flags=re.DOTALL).group(1)
    evaluation = json.loads(re.search(r"```json\n(.*?)```", section, flags=re.DOTALL).group(1))
    expected = re.search(r"```text\n(.*?)\n```", section, flags=re.DOTALL).group(1)
    assert f'method = "{name}"' in toml
    scheme = decode_scheme((HEADER + toml).encode(), file=f"docs/methods.md#{name}")

    class Example:
        @hookimpl
        def register_schemes(self, register):
            register(scheme)

    catalog = load_catalog(entry_points=False, plugins=[Example()])
    assert catalog.problems == []
    result = catalog.plan("example").score(evaluation_from_object(evaluation, row=1))
    line = next(line for line in result.lines if line.kind == "criterion")
    assert line.text == expected


@pytest.mark.parametrize("name", BUILTIN)
def test_every_param_of_the_method_is_explained(name):
    method = load_catalog(entry_points=False).methods[name]
    for param in method.params:
        assert f"| `{param}` |" in SECTIONS[name], param
