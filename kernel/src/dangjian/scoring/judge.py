"""From a total to a verdict: grade bands, vetoes (一票否决), honours (gates) and consequences."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from dangjian.models import Eligibility, Finding, Fired, Line, NextBand
from dangjian.numbers import fmt
from dangjian.scheme import Band, Condition, Scheme

UNGRADED = "未定等次"


class Verdict(NamedTuple):
    grade: str
    points_grade: str
    vetoes: list[Fired]
    consequences: list[Fired]
    eligibility: list[Eligibility]
    to_next_band: NextBand | None
    lines: list[Line]


def band_of(bands: list[Band], value: Decimal) -> Band | None:
    """The band holding `value`: min ≤ value < below."""
    for band in bands:
        if band.min <= value and (band.below is None or value < band.below):
            return band
    return None


def condition_holds(cond: Condition, grade: str, total: Decimal, inputs: dict[str, Any],
                    finding_codes: set[str]) -> bool:
    if cond.flags and not any(inputs.get(flag) for flag in cond.flags):
        return False
    if cond.grades and grade not in cond.grades:
        return False
    if cond.total_below is not None and not total < cond.total_below:
        return False
    if cond.findings and not finding_codes.intersection(cond.findings):
        return False
    return True


class _Ruling(NamedTuple):
    """Everything in a verdict but the distance to the next band: the same for every result
    with the same band, flags, thresholds and findings, so it is worked out once."""

    grade: str
    points_grade: str
    vetoes: list[Fired]
    consequences: list[Fired]
    eligibility: list[Eligibility]
    head: list[Line]
    tail: list[Line]
    show_next: bool


_RULINGS_LIMIT = 4096
_NONE: frozenset = frozenset()


class Judge:
    """Compiled once per scheme; called once per result."""

    def __init__(self, scheme: Scheme) -> None:
        self.bands = sorted(scheme.bands, key=lambda b: b.min, reverse=True)
        self.rank = {band.grade: i for i, band in enumerate(self.bands)}
        self.vetoes = scheme.vetoes
        self.honours = scheme.honours
        self.consequences = scheme.consequences
        self.inputs = {spec.name: spec.title for spec in scheme.inputs}
        conditions = [v.when for v in self.vetoes] + [c.when for c in self.consequences]
        # What a ruling can depend on besides the band: these flags, thresholds and findings.
        self.flags = tuple(dict.fromkeys(f for c in conditions for f in c.flags))
        self.thresholds = tuple(dict.fromkeys(c.total_below for c in conditions
                                               if c.total_below is not None))
        self._codes = frozenset(code for c in conditions for code in c.findings)
        self._rulings: dict[tuple, _Ruling] = {}

    def _ruling(self, value: Decimal, inputs: dict[str, Any],
                findings: list[Finding]) -> tuple[_Ruling, NextBand | None]:
        band = band_of(self.bands, value)
        key = (band.grade if band else None,
               tuple([not not inputs.get(flag) for flag in self.flags]),
               tuple([value < bound for bound in self.thresholds]) if self.thresholds else (),
               frozenset(f.code for f in findings if f.code in self._codes)
               if findings and self._codes else _NONE)
        ruling = self._rulings.get(key)
        if ruling is None:
            ruling = self._rule(band, value, inputs, findings)
            if len(self._rulings) < _RULINGS_LIMIT:
                self._rulings[key] = ruling

        next_band = None
        if band is not None:
            position = self.rank[band.grade]
            if position > 0:
                above = self.bands[position - 1]
                next_band = NextBand(grade=above.grade, points=above.min - value)
        return ruling, next_band

    def __call__(self, value: Decimal, inputs: dict[str, Any], findings: list[Finding]) -> Verdict:
        """The verdict with its explanation lines."""
        ruling, next_band = self._ruling(value, inputs, findings)
        lines = list(ruling.head)
        if next_band is not None and ruling.show_next:
            lines.append(Line(kind="next_band", id="next_band", title="距上一等次",
                              text=f"距“{next_band.grade}”还差{fmt(next_band.points)}分",
                              points=next_band.points))
        lines.extend(ruling.tail)
        return Verdict(ruling.grade, ruling.points_grade, list(ruling.vetoes),
                       list(ruling.consequences), list(ruling.eligibility), next_band, lines)

    def assess(self, value: Decimal, inputs: dict[str, Any], findings: list[Finding]) -> Verdict:
        """The same verdict without lines (a ruling's sentences are never rendered here)."""
        ruling, next_band = self._ruling(value, inputs, findings)
        return Verdict(ruling.grade, ruling.points_grade, list(ruling.vetoes),
                       list(ruling.consequences), list(ruling.eligibility), next_band, [])

    def _rule(self, band: Band | None, value: Decimal, inputs: dict[str, Any],
              findings: list[Finding]) -> _Ruling:
        points_grade = band.grade if band else UNGRADED
        grade = points_grade
        codes = {f.code for f in findings}
        head: list[Line] = []
        fired: list[Fired] = []
        blocked: dict[str, list[str]] = {}
        for veto in self.vetoes:
            if not condition_holds(veto.when, points_grade, value, inputs, codes):
                continue
            fired.append(Fired(id=veto.id, title=veto.title, reason=veto.reason))
            effects = []
            if veto.cap_grade and self.rank.get(grade, len(self.rank)) < self.rank[veto.cap_grade]:
                grade = veto.cap_grade
                effects.append(f"等次最高为“{veto.cap_grade}”")
            for honour in veto.blocks:
                blocked.setdefault(honour, []).append(veto.reason)
            if veto.blocks:
                effects.append("不得评为" + "、".join(self._honour_title(h) for h in veto.blocks))
            head.append(Line(kind="veto", id=veto.id, title=veto.title,
                             text=f"一票否决：{veto.reason}" +
                             (f"，{'；'.join(effects)}" if effects else "")))
        if grade != points_grade:
            head.append(Line(kind="grade", id="grade", title="等次",
                             text=f"按分数为“{points_grade}”，因一票否决定为“{grade}”"))
        else:
            head.append(Line(kind="grade", id="grade", title="等次", text=f"等次为“{grade}”"))

        tail: list[Line] = []
        eligibility: list[Eligibility] = []
        for honour in self.honours:
            reasons = []
            if honour.requires_grades and grade not in honour.requires_grades:
                reasons.append(honour.reason or
                               f"{honour.title}要求等次为“{'、'.join(honour.requires_grades)}”，"
                               f"实为“{grade}”")
            reasons.extend(blocked.get(honour.id, []))
            ok = not reasons
            eligibility.append(Eligibility(honour=honour.id, title=honour.title, eligible=ok,
                                           reasons=reasons))
            tail.append(Line(kind="gate", id=honour.id, title=honour.title,
                             text=f"{honour.title}：" + ("可以评定" if ok else
                                                        "不得评定（" + "；".join(reasons) + "）")))

        consequences: list[Fired] = []
        for rule in self.consequences:
            if condition_holds(rule.when, grade, value, inputs, codes):
                reason = rule.reason or self._reason(rule.when, grade, inputs)
                consequences.append(Fired(id=rule.id, title=rule.title, reason=reason))
                tail.append(Line(kind="consequence", id=rule.id, title=rule.title,
                                 text=f"{rule.title}：{reason}"))
        return _Ruling(grade, points_grade, fired, consequences, eligibility, head, tail,
                       grade == points_grade)

    def _honour_title(self, honour_id: str) -> str:
        return next((h.title for h in self.honours if h.id == honour_id), honour_id)

    def _reason(self, cond: Condition, grade: str, inputs: dict[str, Any]) -> str:
        parts = []
        if cond.grades:
            parts.append(f"等次为“{grade}”")
        if cond.flags:
            parts.append("、".join(self.inputs.get(f, f) for f in cond.flags if inputs.get(f)))
        if cond.total_below is not None:
            parts.append(f"总分低于{fmt(cond.total_below)}分")
        return "，".join(parts)
