"""The OpenFisca peer: jilin-health-2019 as an OpenFisca model, run on the same JSONL file.

One entity, the organization. Its on-site rating arrives as a tally, read from the raters' list
while decoding: the sum and number of the numeric scores, how many of each ballot (好, 较好,
一般, 差), how many scores fall outside the input's limits. The model turns ballots into points
with the scheme's table, averages over all raters, weights 70/30 and grades; the numbers the
rule needs (ballot points, weights, maxima, limits, bands, decimal places) are OpenFisca
parameters read from the scheme's own TOML file, and the variables are written by hand for this
rule's shape (`check_shape` refuses a scheme that no longer has it). Arithmetic is exact, in
integers: inputs in ten-thousandths of a point, the total in hundredths, rounded half-up once,
bands read on the rounded total.

One cold process (`python -m benchmarks.openfisca_peer INPUT OUTPUT [SCHEME_TOML]`) imports
OpenFisca, decodes the JSONL with msgspec, computes every organization in one simulation and
writes one JSON line per organization: its total, grade, vetoes, eligible honours and
consequences, checked against dangjian's for every record by `test_openfisca.py`.

This module must not import dangjian: the cold process would pay for the kernel's import.
"""

from __future__ import annotations

import gc
import sys
import tomllib
from decimal import Decimal
from importlib.util import find_spec
from itertools import chain
from pathlib import Path

import msgspec
import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.model_api import YEAR, Variable, select
from openfisca_core.parameters import ParameterNode
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

PERIOD = "2019"
QUANTUM = 10_000  # inputs in ten-thousandths of a point: exact for up to four decimals
# A ballot becomes this code in the flat array of on-site values; no valid score is negative.
_LABEL_CODE = -1e12

Organization = build_entity(key="organization", plural="organizations", label="党组织",
                            is_person=True)


class Ballot(Enum):
    none = "分数"
    good = "好"
    fairly_good = "较好"
    average = "一般"
    poor = "差"


class Grade(Enum):
    good = "好"
    fairly_good = "较好"
    average = "一般"
    poor = "差"


BALLOT_LABELS = [b.value for b in Ballot][1:]
GRADE_ORDER = [Grade.good, Grade.fairly_good, Grade.average, Grade.poor]
VETOES = ["integrity_problem", "many_problems", "poor_mass_appraisal"]
HONOURS = ["excellent_rating", "advanced_collective", "excellent_individual"]
CONSEQUENCES = ["admonitory_talk", "rectify_by_deadline", "accountability"]
FLAGS = [*VETOES, "serious"]


# -- the on-site rating ----------------------------------------------------------------------
def _input(name: str, title: str, value_type: type = int) -> type:
    return type(name, (Variable,), {"value_type": value_type, "entity": Organization,
                                    "definition_period": YEAR, "label": title})


TALLIES = [
    _input("onsite_score_sum_q", "现场评议：数字评分之和（万分之一分）"),
    _input("onsite_scores", "现场评议：给数字评分的人数"),
    _input("onsite_out_of_range", "现场评议：超出分数范围的评分个数"),
    *(_input(f"onsite_ballots_{b.name}", f"现场评议：“{b.value}”票数") for b in Ballot
      if b is not Ballot.none),
]


class raters(Variable):
    value_type = int
    entity = Organization
    definition_period = YEAR
    label = "评议人数"

    def formula(organization, period, parameters):
        return organization("onsite_scores", period) + sum(
            organization(f"onsite_ballots_{b.name}", period) for b in Ballot
            if b is not Ballot.none)


class onsite_sum_q(Variable):
    value_type = float  # exact: whole numbers far below 2**53
    entity = Organization
    definition_period = YEAR
    label = "现场评议：全部评议人得分之和（万分之一分），等次票按折分表折合"

    def formula(organization, period, parameters):
        points = parameters(period).onsite.ballots
        total = organization("onsite_score_sum_q", period).astype(np.int64)
        for b in Ballot:
            if b is not Ballot.none:
                count = organization(f"onsite_ballots_{b.name}", period).astype(np.int64)
                total = total + count * int(points[b.name] * QUANTUM)
        return total


# -- organizations --------------------------------------------------------------------------
class superior_q(Variable):
    value_type = int
    entity = Organization
    definition_period = YEAR
    label = "上级党组织评议得分（万分之一分）"


def _flag(name: str, title: str) -> type:
    return type(name, (Variable,), {"value_type": bool, "entity": Organization,
                                    "definition_period": YEAR, "label": title})


