"""`dangjian plugin new`, `dangjian test` and `dangjian diff` through the real command."""

from __future__ import annotations

import json

from dangjian_shell.cli import app
from typer.testing import CliRunner

from .conftest import DATA

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_plugin_new_writes_a_complete_distribution(tmp_path):
    result = run("plugin", "new", "anhui-organs-2024", "--dir", tmp_path)
    assert result.exit_code == 0, result.output
    root = tmp_path / "dangjian-anhui-organs-2024"
    module = root / "src" / "dangjian_anhui_organs_2024"
    for path in ("pyproject.toml", "README.md", "tests/test_plugin.py", "tests/test_scoring.py"):
        assert (root / path).is_file(), path
    for path in ("__init__.py", "scheme.toml", "golden.toml"):
        assert (module / path).is_file(), path
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "dangjian-anhui-organs-2024"' in pyproject
    entry = '[project.entry-points.dangjian]\nanhui-organs-2024 = "dangjian_anhui_organs_2024"'
    assert entry in pyproject
    scheme = (module / "scheme.toml").read_text(encoding="utf-8")
    assert 'id = "anhui-organs-2024"' in scheme and 'version = "2024.1"' in scheme
    assert "year = 2024" in scheme and "date = 2024-12-15" in (module / "golden.toml").read_text(
        encoding="utf-8")


def test_generated_scheme_passes_its_golden_cases_with_full_coverage(tmp_path):
    run("plugin", "new", "anhui-organs-2024", "--dir", tmp_path)
    scheme = tmp_path / "dangjian-anhui-organs-2024/src/dangjian_anhui_organs_2024/scheme.toml"
    result = run("test", scheme)
    assert result.exit_code == 0, result.output
    assert "通过 6 个，失败 0 个" in result.output and "未覆盖" not in result.output
    assert "等次 4/4" in result.output and "全部通过：6 个黄金用例" in result.output


def test_plugin_new_refuses_bad_names_and_non_empty_folders(tmp_path):
    bad = run("plugin", "new", "Anhui_2024", "--dir", tmp_path)
    assert bad.exit_code == 1 and "插件名“Anhui_2024”不合适" in bad.output
    assert run("plugin", "new", "anhui-2024", "--dir", tmp_path).exit_code == 0
    again = run("plugin", "new", "anhui-2024", "--dir", tmp_path)
    assert again.exit_code == 1 and "已存在且不为空" in again.output
    unknown = run("plugin", "new", "anhui-2025", "--from", "no-such-scheme", "--dir", tmp_path)
    assert unknown.exit_code == 1 and "未知的方案 no-such-scheme" in unknown.output


def test_test_command_exits_non_zero_on_a_failing_case(tmp_path):
    scheme = tmp_path / "scheme.toml"
    scheme.write_bytes((DATA / "secretaries.toml").read_bytes())
    (tmp_path / "golden.toml").write_text('''
[[cases]]
name = "算错的用例"
evaluation = { org_id = "g1", org = { type = "branch" }, inputs = { onsite = [95], superior = 80 } }
expect = { total = "91.00" }
''', encoding="utf-8")
    result = run("test", scheme)
    assert result.exit_code == 1
    assert "✗ 算错的用例" in result.output and "总分应为 91.00，实为 90.50" in result.output
    assert "1 个黄金用例未通过（共 1 个）" in result.output
    data = json.loads(run("test", scheme, "--json").stdout)
    assert data["failed"] == 1 and data["schemes"][0]["cases"][0]["passed"] is False


def test_test_command_with_pattern_and_with_nothing_selected():
    selected = run("test", DATA / "secretaries.toml", "-k", "拒绝")
    assert selected.exit_code == 0 and "黄金用例 1 个（另有2个未选中）" in selected.output
    nothing = run("test", DATA / "secretaries.toml", "-k", "没有这个用例")
    assert nothing.exit_code == 1 and "-k 没有选中任何用例" in nothing.output


def test_test_command_unknown_target_exits_2():
    result = run("test", "no-such-scheme")
    assert result.exit_code == 2 and "没有名为 no-such-scheme 的方案" in result.output


def test_diff_command_tree_and_json():
    result = run("diff", DATA / "secretaries.toml", DATA / "secretaries-2020.toml")
    assert result.exit_code == 0, result.output
    assert "权重：70% → 60%" in result.output and "下限（含）：90 → 92" in result.output
    data = json.loads(run("diff", DATA / "secretaries.toml", DATA / "secretaries-2020.toml",
                          "--json").stdout)
    assert data["b"]["version"] == "2020.1"


def test_plugin_schema_prints_the_committed_json_schema():
    from dangjian.catalogue.loading import scheme_json_schema

    result = run("plugin", "schema")
    assert json.loads(result.stdout) == scheme_json_schema()


def test_test_command_by_plugin_name_runs_each_scheme_the_plugin_registered():
    from dangjian import load_catalog

    catalog = load_catalog()
    plugin = next((name for name, info in sorted(catalog.plugins.items())
                   if info.registered.get("scheme") and not info.default), None)
    if plugin is None:
        import pytest

        pytest.skip("没有安装带方案的插件")
    result = run("test", plugin, "--json")
    data = json.loads(result.stdout)
    assert [s["scheme"] for s in data["schemes"]] == sorted(
        catalog.plugins[plugin].registered["scheme"])
