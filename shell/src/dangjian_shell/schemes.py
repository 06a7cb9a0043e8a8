"""Finding the scheme a command works on: an installed scheme id, or a scheme file's path."""

from __future__ import annotations

from pathlib import Path


def is_scheme_file(ref: str) -> bool:
    return Path(ref).suffix.lower() in (".toml", ".json")


def load(ref: str):
    """(catalog, loaded scheme) for an installed id or a .toml/.json file.

    A file is registered next to the installed plugins, so it may use their methods; its
    plugin is reported as `scheme-file`. Errors are `DangjianError`s with the file named.
    """
    from dangjian import load_catalog

    catalog = load_catalog()
    if is_scheme_file(ref):
        return catalog, catalog.add_scheme_file(Path(ref))
    return catalog, catalog.scheme(ref)


def installed(loaded) -> bool:
    """Whether worker processes can rebuild this scheme from the installed plugins."""
    from dangjian.catalogue.loading import SCHEME_FILE

    return loaded.plugin != SCHEME_FILE


def org_type_title(catalog, type_id: str) -> str:
    org_type = catalog.org_types.get(type_id)
    return org_type.title if org_type else type_id
