"""A chunk of a run as stored: its organizations' rows packed with msgpack, compressed with
Zstandard, their shared outcome profiles referred to by content.

Each row is `(org_id, org_type, grade, total, profile, head, input, org)`. The profile (what
many organizations share: points grade, vetoes, consequences, eligibility, findings) is stored
once per run in `profiles` and a row holds its id, a number made from the profile's own bytes
(`profile_id`): so any process can pack a chunk without asking another which numbers are taken,
and `--workers 2` packs the bytes `--workers 1` does. Past `PROFILES_KEPT` distinct profiles a
packer keeps the profile in the row itself.

Zstandard (level 1) makes a chunk about a quarter of its packed size (the inputs as given are
JSON with the same keys on every line) at under a microsecond a row, and reading one back takes
less than half that. Chunks stored before compression are plain msgpack; `unpack_rows` reads
both (a msgpack array never begins with Zstandard's magic number).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

import msgspec
import zstandard

PROFILES_KEPT = 10_000
"""Distinct profiles one packer refers to by id; beyond this a row keeps its profile inline."""

Packed = tuple[bytes, list[tuple[int, bytes]]]
"""A chunk's scored rows as `ChunkPacker.pack` (or `encode`) gives them: the body, and the
profiles met for the first time."""

_pack = msgspec.msgpack.Encoder().encode
_unpack = msgspec.msgpack.Decoder().decode
_MAGIC = b"\x28\xb5\x2f\xfd"
_ID_MASK = (1 << 63) - 1
_codecs = threading.local()
"""One compressor and decompressor a thread: they keep state between calls and are not to be
used by two threads at once (the API scores requests in several)."""


def _compress(data: bytes) -> bytes:
    try:
        return _codecs.compress(data)
    except AttributeError:
        _codecs.compress = zstandard.ZstdCompressor(level=1).compress
        return _codecs.compress(data)


def _decompress(data: bytes) -> bytes:
    try:
        return _codecs.decompress(data)
    except AttributeError:
        _codecs.decompress = zstandard.ZstdDecompressor().decompress
        return _codecs.decompress(data)


def profile_id(profile: bytes) -> int:
    """A profile's id: 63 bits of its BLAKE2b digest (a positive SQLite integer). That two
    profiles of a run share one is a chance of about one in 10^11 at `PROFILES_KEPT` of them,
    one in 10^16 at the few dozen a scheme like the reference one has."""
    return int.from_bytes(hashlib.blake2b(profile, digest_size=8).digest(), "big") & _ID_MASK


def pack_rows(rows: Sequence[Sequence]) -> bytes:
    """Rows as a stored chunk body."""
    return _compress(_pack(rows))


def compress(encoded: bytes) -> bytes:
    """A chunk encoded by `ChunkPacker.encode` as its stored body (Zstandard, which leaves the
    interpreter free while it works)."""
    return _compress(encoded)


def unpack_rows(body: bytes) -> list[list]:
    """A stored chunk body's rows (compressed, or plain msgpack as stored before)."""
    return _unpack(_decompress(body) if body[:4] == _MAGIC else body)


class ChunkPacker:
    """Packs scored rows as chunk bodies, remembering the profiles it has referred to.

    `pack` returns the body and the profiles met for the first time by this packer, as
    `(id, profile)`: those must be stored with the run (storing one twice is harmless).
    `encode` is `pack` but for the compression, left to `compress`."""

    __slots__ = ("_ids",)

    def __init__(self) -> None:
        self._ids: dict[bytes, int | bytes] = {}

    def pack(self, scored: Sequence) -> Packed:
        encoded, new = self.encode(scored)
        return _compress(encoded), new

    def encode(self, scored: Sequence) -> Packed:
        ids = self._ids
        refs = list(map(ids.get, [item[5] for item in scored]))
        new: list[tuple[int, bytes]] = []
        if None in refs:
            for at, ref in enumerate(refs):
                if ref is None:
                    profile = scored[at][5]
                    ref = ids.get(profile)
                    if ref is None:
                        if len(ids) >= PROFILES_KEPT:
                            ref = profile
                        else:
                            ref = ids[profile] = profile_id(profile)
                            new.append((ref, profile))
                    refs[at] = ref
        return _pack([(item[1], item[2], item[3], item[4], ref, item[6], item[7], item[8])
                      for item, ref in zip(scored, refs)]), new
