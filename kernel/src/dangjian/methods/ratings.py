"""Methods that turn raters' numbers and ballots into points."""

from __future__ import annotations

from decimal import Decimal

from dangjian.errors import EvaluationRejected
from dangjian.extension import EvalContext, Method, MethodSpec, Outcome, with_kernel, with_points
from dangjian.numbers import ZERO, clamp, fmt, to_decimal
from dangjian.methods.params import Params


def compile_number(spec: MethodSpec):
    p = Params(spec, "number", {"scale"})
    name = p.require_input()
    declared = next((i.max for i in spec.scheme.inputs if i.name == name), None)
    scale = p.decimal("scale", declared if declared is not None else spec.max)
    top = spec.max
    top_text = fmt(top)

    def score(ctx: EvalContext) -> Outcome:
        value = ctx.inputs.get(name)
        if value is None:
            return Outcome(ZERO, f"{spec.title}：未填报，得0分（满分{top_text}分）", {name: None})
        points = clamp(value * top / scale, ZERO, top)
        return Outcome(points, f"{spec.title}{fmt(value)}分，得{fmt(points)}分（满分{top_text}分）",
                       {name: value})

    def points(ctx: EvalContext) -> Decimal:
        value = ctx.inputs.get(name)
        if value is None:
            return ZERO
        points = value * top / scale
        return ZERO if points < ZERO else top if points > top else points

    known: dict[int, Decimal] = {}  # the points of each whole number met so far

    def kernel(raw) -> Decimal | None:
        kind = raw.__class__
        if kind is int:
            found = known.get(raw)
            if found is not None:
                return found
        elif kind is not float:
            return None
        points = to_decimal(raw) * top / scale
        points = ZERO if points < ZERO else top if points > top else points
        if kind is int and len(known) < _KNOWN_LIMIT:
            known[raw] = points
        return points

    return with_kernel(with_points(score, points), kernel)


_KNOWN_LIMIT = 4096
_SUMS_LIMIT = 65_536


def _ballot_counts(value) -> list:
    """A list of scores/ballots, or a table of ballot counts {"好": 30, "较好": 5}."""
    if isinstance(value, dict):
        items = []
        for label, count in value.items():
            items.extend([label] * int(count))
        return items
    return list(value)


