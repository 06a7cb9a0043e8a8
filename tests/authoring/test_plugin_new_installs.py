"""A generated plugin installs into a fresh environment and passes its own tests there."""

from __future__ import annotations

from dangjian_shell.cli import app
from typer.testing import CliRunner

from .conftest import ROOT
from .venv import KERNEL, make_venv

runner = CliRunner()


def test_new_plugin_installs_and_its_tests_pass_in_a_fresh_venv(tmp_path):
    result = runner.invoke(app, ["plugin", "new", "anhui-organs-2024", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    plugin = tmp_path / "dangjian-anhui-organs-2024"
    venv = make_venv(tmp_path / "venv")
    venv.install(KERNEL, plugin, "pytest")
    done = venv.run(["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=plugin)
    assert "6 passed" in done.stdout, done.stdout


def test_plugin_from_an_installed_scheme_depends_on_its_methods_and_passes(tmp_path):
    result = runner.invoke(app, ["plugin", "new", "city-health-2024", "--from",
                                 "city-health-2023", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    plugin = tmp_path / "dangjian-city-health-2024"
    pyproject = (plugin / "pyproject.toml").read_text(encoding="utf-8")
    assert '"dangjian-city-health-2023"' in pyproject
    scheme = (plugin / "src/dangjian_city_health_2024/scheme.toml").read_text(encoding="utf-8")
    assert 'id = "city-health-2024"' in scheme and 'version = "2024.1"' in scheme
    assert (plugin / "src/dangjian_city_health_2024/golden.toml").read_bytes() == (
        ROOT / "plugins/city-health-2023/src/dangjian_city_health_2023/golden.toml").read_bytes()
    venv = make_venv(tmp_path / "venv")
    venv.install(KERNEL, ROOT / "plugins" / "city-health-2023", plugin, "pytest")
    done = venv.run(["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=plugin)
    assert "4 passed" in done.stdout, done.stdout
