"""Organization trees: reporting lines, coverage (全覆盖) and roll-ups any plugin can use."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import msgspec

from dangjian.errors import DangjianError
from dangjian.models import Organization
from dangjian.numbers import to_decimal
from dangjian.scheme import ReportingLine


class OrgTree:
    """An index over organizations: parents, children, descendants; checks ids and cycles."""

    def __init__(self, orgs: Iterable[Organization]) -> None:
        self.orgs: dict[str, Organization] = {}
        for org in orgs:
            if org.id in self.orgs:
                raise DangjianError(f"组织 {org.id} 重复出现", field="id")
            self.orgs[org.id] = org
        self.children: dict[str | None, list[str]] = {}
        for org in self.orgs.values():
            parent = org.parent_id
            if parent is not None and parent not in self.orgs:
                raise DangjianError(f"组织 {org.id} 的上级 {parent} 不存在", field="parent_id")
            self.children.setdefault(parent, []).append(org.id)
        for org_id in self.orgs:
            seen = {org_id}
            parent = self.orgs[org_id].parent_id
            while parent is not None:
                if parent in seen:
                    raise DangjianError(f"组织 {org_id} 的上级关系成环", field="parent_id")
                seen.add(parent)
                parent = self.orgs[parent].parent_id

    def roots(self) -> list[str]:
        return list(self.children.get(None, []))

    def descendants(self, org_id: str) -> list[str]:
        out, stack = [], list(self.children.get(org_id, []))
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children.get(current, []))
        return out


class ReportingAssignment(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str
    name: str
    type: str
    reports_to: str | None
    evaluated: bool


class Coverage(msgspec.Struct, frozen=True, kw_only=True):
    """Who reports to whom, and which organizations have no evaluation yet."""

    total: int
    evaluated: int
    missing: list[str]
    unknown: list[str]
    assignments: list[ReportingAssignment]
    complete: bool


def reports_to(tree: OrgTree, org: Organization, lines: list[ReportingLine]) -> str | None:
    """The first line that applies: its type, its parent's type, an ancestor of its types."""
    parent = tree.orgs.get(org.parent_id) if org.parent_id else None
    for line in lines:
        if org.type not in line.org_types:
            continue
        if line.parent_types and (parent is None or parent.type not in line.parent_types):
            continue
        nearest = _nearest(tree, parent, line.nearest_types) if line.nearest_types else None
        if line.nearest_types and nearest is None:
            continue
        return line.reports_to.format(parent=parent.name if parent else "",
                                      nearest=nearest.name if nearest else "")
    return None


def _nearest(tree: OrgTree, start: Organization | None, types: list[str]) -> Organization | None:
    """`start` or its nearest ancestor of one of `types`."""
    while start is not None:
        if start.type in types:
            return start
        start = tree.orgs.get(start.parent_id) if start.parent_id else None
    return None


def coverage(orgs: Iterable[Organization], evaluated: Iterable[str],
             lines: list[ReportingLine], org_types: list[str] | None = None) -> Coverage:
    """Every organization of the scheme's types must be evaluated (全覆盖)."""
    tree = OrgTree(orgs)
    done = set(evaluated)
    wanted = set(org_types or [])
    assignments = []
    for org in tree.orgs.values():
        if wanted and org.type not in wanted:
            continue
        assignments.append(ReportingAssignment(
            org_id=org.id, name=org.name, type=org.type,
            reports_to=reports_to(tree, org, lines), evaluated=org.id in done))
    missing = [a.org_id for a in assignments if not a.evaluated]
    unknown = sorted(done - set(tree.orgs))
    return Coverage(total=len(assignments), evaluated=len(assignments) - len(missing),
                    missing=missing, unknown=unknown, assignments=assignments,
                    complete=not missing)


class Rollup(msgspec.Struct, frozen=True, kw_only=True):
    """One organization's subtree: descendants by type, sums and value counts of attributes."""

    org_id: str
    name: str
    type: str
    by_type: dict[str, int]
    sums: dict[str, Decimal]
    values: dict[str, dict[str, int]]


def rollup(orgs: Iterable[Organization], *, sum_attributes: Iterable[str] = (),
           count_values: Iterable[str] = (), include_self: bool = True) -> dict[str, Rollup]:
    """For every organization: how many descendants of each type, the sum of numeric
    attributes (e.g. members) and the count of each value of categorical attributes
    (e.g. in-service / retired) over its subtree."""
    tree = OrgTree(orgs)
    sums_of = list(sum_attributes)
    values_of = list(count_values)
    out: dict[str, Rollup] = {}
    for org_id, org in tree.orgs.items():
        members = tree.descendants(org_id) + ([org_id] if include_self else [])
        by_type: dict[str, int] = {}
        sums = {name: Decimal(0) for name in sums_of}
        values: dict[str, dict[str, int]] = {name: {} for name in values_of}
        for member_id in members:
            member = tree.orgs[member_id]
            if member_id != org_id:
                by_type[member.type] = by_type.get(member.type, 0) + 1
            for name in sums_of:
                raw = member.attributes.get(name)
                if raw is not None:
                    sums[name] += to_decimal(raw)
            for name in values_of:
                raw = member.attributes.get(name)
                if raw is not None and member_id != org_id:
                    values[name][str(raw)] = values[name].get(str(raw), 0) + 1
        out[org_id] = Rollup(org_id=org_id, name=org.name, type=org.type, by_type=by_type,
                             sums=sums, values=values)
    return out
