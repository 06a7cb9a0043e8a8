"""A scheme file joins the catalogue one way: `Catalog.add_scheme_file`, under one plugin name."""

from __future__ import annotations

from pathlib import Path

from dangjian import load_catalog
from dangjian.catalogue.loading import SCHEME_FILE

CLI_DATA = Path(__file__).parent.parent / "cli" / "data"
INSTALLED = (Path(__file__).parents[2] / "plugins" / "jilin-health-2019" / "src"
             / "dangjian_jilin_health_2019" / "scheme.toml")


def test_a_file_is_registered_under_the_scheme_file_plugin():
    catalog = load_catalog()
    loaded = catalog.add_scheme_file(CLI_DATA / "secretaries.toml")
    assert loaded.plugin == SCHEME_FILE == "scheme-file"
    assert catalog.owner("scheme", "cli-secretaries-2019") == SCHEME_FILE
    assert catalog.plugins[SCHEME_FILE].registered == {"scheme": ["cli-secretaries-2019"]}
    assert catalog.plan("cli-secretaries-2019").ref.plugin == SCHEME_FILE


def test_a_draft_with_an_installed_id_replaces_the_installed_scheme(tmp_path):
    draft = tmp_path / "draft.toml"
    draft.write_text(INSTALLED.read_text(encoding="utf-8").replace(
        'version = "', 'version = "draft-', 1), encoding="utf-8")
    catalog = load_catalog()
    before = catalog.plan("jilin-health-2019")
    loaded = catalog.add_scheme_file(draft)
    assert loaded.plugin == SCHEME_FILE
    assert loaded.scheme.version.startswith("draft-")
    assert "scheme" not in catalog.plugins["jilin-health-2019"].registered
    after = catalog.plan("jilin-health-2019")
    assert after is not before and after.ref.version.startswith("draft-")


def test_the_installed_file_itself_stays_installed():
    catalog = load_catalog()
    loaded = catalog.add_scheme_file(INSTALLED)
    assert loaded.plugin == "jilin-health-2019"
    assert SCHEME_FILE not in catalog.plugins
