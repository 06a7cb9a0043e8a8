"""Methods over dated activity records and dates: frequency per period and deadlines."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..extension import EvalContext, Method, MethodSpec, Outcome, with_points
from ..models import org_type_titles
from ..numbers import ZERO, fmt
from .params import Params

PERIODS = {"year": 1, "half": 2, "quarter": 4, "month": 12}
_PERIOD_WORD = {"year": "每年", "half": "每半年", "quarter": "每季度", "month": "每月"}


def _period_of(date: datetime.date, period: str) -> int:
    if period == "month":
        return date.month - 1
    if period == "quarter":
        return (date.month - 1) // 3
    if period == "half":
        return (date.month - 1) // 6
    return 0


def _period_name(index: int, period: str) -> str:
    if period == "month":
        return f"{index + 1}月"
    if period == "quarter":
        return f"第{'一二三四'[index]}季度"
    if period == "half":
        return ("上半年", "下半年")[index]
    return "全年"


def _people(ctx: EvalContext, name: str) -> list[str]:
    value = ctx.inputs.get(name)
    if value is None:
        value = ctx.org.attributes.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace("；", ";").replace("、", ";").split(";") if v.strip()]
    return [str(v) for v in value]


def _scoped(score, spec: MethodSpec, p: Params, kind: str):
    """Only organizations of `org_types` must do it; for the others the rule is 不涉及 (full
    points, as `deadline` does with when_absent = pass)."""
    org_types = p.strings("org_types")
    if not org_types:
        return score
    declared = spec.scheme.org_types
    unknown = [t for t in org_types if declared and t not in declared]
    if unknown:
        p.fail("org_types", f"参数 org_types 中的 {'、'.join(unknown)} 不在方案适用的组织类型"
               f"（{'、'.join(declared)}）中")
    allowed = frozenset(org_types)
    top = spec.max
    top_text = fmt(top)
    text = (f"{spec.title}：本项只要求{org_type_titles(spec.org_types, org_types)}，"
            f"本组织不涉及，得{top_text}分")

    def scoped(ctx: EvalContext) -> Outcome:
        if ctx.org.type in allowed:
            return score(ctx)
        return Outcome(top, text, {"kind": kind, "org_type": ctx.org.type})

    inner = getattr(score, "points", None)
    if inner is None:
        return scoped

    def points(ctx: EvalContext) -> Decimal:
        return inner(ctx) if ctx.org.type in allowed else top

    return with_points(scoped, points)


def compile_frequency(spec: MethodSpec):
    p = Params(spec, "frequency", {"kind", "period", "required", "people", "until",
                                   "note_contains", "org_types"})
    kind = p.text("kind")
    if not kind:
        p.fail("kind", "frequency 需要 kind（活动记录类型，如“主题党日”）")
    return _scoped(_compile_frequency(spec, p, kind), spec, p, kind)


def _compile_frequency(spec: MethodSpec, p: Params, kind: str):
    period = p.text("period", "year", tuple(PERIODS))
    required = p.integer("required", 1)
    if required < 1:
        p.fail("required", "required 至少为1")
    people_field = p.text("people")
    people_title = next((i.title for i in spec.scheme.inputs if i.name == people_field), None)
    until = p.text("until")
    note_contains = p.text("note_contains")
    top = spec.max
    top_text = fmt(top)
    periods = PERIODS[period]
    word = _PERIOD_WORD[period]

    try:
        fixed_last = datetime.date.fromisoformat(until) if until else None
    except ValueError:  # fails per evaluation, with the same reason as it always has
        fixed_last = None
    # Which period each month falls in, and the periods' names, worked out once.
    month_period = [_period_of(datetime.date(2000, month, 1), period) for month in range(1, 13)]
    period_names = [_period_name(i, period) for i in range(periods)]

    def in_scope(ctx: EvalContext):
        last = fixed_last if fixed_last is not None or not until else \
            datetime.date.fromisoformat(until)
        return [a for a in ctx.activities_of(kind)
                if a.date.year == ctx.year and (last is None or a.date <= last)
                and (note_contains is None or note_contains in (a.note or ""))]

    limits = ([f"主题含“{note_contains}”"] if note_contains else []) + (
        [f"截至{until}"] if until else [])
    kind_label = f"{kind}（{'，'.join(limits)}）" if limits else kind

    if people_field:
        def score(ctx: EvalContext) -> Outcome:
            people = _people(ctx, people_field)
            records = in_scope(ctx)
            if not people:
                named = f"（{people_title}）" if people_title else ""
                return Outcome(ZERO, f"{spec.title}：未提供应开展{kind_label}的人员名单"
                               f"{named}，得0分（满分{top_text}分）",
                               {"kind": kind, people_field: []})
            counts = {person: 0 for person in people}
            for a in records:
                if a.person in counts:
                    counts[a.person] += 1
            missing = [person for person, n in counts.items() if n < required]
            done = len(people) - len(missing)
            points = top * Decimal(done) / Decimal(len(people))
            text = f"{kind_label}：应{word}至少{required}次的{len(people)}人中{done}人达到"
            if missing:
                text += f"，未达到：{'、'.join(missing)}"
            text += f"，得{fmt(points)}分（满分{top_text}分）"
            return Outcome(points, text, {"kind": kind, "people": people,
                                          "missing": missing})

        def points_by_person(ctx: EvalContext) -> Decimal:
            people = _people(ctx, people_field)
            records = in_scope(ctx)
            if not people:
                return ZERO
            counts = {person: 0 for person in people}
            for a in records:
                if a.person in counts:
                    counts[a.person] += 1
            missing = sum(1 for n in counts.values() if n < required)
            return top * Decimal(len(people) - missing) / Decimal(len(people))

        return with_points(score, points_by_person)

    def score(ctx: EvalContext) -> Outcome:
        records = in_scope(ctx)
        per = [0] * periods
        for a in records:
            per[month_period[a.date.month - 1]] += 1
        missed = [i for i, n in enumerate(per) if n < required]
        met = periods - len(missed)
        points = top * Decimal(met) / Decimal(periods)
        need = required * periods
        text = f"{kind_label}全年开展{len(records)}次，要求{need}次"
        if periods > 1 or required > 1:
            text += f"（{word}至少{required}次）"
        missed_names = [period_names[i] for i in missed]
        if missed:
            text += f"，{'、'.join(missed_names)}未达到"
        text += f"，得{fmt(points)}分（满分{top_text}分）"
        return Outcome(points, text, {"kind": kind, "count": len(records),
                                      "missed": missed_names})

    def points(ctx: EvalContext) -> Decimal:
        per = [0] * periods
        for a in in_scope(ctx):
            per[month_period[a.date.month - 1]] += 1
        met = sum(1 for n in per if n >= required)
        return top * Decimal(met) / Decimal(periods)

    return with_points(score, points)


def _date_value(ctx: EvalContext, name: str) -> datetime.date | None:
    value = ctx.inputs.get(name)
    if value is None:
        value = ctx.org.attributes.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _add_months(date: datetime.date, months: int) -> datetime.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    day = min(date.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                         31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return datetime.date(year, month, day)


def compile_deadline(spec: MethodSpec):
    p = Params(spec, "deadline", {"since", "done", "months", "years", "years_by_type",
                                  "years_attribute", "when_absent", "since_title", "done_title"})
    since = p.text("since")
    if not since:
        p.fail("since", "deadline 需要 since（起始日期的属性或输入名，如换届日期、空缺日期）")
    done = p.text("done")
    months = p.integer("months")
    years = p.integer("years")
    by_type = _years_by_type(p)
    if months is not None and (years is not None or by_type):
        p.fail("months", "deadline 的 months 不能与 years 或 years_by_type 同时使用")
    if months is None and years is None and not by_type:
        p.fail("months", "deadline 需要 months、years 或 years_by_type 之一")
    years_attribute = p.text("years_attribute")
    when_absent = p.text("when_absent", "fail", ("pass", "fail"))
    since_title = p.text("since_title", since)
    done_title = p.text("done_title", "完成")
    top = spec.max
    top_text = fmt(top)

    def span_of(ctx: EvalContext) -> int:
        if months is not None:
            return months
        stated = ctx.org.attributes.get(years_attribute) if years_attribute else None
        term = stated or by_type.get(ctx.org.type, years)
        if term is None:
            from ..errors import EvaluationRejected
            raise EvaluationRejected(
                f"{spec.title}：方案没有规定{ctx.org.type}类组织的年限"
                f"（years_by_type：{'、'.join(by_type)}）", field=spec.id)
        return 12 * int(term)

    def score(ctx: EvalContext) -> Outcome:
        try:
            start = _date_value(ctx, since)
            finished = _date_value(ctx, done) if done else None
        except ValueError as exc:
            from ..errors import EvaluationRejected
            raise EvaluationRejected(f"日期格式应为 YYYY-MM-DD：{exc}", field=since) from None
        used = {since: start, "as_of": ctx.as_of}
        if start is None:
            if when_absent == "pass":
                return Outcome(top, f"{spec.title}：无{since_title}记录，不涉及，得{top_text}分", used)
            return Outcome(ZERO, f"{spec.title}：缺少{since_title}，无法核对，得0分"
                           f"（满分{top_text}分）", used)
        span_months = span_of(ctx)
        due = _add_months(start, span_months)
        limit = f"{since_title}{start.isoformat()}起{span_months}个月内（{due.isoformat()}前）"
        if finished is not None:
            used[done] = finished
        later = ""
        if finished is not None and finished > ctx.as_of:
            # Done after the check day: at the check day it had not been done.
            later = f"（{finished.isoformat()}晚于核对日，不计）"
            finished = None
        if finished is not None:
            ok = finished <= due
            state = f"已于{finished.isoformat()}{done_title}"
        else:
            ok = ctx.as_of <= due
            state = f"截至{ctx.as_of.isoformat()}尚未{done_title}{later}"
        if ok:
            return Outcome(top, f"{spec.title}：{limit}，{state}，得{top_text}分", used)
        overdue = ((finished or ctx.as_of) - due).days
        return Outcome(ZERO, f"{spec.title}：{limit}，{state}，逾期{overdue}天，得0分"
                       f"（满分{top_text}分）", used)

    def points(ctx: EvalContext) -> Decimal:
        try:
            start = _date_value(ctx, since)
            finished = _date_value(ctx, done) if done else None
        except ValueError as exc:
            from ..errors import EvaluationRejected
            raise EvaluationRejected(f"日期格式应为 YYYY-MM-DD：{exc}", field=since) from None
        if start is None:
            return top if when_absent == "pass" else ZERO
        due = _add_months(start, span_of(ctx))
        if finished is not None and finished > ctx.as_of:
            finished = None
        on_time = finished <= due if finished is not None else ctx.as_of <= due
        return top if on_time else ZERO

    return with_points(score, points)


def _years_by_type(p: Params) -> dict[str, int]:
    """`years_by_type = { committee = 5, branch = 3 }`: a term's length by organization type."""
    value = p.get("years_by_type") or {}
    if not isinstance(value, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value.values()):
        p.fail("years_by_type", "参数 years_by_type 应为“组织类型 = 年数”表，如 { branch = 3 }")
    declared = p.spec.scheme.org_types
    unknown = [t for t in value if declared and t not in declared]
    if unknown:
        p.fail("years_by_type", f"years_by_type 中的 {'、'.join(unknown)} 不是本方案适用的组织类型"
               f"（{'、'.join(declared)}）")
    return dict(value)


