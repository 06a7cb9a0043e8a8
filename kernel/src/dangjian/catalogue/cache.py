"""TOML scheme files as decoded before.

Every command reads every installed scheme, and Python's TOML parser takes a few milliseconds
for each: most of the time `dangjian` needs before it can score. What a file decodes to
depends only on its bytes and on the scheme model, so a decoded scheme is kept in the user's
cache folder, pickled (which gives back dates among free-form values as dates, where msgpack
would give strings), named by a hash of both. A changed file, or a kernel whose scheme model
changed, finds no entry and decodes the file again; an entry that does not unpickle to a
scheme is decoded again and replaced. The folder is the user's own, as trusted as the Python
packages they installed.

`DANGJIAN_CACHE_DIR` names the folder (also where `installed` keeps the plugins it found); set
to an empty string, nothing is kept. Otherwise it is `dangjian` in `XDG_CACHE_HOME`,
`LOCALAPPDATA` on Windows, or `~/.cache`. A folder that cannot be written only means decoding
every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import dangjian.scheme
from dangjian.scheme import Scheme

CACHE_ENV = "DANGJIAN_CACHE_DIR"
_model: bytes | None = None


def cache_dir() -> Path | None:
    """Where decoded schemes are kept; None when nothing is to be kept."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None)
    return (Path(base) if base else Path.home() / ".cache") / "dangjian"


def _model_digest() -> bytes:
    """What the scheme model is: the bytes of the module that defines it."""
    global _model
    if _model is None:
        _model = hashlib.sha256(Path(dangjian.scheme.__file__).read_bytes()).digest()
    return _model


def _entry(data: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(_model_digest() + data).hexdigest()[:32]
    return folder / "schemes" / f"{key}.pickle"


def cached(data: bytes) -> Scheme | None:
    """The scheme these TOML bytes decoded to before, if it was kept."""
    try:
        entry = _entry(data)
        found = pickle.loads(entry.read_bytes()) if entry is not None else None
    except Exception:  # noqa: BLE001 — none kept, or not a pickle of this kernel's
        return None
    return found if found.__class__ is Scheme else None


def keep(data: bytes, scheme: Scheme) -> None:
    """Keep what these TOML bytes decoded to, if it comes back from a pickle as it is."""
    try:
        entry = _entry(data)
        if entry is None:
            return
        packed = pickle.dumps(scheme, protocol=pickle.HIGHEST_PROTOCOL)
        if pickle.loads(packed) != scheme:
            return
        write_whole(entry, packed)
    except (OSError, RuntimeError, pickle.PicklingError):  # decode every time
        return


def write_whole(path: Path, data: bytes) -> None:
    """Write a cache entry so that no reader ever sees part of it (another process may be
    reading or writing the same entry): a file of its own beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
