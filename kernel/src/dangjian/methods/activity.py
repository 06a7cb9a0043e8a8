"""Methods over dated activity records and dates: frequency per period and deadlines."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from dangjian.extension import EvalContext, Method, MethodSpec, Outcome, with_points
from dangjian.models import org_type_titles
from dangjian.numbers import ZERO, fmt
from dangjian.methods.params import Params

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


def person_key(name: str | None) -> str:
    """A person as a clerk may write the name: “李 明” and “李明” are the same person."""
    return "".join((name or "").split())


def distinct_people(names: list[str]) -> tuple[list[str], dict[str, int]]:
    """The list with each person once (first spelling kept), and how often each repeated name
    appeared — a secretary who is also a leading cadre is listed twice but is one person."""
    seen: dict[str, str] = {}
    times: dict[str, int] = {}
    for name in names:
        key = person_key(name)
        if not key:
            continue
        seen.setdefault(key, name)
        times[key] = times.get(key, 0) + 1
    repeated = {seen[key]: n for key, n in times.items() if n > 1}
    return list(seen.values()), repeated


_THEME_DROP = str.maketrans("", "", "“”\"\"‘’'《》〈〉「」『』【】()（）·・、，,。.：:；;!！?？-—_")


def normalize_theme(text: str | None) -> str:
    """A note as the theme it names: no spaces or punctuation, and the optional “党的” dropped,
    so “喜迎党的二十大 奋进新征程” reads as “喜迎二十大奋进新征程”."""
    return "".join((text or "").split()).translate(_THEME_DROP).replace("党的", "")


_YEAR_FOR = re.compile(r"(\d{4})\s*年度")


def year_for(activity) -> int:
    """The year a record is for: its `for_year`, else “2019年度” in its note, else the year of
    its date."""
    if activity.for_year is not None:
        return activity.for_year
    match = _YEAR_FOR.search(activity.note or "")
    return int(match.group(1)) if match else activity.date.year


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
    p = Params(spec, "frequency", {"kind", "period", "required", "people", "since", "until",
                                   "themes", "year_of", "org_types", "applies_if"})
    kind = p.text("kind")
    if not kind:
        p.fail("kind", "frequency 需要 kind（活动记录类型，如“主题党日”）")
    return _scoped(_applies_if(_compile_frequency(spec, p, kind), spec, p, kind), spec, p, kind)


def _applies_if(score, spec: MethodSpec, p: Params, kind: str):
    """`applies_if` names an input or attribute (党小组个数 …): stated as 0, 否 or empty, the
    rule does not apply (不涉及, full points); not stated, it applies."""
    name = p.text("applies_if")
    if not name:
        return score
    title = next((i.title for i in spec.scheme.inputs if i.name == name), name)
    top_text = fmt(spec.max)

    def applies(ctx: EvalContext) -> Outcome:
        value = ctx.inputs.get(name)
        if value is None:
            value = ctx.org.attributes.get(name)
        if value is not None and value in (0, False, "0", "否", "无", []):
            shown = "否" if value is False else "无" if value == [] else str(value)
            return Outcome(spec.max, f"{spec.title}：{title}为{shown}，本组织不涉及，"
                           f"得{top_text}分", {"kind": kind, name: value})
        return score(ctx)

    return applies


def _day(p: Params, name: str) -> datetime.date | None:
    text = p.text(name)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        p.fail(name, f"参数 {name} 应为 YYYY-MM-DD 日期，实为 {text}")


def record_filter(params: dict, method: str):
    """Which records of its kind a rule counts, given the assessed year: the same test for
    scoring and for naming the records that count for nothing. Params are read leniently here;
    the method's compile step has already refused bad ones."""
    def day(name: str) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(params[name]) if params.get(name) else None
        except (TypeError, ValueError):
            return None

    if method != "frequency":
        return lambda a, year: a.date.year == year
    first, last = day("since"), day("until")
    wanted = [normalize_theme(t) for t in params.get("themes") or [] if isinstance(t, str)]
    by_note = params.get("year_of") == "note"

    def counts(a, year: int) -> bool:
        return ((year_for(a) if by_note else a.date.year) == year
                and (first is None or a.date >= first) and (last is None or a.date <= last)
                and (not wanted or any(w in normalize_theme(a.note) for w in wanted)))

    return counts


