"""pytest fixtures for plugin authors, loaded automatically (entry point `pytest11`).

`dangjian_plugin_manager` (a fresh plugin manager), `dangjian_catalog` (a catalogue built from
plugin objects), `dangjian_scheme` (a scheme loaded from a file), `dangjian_scorer` (an
installed scheme by id) and `dangjian_cli` (the `dangjian` command in-process). Everything is
imported lazily so that loading this plugin costs nothing in test runs that do not use it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


class SchemeHarness:
    """One registered scheme ready to score: `score(...)`, `golden()`, `check()`."""

    def __init__(self, catalog, scheme_id: str) -> None:
        self.catalog = catalog
        self.loaded = catalog.scheme(scheme_id)
        self.scheme = self.loaded.scheme
        self.plan = catalog.plan(scheme_id)

    def evaluation(self, evaluation: Any = None, *, org_id: str = "o1",
                   org_type: str | None = None, activities: tuple | list = (), **inputs):
        """An Evaluation from one in the input format (a dict), or from keyword inputs."""
        from dangjian.errors import EvaluationRejected
        from dangjian.models import Evaluation, Reject
        from dangjian.scoring.records import evaluation_from_object

        if isinstance(evaluation, Evaluation):
            return evaluation
        if evaluation is None:
            kind = org_type or (self.scheme.org_types[0] if self.scheme.org_types else "branch")
            evaluation = {"org_id": org_id, "org": {"name": f"组织{org_id}", "type": kind},
                          "inputs": inputs, "activities": list(activities)}
        converted = evaluation_from_object(evaluation, row=1)
        if isinstance(converted, Reject):
            raise EvaluationRejected(converted.reason, field=converted.field)
        return converted

    def score(self, evaluation: Any = None, **kwargs):
        """Score one evaluation (a dict in the input format, or keyword inputs) to a Result;
        a rejected evaluation raises `EvaluationRejected` with the reason and field."""
        return self.plan.score(self.evaluation(evaluation, **kwargs))

    def golden(self, pattern: str | None = None, files: list | None = None):
        """Run the golden cases beside the scheme file (or `files`); returns the report."""
        from dangjian.tools.golden import run_golden

        return run_golden(self.plan, files, pattern=pattern)

    def assert_golden(self, pattern: str | None = None, files: list | None = None):
        """Fail with the readable report unless every golden case passes (and one exists)."""
        report = self.golden(pattern, files)
        if not report.cases:
            pytest.fail(f"方案 {self.scheme.id} 没有黄金用例（在方案文件旁放 golden.toml）",
                        pytrace=False)
        if not report.ok:
            pytest.fail(report.text(), pytrace=False)
        return report

    def check(self):
        """The scheme lint's findings (errors and warnings)."""
        from dangjian.catalogue.check import check_scheme

        return check_scheme(self.scheme, self.catalog)


def _same_file(a: str | None, b: Path) -> bool:
    return a is not None and Path(a).resolve() == b.resolve()


def _load_scheme_file(path: str | Path, plugins: tuple) -> SchemeHarness:
    from dangjian.hookspecs import hookimpl
    from dangjian.catalogue.plugins import load_catalog

    path = Path(path)
    catalog = load_catalog(plugins=plugins, entry_points=False)
    for scheme_id, loaded in catalog.schemes.items():
        if _same_file(loaded.path, path):
            return SchemeHarness(catalog, scheme_id)

    class SchemeFile:
        @hookimpl
        def register_schemes(self, register):
            register(path)

    catalog = load_catalog(plugins=[*plugins, SchemeFile()], entry_points=False)
    problems = [message for plugin, message in catalog.problems]
    info = catalog.plugins["SchemeFile"]
    registered = info.registered.get("scheme", [])
    if not registered:
        pytest.fail("方案文件无法注册：" + "；".join(problems or ["未知原因"]), pytrace=False)
    return SchemeHarness(catalog, registered[0])


@pytest.fixture
def dangjian_plugin_manager():
    """A fresh plugin manager: the hookspecs and the kernel's defaults, no installed plugins.

    Register throwaway plugin objects with `pm.register(obj)` and call hooks directly."""
    from dangjian.catalogue.plugins import make_plugin_manager

    pm, _infos = make_plugin_manager(entry_points=False)
    return pm


@pytest.fixture
def dangjian_catalog():
    """Build a catalogue from plugin objects or modules, without the installed ones:
    `dangjian_catalog(my_plugin_module)`; `entry_points=True` adds the installed plugins."""
    from dangjian.catalogue.plugins import load_catalog

    def build(*plugins: object, entry_points: bool = False, selected: str | None = None):
        return load_catalog(plugins=plugins, entry_points=entry_points, selected=selected)

    return build


@pytest.fixture
def dangjian_scheme():
    """Load a scheme from its file, with the kernel's methods and any plugins given:
    `dangjian_scheme("src/my_plugin/scheme.toml")` returns a `SchemeHarness`."""

    def load(path: str | Path, *plugins: object) -> SchemeHarness:
        return _load_scheme_file(path, plugins)

    return load


@pytest.fixture(scope="session")
def _dangjian_installed_catalog():
    from dangjian.catalogue.plugins import load_catalog

    return load_catalog()


@pytest.fixture
def dangjian_scorer(_dangjian_installed_catalog):
    """An installed scheme by id, ready to score: `dangjian_scorer("jilin-health-2019")`."""

    def get(scheme_id: str) -> SchemeHarness:
        return SchemeHarness(_dangjian_installed_catalog, scheme_id)

    return get


@pytest.fixture
def dangjian_cli():
    """Run the `dangjian` command in-process: `dangjian_cli("test", "my-scheme")` returns the
    click Result (exit_code, output). Skipped when dangjian-shell is not installed."""
    cli = pytest.importorskip("dangjian_shell.cli", reason="未安装 dangjian-shell")
    from typer.testing import CliRunner

    runner = CliRunner()

    def run(*args: str, input: str | None = None, env: dict | None = None):
        return runner.invoke(cli.app, [str(a) for a in args], input=input, env=env)

    return run
