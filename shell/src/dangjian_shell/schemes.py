"""Finding the scheme a command works on: an installed scheme id, or a scheme file's path."""

from __future__ import annotations

from pathlib import Path

SCHEME_FILE_PLUGIN = "scheme-file"


def is_scheme_file(ref: str) -> bool:
    return Path(ref).suffix.lower() in (".toml", ".json")


def load(ref: str):
    """(catalog, loaded scheme) for an installed id or a .toml/.json file.

    A file is registered next to the installed plugins, so it may use their methods; its
    plugin is reported as `scheme-file`. Errors are `DangjianError`s with the file named.
    """
    from dangjian import load_catalog

    if not is_scheme_file(ref):
        catalog = load_catalog()
        return catalog, catalog.scheme(ref)
    return _load_file(Path(ref))


def _load_file(path: Path):
    from dangjian import load_catalog, load_scheme
    from dangjian.plugins import PluginInfo

    scheme = load_scheme(path)
    catalog = load_catalog()
    installed_copy = catalog.schemes.get(scheme.id)
    if installed_copy is not None:
        if installed_copy.path and Path(installed_copy.path).resolve() == path.resolve():
            return catalog, installed_copy
        # The file replaces the installed scheme of the same id (a draft of the next version).
        catalog.schemes.pop(scheme.id)
        catalog.owners.pop(("scheme", scheme.id), None)
    catalog.plugins[SCHEME_FILE_PLUGIN] = PluginInfo(SCHEME_FILE_PLUGIN, scheme.version, str(path))
    catalog.add_scheme(SCHEME_FILE_PLUGIN, path)
    return catalog, catalog.schemes[scheme.id]


def installed(loaded) -> bool:
    """Whether worker processes can rebuild this scheme from the installed plugins."""
    return loaded.plugin != SCHEME_FILE_PLUGIN


def org_type_title(catalog, type_id: str) -> str:
    org_type = catalog.org_types.get(type_id)
    return org_type.title if org_type else type_id
