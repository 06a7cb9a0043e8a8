"""Unit roll-up of the 八化 results: branches standardized and lagging per unit, against the
2020 goal of all standardized. Counting over the tree is the kernel's `orgtree.rollup`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import msgspec
from dangjian import Organization, Result
from dangjian.numbers import fmt
from dangjian.orgtree import rollup

STANDARDIZED = "已达标"
LAGGING = "后进"
AREAS = 8
GRADE = "八化等次"
_CENT = Decimal("0.01")


class UnitStandardization(msgspec.Struct, frozen=True, kw_only=True):
    """One unit's (党组, 党委 …) branches under the 八化 standard."""

    org_id: str
    name: str
    type: str
    branches: int
    in_service_branches: int
    retired_branches: int
    members: int
    members_in_service: int
    members_retired: int
    evaluated: int
    standardized: int
    lagging: int
    rate: Decimal | None
    standardized_share: Decimal | None
    goal: str
    gap: int
    goal_met: bool

    def text(self) -> str:
        """The unit's line of the roll-up, in Chinese."""
        rate = f"，平均标准化率{fmt(self.rate)}%" if self.rate is not None else ""
        goal = ("，已实现" if self.goal_met else f"，距“{self.goal}”还差{self.gap}个") + "党支部"
        return (f"{self.name}：党支部{self.branches}个（在职{self.in_service_branches}个、"
                f"离退休{self.retired_branches}个），党员{self.members}人"
                f"（在职{self.members_in_service}人、离退休{self.members_retired}人）；"
                f"已评{self.evaluated}个，"
                f"已达标{self.standardized}个，后进{self.lagging}个{rate}{goal}")


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(_CENT, rounding=ROUND_HALF_UP)


def standardization_rollup(orgs: Iterable[Organization], results: Iterable[Result], *,
                           goal: str = "2020年全面实现标准化") -> dict[str, UnitStandardization]:
    """For every organization above branch level: its branches, how many are standardized
    (已达标) and lagging (后进), the mean standardization rate of those evaluated, and how many
    branches are still short of the goal. Results of organizations not in the tree are ignored."""
    by_org = {r.org_id: r for r in results}
    marked = []
    for org in orgs:
        attributes = dict(org.attributes)
        result = by_org.get(org.id)
        if org.type == "branch" and result is not None:
            attributes[GRADE] = result.grade
            attributes["evaluated"] = 1
            attributes["areas_met"] = result.total * AREAS / result.max
        marked.append(msgspec.structs.replace(org, attributes=attributes))
    sums = ["members", "members_in_service", "members_retired", "evaluated", "areas_met"]
    tree = rollup(marked, sum_attributes=sums,
                  count_values=["category", GRADE], include_self=False)
    out: dict[str, UnitStandardization] = {}
    for org_id, unit in tree.items():
        if unit.type == "branch":
            continue
        branches = unit.by_type.get("branch", 0)
        grades = unit.values[GRADE]
        evaluated = int(unit.sums["evaluated"])
        standardized = grades.get(STANDARDIZED, 0)
        out[org_id] = UnitStandardization(
            org_id=org_id, name=unit.name, type=unit.type, branches=branches,
            in_service_branches=unit.values["category"].get("在职", 0),
            retired_branches=unit.values["category"].get("离退休", 0),
            members=int(unit.sums["members"]),
            members_in_service=int(unit.sums["members_in_service"]),
            members_retired=int(unit.sums["members_retired"]), evaluated=evaluated,
            standardized=standardized,
            lagging=grades.get(LAGGING, 0),
            rate=_percent(unit.sums["areas_met"], Decimal(AREAS * evaluated)),
            standardized_share=_percent(Decimal(standardized), Decimal(branches)),
            goal=goal, gap=branches - standardized,
            goal_met=branches > 0 and standardized == branches)
    return out
