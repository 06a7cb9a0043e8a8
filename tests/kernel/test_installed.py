"""The installed plugins are what `importlib.metadata` finds; once found they are taken from
the cache folder, until a distribution is installed, changed or removed."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata

import pytest

from dangjian.catalogue import cache, installed


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache folder."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path


def test_the_entry_points_and_versions_are_what_importlib_metadata_finds(fresh):
    expected = sorted((ep.name, ep.value, ep.dist.version)
                      for ep in metadata.entry_points(group="dangjian"))
    assert len(expected) == 5
    for installation in (installed.Installation(), installed.Installation()):  # found, kept
        assert sorted(installation.entry_points("dangjian")) == expected
        assert installation.version("dangjian") == metadata.version("dangjian")
        assert installation.version("no-such-distribution") is None
    loaded = {ep.name: ep.load() for ep in installation.entry_points("dangjian")}
    assert loaded["jilin-health-2019"].__name__ == "dangjian_jilin_health_2019"


def test_a_later_process_takes_them_from_the_cache_without_importlib_metadata(fresh):
    code = ("import sys; from dangjian import load_catalog; catalog = load_catalog();"
            " print(len(catalog.plugins), catalog.plugins['dangjian'].version,"
            " 'importlib.metadata' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env=dict(os.environ)).stdout.split() for _ in range(3)]
    version = metadata.version("dangjian")
    assert runs == [["6", version, "True"], ["6", version, "False"], ["6", version, "False"]]
    assert len(list((fresh / "cache").glob("installed-*.json"))) == 1


def test_a_distribution_installed_later_is_found(fresh, monkeypatch):
    before = installed.Installation()
    assert "extra-plugin" not in {ep.name for ep in before.entry_points("dangjian")}
    site = fresh / "site"
    info = site / "extra_plugin-2.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: extra-plugin\nVersion: 2.1\n")
    (info / "entry_points.txt").write_text("[dangjian]\nextra-plugin = extra_plugin:hooks\n")
    monkeypatch.syspath_prepend(str(site))
    after = installed.Installation()
    assert after.fingerprint != before.fingerprint
    found = {ep.name: ep for ep in after.entry_points("dangjian")}
    assert found["extra-plugin"] == ("extra-plugin", "extra_plugin:hooks", "2.1")
    assert len(list((fresh / "cache").glob("installed-*.json"))) == 2


def test_an_entry_point_loads_a_module_or_an_attribute_within_it():
    assert installed.EntryPoint("a", "os.path", "1").load().__name__ == "posixpath"
    assert installed.EntryPoint("b", "os:path.join [extra]", "1").load() is __import__(
        "os").path.join
    with pytest.raises(ValueError):
        installed.EntryPoint("c", "not a value!", "1").load()
