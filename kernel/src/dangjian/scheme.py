"""The scheme file format: what a province ships to describe one year's assessment.

A scheme is TOML (or JSON) decoded strictly into these Structs; `schemes/scheme.schema.json`
is generated from them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

import msgspec

_STRICT = dict(frozen=True, kw_only=True, forbid_unknown_fields=True)

InputType = Literal["number", "integer", "boolean", "text", "date", "choice", "list"]


class InputSpec(msgspec.Struct, **_STRICT):
    """One named input of an evaluation: its Chinese title (the template header) and type.

    `list` inputs hold several values (raters' scores or ballots); in CSV/XLSX cells they are
    written separated by `;` `；` `、` or `,`.
    """

    name: str
    title: str
    type: InputType = "number"
    required: bool = True
    min: Decimal | None = None
    max: Decimal | None = None
    choices: list[str] = []
    items: Literal["number", "label", "number_or_label"] = "number"
    example: Any = None
    description: str = ""


class Criterion(msgspec.Struct, **_STRICT):
    """A node of the criteria tree (sections → items, any depth).

    A node with a `method` scores itself from `input` (or the org, or activity records); a
    node with `children` scores the sum of its children, capped at `max` if given; a node with
    neither is content to report on and carries no points.
    """

    id: str
    title: str
    max: Decimal | None = None
    method: str | None = None
    input: str | None = None
    params: dict[str, Any] = {}
    children: list[Criterion] = []
    note: str = ""


class Component(msgspec.Struct, **_STRICT):
    """A weighted part of the total: scored by its own method, or the sum of named criteria."""

    id: str
    title: str
    weight: Decimal
    max: Decimal = Decimal(100)
    method: str | None = None
    input: str | None = None
    params: dict[str, Any] = {}
    criteria: list[str] = []
    note: str = ""


class Adjustment(msgspec.Struct, **_STRICT):
    """A bonus (加分) or deduction (扣分) pool with its own cap, applied after the components."""

    id: str
    title: str
    kind: Literal["bonus", "deduction"]
    cap: Decimal
    items: list[Criterion]
    beyond_max: bool = False


class Band(msgspec.Struct, **_STRICT):
    """A grade band: totals with min ≤ total < below (below omitted: no upper bound)."""

    grade: str
    min: Decimal
    below: Decimal | None = None


class Condition(msgspec.Struct, **_STRICT):
    """When a veto, gate or consequence applies; every stated part must hold.

    `flags`: any of these boolean inputs is true. `grades`: the grade is one of these.
    `total_below`: the total is below this. `findings`: any of these finding codes fired.
    """

    flags: list[str] = []
    grades: list[str] = []
    total_below: Decimal | None = None
    findings: list[str] = []


class Veto(msgspec.Struct, **_STRICT):
    """一票否决: when it fires it caps the grade and/or blocks honours, with a stated reason."""

    id: str
    title: str
    when: Condition
    reason: str
    cap_grade: str | None = None
    blocks: list[str] = []


class Honour(msgspec.Struct, **_STRICT):
    """An honour a result may allow (优秀等次, 先进集体, 优秀个人 …) and the grades it requires."""

    id: str
    title: str
    requires_grades: list[str] = []
    reason: str = ""


class ConsequenceRule(msgspec.Struct, **_STRICT):
    """What follows a grade or a flag: 约谈, 限期整改, 问责 …"""

    id: str
    title: str
    when: Condition
    reason: str = ""


class Rounding(msgspec.Struct, **_STRICT):
    """How the total is rounded once, and whether bands read the rounded or the raw total."""

    places: int = 2
    mode: Literal["half_up", "half_even", "down"] = "half_up"
    bands_read: Literal["rounded", "raw"] = "rounded"


class Draw(msgspec.Struct, **_STRICT):
    """The random on-site draw: at least `fraction` of the organizations, rounded up."""

    fraction: str = "1/3"
    title: str = "现场述职"
    rest_title: str = "书面述职"
    org_types: list[str] = []


class ReportRule(msgspec.Struct, **_STRICT):
    """Rules for a written report: length, the required lists and their share of the text."""

    title: str = "述职报告"
    check: str = "lists"
    max_chars: int | None = None
    sections: list[str] = []
    share_tolerance: Decimal | None = None


class Deadline(msgspec.Struct, **_STRICT):
    """A dated step of the timeline: due on or before `on_or_before`, or after `after`; a date
    before `opens` (the day the round's notice was issued) belongs to another round."""

    id: str
    title: str
    on_or_before: datetime.date | None = None
    after: datetime.date | None = None
    opens: datetime.date | None = None


class ReportingLine(msgspec.Struct, **_STRICT):
    """Who reports to whom: organizations of `org_types` (optionally under a parent of type
    `parent_types`, or below an ancestor of type `nearest_types`) report to `reports_to`, where
    `{parent}` is the parent's name and `{nearest}` the nearest such ancestor's."""

    org_types: list[str]
    reports_to: str
    parent_types: list[str] = []
    nearest_types: list[str] = []
    note: str = ""


class Diagnostic(msgspec.Struct, **_STRICT):
    """A structural diagnostic run per organization; its method returns findings."""

    id: str
    title: str
    method: str
    severity: Literal["高", "中", "低"] = "中"
    params: dict[str, Any] = {}


class BatchRuleSpec(msgspec.Struct, **_STRICT):
    """A rule over a whole finished batch (e.g. a quota on an honour); `method` names it."""

    id: str
    title: str
    method: str
    params: dict[str, Any] = {}


class Scheme(msgspec.Struct, **_STRICT):
    """One year's assessment rules for one province or work-point year."""

    id: str
    title: str
    version: str
    region: str = ""
    year: int | None = None
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None
    as_of: datetime.date | None = None
    description: str = ""
    source: str = ""
    org_types: list[str] = []
    inputs: list[InputSpec] = []
    criteria: list[Criterion] = []
    components: list[Component] = []
    missing_components: Literal["reject", "reweight"] = "reject"
    max: Decimal = Decimal(100)
    adjustments: list[Adjustment] = []
    rounding: Rounding = Rounding()
    bands: list[Band] = []
    vetoes: list[Veto] = []
    honours: list[Honour] = []
    consequences: list[ConsequenceRule] = []
    diagnostics: list[Diagnostic] = []
    batch_rules: list[BatchRuleSpec] = []
    draw: Draw | None = None
    report: ReportRule | None = None
    deadlines: list[Deadline] = []
    reporting_lines: list[ReportingLine] = []
    extra: dict[str, Any] = {}
