"""Checking submission dates against a scheme's timeline (`[[deadlines]]`).

Each date falls in one of five states: 按时, 过早 (before the step's `after`), 逾期 (after
`on_or_before`), 不在本期 (before the round `opens`: a date of an earlier round, such as last
year's report, is never on time for this one) and 未提交. Dates are written with their year.
"""

from __future__ import annotations

import datetime

import msgspec

from dangjian.scheme import Deadline

ON_TIME, EARLY, LATE, OTHER_ROUND, MISSING = "按时", "过早", "逾期", "不在本期", "未提交"


class TimelineItem(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    rule: str
    submitted: datetime.date | None
    ok: bool
    status: str
    message: str


def day(date: datetime.date) -> str:
    """2020年1月10日."""
    return f"{date.year}年{date.month}月{date.day}日"


def describe(deadline: Deadline) -> str:
    """“2020年1月20日后，2020年2月15日前（含当日）”."""
    parts = []
    if deadline.after is not None:
        parts.append(f"{day(deadline.after)}后")
    if deadline.on_or_before is not None:
        parts.append(f"{day(deadline.on_or_before)}前（含当日）")
    return "，".join(parts)


def check_timeline(deadlines: list[Deadline],
                   submitted: dict[str, datetime.date | None]) -> list[TimelineItem]:
    """One item per deadline: on time, too early, late, of another round, or not submitted."""
    items = []
    for d in deadlines:
        date = submitted.get(d.id)
        rule = describe(d)
        if date is None:
            status, message = MISSING, f"{d.title}：未提交（要求{rule}）"
        elif d.opens is not None and date < d.opens:
            status = OTHER_ROUND
            message = (f"{d.title}：{date.isoformat()}早于本期（自{day(d.opens)}起），"
                       f"不在本期，不算按时（要求{rule}）")
        elif d.after is not None and date <= d.after:
            status, message = EARLY, f"{d.title}：{date.isoformat()}过早，要求{rule}"
        elif d.on_or_before is not None and date > d.on_or_before:
            late = (date - d.on_or_before).days
            status = LATE
            message = f"{d.title}：{date.isoformat()}提交，逾期{late}天（要求{rule}）"
        else:
            status, message = ON_TIME, f"{d.title}：{date.isoformat()}，按时（要求{rule}）"
        items.append(TimelineItem(id=d.id, title=d.title, rule=rule, submitted=date,
                                  ok=status == ON_TIME, status=status, message=message))
    return items
