"""Every hook in `dangjian.hookspecs` is documented in docs/hooks.md with its exact signature
and docstring, nothing else is documented as a hook, and the examples there really register."""

from __future__ import annotations

import ast
import inspect
import re
import types
from pathlib import Path

import pytest
from dangjian import hookspecs, load_catalog

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
SOURCE = Path(hookspecs.__file__).read_text(encoding="utf-8")
HOOKS = {node.name: f"def {node.name}({ast.unparse(node.args)}) -> {ast.unparse(node.returns)}"
         for node in ast.parse(SOURCE).body
         if isinstance(node, ast.FunctionDef) and hasattr(getattr(hookspecs, node.name),
                                                          "dangjian_spec")}
SECTIONS = dict(re.findall(r"^## `(\w+)`\n(.*?)(?=^## |\Z)", DOC, flags=re.DOTALL | re.MULTILINE))


def test_every_hookspec_is_found():
    assert set(HOOKS) == {"register_org_types", "register_methods", "register_schemes",
                          "register_diagnostics", "register_document_checks",
                          "register_batch_rules", "register_rollups"}


def test_documented_hooks_are_exactly_the_hookspecs():
    assert set(SECTIONS) == set(HOOKS)


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_hook_is_documented_with_its_exact_signature_and_docstring(name):
    section = SECTIONS[name]
    assert f"```python\n{HOOKS[name]}\n```" in section
    docstring = inspect.getdoc(getattr(hookspecs, name))
    assert f"```text\n{docstring}\n```" in section


def test_the_examples_register_through_a_real_catalogue():
    module = types.ModuleType("hook_examples")
    for name, section in SECTIONS.items():
        blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
        example = blocks[1]
        if "__package__" in example:  # the scheme example needs a real package
            continue
        exec(compile(example, f"docs/hooks.md#{name}", "exec"), module.__dict__)
    catalog = load_catalog(entry_points=False, plugins=[module])
    assert catalog.problems == []
    registered = catalog.plugins["hook_examples"].registered
    assert registered == {"org_type": ["village"], "method": ["per_member"],
                          "diagnostic": ["no_deputy"], "document_check": ["signed"],
                          "batch_rule": ["all_graded"], "rollup": ["branch_count"]}
