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


def _full_members(ctx, members: int) -> int:
    """正式党员 (full members, not 预备党员): the 支部工作条例 counts them for the committee line."""
    full = value(ctx, "full_members")
    if full is None:
        raise EvaluationRejected("缺少正式党员人数（full_members）", field="inputs.full_members")
    if int(full) > members:
        raise EvaluationRejected(f"正式党员人数{int(full)}多于党员人数{members}",
                                 field="inputs.full_members")
    return int(full)


def _committee(p: dict) -> Rule:
    """《中国共产党支部工作条例（试行）》: a branch of 7 or more 正式党员 sets up a branch
    committee (generally 3 to 5 members). This rule is the 条例's, not the study's."""
    at_least, needed = p["full_members_at_least"], p["committee_at_least"]

    def rule(ctx) -> str | None:
        full = _full_members(ctx, _members(ctx))
        size = int(value(ctx, "committee_size") or 0)
        if full < at_least or size >= needed:
            return None
        have = "仅有书记1人" if size <= 1 else f"支委会仅{size}人"
        return (f"正式党员{full}人（{at_least}人以上），按《中国共产党支部工作条例（试行）》应设立"
                f"支部委员会（委员一般{needed}至5人），现{have}")

    return rule


def _support(p: dict) -> Rule:
    """The study: “一些医院党支部有副书记和支部委员，但班子队伍保障不够” — a branch that HAS a
    deputy secretary and committee members, and whose team is recorded as not supported."""
    needed = p["committee_at_least"]

    def rule(ctx) -> str | None:
        size = int(value(ctx, "committee_size") or 0)
        if not value(ctx, "deputy_secretary") or size < needed:
            return None
        if value(ctx, "team_support") != "不够":
            return None
        note = value(ctx, "team_support_note")
        detail = f"（{note}）" if note else ""
        return f"支部有副书记和支部委员（支委会{size}人），但班子队伍保障不够{detail}"

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
    "committee": (_committee, ("full_members_at_least", "committee_at_least")),
    "support": (_support, ("committee_at_least",)),
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