def compile_rating(spec: MethodSpec, *, labels_only: bool = False):
    name = "ballots" if labels_only else "rating"
    p = Params(spec, name, {"ballots", "min_raters", "trim", "scale"})
    field = p.require_input()
    ballots = p.mapping("ballots")
    if labels_only and not ballots:
        p.fail("ballots", "方法 ballots 需要“标签 = 分值”表")
    min_raters = p.integer("min_raters", 1)
    trim = p.integer("trim", 0)
    scale = p.decimal("scale", Decimal(100))
    top = spec.max
    top_text = fmt(top)
    if min_raters < 2 * trim + 1:
        p.fail("min_raters", f"去掉最高、最低分各{trim}个后至少要留1人，min_raters 至少应为 {2 * trim + 1}")
    mapping_text = "、".join(f"{k}={fmt(v)}" for k, v in ballots.items())
    declared = next((i for i in spec.scheme.inputs if i.name == field), None)
    # The input's own bounds already keep every number within 0..scale: no need to look again.
    numbers_checked = (declared is not None and declared.type == "list"
                       and declared.min is not None and declared.min >= 0
                       and declared.max is not None and declared.max <= scale)
    trimmed = f"，去掉最高、最低分各{trim}个" if trim else ""
    tail = f"（满分{top_text}分）"

    def checked_values(items: list) -> tuple[list, dict[str, int]]:
        """Each item as points, and the ballot labels counted; the first bad item rejects."""
        values: list[Decimal] = []
        tally: dict[str, int] = {}
        for position, item in enumerate(items, 1):
            if isinstance(item, str):
                if item not in ballots:
                    raise EvaluationRejected(
                        f"第{position}个评议票“{item}”不是有效票（应为 {' / '.join(ballots) or '数字'}）",
                        field=field)
                tally[item] = tally.get(item, 0) + 1
                values.append(ballots[item])
            else:
                if labels_only:
                    raise EvaluationRejected(f"第{position}个评议票应为标签，实为数字{item}", field=field)
                if item < 0 or item > scale:
                    raise EvaluationRejected(
                        f"第{position}个评分{fmt(item)}超出0—{fmt(scale)}", field=field)
                values.append(item)
        return values, tally

    def fast_values(items: list) -> tuple[list, dict[str, int]] | None:
        """The same as `checked_values` when nothing is wrong (None otherwise), without a
        Python-level step per item."""
        labels = [item for item in items if isinstance(item, str)]
        tally: dict[str, int] = {}
        for label in dict.fromkeys(labels):
            if label not in ballots:
                return None
            tally[label] = labels.count(label)
        if len(labels) != len(items):
            if labels_only:
                return None
            if not numbers_checked:
                numbers = [item for item in items if not isinstance(item, str)]
                if min(numbers) < 0 or max(numbers) > scale:
                    return None
        return list(map(ballots.get, items, items)), tally

    lean = numbers_checked and not labels_only
    get = ballots.get

    def points(ctx: EvalContext) -> Decimal:
        raw = ctx.inputs.get(field)
        items = raw if raw.__class__ is list else _ballot_counts(raw if raw is not None else [])
        count = len(items)
        if count < min_raters:
            raise EvaluationRejected(
                f"{spec.title}评议人数{count}人，少于方案要求的{min_raters}人", field=field)
        # The input's own bounds checked the numbers: a label missing from `ballots` is the
        # only thing left to go wrong, and it stays a str that Decimal arithmetic refuses.
        values = list(map(get, items, items)) if lean else \
            (fast_values(items) or checked_values(items))[0]
        try:
            kept = sorted(values)[trim:count - trim] if trim else values
            total = sum(kept, ZERO)
        except TypeError:
            checked_values(items)  # raises the rejection naming the bad ballot
            raise
        points = total / len(kept) * top / scale
        return ZERO if points < ZERO else top if points > top else points

    # With whole-number ballot values, a list of whole scores and labels sums as ints: the
    # same Decimal as summing their Decimals (exact either way, exponent 0).
    whole = {label: int(value) for label, value in ballots.items()
             if value.as_tuple().exponent == 0}
    whole_get = whole.get if lean and not trim and len(whole) == len(ballots) else None

    # The points of each (sum, number of raters) met so far, keyed by one int: many
    # organizations share them (of 50,000 generated ones, four in five meet one already met).
    known: dict[int, Decimal] = {}

    def kernel(raw) -> Decimal | None:
        if raw.__class__ is not list or whole_get is None:
            return None
        count = len(raw)
        if count < min_raters:
            return None
        try:
            total = sum(map(whole_get, raw, raw))
        except TypeError:  # a label without a value
            return None
        if total.__class__ is not int:  # a score with decimals
            return None
        key = total << 20 | count if total >= 0 and count < 1 << 20 else None
        found = known.get(key)
        if found is not None:
            return found
        points = Decimal(total) / count * top / scale
        points = ZERO if points < ZERO else top if points > top else points
        if key is not None and len(known) < _SUMS_LIMIT:
            known[key] = points
        return points

    def score(ctx: EvalContext) -> Outcome:
        raw = ctx.inputs.get(field)
        if raw is None:
            raw = []
        items = _ballot_counts(raw)
        if len(items) < min_raters:
            raise EvaluationRejected(
                f"{spec.title}评议人数{len(items)}人，少于方案要求的{min_raters}人", field=field)
        values, tally = fast_values(items) or checked_values(items)
        kept = sorted(values)[trim:len(values) - trim] if trim else values
        mean = sum(kept, ZERO) / len(kept)
        points = clamp(mean * top / scale, ZERO, top)
        parts = [f"{spec.title}：共{len(items)}人评议"]
        if tally:
            scored = len(items) - sum(tally.values())
            parts.append(f"，{scored}人打分、{len(items) - scored}人投等次票：" if scored
                         else "，票数")
            parts.append("、".join(f"{k}{tally[k]}票" for k in ballots if k in tally))
            parts.append(f"（{mapping_text}）")
        mean_text = fmt(mean)
        points_text = mean_text if points == mean else fmt(points)
        parts.append(f"{trimmed}，平均{mean_text}分，得{points_text}分{tail}")
        return Outcome(points, "".join(parts), {field: raw})

    return with_kernel(with_points(score, points), kernel)


METHODS = [
    Method(
        name="number",
        title="直接评分",
        compile=compile_number,
        doc="一个数字输入按满分折算：得分 = 输入 ÷ scale × 满分（scale 默认为输入声明的上限 max，"
        "未声明时等于本项满分）。",
        params={"scale": "输入的满分，默认为输入声明的 max，否则为本项满分"},
    ),
    Method(
        name="rating",
        title="评议测评（数字或等次票）",
        compile=compile_rating,
        doc="多名评议人的分数或等次票取平均（可去掉最高、最低分），按 scale 折算到满分；"
        "人数少于 min_raters 时拒绝该条评价。",
        params={
            "ballots": "等次票折分表，如 {好 = 95, 较好 = 85}",
            "min_raters": "最少评议人数，默认1",
            "trim": "去掉最高、最低分各几个，默认0",
            "scale": "每个评分的满分，默认100",
        },
    ),
    Method(
        name="ballots",
        title="等次票折分",
        compile=lambda spec: compile_rating(spec, labels_only=True),
        doc="只接受等次票（好/较好/一般/差或任意标签），按折分表取平均；也接受票数表 {好 = 30}。",
        params={"ballots": "标签 = 分值", "min_raters": "最少票数", "trim": "去掉最高、最低各几票",
                "scale": "折分表的满分，默认100"},
    ),
]
