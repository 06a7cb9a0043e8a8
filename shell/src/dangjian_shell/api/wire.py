"""What the API reads and writes besides the kernel's own Structs (Evaluation, Result, Reject …).

Request bodies forbid unknown fields, so a misspelt key is a 400 naming it, not a silent no-op.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from dangjian.models import Evaluation, Finding, Organization, Reject, Result
from dangjian.scheme import Scheme
from dangjian.store.whatif import DEFAULT_TOP, MAX_TOP

_IN = {"frozen": True, "kw_only": True, "forbid_unknown_fields": True}
_OUT = {"frozen": True, "kw_only": True}


class Health(msgspec.Struct, **_OUT):
    """The server is up: versions and what the catalogue holds."""

    status: str
    version: str
    kernel: str
    schemes: int
    plugins: int
    plugin_problems: int


class PluginOut(msgspec.Struct, **_OUT):
    """One installed (or refused) plugin, its version and what it registered."""

    name: str
    version: str
    module: str
    default: bool
    registered: dict[str, list[str]]
    errors: list[str]


class SchemeSummary(msgspec.Struct, **_OUT):
    """One installed scheme in the list; `tools` names the extra endpoints it supports."""

    id: str
    title: str
    version: str
    region: str
    year: int | None
    plugin: str
    hash: str
    org_types: list[str]
    tools: list[str]


class SchemeDetail(msgspec.Struct, **_OUT):
    """One scheme in full (criteria tree, components, bands, vetoes …) and where it came from."""

    id: str
    plugin: str
    hash: str
    tools: list[str]
    scheme: Scheme


class Batch(msgspec.Struct, **_IN):
    """Several evaluations scored without storing; `orgs` gives organizations not inline."""

    evaluations: list[Evaluation]
    orgs: list[Organization] = []


class BatchScore(msgspec.Struct, **_OUT):
    """Every evaluation of a batch, scored or rejected; `row` of a reject is its 1-based place."""

    read: int
    scored: int
    rejected: int
    grades: dict[str, int]
    results: list[Result]
    rejects: list[Reject]


class RunRequest(msgspec.Struct, **_IN):
    """A batch to score and store as a run."""

    evaluations: list[Evaluation]
    orgs: list[Organization] = []
    note: str = ""


class RunCreated(msgspec.Struct, **_OUT):
    """The stored run's id and its counts: read = scored + rejected."""

    run_id: int
    scheme_id: str
    scheme_version: str
    read: int
    scored: int
    rejected: int
    grades: dict[str, int]
    batch_findings: list[Finding] = []
    """What the scheme's batch rules (e.g. a quota on an honour) found over the whole batch."""


class RunInfo(msgspec.Struct, **_OUT):
    """A stored run: the scheme, plugins and inputs that made it, and its counts."""

    id: int
    scheme_id: str
    scheme_version: str
    scheme_hash: str
    plugin_versions: dict[str, str]
    input_digest: str
    sources: list[str]
    started_at: str
    finished_at: str | None
    read: int
    scored: int
    rejected: int
    workers: int
    grades: dict[str, int]
    note: str


class RankOut(msgspec.Struct, **_OUT):
    """Where one result stands in its whole run (`rank`) and under its parent (`unit_rank`,
    null when the run does not record the parent); the tie rule is the page's `tie_rule`."""

    org_id: str
    rank: int
    unit_id: str | None
    unit_rank: int | None


class ResultsPage(msgspec.Struct, **_OUT):
    """One page of a run's results in input order; `total` counts every match of the filters;
    `ranks[i]` is the rank of `results[i]` in the whole run."""

    run_id: int
    total: int
    limit: int
    offset: int
    results: list[Result]
    ranks: list[RankOut] = []
    tie_rule: str = ""


class DrawRequest(msgspec.Struct, **_IN):
    """The roster to draw from; `under` limits it to one organization's direct subordinates."""

    orgs: list[Organization]
    seed: str | None = None
    under: str | None = None


class WhatIfRequest(msgspec.Struct, **_IN):
    """A what-if over a stored run: the scheme to rescore under (an installed id; default the
    run's own) and/or parameter changes by path, as `dangjian whatif --set PATH=VALUE`."""

    scheme: str | None = None
    overrides: dict[str, str] = msgspec.field(default_factory=dict, name="set")
    top: Annotated[int, msgspec.Meta(ge=1, le=MAX_TOP)] = DEFAULT_TOP


class ReportRequest(msgspec.Struct, **_IN):
    """A written report (述职报告) as plain text."""

    text: str


class ReportCheck(msgspec.Struct, **_OUT):
    """The verdict on a report: characters counted without white space, and what is wrong."""

    title: str
    chars: int
    ok: bool
    findings: list[Finding]


class FieldError(msgspec.Struct, **_OUT):
    field: str | None
    detail: str


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An error as RFC 9457 problem details (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = None
    errors: list[FieldError] = []


def run_info(row: dict[str, Any]) -> RunInfo:
    """A `runs` table row (as `Store.runs()` gives it) as a RunInfo."""
    return RunInfo(
        id=row["id"], scheme_id=row["scheme_id"], scheme_version=row["scheme_version"] or "",
        scheme_hash=row["scheme_hash"] or "", plugin_versions=dict(row["plugin_versions"] or {}),
        input_digest=row["input_digest"] or "", sources=list(row["sources"] or []),
        started_at=row["started_at"] or "", finished_at=row["finished_at"],
        read=row["read"] or 0, scored=row["scored"] or 0, rejected=row["rejected"] or 0,
        workers=row["workers"] or 1, grades=dict(row["grades"] or {}), note=row["note"] or "")
