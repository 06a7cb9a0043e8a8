"""What plugins register and what their code receives: methods, checks and the scoring context."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from dangjian.models import Activity, Finding, Organization, OrgType
from dangjian.scheme import Scheme


class Outcome(NamedTuple):
    """What a scorer returns: the points (exact), a Chinese sentence, and the inputs it used."""

    points: Decimal
    text: str
    used: dict[str, Any] = {}


class EvalContext:
    """Everything a scorer may read about one organization's evaluation."""

    __slots__ = ("org", "inputs", "activities", "as_of", "year", "_by_kind")

    def __init__(
        self,
        org: Organization,
        inputs: dict[str, Any],
        activities: list[Activity],
        as_of: datetime.date,
        year: int,
    ) -> None:
        self.org = org
        self.inputs = inputs
        self.activities = activities
        self.as_of = as_of
        self.year = year
        self._by_kind: dict[str, list[Activity]] | None = None

    def activities_of(self, kind: str) -> list[Activity]:
        """The activity records of one kind (主题党日, 党课 …), grouped once per evaluation."""
        if self._by_kind is None:
            grouped: dict[str, list[Activity]] = {}
            for activity in self.activities:
                grouped.setdefault(activity.kind, []).append(activity)
            self._by_kind = grouped
        return self._by_kind.get(kind, [])


Scorer = Callable[[EvalContext], Outcome]
"""A compiled scorer. It may also carry `points(ctx) -> Decimal`, the same points without the
sentence, which the engine's fast path (`Plan.assess`) calls instead; the two must agree
exactly, and raise the same rejections. A scorer without it is called in full there and its
text discarded."""


def with_points(scorer: Scorer, points: Callable[[EvalContext], Decimal]) -> Scorer:
    """Attach a points-only variant to a scorer: `return with_points(score, points)`."""
    scorer.points = points  # type: ignore[attr-defined]
    return scorer


Kernel = Callable[[Any], "Decimal | None"]
"""A scorer's points straight from its input's value as the scheme's typed decoder gives it (an
int, a float, a label, a list of them), or None when this value needs the general path (a
rejection, a value the kernel does not handle). The engine's compiled lane (`scoring.lane`)
calls it when every scored part of a scheme has one; it must agree exactly with `points`."""


def with_kernel(scorer: Scorer, kernel: Kernel) -> Scorer:
    """Attach a kernel (points from the decoded input value alone) to a scorer."""
    scorer.kernel = kernel  # type: ignore[attr-defined]
    return scorer


@dataclass(frozen=True, kw_only=True)
class MethodSpec:
    """What a method's `compile` receives for one criterion or component."""

    id: str
    title: str
    max: Decimal
    input: str | None
    params: dict[str, Any]
    scheme: Scheme
    org_types: dict[str, OrgType] = field(default_factory=dict)  # the catalogue's, by id


@dataclass(frozen=True, kw_only=True)
class Method:
    """A named scoring method. `compile(spec)` validates params once and returns a scorer."""

    name: str
    title: str
    compile: Callable[[MethodSpec], Scorer]
    doc: str = ""
    params: dict[str, str] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DiagnosticMethod:
    """A structural diagnostic: `compile(diagnostic, scheme)` returns `check(ctx) -> findings`."""

    name: str
    title: str
    compile: Callable[..., Callable[[EvalContext], list[Finding]]]
    doc: str = ""


@dataclass(frozen=True, kw_only=True)
class DocumentCheck:
    """A check of a written report: `check(text, rule) -> findings`."""

    name: str
    title: str
    check: Callable[..., list[Finding]]
    doc: str = ""


@dataclass(frozen=True, kw_only=True)
class BatchRule:
    """A rule over a finished batch: `run(results, spec) -> findings`."""

    name: str
    title: str
    run: Callable[..., list[Finding]]
    doc: str = ""


@dataclass(frozen=True, kw_only=True)
class Rollup:
    """A roll-up over an organization tree for some schemes: `run(orgs, results) -> rows`."""

    name: str
    title: str
    run: Callable[..., list]
    schemes: tuple[str, ...] | list[str] = ()
    doc: str = ""
