"""The data that crosses the kernel's edges: organizations, evaluations and results.

Scheme models live in `dangjian.scheme`; everything here is what a batch reads and writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import msgspec


class OrgType(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A kind of party organization (党组, 党委, 党支部 …) that schemes apply to."""

    id: str
    title: str
    level: int = 0
    description: str = ""


def org_type_id(org_types: Mapping[str, OrgType], text: str) -> str | None:
    """The id of an organization type written as its id (`branch`) or its title (`党支部`);
    None when no registered type is called that."""
    if text in org_types:
        return text
    return next((t.id for t in org_types.values() if t.title == text), None)


def org_type_titles(org_types: Mapping[str, OrgType], type_ids: list[str]) -> str:
    """Type ids as their titles for a sentence (党委、党支部); an unknown id stays as it is."""
    return "、".join(org_types[t].title if t in org_types else t for t in type_ids)


class Organization(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One party organization in a tree: its type, its parent and free-form attributes."""

    id: str
    name: str = ""
    type: str = ""
    parent_id: str | None = None
    attributes: dict[str, Any] = {}


class OrgInline(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The optional `org` object of an evaluation line (its id comes from `org_id`)."""

    name: str = ""
    type: str = ""
    parent_id: str | None = None
    attributes: dict[str, Any] = {}


class Activity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A dated activity record (主题党日, 党课 …) counted by frequency rules."""

    kind: str
    date: datetime.date
    org_id: str | None = None
    person: str | None = None
    note: str | None = None
    for_year: int | None = None  # the year an annual item is for (2019年度述职评议 held in 2020)


class Evaluation(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The inputs for one organization under one scheme."""

    org_id: str
    org: OrgInline | None = None
    inputs: dict[str, Any] = {}
    activities: list[Activity] = []


class Line(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One line of an explanation: a criterion, component, veto, gate or consequence."""

    kind: str
    id: str
    title: str
    text: str
    points: Decimal | None = None
    max: Decimal | None = None
    inputs: dict[str, Any] = {}
    depth: int = 0


class ComponentScore(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    weight: Decimal
    points: Decimal | None
    max: Decimal


class Fired(msgspec.Struct, frozen=True, kw_only=True):
    """A veto or consequence that applies to this result, with its reason."""

    id: str
    title: str
    reason: str


class Eligibility(msgspec.Struct, frozen=True, kw_only=True):
    """Whether an honour (优秀等次, 先进集体 …) is open to this organization, and why not."""

    honour: str
    title: str
    eligible: bool
    reasons: list[str] = []


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    """A diagnostic about an organization: a code, a severity and a Chinese sentence."""

    code: str
    severity: str
    message: str


class NextBand(msgspec.Struct, frozen=True, kw_only=True):
    grade: str
    points: Decimal


class SchemeRef(msgspec.Struct, frozen=True, kw_only=True):
    """What made a result: enough to reproduce it later."""

    id: str
    version: str
    hash: str
    plugin: str
    plugins: dict[str, str]


class Result(msgspec.Struct, frozen=True, kw_only=True):
    """The score of one organization under one scheme, with every point explained."""

    org_id: str
    org_name: str
    org_type: str
    total: Decimal
    max: Decimal
    grade: str
    points_grade: str
    components: list[ComponentScore]
    lines: list[Line]
    vetoes: list[Fired]
    consequences: list[Fired]
    eligibility: list[Eligibility]
    findings: list[Finding]
    to_next_band: NextBand | None
    scheme: SchemeRef


class Reject(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An input row that could not be scored: where it came from and why."""

    row: int
    reason: str
    field: str | None = None
    source: str | None = None
    org_id: str | None = None