METHODS = [
    Method(name="frequency", title="按周期频次（活动记录）", compile=compile_frequency,
           doc="按当年 kind 类活动记录统计每个周期（year/half/quarter/month）是否达到 required 次；"
           "得分 = 满分 × 达标周期数 ÷ 周期数，说明列出未达标的周期。给出 people（名单的属性或输入名）"
           "时改为逐人统计，得分 = 满分 × 达标人数 ÷ 总人数，说明列出未达标的人。",
           params={"kind": "活动记录类型", "period": "year / half / quarter / month",
                   "required": "每周期至少次数，默认1", "people": "人员名单的属性或输入名",
                   "until": "只统计此日期（含）之前的记录",
                   "note_contains": "只统计备注（主题）含此文字的记录，如“二十大”",
                   "org_types": "只要求这些类型的组织（类型 id 列表）；其他类型不涉及，得满分"}),
    Method(name="deadline", title="期限核对", compile=compile_deadline,
           doc="从 since 日期起 months（或 years）内须完成：有 done 日期时看是否按期完成，"
           "没有时看核对日（方案年度末）是否已超期；done 晚于核对日的按核对日尚未完成计。"
           "超期得0分并说明逾期天数。",
           params={"since": "起始日期的属性或输入名", "done": "完成日期的属性或输入名",
                   "months": "期限（月）", "years": "期限（年）",
                   "years_by_type": "按组织类型的期限（年），如 { committee = 5, branch = 3 }；"
                   "未列出的类型用 years",
                   "years_attribute": "由组织属性给出的年限（如 term_years）",
                   "when_absent": "没有起始日期时 pass（不涉及）或 fail（缺材料）",
                   "since_title": "起始日期的中文名", "done_title": "完成的中文说法"}),
]
