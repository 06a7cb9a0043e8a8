"""The examples in docs/golden-cases.md are golden tables the runner accepts and passes."""

from __future__ import annotations

import re

from dangjian.tools.golden import load_cases

from .conftest import ROOT

DOC = (ROOT / "docs" / "golden-cases.md").read_text(encoding="utf-8")


def test_toml_examples_are_valid_golden_files(tmp_path, secretaries):
    blocks = re.findall(r"```toml\n(.*?)```", DOC, flags=re.DOTALL)
    assert len(blocks) == 2
    first = tmp_path / "golden.toml"
    first.write_text(blocks[0], encoding="utf-8")
    report = secretaries.golden(files=[first])
    assert [c.passed for c in report.cases] == [True, True]
    second = tmp_path / "more.toml"
    second.write_text(blocks[1], encoding="utf-8")
    [case] = load_cases(second, secretaries.scheme)
    assert len(case.evaluation["activities"]) == 2


def test_csv_example_passes(tmp_path, secretaries):
    table = re.search(r"```text\n(用例,.*?)```", DOC, flags=re.DOTALL).group(1)
    path = tmp_path / "golden.csv"
    path.write_text(table, encoding="utf-8")
    report = secretaries.golden(files=[path])
    assert [c.name for c in report.cases] == ["两张好票"] and report.ok