def _compile_frequency(spec: MethodSpec, p: Params, kind: str):
    period = p.text("period", "year", tuple(PERIODS))
    required = p.integer("required", 1)
    if required < 1:
        p.fail("required", "required 至少为1")
    people_field = p.text("people")
    people_title = next((i.title for i in spec.scheme.inputs if i.name == people_field), None)
    first, last = _day(p, "since"), _day(p, "until")
    themes = p.strings("themes")
    wanted = [normalize_theme(t) for t in themes]
    if any(not w for w in wanted):
        p.fail("themes", "themes 中有空的主题词")
    year_of = p.text("year_of", "date", ("date", "note"))
    if year_of == "note" and period != "year":
        p.fail("year_of", "year_of = \"note\"（按所属年度计）只用于 period = \"year\"")
    top = spec.max
    top_text = fmt(top)
    periods = PERIODS[period]
    word = _PERIOD_WORD[period]

    # Which period each month falls in, and the periods' names, worked out once.
    month_period = [_period_of(datetime.date(2000, month, 1), period) for month in range(1, 13)]
    period_names = [_period_name(i, period) for i in range(periods)]

    counts = record_filter(spec.params, "frequency")

    def in_scope(ctx: EvalContext):
        return [a for a in ctx.activities_of(kind) if counts(a, ctx.year)]

    limits = ([f"主题含“{'”或“'.join(themes)}”"] if themes else []) + (
        [f"{first.isoformat()}起"] if first else []) + (
        [f"截至{last.isoformat()}"] if last else []) + (
        ["按所属年度计"] if year_of == "note" else [])
    kind_label = f"{kind}（{'，'.join(limits)}）" if limits else kind

    if people_field:
        def score(ctx: EvalContext) -> Outcome:
            people, repeated = distinct_people(_people(ctx, people_field))
            records = in_scope(ctx)
            if not people:
                named = f"（{people_title}）" if people_title else ""
                return Outcome(ZERO, f"{spec.title}：未提供应开展{kind_label}的人员名单"
                               f"{named}，得0分（满分{top_text}分）",
                               {"kind": kind, people_field: []})
            counts = {person_key(person): 0 for person in people}
            for a in records:
                key = person_key(a.person)
                if key in counts:
                    counts[key] += 1
            missing = [person for person in people if counts[person_key(person)] < required]
            done = len(people) - len(missing)
            points = top * Decimal(done) / Decimal(len(people))
            text = f"{kind_label}：应{word}至少{required}次的{len(people)}人中{done}人达到"
            if repeated:
                twice = "、".join(f"{name}出现{n}次" for name, n in repeated.items())
                text += f"（名单中{twice}，同一人只计1人）"
            if missing:
                text += f"，未达到：{'、'.join(missing)}"
            text += f"，得{fmt(points)}分（满分{top_text}分）"
            used = {"kind": kind, "people": people, "missing": missing}
            if repeated:
                used["repeated"] = repeated
            return Outcome(points, text, used)

        def points_by_person(ctx: EvalContext) -> Decimal:
            people, _ = distinct_people(_people(ctx, people_field))
            if not people:
                return ZERO
            counts = {person_key(person): 0 for person in people}
            for a in in_scope(ctx):
                key = person_key(a.person)
                if key in counts:
                    counts[key] += 1
            missing = sum(1 for n in counts.values() if n < required)
            return top * Decimal(len(people) - missing) / Decimal(len(people))

        return with_points(score, points_by_person)

    def score(ctx: EvalContext) -> Outcome:
        records = in_scope(ctx)
        per = [0] * periods
        for a in records:
            per[month_period[a.date.month - 1] if year_of == "date" else 0] += 1
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
            per[month_period[a.date.month - 1] if year_of == "date" else 0] += 1
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
                                  "years_attribute", "when_absent", "since_title", "done_title",
                                  "postponed_to", "approval"})
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
    postponed_to = p.text("postponed_to")
    approval = p.text("approval")
    if approval and not postponed_to:
        p.fail("approval", "approval（批准文件）须与 postponed_to（批准延期至的日期）同用")
    top = spec.max
    top_text = fmt(top)

    def span_of(ctx: EvalContext) -> int:
        if months is not None:
            return months
        stated = ctx.org.attributes.get(years_attribute) if years_attribute else None
        term = stated or by_type.get(ctx.org.type, years)
        if term is None:
            from dangjian.errors import EvaluationRejected
            raise EvaluationRejected(
                f"{spec.title}：方案没有规定{ctx.org.type}类组织的年限"
                f"（years_by_type：{'、'.join(by_type)}）", field=spec.id)
        return 12 * int(term)

    def score(ctx: EvalContext) -> Outcome:
        try:
            start = _date_value(ctx, since)
            finished = _date_value(ctx, done) if done else None
        except ValueError as exc:
            from dangjian.errors import EvaluationRejected
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
        if postponed_to:
            due, limit = _postponed(ctx, due, limit, used)
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

    def _postponed(ctx: EvalContext, due: datetime.date, limit: str, used: dict):
        """An approved postponement moves the due date; one without its approval does not."""
        try:
            moved = _date_value(ctx, postponed_to)
        except ValueError as exc:
            from dangjian.errors import EvaluationRejected
            raise EvaluationRejected(f"日期格式应为 YYYY-MM-DD：{exc}", field=postponed_to) from None
        if moved is None or moved <= due:
            return due, limit
        used[postponed_to] = moved
        proof = None
        if approval:
            proof = ctx.inputs.get(approval) or ctx.org.attributes.get(approval)
            used[approval] = proof
            if not proof:
                return due, limit + f"，填报延期至{moved.isoformat()}但缺少上级党组织批准文件，延期不计"
        shown = f"（{proof}）" if proof else ""
        return moved, limit + f"，经上级党组织批准{shown}延期至{moved.isoformat()}"

    return score


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


