"""The structural rules for a branch committee, written once and used both to score a check
and to raise its finding. Thresholds come from the scheme's `[extra.structure.<rule>]` table."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from dangjian import EvaluationRejected, SchemeError
from dangjian.numbers import fmt

Rule = Callable[[Any], "str | None"]


def value(ctx, name: str):
    """An input, else the organization's attribute of the same name (like the built-ins)."""
    found = ctx.inputs.get(name)
    return ctx.org.attributes.get(name) if found is None else found


def _members(ctx) -> int:
    members = value(ctx, "members")
    if members is None:
        raise EvaluationRejected("缺少党员人数（members）", field="inputs.members")
    return int(members)


def _per_member(ctx, name: str, title: str) -> list[Decimal]:
    """A list with one number per committee member; its length must match the committee."""
    items = value(ctx, name) or []
    size = value(ctx, "committee_size")
    if size is not None and len(items) != int(size):
        raise EvaluationRejected(f"{title}应有{int(size)}个数（每名支委一个），实为{len(items)}个",
                                 field=f"inputs.{name}")
    return [Decimal(str(x)) for x in items]


def _committee(p: dict) -> Rule:
    at_least, needed = p["members_at_least"], p["committee_at_least"]

    def rule(ctx) -> str | None:
        members = _members(ctx)
        size = int(value(ctx, "committee_size") or 0)
        if members < at_least or size >= needed:
            return None
        have = "仅有书记1人，没有支部委员" if size <= 1 else f"支委会仅{size}人"
        return (f"党员{members}人，按《中国共产党支部工作条例（试行）》应设支部委员会"
                f"（委员{needed}至5人），现{have}，班子队伍保障不够")

    return rule


def _deputy(p: dict) -> Rule:
    at_least = p["members_at_least"]

    def rule(ctx) -> str | None:
        members = _members(ctx)
        if members < at_least or value(ctx, "deputy_secretary"):
            return None
        return f"党员{members}人（{at_least}人以上），支部未配备副书记，班子队伍保障不够"

    return rule


def _posts(p: dict) -> Rule:
    posts_at_least, share = p["posts_at_least"], Decimal(str(p["share"]))

    def rule(ctx) -> str | None:
        posts = _per_member(ctx, "committee_posts", "支委兼任其他职务数")
        if value(ctx, "dedicated_party_worker"):
            return None
        busy = sum(1 for n in posts if n >= posts_at_least)
        if not posts or busy < share * len(posts):
            return None
        return (f"支委{len(posts)}人中{busy}人兼任{posts_at_least}个及以上其他职务，"
                f"且没有专人抓党建工作")

    return rule


def _ageing(p: dict) -> Rule:
    average_at_least, young_below = Decimal(str(p["average_at_least"])), p["young_below"]
    skip = set(p.get("skip_categories", []))

    def rule(ctx) -> str | None:
        ages = _per_member(ctx, "committee_ages", "支委年龄")
        if value(ctx, "category") in skip or not ages:
            return None
        average = sum(ages) / len(ages)
        if average < average_at_least or min(ages) < young_below:
            return None
        return (f"支委平均年龄{fmt(average)}岁（{fmt(average_at_least)}岁及以上），"
                f"没有不满{young_below}岁的委员，班子年龄结构偏大")

    return rule


RULES: dict[str, tuple[Callable[[dict], Rule], tuple[str, ...]]] = {
    "committee": (_committee, ("members_at_least", "committee_at_least")),
    "deputy": (_deputy, ("members_at_least",)),
    "posts": (_posts, ("posts_at_least", "share")),
    "ageing": (_ageing, ("average_at_least", "young_below")),
}


def compile_rule(name: Any, scheme, where: str) -> Rule:
    """The named rule with its thresholds from `extra.structure`; a clear error if absent."""
    if name not in RULES:
        raise SchemeError(f"{where}：rule 应为 {' / '.join(RULES)} 之一，实为 {name}",
                          scheme=scheme.id, field=f"{where}.params.rule")
    make, required = RULES[name]
    params = scheme.extra.get("structure", {}).get(name)
    if not isinstance(params, dict) or any(k not in params for k in required):
        raise SchemeError(f"{where}：方案需要 [extra.structure.{name}]，含 {'、'.join(required)}",
                          scheme=scheme.id, field=f"extra.structure.{name}")
    return make(params)
