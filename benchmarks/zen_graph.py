"""The peer: jilin-health-2019 as a zen-engine decision graph (JDM), built from the scheme itself.

An expression node computes the on-site rating (labels mapped by the scheme's ballot table,
averaged), the superior's points and the weighted total rounded as the scheme says; a decision
table gives the grade by band, another the vetoes that fire and a third the consequences; an
expression node decides the honours. Totals, grades, vetoes, honours and consequences are
checked against the kernel's on the same records.
"""

from __future__ import annotations

import itertools
import json

from dangjian.scheme import Scheme


def _ballots(field: str, ballots: dict) -> str:
    labels = list(ballots.items())
    mapped = " : ".join(f"# == '{label}' ? {points}" for label, points in labels[:-1])
    return f"map({field}, type(#) == 'string' ? ({mapped} : {labels[-1][1]}) : #)"


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def jilin_graph(scheme: Scheme) -> dict:
    """The decision graph equivalent to the reference scheme's arithmetic and rules."""
    onsite, superior = scheme.components
    assert onsite.method == "rating" and superior.method == "number", "the scheme changed shape"
    assert scheme.rounding.mode == "half_up" and scheme.rounding.bands_read == "rounded"
    rating_scale = onsite.params.get("scale", 100)
    spec = {s.name: s for s in scheme.inputs}[superior.input]
    scale = spec.max if spec.max is not None else superior.max
    flags = [s.name for s in scheme.inputs if s.type == "boolean"]

    score = [
        ("ballots", _ballots(f"inputs.{onsite.input}", onsite.params["ballots"])),
        ("raters", "len($.ballots)"),
        ("superior_points", f"inputs.{superior.input} * {superior.max} / {scale}"),
        # One division, last: 0.7 × avg + 0.3 × superior would round the average first and
        # turn an exact tie such as 77.975 into 77.97499…, graded and rounded wrongly.
        ("total", (f"round(({onsite.weight} * sum($.ballots) * {onsite.max} / {rating_scale}"
                   f" + {superior.weight} * $.superior_points * $.raters) / $.raters, "
                   f"{scheme.rounding.places})")),
        *((flag, f"inputs.{flag} == true") for flag in flags),
    ]
    bands = sorted(scheme.bands, key=lambda b: b.min, reverse=True)
    grades = [{"_id": f"band{i}", "total": f">= {band.min}", "grade": f"'{band.grade}'"}
              for i, band in enumerate(bands)]
    vetoes = []
    for veto in scheme.vetoes:
        assert len(veto.when.flags) == 1 and not veto.cap_grade, "veto shape changed"
        vetoes.append({"_id": veto.id, **{f: "" for f in flags}, veto.when.flags[0]: "true",
                       "id": f"'{veto.id}'"})
    consequences = []
    for rule in scheme.consequences:
        row = {"_id": rule.id, "grade": _quoted(rule.when.grades) if rule.when.grades else "",
               **{f: "" for f in flags}, "id": f"'{rule.id}'"}
        for flag in rule.when.flags:
            row[flag] = "true"
        consequences.append(row)
    honours = []
    for honour in scheme.honours:
        blocking = [v.when.flags[0] for v in scheme.vetoes if honour.id in v.blocks]
        terms = [f"grade in [{_quoted(honour.requires_grades)}]"] if honour.requires_grades \
            else []
        if blocking:
            terms.append(f"not ({' or '.join(blocking)})")
        honours.append((honour.id, " and ".join(f"({t})" for t in terms) or "true"))

    nodes = [
        {"id": "request", "type": "inputNode", "name": "评分输入", "position": {"x": 0, "y": 0},
         "content": {}},
        _expressions("score", "计分", score),
        _table("grade", "等次", "first", ["total"], ["grade"], grades),
        _table("vetoes", "一票否决", "collect", flags, ["id"], vetoes, output_path="vetoes"),
        _expressions("honours", "评优资格", honours),
        _table("consequences", "结果运用", "collect", ["grade", *flags], ["id"], consequences,
               output_path="consequences"),
        {"id": "response", "type": "outputNode", "name": "评分结果",
         "position": {"x": 1400, "y": 0}, "content": {}},
    ]
    order = [node["id"] for node in nodes]
    edges = [{"id": f"e{i}", "sourceId": a, "targetId": b, "type": "edge"}
             for i, (a, b) in enumerate(itertools.pairwise(order))]
    return {"nodes": nodes, "edges": edges}


def _expressions(node_id: str, name: str, pairs) -> dict:
    return {"id": node_id, "type": "expressionNode", "name": name,
            "position": {"x": 200, "y": 0},
            "content": {"expressions": [{"id": key, "key": key, "value": value}
                                        for key, value in pairs], "passThrough": True}}


def _table(node_id, name, policy, inputs, outputs, rules, output_path=None) -> dict:
    content = {"hitPolicy": policy, "passThrough": True,
               "inputs": [{"id": field, "name": field, "field": field} for field in inputs],
               "outputs": [{"id": field, "name": field, "field": field} for field in outputs],
               "rules": rules}
    if output_path:
        content["outputPath"] = output_path
    return {"id": node_id, "type": "decisionTableNode", "name": name,
            "position": {"x": 400, "y": 0}, "content": content}


def graph_json(scheme: Scheme) -> str:
    return json.dumps(jilin_graph(scheme), ensure_ascii=False)


def verdict(result: dict, scheme: Scheme) -> tuple:
    """(total, grade, vetoes, eligible honours, consequences) from the graph's output."""
    def ids(rows):
        return tuple(sorted(row["id"] for row in rows or []))

    honours = tuple(sorted(h.id for h in scheme.honours if result.get(h.id) is True))
    return (f"{result['total']:.{scheme.rounding.places}f}", result["grade"],
            ids(result.get("vetoes")), honours, ids(result.get("consequences")))
