"""A scored organization as a compact stored row, and back.

What a result holds splits three ways. The scheme gives what every result of a run shares
(maximum, component titles, weights and maxima, the scheme reference): stored once per run.
Most organizations share their outcome — points grade, vetoes, consequences, eligibility and
findings — with many others: that "profile" is stored once per run, named by an id made from
its bytes (`chunks.profile_id`). What is left is small: name, component points and the
distance to the next band, packed with msgpack.
No explanation text is stored: it is rendered again from the stored inputs when asked for.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

import msgspec

from dangjian.models import (ComponentScore, Eligibility, Finding, Fired, NextBand, Result, SchemeRef)
from dangjian.scheme import Scheme

_pack = msgspec.msgpack.Encoder().encode
_encode_json = msgspec.json.Encoder(decimal_format="number").encode


def encode_result(result: Result) -> bytes:
    """A result as JSON, decimals as numbers: the one encoding every door uses."""
    return _encode_json(result)

_unpack_head = msgspec.msgpack.Decoder(
    tuple[str | None, list[Any], str | None, str | None]).decode
_Profile = tuple[str, list[Fired], list[Fired], list[Eligibility], list[Finding]]
_unpack_profile = msgspec.msgpack.Decoder(_Profile).decode


class Scored(NamedTuple):
    """A scored organization as the pipeline hands it on: the columns it is stored as, the
    input it was scored from, and (only when an output file wants it) the result as JSON."""

    row: int
    org_id: str
    org_type: str
    grade: str
    total: str
    profile: bytes
    head: bytes
    input: bytes
    org: bytes | None
    out: bytes | None = None


class StagedIds(NamedTuple):
    """The ids of a chunk's scored rows as a run's stage takes them, as JSON: where the rows
    follow one another from `first` (as a file's lines do), the organization ids alone
    (`[org_id, ...]`); otherwise each with its row (`[[org_id, row], ...]`, `first` None)."""

    json: bytes
    first: int | None

    def rows(self) -> list[int]:
        """The input rows, in order."""
        if self.first is not None:
            return list(range(self.first, self.first + len(_decode_ids(self.json))))
        return [row for _org_id, row in _decode_pairs(self.json)]

    def first_id(self) -> str | None:
        """The first organization id."""
        if self.first is not None:
            return next(iter(_decode_ids(self.json)), None)
        return next((org_id for org_id, _row in _decode_pairs(self.json)), None)


def staged_ids(scored: list[Scored]) -> StagedIds:
    """The ids of scored rows (at least one) as a run's stage takes them."""
    rows = [item[0] for item in scored]
    first = rows[0]
    if rows == list(range(first, first + len(rows))):
        return StagedIds(_encode_json([item[1] for item in scored]), first)
    return StagedIds(_encode_json([(item[1], item[0]) for item in scored]), None)


_decode_ids = msgspec.json.Decoder(list[str]).decode
_decode_pairs = msgspec.json.Decoder(list[tuple[str, int]]).decode


class Tally(NamedTuple):
    """A chunk scored in another process, every record of it scored, in brief: all this process
    needs besides the chunk packed as stored (`chunks.ChunkPacker`). The rows themselves
    would cost more to hand over than to store."""

    count: int
    grades: dict[str, int]
    """How many of the chunk's organizations have each grade."""
    ids: StagedIds
    """The chunk's organization ids and input rows, in order."""

    @classmethod
    def of(cls, scored: list[Scored]) -> Tally:
        return cls(len(scored), Counter(map(_grade_of, scored)), staged_ids(scored))


_grade_of = itemgetter(3)


def pack_profile(result: Result) -> bytes:
    """The outcome many organizations share: points grade, vetoes, consequences, eligibility,
    findings."""
    return pack_outcome(result.points_grade, result.vetoes, result.consequences,
                        result.eligibility, result.findings)


def pack_outcome(points_grade: str, vetoes: list[Fired], consequences: list[Fired],
                 eligibility: list[Eligibility], findings: list[Finding]) -> bytes:
    """A profile from its parts (`pack_profile` of a result with them)."""
    return _pack((points_grade, vetoes, consequences, eligibility, findings))


class _OrgName(msgspec.Struct):
    name: str = ""


class _Named(msgspec.Struct):
    org: _OrgName | None = None


_name_in_input = msgspec.json.Decoder(_Named).decode


def pack_head(result: Result, given_name: str | None = None) -> bytes:
    """What is this organization's own: its name (left out when the input gives it inline),
    component points, distance to next band."""
    band = result.to_next_band
    name = None if given_name is not None and given_name == result.org_name else result.org_name
    return pack_head_values(name, [pack_decimal(c.points) for c in result.components],
                            band.grade if band is not None else None,
                            band.points if band is not None else None)


def pack_head_values(name: str | None, points: list, next_grade: str | None,
                     next_points: Decimal | None) -> bytes:
    """A head from its parts: the name (None when the input gives it), the component points
    already packed (`pack_decimal`), the next band's grade and distance."""
    return _pack((name, points, next_grade, next_points))


def pack_decimal(value: Decimal | None) -> str | bytes | None:
    """A long exact decimal (79.44827586206896551724137931) as its digits in binary, with the
    number of decimal places in the first byte; a short one as its text."""
    if value is None:
        return None
    return pack_decimal_text(str(value))


def pack_decimal_text(text: str) -> str | bytes:
    """`pack_decimal` of a decimal written as `str(value)`."""
    if len(text) <= 12 or "E" in text or "." not in text:
        return text
    whole, places = text.split(".")
    digits = int(whole + places)
    return bytes([len(places)]) + digits.to_bytes((digits.bit_length() + 8) // 8, "big",
                                                  signed=True)


def _unpack_decimal(value: str | bytes) -> Decimal:
    if isinstance(value, str):
        return Decimal(value)
    return Decimal(f"{int.from_bytes(value[1:], 'big', signed=True)}E-{value[0]}")


def unpack_profile(body: bytes) -> _Profile:
    return _unpack_profile(body)


class Unpacker:
    """Rebuilds results (without explanation lines) from stored rows of one run."""

    def __init__(self, scheme: Scheme, ref: SchemeRef) -> None:
        self.max = scheme.max
        self.components = [(c.id, c.title, c.weight, c.max) for c in scheme.components]
        self.ref = ref
        self._profiles: dict[Any, _Profile] = {}

    def profile(self, key: Any, body: bytes) -> _Profile:
        found = self._profiles.get(key)
        if found is None:
            found = unpack_profile(body)
            if key is not None and len(self._profiles) < 10_000:
                self._profiles[key] = found
        return found

    def name(self, head: bytes, given: bytes) -> str:
        """The organization's name: in the head, or (left out there) in the input."""
        name = _unpack_head(head)[0]
        if name is None:
            org = _name_in_input(given).org
            name = org.name if org is not None else ""
        return name

    def result(self, org_id: str, org_type: str, grade: str, total: str, profile: _Profile,
               head: bytes, given: bytes) -> Result:
        name, points, next_grade, next_points = _unpack_head(head)
        if name is None:
            org = _name_in_input(given).org
            name = org.name if org is not None else ""
        points_grade, vetoes, consequences, eligibility, findings = profile
        components = [ComponentScore(id=cid, title=title, weight=weight,
                                     points=_unpack_decimal(p) if p is not None else None, max=top)
                      for (cid, title, weight, top), p in zip(self.components, points)]
        band = NextBand(grade=next_grade, points=Decimal(next_points)) \
            if next_grade is not None else None
        return Result(org_id=org_id, org_name=name, org_type=org_type, total=Decimal(total),
                      max=self.max, grade=grade, points_grade=points_grade,
                      components=components, lines=[], vetoes=vetoes,
                      consequences=consequences, eligibility=eligibility, findings=findings,
                      to_next_band=band, scheme=self.ref)