def wording(params: dict) -> str | None:
    """What an activity rule looks for, in Chinese, for `show` and the activity template:
    “活动记录“主题党日”，备注含“喜迎二十大”（不计空格、标点和“党的”），截至2022-10-15”."""
    kind = params.get("kind")
    if not isinstance(kind, str) or not kind:
        return None
    bits = [f"活动记录“{kind}”"]
    themes = params.get("themes") or []
    if themes:
        bits.append(f"备注含“{'”或“'.join(themes)}”（不计空格、标点和“党的”）")
    if params.get("since"):
        bits.append(f"{params['since']}起")
    if params.get("until"):
        bits.append(f"截至{params['until']}")
    if params.get("year_of") == "note":
        bits.append("按所属年度（for_year 或备注“XXXX年度”）计")
    return "，".join(bits)


def example_record(params: dict, year: int) -> tuple[str, str, str] | None:
    """One record (kind, date, note) that the rule would count: for the activity template."""
    kind = params.get("kind")
    if not isinstance(kind, str) or not kind:
        return None
    date = params.get("until") or params.get("since") or f"{year}-03-15"
    themes = params.get("themes") or []
    note = themes[0] if themes else ""
    if params.get("year_of") == "note":
        note = f"{year}年度{kind}"
    return kind, str(date), note


def counted_kinds(criteria) -> dict[str, list]:
    """Each activity kind a scheme counts, with the criteria that count it (any depth)."""
    found: dict[str, list] = {}

    def walk(nodes) -> None:
        for node in nodes:
            kind = node.params.get("kind") if node.method else None
            if isinstance(kind, str) and kind:
                found.setdefault(kind, []).append(node)
            walk(node.children)

    walk(criteria)
    return found