class rejected(Variable):
    value_type = bool
    entity = Organization
    definition_period = YEAR
    label = "输入不合格（评议人数不足，或分数超出范围）"

    def formula(organization, period, parameters):
        p = parameters(period)
        value = organization("superior_q", period)
        return ((organization("onsite_out_of_range", period) > 0)
                | (organization("raters", period) < p.onsite.min_raters)
                | (value < p.superior.input_min * QUANTUM)
                | (value > p.superior.input_max * QUANTUM))


class total_hundredths(Variable):
    value_type = int
    entity = Organization
    definition_period = YEAR
    label = "综合评定（百分之一分，四舍五入一次）"

    def formula(organization, period, parameters):
        p = parameters(period)
        n = np.maximum(organization("raters", period), 1).astype(np.int64)
        onsite_sum = organization("onsite_sum_q", period).astype(np.int64)
        superior = organization("superior_q", period).astype(np.int64)
        on_w, sup_w = int(p.onsite.weight_percent), int(p.superior.weight_percent)
        on_max, on_scale = int(p.onsite.max), int(p.onsite.scale)
        sup_max, sup_scale = int(p.superior.max), int(p.superior.scale)
        # total = w_on × (Σ / n) × max/scale + w_sup × superior × max/scale, over one
        # denominator so that nothing is rounded before the one half-up rounding.
        numerator = (on_w * onsite_sum * on_max * sup_scale
                     + sup_w * superior * sup_max * on_scale * n)
        denominator = 100 * n * on_scale * sup_scale * (QUANTUM // 10 ** int(p.places))
        return (2 * numerator + denominator) // (2 * denominator)


class grade(Variable):
    value_type = Enum
    possible_values = Grade
    default_value = Grade.poor
    entity = Organization
    definition_period = YEAR
    label = "等次（按取整后的总分读取）"

    def formula(organization, period, parameters):
        bands = parameters(period).bands
        total = organization("total_hundredths", period)
        return select([total >= bands[g.name] * 100 for g in GRADE_ORDER[:-1]],
                      GRADE_ORDER[:-1], default=GRADE_ORDER[-1])


def _veto(flag: str) -> type:
    def formula(organization, period, parameters):
        return organization(flag, period)

    return type(f"veto_{flag}", (Variable,), {
        "value_type": bool, "entity": Organization, "definition_period": YEAR,
        "label": f"一票否决：{flag}", "formula": formula})


class any_veto(Variable):
    value_type = bool
    entity = Organization
    definition_period = YEAR
    label = "有一票否决"

    def formula(organization, period, parameters):
        fired = [organization(f"veto_{flag}", period) for flag in VETOES]
        return np.logical_or.reduce(fired)


class eligible_excellent_rating(Variable):
    value_type = bool
    entity = Organization
    definition_period = YEAR
    label = "可评年度考核优秀等次（评议为“好”）"

    def formula(organization, period, parameters):
        return organization("grade", period) == Grade.good


class eligible_advanced_collective(Variable):
    value_type = bool
    entity = Organization
    definition_period = YEAR
    label = "可评先进集体（无一票否决）"

    def formula(organization, period, parameters):
        return ~organization("any_veto", period)


class eligible_excellent_individual(Variable):
    value_type = bool
    entity = Organization
    definition_period = YEAR
    label = "可评优秀个人（无一票否决）"

    def formula(organization, period, parameters):
        return ~organization("any_veto", period)


def _weak_grade(organization, period, parameters):
    g = organization("grade", period)
    return (g == Grade.average) | (g == Grade.poor)


class admonitory_talk(Variable):
    value_type = bool
    entity = Organization
    definition_period = YEAR
    label = "约谈（评议为“一般”“差”）"
    formula = _weak_grade


class rectify_by_deadline(Variable):
    value_type = bool
    entity = Organization
    definition_period = YEAR
    label = "限期整改（评议为“一般”“差”）"
    formula = _weak_grade


class accountability(Variable):
    value_type = bool
    entity = Organization
    definition_period = YEAR
    label = "问责（情况严重）"

    def formula(organization, period, parameters):
        return organization("serious", period)


# -- the scheme's numbers as OpenFisca parameters -------------------------------------------
def scheme_path() -> Path:
    """The reference scheme's TOML, found without importing its plugin (nor dangjian)."""
    spec = find_spec("dangjian_jilin_health_2019")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the jilin-health-2019 plugin is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "scheme.toml"


def check_shape(scheme: dict) -> None:
    """Refuse a scheme whose rule is no longer the one the variables above encode."""
    onsite, superior_c = scheme["components"]
    assert (onsite["method"], superior_c["method"]) == ("rating", "number"), "components"
    assert list(onsite["params"]["ballots"]) == BALLOT_LABELS, "ballot labels"
    assert [b["grade"] for b in scheme["bands"]] == [g.value for g in GRADE_ORDER], "bands"
    assert scheme["rounding"] == {"places": 2, "mode": "half_up", "bands_read": "rounded"}
    assert [(v["id"], v["when"], v["blocks"]) for v in scheme["vetoes"]] == [
        (f, {"flags": [f]}, ["advanced_collective", "excellent_individual"]) for f in VETOES]
    assert [(h["id"], h.get("requires_grades")) for h in scheme["honours"]] == [
        ("excellent_rating", ["好"]), ("advanced_collective", None),
        ("excellent_individual", None)]
    weak = {"grades": ["一般", "差"]}
    assert [(c["id"], c["when"]) for c in scheme["consequences"]] == [
        ("admonitory_talk", weak), ("rectify_by_deadline", weak),
        ("accountability", {"flags": ["serious"]})]


def _percent(weight: float) -> int:
    percent = Decimal(str(weight)) * 100
    assert percent == percent.to_integral_value(), "weights in whole percent"
    return int(percent)


def parameters(scheme: dict) -> ParameterNode:
    onsite, superior_c = scheme["components"]
    specs = {spec["name"]: spec for spec in scheme["inputs"]}
    on_spec, sup_spec = specs[onsite["input"]], specs[superior_c["input"]]
    since = "2019-01-01"

    def value(v):
        return {"values": {since: v}}

    names = {b.value: b.name for b in Ballot}
    data = {
        "places": value(scheme["rounding"]["places"]),
        "onsite": {
            "ballots": {names[label]: value(points)
                        for label, points in onsite["params"]["ballots"].items()},
            "weight_percent": value(_percent(onsite["weight"])),
            "max": value(onsite["max"]),
            "scale": value(onsite["params"].get("scale", 100)),
            "min_raters": value(onsite["params"].get("min_raters", 1)),
            "input_min": value(on_spec["min"]),
            "input_max": value(on_spec["max"]),
        },
        "superior": {
            "weight_percent": value(_percent(superior_c["weight"])),
            "max": value(superior_c["max"]),
            "scale": value(sup_spec.get("max", superior_c["max"])),
            "input_min": value(sup_spec["min"]),
            "input_max": value(sup_spec["max"]),
        },
        "bands": {g.name: value(band["min"]) for g, band in zip(GRADE_ORDER, scheme["bands"])},
    }
    return ParameterNode("", data=data)


class JilinHealth2019(TaxBenefitSystem):
    def __init__(self, scheme: dict) -> None:
        super().__init__([Organization])
        check_shape(scheme)
        self.parameters = parameters(scheme)
        for variable in (*TALLIES, onsite_sum_q, superior_q, raters, rejected, total_hundredths, grade, any_veto,
                         eligible_excellent_rating, eligible_advanced_collective,
                         eligible_excellent_individual, admonitory_talk, rectify_by_deadline,
                         accountability):
            self.add_variable(variable)
        for flag in FLAGS:
            self.add_variable(_flag(flag, flag))
        for flag in VETOES:
            self.add_variable(_veto(flag))


# -- input and output -----------------------------------------------------------------------
class _Inputs(msgspec.Struct):
    onsite: list[int | float | str] | dict[str, int] | int | float | str
    superior: int | float
    integrity_problem: bool = False
    many_problems: bool = False
    poor_mass_appraisal: bool = False
    serious: bool = False


class _Record(msgspec.Struct):
    org_id: str
    inputs: _Inputs


def _quantized(points: np.ndarray) -> np.ndarray:
    """Points as whole ten-thousandths; anything beyond ±1000 points is clipped (still out of
    range, refused by the model) so that it fits OpenFisca's 32-bit integers."""
    return np.rint(np.clip(points, -1000, 1000) * QUANTUM).astype(np.int32)


def _raters(onsite) -> list:
    """The on-site rating as one value a rater: a list as given, a table of ballot counts
    ({"好": 30, "较好": 5}) spread out, a single score or ballot as one rater."""
    if onsite.__class__ is list:
        return onsite
    if onsite.__class__ is dict:
        return [label for label, count in onsite.items() for _ in range(count)]
    return [onsite]


_CODES = {label: _LABEL_CODE - (i + 1) for i, label in enumerate(BALLOT_LABELS)}


class Peer:
    """The model built once; `run(lines)` decodes, computes and renders result lines."""

    def __init__(self, scheme_toml: Path | None = None) -> None:
        scheme = tomllib.loads((scheme_toml or scheme_path()).read_text(encoding="utf-8"))
        self.system = JilinHealth2019(scheme)
        self.decode = msgspec.json.Decoder(list[_Record]).decode

    def compute(self, lines: list[bytes]) -> dict[str, np.ndarray]:
        # The garbage collector would walk every decoded record again and again for nothing:
        # none of them holds a cycle.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._compute(lines)
        finally:
            if enabled:
                gc.enable()

    def _compute(self, lines: list[bytes]) -> dict[str, np.ndarray]:
        records = self.decode(b"[" + b",".join(lines) + b"]")
        onsite = [_raters(r.inputs.onsite) for r in records]
        n = len(records)
        counts = np.fromiter(map(len, onsite), np.int64, n)
        codes = _CODES
        flat = np.array([codes.get(v, -1.0) if v.__class__ is str else v
                         for v in chain.from_iterable(onsite)], dtype=np.float64)
        # Reading the input: each value counted for its organization, a label as its ballot, a
        # number as a score in ten-thousandths (an unknown label counts as out of range).
        org = np.repeat(np.arange(n), counts)
        label = flat <= _LABEL_CODE + 0.5
        score = np.where(label, 0, _quantized(flat))
        p = self.system.parameters(PERIOD).onsite
        outside = ~label & ((score < p.input_min * QUANTUM) | (score > p.input_max * QUANTUM))

        sim = SimulationBuilder().build_default_simulation(self.system, n)
        sim.set_input("onsite_score_sum_q", PERIOD, np.bincount(org, score, n))
        sim.set_input("onsite_scores", PERIOD, counts - np.bincount(org[label], minlength=n))
        sim.set_input("onsite_out_of_range", PERIOD, np.bincount(org[outside], minlength=n))
        for b in Ballot:
            if b is not Ballot.none:
                sim.set_input(f"onsite_ballots_{b.name}", PERIOD,
                              np.bincount(org[flat == codes[b.value]], minlength=n))
        sim.set_input("superior_q", PERIOD, _quantized(
            np.array([r.inputs.superior for r in records], dtype=np.float64)))
        for flag in FLAGS:
            sim.set_input(flag, PERIOD, np.array([getattr(r.inputs, flag) for r in records]))
        out = {name: sim.calculate(name, PERIOD)
               for name in ["rejected", "total_hundredths", "grade",
                            *(f"veto_{v}" for v in VETOES),
                            *(f"eligible_{h}" for h in HONOURS), *CONSEQUENCES]}
        out["org_id"] = [r.org_id for r in records]
        return out

    def run(self, lines: list[bytes]) -> list[bytes]:
        """One JSON line per record: org_id, total, grade, vetoes, eligible, consequences."""
        out = self.compute(lines)
        groups = ([out[f"veto_{v}"] for v in VETOES], [out[f"eligible_{h}"] for h in HONOURS],
                  [out[c] for c in CONSEQUENCES])
        names = (VETOES, HONOURS, CONSEQUENCES)
        # Each group's flags as one small integer, rendered once per value, not per record.
        masks = [sum(flag.astype(np.int64) << i for i, flag in enumerate(group)).tolist()
                 for group in groups]
        fragments = [[msgspec.json.encode([n for i, n in enumerate(group_names) if m >> i & 1])
                      .decode() for m in range(1 << len(group_names))]
                     for group_names in names]
        grade_labels = [g.value for g in Grade]
        grade_index = out["grade"].index if hasattr(out["grade"], "index") else out["grade"]
        encode = msgspec.json.encode
        result = []
        for org_id, bad, total, g, vm, hm, cm in zip(
                out["org_id"], out["rejected"].tolist(), out["total_hundredths"].tolist(),
                np.asarray(grade_index).tolist(), *masks):
            if bad:
                result.append(b'{"org_id":%s,"rejected":true}' % encode(org_id))
                continue
            result.append(
                f'{{"org_id":{encode(org_id).decode()},"total":"{total // 100}.{total % 100:02d}",'
                f'"grade":"{grade_labels[g]}","vetoes":{fragments[0][vm]},'
                f'"eligible":{fragments[1][hm]},"consequences":{fragments[2][cm]}}}'.encode())
        return result


def verdict(line: bytes) -> tuple:
    """(total, grade, vetoes, eligible honours, consequences) from one output line."""
    r = msgspec.json.decode(line)
    if r.get("rejected"):
        return ("rejected",)
    return (r["total"], r["grade"], tuple(sorted(r["vetoes"])), tuple(sorted(r["eligible"])),
            tuple(sorted(r["consequences"])))


def main(source: str, target: str, scheme_toml: str | None = None) -> None:
    peer = Peer(Path(scheme_toml) if scheme_toml else None)
    with open(source, "rb") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    results = peer.run(lines)
    with open(target, "wb") as f:
        f.write(b"\n".join(results) + b"\n")
    print(len(results))



if __name__ == "__main__":
    main(*sys.argv[1:4])
