"""Unit roll-up of the 八化 results: branches standardized and lagging per unit, against the
2020 goal of all standardized. Counting over the tree is the kernel's `orgtree.rollup`.

The report publishes the in-service / retired split of members only for the commission's
offices (98 and 66 of 164) and counts the system's branches as “65个在职党支部”; the roll-up
therefore sums only what branches state, and reads the goal against in-service branches."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import msgspec
from dangjian import Organization, Result
from dangjian.numbers import fmt
from dangjian.tools.orgtree import rollup

STANDARDIZED = "已达标"
LAGGING = "后进"
RETIRED = "离退休"
AREAS = 8
GRADE = "八化等次"
_CENT = Decimal("0.01")


class UnitStandardization(msgspec.Struct, frozen=True, kw_only=True):
    """One unit's (党组, 党委 …) branches under the 八化 standard.

    Only what the data states is summed: members in service and retired are the sums over the
    branches that state that split (`split_branches` of them); the 2020 goal is read against the
    in-service branches (the report's “65个在职党支部”), retired branches are counted apart."""

    org_id: str
    name: str
    type: str
    branches: int
    in_service_branches: int
    retired_branches: int
    members: int
    split_branches: int
    members_in_service: int
    members_retired: int
    evaluated: int
    standardized: int
    standardized_in_service: int
    lagging: int
    rate: Decimal | None
    standardized_share: Decimal | None
    goal: str
    gap: int
    goal_met: bool

    def text(self) -> str:
        """The unit's line of the roll-up, in Chinese: figures that follow from the data, and
        what is not stated said so."""
        if self.split_branches == self.branches:
            split = f"（在职{self.members_in_service}人、离退休{self.members_retired}人）"
        elif self.split_branches:
            split = (f"（在职、离退休人数只有{self.split_branches}个党支部列明：在职"
                     f"{self.members_in_service}人、离退休{self.members_retired}人，"
                     f"其余{self.branches - self.split_branches}个党支部未分列）")
        else:
            split = "（未分列在职、离退休人数）"
        rate = f"，平均标准化率{fmt(self.rate)}%" if self.rate is not None else ""
        if self.goal_met:
            goal = f"；在职党支部已全部达标，实现“{self.goal}”"
        else:
            goal = (f"；对照“{self.goal}”，在职党支部{self.in_service_branches}个中已达标"
                    f"{self.standardized_in_service}个，其余{self.gap}个未达标或未评")
        if self.retired_branches:
            goal += (f"；离退休党支部{self.retired_branches}个另列（报道的目标是否包括离退休党支部"
                     f"未说明）")
        return (f"{self.name}：党支部{self.branches}个（在职{self.in_service_branches}个、"
                f"离退休{self.retired_branches}个），党员{self.members}人{split}；"
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
    in-service branches are not yet shown standardized (not met, or not evaluated). Members in
    service and retired are summed only over branches that state both. Results of
    organizations not in the tree are ignored."""
    by_org = {r.org_id: r for r in results}
    marked = []
    for org in orgs:
        attributes = dict(org.attributes)
        if org.type == "branch":
            stated = ("members_in_service" in attributes and "members_retired" in attributes)
            attributes["split_stated"] = 1 if stated else 0
            if not stated:
                attributes.pop("members_in_service", None)
                attributes.pop("members_retired", None)
        result = by_org.get(org.id)
        if org.type == "branch" and result is not None:
            attributes[GRADE] = result.grade
            attributes["evaluated"] = 1
            attributes["areas_met"] = result.total * AREAS / result.max
            attributes["standardized_in_service"] = int(
                result.grade == STANDARDIZED and attributes.get("category") != RETIRED)
        marked.append(msgspec.structs.replace(org, attributes=attributes))
    sums = ["members", "members_in_service", "members_retired", "split_stated", "evaluated",
            "areas_met", "standardized_in_service"]
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
        retired = unit.values["category"].get(RETIRED, 0)
        in_service = branches - retired
        standardized_in_service = int(unit.sums["standardized_in_service"])
        out[org_id] = UnitStandardization(
            org_id=org_id, name=unit.name, type=unit.type, branches=branches,
            in_service_branches=in_service, retired_branches=retired,
            members=int(unit.sums["members"]), split_branches=int(unit.sums["split_stated"]),
            members_in_service=int(unit.sums["members_in_service"]),
            members_retired=int(unit.sums["members_retired"]), evaluated=evaluated,
            standardized=standardized, standardized_in_service=standardized_in_service,
            lagging=grades.get(LAGGING, 0),
            rate=_percent(unit.sums["areas_met"], Decimal(AREAS * evaluated)),
            standardized_share=_percent(Decimal(standardized), Decimal(branches)),
            goal=goal, gap=in_service - standardized_in_service,
            goal_met=in_service > 0 and standardized_in_service == in_service)
    return out
