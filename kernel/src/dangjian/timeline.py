"""Checking submission dates against a scheme's timeline (`[[deadlines]]`)."""

from __future__ import annotations

import datetime

import msgspec

from .scheme import Deadline


class TimelineItem(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    rule: str
    submitted: datetime.date | None
    ok: bool
    message: str


def describe(deadline: Deadline) -> str:
    """“1月20日后，2月15日前（含当日）”; the years are written when the two differ."""
    after, by = deadline.after, deadline.on_or_before
    years = after is not None and by is not None and after.year != by.year

    def day(date: datetime.date) -> str:
        return (f"{date.year}年" if years else "") + f"{date.month}月{date.day}日"

    parts = []
    if after is not None:
        parts.append(f"{day(after)}后")
    if by is not None:
        parts.append(f"{day(by)}前（含当日）")
    return "，".join(parts)


def check_timeline(deadlines: list[Deadline],
                   submitted: dict[str, datetime.date | None]) -> list[TimelineItem]:
    """One item per deadline: on time, too early, late, or not submitted."""
    items = []
    for d in deadlines:
        date = submitted.get(d.id)
        rule = describe(d)
        if date is None:
            ok, message = False, f"{d.title}：未提交（要求{rule}）"
        elif d.after is not None and date <= d.after:
            ok, message = False, f"{d.title}：{date.isoformat()}过早，要求{rule}"
        elif d.on_or_before is not None and date > d.on_or_before:
            late = (date - d.on_or_before).days
            ok, message = False, f"{d.title}：{date.isoformat()}提交，逾期{late}天（要求{rule}）"
        else:
            ok, message = True, f"{d.title}：{date.isoformat()}，按时（要求{rule}）"
        items.append(TimelineItem(id=d.id, title=d.title, rule=rule, submitted=date, ok=ok,
                                  message=message))
    return items