def compile_uncounted_activities(diagnostic, scheme):
    """Names the records that count for nothing: a kind no criterion of the scheme counts
    (团日活动 under a scheme of 主题党日 …), a date outside the year it would count for, or a
    theme or date no rule of its kind accepts (a 组织生活会 that is not the themed one).
    `params.also` lists kinds accepted without points."""
    also = diagnostic.params.get("also", [])
    if not isinstance(also, list) or not all(isinstance(k, str) for k in also):
        from dangjian.errors import SchemeError
        raise SchemeError(f"诊断 {diagnostic.id}：also 应为活动类型列表", scheme=scheme.id,
                          field=f"diagnostics.{diagnostic.id}.params.also")
    rules = {kind: [(record_filter(n.params, n.method), wording(n.params)) for n in nodes]
             for kind, nodes in counted_kinds(scheme.criteria).items()}
    by_note = {kind for kind, nodes in counted_kinds(scheme.criteria).items()
               if any(n.params.get("year_of") == "note" for n in nodes)}
    shown = 5

    def listed(items: list[str]) -> str:
        more = f"等{len(items)}条" if len(items) > shown else ""
        return "、".join(items[:shown]) + more

    def check(ctx: EvalContext) -> list:
        from dangjian.models import Finding

        unknown: dict[str, list[str]] = {}
        outside: list[str] = []
        unmatched: dict[str, list[str]] = {}
        for a in ctx.activities:
            if a.kind in also:
                continue
            if a.kind not in rules:
                unknown.setdefault(a.kind, []).append(a.date.isoformat())
                continue
            if any(counts(a, ctx.year) for counts, _ in rules[a.kind]):
                continue
            stated = year_for(a) if a.kind in by_note else a.date.year
            if stated != ctx.year:
                named = f"（{stated}年度）" if stated != a.date.year else ""
                outside.append(f"{a.date.isoformat()}的{a.kind}{named}")
            else:
                note = f"（备注“{a.note}”）" if a.note else ""
                unmatched.setdefault(a.kind, []).append(f"{a.date.isoformat()}{note}")
        parts = [f"类型“{kind}”不是本方案计分的活动类型（{listed(days)}）"
                 for kind, days in unknown.items()]
        if outside:
            parts.append(f"{listed(outside)}不在{ctx.year}年度")
        for kind, items in unmatched.items():
            wanted = "；".join(w for _, w in rules[kind] if w)
            parts.append(f"{kind}{listed(items)}不符合任何评分项的主题或日期（本方案只计：{wanted}）")
        if not parts:
            return []
        count = (sum(len(v) for v in unknown.values()) + len(outside)
                 + sum(len(v) for v in unmatched.values()))
        return [Finding(code=diagnostic.id, severity=diagnostic.severity,
                        message=f"{count}条活动记录未计入任何评分项：{'；'.join(parts)}")]

    return check


METHODS = [
    Method(name="frequency", title="按周期频次（活动记录）", compile=compile_frequency,
           doc="按当年 kind 类活动记录统计每个周期（year/half/quarter/month）是否达到 required 次；"
           "得分 = 满分 × 达标周期数 ÷ 周期数，说明列出未达标的周期。给出 people（名单的属性或输入名）"
           "时改为逐人统计，得分 = 满分 × 达标人数 ÷ 总人数，说明列出未达标的人；名单中重复的姓名"
           "（如既是书记又是党员领导干部）只计1人，说明写明出现几次。",
           params={"kind": "活动记录类型", "period": "year / half / quarter / month",
                   "required": "每周期至少次数，默认1", "people": "人员名单的属性或输入名",
                   "since": "只统计此日期（含）及以后的记录",
                   "until": "只统计此日期（含）之前的记录",
                   "themes": "主题词列表：只统计备注（主题）含其中之一的记录；比对前去掉空格、标点和“党的”",
                   "year_of": "date（按活动日期所在年度，默认）或 note（按记录的所属年度 for_year 或备注中的“XXXX年度”，都没写的按日期）",
                   "org_types": "只要求这些类型的组织（类型 id 列表）；其他类型不涉及，得满分",
                   "applies_if": "输入或属性名（如党小组个数）：写明为0、否或空时本组织不涉及，得满分；未写时照常核对"}),
    Method(name="deadline", title="期限核对", compile=compile_deadline,
           doc="从 since 日期起 months（或 years）内须完成：有 done 日期时看是否按期完成，"
           "没有时看核对日（方案年度末）是否已超期；done 晚于核对日的按核对日尚未完成计。"
           "超期得0分并说明逾期天数。给出 postponed_to 时，经上级批准的延期日期代替原期限。",
           params={"since": "起始日期的属性或输入名", "done": "完成日期的属性或输入名",
                   "months": "期限（月）", "years": "期限（年）",
                   "years_by_type": "按组织类型的期限（年），如 { committee = 5, branch = 3 }；"
                   "未列出的类型用 years",
                   "years_attribute": "由组织属性给出的年限（如 term_years）",
                   "when_absent": "没有起始日期时 pass（不涉及）或 fail（缺材料）",
                   "since_title": "起始日期的中文名", "done_title": "完成的中文说法",
                   "postponed_to": "经上级批准延期至的日期（输入或属性名）；晚于原期限时按此日期核对",
                   "approval": "批准延期的文件（输入或属性名）；给出时没有批准文件的延期不计"}),
]
