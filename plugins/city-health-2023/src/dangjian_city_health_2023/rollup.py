"""Unit roll-ups of the commission's tree: units by form and kind, branches by category,
members in service and retired, and per-unit counts of findings. Counting over the tree is the
kernel's `orgtree.rollup`; this module only chooses the attributes."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
from dangjian import Organization, Result
from dangjian.tools.orgtree import rollup

FINDING = "finding:"
ORDER = ["公立医院", "卫生健康事业单位", "基层党委", "总支单位", "支部单位", "在职", "离退休"]


def _ordered(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (ORDER.index(kv[0]) if kv[0] in ORDER
                                                  else len(ORDER), kv[0]))


class UnitStructure(msgspec.Struct, frozen=True, kw_only=True):
    """One organization's subtree: its units, branches, members and findings."""

    org_id: str
    name: str
    type: str
    units_by_form: dict[str, int]
    units_by_kind: dict[str, int]
    branches: int
    branches_by_category: dict[str, int]
    members: int
    members_in_service: int
    members_retired: int
    evaluated: int
    findings: dict[str, int]

    def text(self) -> str:
        """The roll-up line in Chinese, as the seed's survey states its figures."""
        units = sum(self.units_by_kind.values())
        parts = [f"{self.name}："]
        if units:
            kinds = "，".join(f"{k}{n}家" for k, n in _ordered(self.units_by_kind))
            forms = "，".join(f"{k}{n}家" for k, n in _ordered(self.units_by_form))
            parts.append(f"所属单位{units}家（{kinds}；{forms}），")
        categories = "、".join(f"{k}{n}个" for k, n in _ordered(self.branches_by_category))
        parts.append(f"共有{self.branches}个支部（{categories}），党员{self.members}名，"
                     f"其中在职党员{self.members_in_service}人，离退休党员{self.members_retired}人")
        return "".join(parts)


def structure_rollup(orgs: Iterable[Organization],
                     results: Iterable[Result] = ()) -> dict[str, UnitStructure]:
    """For every organization above branch level (and every branch-level unit): units by party
    form (基层党委/总支单位/支部单位) and kind (公立医院 …), branches by category (在职/离退休),
    member sums, and how many of its branches raised each finding."""
    by_org = {r.org_id: r for r in results}
    codes = sorted({f.code for r in by_org.values() for f in r.findings})
    marked = []
    for org in orgs:
        result = by_org.get(org.id)
        if result is None:
            marked.append(org)
            continue
        attributes = dict(org.attributes, evaluated=1)
        for finding in result.findings:
            attributes[FINDING + finding.code] = 1
        marked.append(msgspec.structs.replace(org, attributes=attributes))
    sums = ["members", "members_in_service", "members_retired", "evaluated",
            *(FINDING + code for code in codes)]
    tree = rollup(marked, sum_attributes=sums, count_values=["unit_form", "unit_kind", "category"])
    index = {org.id: org for org in marked}
    out: dict[str, UnitStructure] = {}
    for org_id, unit in tree.items():
        own = index[org_id].attributes
        if unit.type == "branch" and "unit_form" not in own:
            continue
        own_branch = 1 if unit.type == "branch" else 0
        categories = dict(unit.values["category"])
        if own_branch and own.get("category") is not None:
            # a branch-level unit is itself one of the branches
            categories[str(own["category"])] = categories.get(str(own["category"]), 0) + 1
        out[org_id] = UnitStructure(
            org_id=org_id, name=unit.name, type=unit.type,
            units_by_form=unit.values["unit_form"], units_by_kind=unit.values["unit_kind"],
            branches=unit.by_type.get("branch", 0) + own_branch,
            branches_by_category=categories,
            members=int(unit.sums["members"]),
            members_in_service=int(unit.sums["members_in_service"]),
            members_retired=int(unit.sums["members_retired"]),
            evaluated=int(unit.sums["evaluated"]),
            findings={code: int(unit.sums[FINDING + code]) for code in codes
                      if unit.sums[FINDING + code]})
    return out

