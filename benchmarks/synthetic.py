"""Synthetic data for benchmarks: a 25-criterion scheme using every built-in method, and
deterministic evaluations for it and for jilin-health-2019."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from pathlib import Path

import msgspec
from dangjian import Scheme, hookimpl

GRADES = ["好", "较好", "一般", "差"]
KINDS = ["主题党日", "党课", "组织生活会"]

# (method, input type, params)
_PATTERNS = [
    ("number", "number", {}),
    ("rating", "list", {"min_raters": 3, "trim": 1}),
    ("ballots", "list", {"ballots": {"好": 95, "较好": 85, "一般": 70, "差": 50}}),
    ("checklist", "list", {"items": ["甲", "乙", "丙", "丁"], "deduct": 1}),
    ("per_occurrence", "integer", {"points": 1}),
    ("frequency", None, {"kind": "主题党日", "period": "month"}),
    ("ratio", "number", {"thresholds": [{"at_least": 0.9, "points": 4}, {"at_least": 0.6, "points": 2}]}),
    ("boolean", "boolean", {}),
    ("completion", "choice", {}),
    ("deadline", None, {"since": "term_started", "years": 3, "done": "elected_on"}),
]


def scheme_25() -> Scheme:
    """Five sections of five criteria, four points each; 100 points in all."""
    inputs, sections = [], []
    n = 0
    for s in range(5):
        children = []
        for _ in range(5):
            method, kind, params = _PATTERNS[n % len(_PATTERNS)]
            node = {"id": f"c{n}", "title": f"评分项{n}", "max": 4, "method": method,
                    "params": params}
            if kind is not None:
                spec = {"name": f"i{n}", "title": f"输入{n}", "type": kind, "required": False}
                if method == "rating":
                    spec.update(min=0, max=100)
                if method in ("ballots", "checklist"):
                    spec["items"] = "label"
                if method == "completion":
                    spec["choices"] = ["完成", "部分完成", "未完成"]
                if method == "number":
                    spec.update(min=0, max=100)
                inputs.append(spec)
                node["input"] = f"i{n}"
            children.append(node)
            n += 1
        sections.append({"id": f"s{s}", "title": f"第{s + 1}部分", "children": children})
    return msgspec.convert({
        "id": "bench-25", "title": "基准测试方案（25项）", "version": "1", "year": 2022,
        "org_types": ["branch"], "inputs": inputs, "criteria": sections,
        "bands": [{"grade": "好", "min": 90}, {"grade": "较好", "min": 80},
                  {"grade": "一般", "min": 60}, {"grade": "差", "min": 0}],
        "consequences": [{"id": "talk", "title": "约谈", "when": {"grades": ["一般", "差"]}}],
    }, Scheme)


class BenchPlugin:
    """Registers the 25-criterion scheme, as a province's plugin would."""

    @hookimpl
    def register_schemes(self, register):
        register(scheme_25())


def evaluations_25(n: int, seed: int = 2022) -> Iterator[dict]:
    rng = random.Random(seed)
    scheme = scheme_25()
    kinds = {spec.name: spec for spec in scheme.inputs}
    methods = {node.input: node.method for sec in scheme.criteria for node in sec.children if node.input}
    for i in range(n):
        inputs = {}
        for name in kinds:
            method = methods[name]
            if method == "number":
                inputs[name] = rng.randint(50, 100)
            elif method == "rating":
                inputs[name] = [rng.randint(60, 100) for _ in range(rng.randint(3, 9))]
            elif method == "ballots":
                inputs[name] = [rng.choice(GRADES) for _ in range(rng.randint(3, 9))]
            elif method == "checklist":
                inputs[name] = rng.sample(["甲", "乙", "丙", "丁"], rng.randint(0, 3))
            elif method == "per_occurrence":
                inputs[name] = rng.randint(0, 6)
            elif method == "ratio":
                inputs[name] = round(rng.random(), 2)
            elif method == "boolean":
                inputs[name] = rng.random() < 0.8
            elif method == "completion":
                inputs[name] = rng.choice(["完成", "部分完成", "未完成"])
        months = [m for m in range(1, 13) if rng.random() < 0.9]
        yield {
            "org_id": f"b{i:07d}",
            "org": {"name": f"第{i}党支部", "type": "branch",
                    "attributes": {"term_started": "2019-06-01",
                                   "elected_on": rng.choice(["2022-05-20", "2022-07-01"])}},
            "inputs": inputs,
            "activities": [{"kind": "主题党日", "date": datetime.date(2022, m, 15).isoformat()}
                           for m in months],
        }


# The reference scheme's flags and how often the generator raises each.
JILIN_FLAGS = {"integrity_problem": 0.03, "many_problems": 0.02, "poor_mass_appraisal": 0.02,
               "serious": 0.01}


def evaluations_jilin(n: int, seed: int = 2019) -> Iterator[dict]:
    """Secretaries' assessments: 15–40 raters each (scores and ballots mixed), a superior's
    score, and now and then a veto or accountability flag."""
    rng = random.Random(seed)
    for i in range(n):
        onsite = [rng.choice([rng.randint(60, 100), rng.choice(GRADES)])
                  for _ in range(rng.randint(15, 40))]
        inputs = {"onsite": onsite, "superior": rng.randint(55, 100)}
        for flag, share in JILIN_FLAGS.items():
            if rng.random() < share:
                inputs[flag] = True
        yield {"org_id": f"j{i:07d}", "org": {"name": f"第{i}党支部", "type": "branch"},
               "inputs": inputs}


def write_jsonl(path: Path, records: Iterator[dict]) -> int:
    """Write records one JSON object a line; returns how many."""
    encode = msgspec.json.encode
    count = 0
    with open(path, "wb") as f:
        buffer = []
        for record in records:
            buffer.append(encode(record))
            count += 1
            if len(buffer) >= 10_000:
                f.write(b"\n".join(buffer) + b"\n")
                buffer.clear()
        if buffer:
            f.write(b"\n".join(buffer) + b"\n")
    return count
