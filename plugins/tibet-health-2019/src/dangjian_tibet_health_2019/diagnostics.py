"""Diagnostics of the 八化 scheme: how many areas a branch meets, and raised weak-branch flags."""

from __future__ import annotations

from decimal import Decimal

from dangjian import DiagnosticMethod, Finding, SchemeError
from dangjian.numbers import fmt


def _fail(diagnostic, scheme, name: str, message: str) -> SchemeError:
    return SchemeError(f"诊断 {diagnostic.id}：{message}", scheme=scheme.id,
                       field=f"diagnostics.{diagnostic.id}.params.{name}")


def met_areas(inputs: dict, areas: list[str], met: str, evidence_suffix: str) -> list[str]:
    """The areas a branch meets: marked met and, when evidence is required, with evidence.

    Mirrors the `completion` scoring of each area, so the count agrees with the total.
    """
    return [area for area in areas
            if inputs.get(area) == met
            and (not evidence_suffix or bool(inputs.get(area + evidence_suffix)))]


def compile_eight_areas(diagnostic, scheme):
    """Fires when fewer than `below` of the listed areas are met; the message may use {met},
    {total}, {rate} (percent) and {unmet} (titles of the areas not met)."""
    params = diagnostic.params
    areas = params.get("areas")
    titles = {spec.name: spec.title for spec in scheme.inputs}
    if not isinstance(areas, list) or not areas or not all(a in titles for a in areas):
        raise _fail(diagnostic, scheme, "areas", "areas 应为已声明输入名的列表")
    below = params.get("below")
    if not isinstance(below, int) or isinstance(below, bool) or not 0 < below <= len(areas):
        raise _fail(diagnostic, scheme, "below", f"below 应为1至{len(areas)}之间的整数")
    met_label = params.get("met", "达标")
    suffix = params.get("evidence_suffix", "")
    if suffix and not all(a + suffix in titles for a in areas):
        raise _fail(diagnostic, scheme, "evidence_suffix", f"每个领域都应声明佐证材料输入（…{suffix}）")
    template = params.get("message", diagnostic.title + "：{met}/{total}项达标")
    total = len(areas)

    def check(ctx) -> list[Finding]:
        met = met_areas(ctx.inputs, areas, met_label, suffix)
        if len(met) >= below:
            return []
        rate = Decimal(len(met)) * 100 / total
        unmet = "、".join(titles[a] for a in areas if a not in met)
        return [Finding(code=diagnostic.id, severity=diagnostic.severity,
                        message=template.format(met=len(met), total=total, rate=fmt(rate),
                                                unmet=unmet or "无"))]

    return check


def compile_flag_raised(diagnostic, scheme):
    """Fires when any of the listed boolean inputs is true; {flags} in the message names them."""
    names = diagnostic.params.get("inputs")
    specs = {spec.name: spec for spec in scheme.inputs}
    if not isinstance(names, list) or not names or not all(
            n in specs and specs[n].type == "boolean" for n in names):
        raise _fail(diagnostic, scheme, "inputs", "inputs 应为已声明的是/否输入名列表")
    template = diagnostic.params.get("message", diagnostic.title + "：{flags}")

    def check(ctx) -> list[Finding]:
        raised = [specs[n].title for n in names if ctx.inputs.get(n)]
        if not raised:
            return []
        return [Finding(code=diagnostic.id, severity=diagnostic.severity,
                        message=template.format(flags="、".join(raised)))]

    return check


DIAGNOSTICS = [
    DiagnosticMethod(name="eight_areas", title="“八化”达标领域数", compile=compile_eight_areas,
                     doc="达标（且有佐证材料）的领域少于 below 项时给出诊断；message 可用 "
                     "{met} {total} {rate} {unmet}。"),
    DiagnosticMethod(name="flag_raised", title="认定情形", compile=compile_flag_raised,
                     doc="inputs 中任一是/否输入为“是”时给出诊断；message 可用 {flags}。"),
]
