"""The plugins installed as entry points, and the versions of installed distributions.

`importlib.metadata` finds them by reading every installed distribution, and importing it
takes longer than the rest of loading the catalogue. What it found is kept in the cache folder
(`cache.cache_dir`) under a fingerprint of the installation: each folder on `sys.path` and, in
each, every distribution's metadata folder with the times its `entry_points.txt` and
`METADATA` were written. Installing, upgrading or removing a package, or running with another
`sys.path`, changes the fingerprint, and `importlib.metadata` is asked again.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

from dangjian.catalogue.cache import cache_dir, write_whole

_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
_KEPT = 8
"""Installations whose findings are kept (several environments may share the folder)."""


class EntryPoint(NamedTuple):
    """An installed entry point: its name, `module:attribute` and its distribution's version."""

    name: str
    value: str
    version: str

    def load(self) -> Any:
        """The object it names, as `importlib.metadata.EntryPoint.load` gives it."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"入口 {self.name} 的值 {self.value!r} 无法解析")
        found = importlib.import_module(match.group("module"))
        for attr in filter(None, (match.group("attr") or "").split(".")):
            found = getattr(found, attr)
        return found


class Installation:
    """The distributions installed on `sys.path` as it is now, and what is known of them."""

    def __init__(self) -> None:
        self.fingerprint = fingerprint()
        self._kept = _kept_path(self.fingerprint)
        self._known: dict[str, Any] = {"entry_points": {}, "versions": {}}
        try:
            if self._kept is not None:
                with open(self._kept, encoding="utf-8") as f:
                    kept = json.load(f)
                if isinstance(kept.get("entry_points"), dict) and \
                        isinstance(kept.get("versions"), dict):
                    self._known = kept
        except Exception:  # noqa: BLE001 — none kept, or not readable: ask again
            pass

    def entry_points(self, group: str) -> list[EntryPoint]:
        """The installed entry points of `group`, each distribution's once (as
        `importlib.metadata.entry_points(group=group)` lists them)."""
        listed = self._known["entry_points"].get(group)
        if listed is None:
            from importlib import metadata

            listed = self._known["entry_points"][group] = [
                (ep.name, ep.value, ep.dist.version if ep.dist is not None else "0")
                for ep in metadata.entry_points(group=group)]
            self._keep()
        return [EntryPoint(*entry) for entry in listed]

    def version(self, distribution: str) -> str | None:
        """The installed version of a distribution, or None when it is not installed."""
        versions = self._known["versions"]
        if distribution not in versions:
            from importlib import metadata

            try:
                versions[distribution] = metadata.version(distribution)
            except metadata.PackageNotFoundError:
                versions[distribution] = None
            self._keep()
        return versions[distribution]

    def _keep(self) -> None:
        """Write what is known (keeping the latest installations' findings only)."""
        if self._kept is None:
            return
        try:
            write_whole(self._kept, json.dumps(self._known, ensure_ascii=False).encode())
            folder = self._kept.parent
            kept = sorted(folder.glob("installed-*.json"), key=os.path.getmtime)
            for stale in kept[:-_KEPT]:  # installations long gone
                stale.unlink()
        except OSError:  # not writable: asked again next time
            return


def fingerprint() -> str:
    """A hash of what `importlib.metadata` reads to find distributions on `sys.path`."""
    parts = [sys.version]
    for entry in sys.path:
        parts.append(f"path {entry}")
        try:
            with os.scandir(entry or ".") as listing:
                folders = sorted(item.path for item in listing
                                 if item.name.endswith((".dist-info", ".egg-info")))
        except NotADirectoryError:  # a zip file
            parts.append(_written(entry))
            continue
        except OSError:
            continue
        for folder in folders:
            parts.append(f"{folder} {_written(folder)}"
                         f" {_written(os.path.join(folder, 'entry_points.txt'))}"
                         f" {_written(os.path.join(folder, 'METADATA'))}"
                         f" {_written(os.path.join(folder, 'PKG-INFO'))}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _written(path: str) -> str:
    try:
        found = os.stat(path)
    except OSError:
        return "-"
    return f"{found.st_mtime_ns}:{found.st_size}"


def _kept_path(fingerprint: str) -> Path | None:
    try:
        folder = cache_dir()
    except RuntimeError:  # no home folder
        return None
    return None if folder is None else folder / f"installed-{fingerprint}.json"
