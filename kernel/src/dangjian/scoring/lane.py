"""The compiled lane: one JSONL line straight to the row a run stores, for the common record.

`Plan.assess` is general: it builds the evaluation, the organization, the typed inputs, a
context, a `Result`. For a scheme whose every scored part is a component with a kernel (a
method's points from its input's value as decoded: `extension.with_kernel`), no adjustments and
no diagnostics, and whose generated input type checks every input completely, a plan also
compiles a lane: the record is decoded with the scheme's type, each kernel reads its input's
value, the weighted total is rounded once, and the verdict (grade, vetoes, consequences,
eligibility) is looked up by what it depends on (band, flags, thresholds) and packed once.

Whatever the lane does not handle (a missing or unusual input, an organization to look up, a
type written as its title for the first time, a rejection of any kind) returns None, and the
record takes the general path, which gives the same row and every Chinese reason. The lane
never decides differently: tests compare its rows with the general path's on every reference
case and on generated records.
"""

from __future__ import annotations

import keyword
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import msgspec

from dangjian.numbers import ZERO
from dangjian.store.compact import Scored, pack_decimal_text, pack_head_values, pack_outcome

if TYPE_CHECKING:
    from dangjian.scoring.engine import Plan

_RULINGS_LIMIT = 4096
_PACKS_LIMIT = 65_536  # component points met so far, with their packed form
_CODE_LIMIT = 256  # compiled sources kept, one per shape of plan
_code: dict[str, Any] = {}


class Lane:
    """A plan's lane: `lane(row, given)` is the stored row of a well-formed record, or None.

    `Lane.build` writes the plan's steps out as Python source once (each component, band and
    flag spelled out, the plan's numbers and caches bound by name) and runs it: what a record
    costs is then the arithmetic, not walking the plan. The generated `__call__` and `verdict`
    belong to a class made for the plan; `Lane` itself holds what they share.
    """

    __slots__ = ("_components", "_flags", "_judge", "_names", "_packs", "_plan", "_rulings",
                 "_types")

    def __init__(self, plan: Plan, components: list[tuple[Decimal, Any, int]]) -> None:
        self._plan = plan
        self._components = components
        self._names = [spec.name for spec in plan.scheme.inputs]
        self._judge = plan.judge
        self._flags = tuple(self._names.index(flag) for flag in plan.judge.flags)
        self._packs: dict[str, str | bytes] = {}
        self._types: dict[str, str] = {}
        self._rulings: dict[tuple, tuple[str, bytes]] = {}

    @classmethod
    def build(cls, plan: Plan) -> Lane | None:
        """The plan's lane, or None when some part of the scheme needs the general path."""
        scheme = plan.scheme
        if (not plan._typed_complete or plan.nodes or scheme.adjustments
                or scheme.diagnostics or not plan.components):
            return None
        names = [spec.name for spec in scheme.inputs]
        types = {spec.name: spec.type for spec in scheme.inputs}
        if any(types.get(flag) != "boolean" for flag in plan.judge.flags):
            return None
        components = []
        for cp in plan.components:
            kernel = getattr(cp.scorer, "kernel", None)
            if kernel is None or cp.input not in names:
                return None
            components.append((cp.component.weight, kernel, names.index(cp.input)))
        lane = cls(plan, components)
        source, bound = lane._source()
        code = _code.get(source)
        if code is None:
            code = compile(source, "<lane>", "exec")
            if len(_code) < _CODE_LIMIT:
                _code[source] = code
        exec(code, bound)  # the source is written from the plan's shape, never from a record
        # The same object, now of a class of its own whose `__call__` and `verdict` are the
        # plan's (a special method is looked up on the class).
        compiled = type(cls)(cls.__name__, (cls,), {
            "__slots__": (), "__module__": cls.__module__, "__qualname__": cls.__qualname__,
            "__call__": bound["__call__"], "verdict": bound["verdict"]})
        lane.__class__ = compiled
        return lane

    def __call__(self, row: int, given: bytes) -> Scored | None:
        """The stored row of `given` (one JSONL line) at `row`, or None for the general path."""
        raise NotImplementedError  # written for each plan by `build`

    def verdict(self, given: bytes) -> tuple[str, Decimal, str, bytes] | None:
        """What a comparison needs of the record, nothing packed: the organization's name, the
        total, the grade and the outcome profile; None where `lane(row, given)` is None."""
        raise NotImplementedError  # written for each plan by `build`

    def _source(self) -> tuple[str, dict[str, Any]]:
        """The source of the plan's `__call__` and `verdict`, and the values it names.

        Both take the general path's steps for such a record, in its order: decode, check the
        organization and the needed inputs, run each kernel, add weight x points to ZERO
        component by component, clamp to 0..max, add ZERO, quantize once, find the band (on
        the raw or the rounded total, as the scheme reads it), and look the ruling up by band,
        flags and thresholds. What the plan fixes is written in, or named in the functions'
        globals (the second value returned): reading one costs no more than a local."""
        plan = self._plan
        judge = self._judge
        names = self._names
        bound: dict[str, Any] = {
            "_decode": plan._typed.decode, "_types_get": self._types.get,
            "_type_of": self._type_of, "_packs_get": self._packs.get,
            "_pack_points": self._pack_points, "_rulings_get": self._rulings.get,
            "_rule": self._rule, "_ZERO": ZERO, "_top": plan.scheme.max,
            "_quantize": Decimal.quantize, "_quantum": plan._quantum,
            "_rounding": plan._rounding, "_pack_head": pack_head_values, "_new": tuple.__new__,
            "_Scored": Scored, "_astuple": msgspec.structs.astuple}
        # A component's input is needed even where the scheme does not require it: without it
        # the general path reweights or rejects.
        needed = {at for _weight, _kernel, at in self._components}
        needed.update(names.index(spec.name) for spec in plan.scheme.inputs if spec.required)
        read = sorted(needed.union(self._flags))

        body = ["try:",
                "    record = _decode(given)",
                "except Exception:  # the general path names what is wrong",
                "    return None",
                "org_id = record.org_id",
                "org = record.org",
                r'if org is None or not org_id or org_id.isspace() or "\x00" in org_id:',
                "    return None",
                "org_type = _types_get(org.type)",
                "if org_type is None:",
                "    org_type = _type_of(org.type)",
                "    if org_type is None:",
                "        return None"]
        if all(_attribute(names[at]) for at in read):
            body.append("inputs = record.inputs")
            body += [f"v{at} = inputs.{names[at]}" for at in read]
        else:
            body.append("values = _astuple(record.inputs)")
            body += [f"v{at} = values[{at}]" for at in read]
        if needed:
            body += ["if " + " or ".join(f"v{at} is None" for at in sorted(needed)) + ":",
                     "    return None"]

        packing: list[str] = []
        for j, (weight, kernel, at) in enumerate(self._components):
            bound[f"_w{j}"] = weight
            bound[f"_k{j}"] = kernel
            body += [f"p{j} = _k{j}(v{at})",
                     f"if p{j} is None:",
                     "    return None",
                     f"weighted = {'_ZERO' if j == 0 else 'weighted'} + _w{j} * p{j}"]
            # The pack's key is the text: 95 and 95.0 are equal Decimals, stored apart.
            packing += [f"t{j} = str(p{j})",
                        f"q{j} = _packs_get(t{j})",
                        f"if q{j} is None:",
                        f"    q{j} = _pack_points(t{j})"]
        body += ["raw = _ZERO if weighted < _ZERO else _top if weighted > _top else weighted",
                 "raw = raw + _ZERO",
                 "total = _quantize(raw, _quantum, _rounding)"]
        value = "raw" if plan._bands_raw else "total"
        packed = "[" + ", ".join(f"q{j}" for j in range(len(self._components))) + "]"

        flags = "".join(f"v{at}, " for at in self._flags)
        tests = ""
        for i, threshold in enumerate(judge.thresholds):
            bound[f"_t{i}"] = threshold
            tests += f"{value} < _t{i}, "

        def ending(at: int | None, row: bool) -> list[str]:
            """From the band at `at` (None: no band) to what the function returns."""
            lines = [f"key = ({at}, {flags}{tests})",
                     "ruling = _rulings_get(key)",
                     "if ruling is None:",
                     f"    ruling = _rule(key, {value}, ({flags}))",
                     "grade, profile = ruling"]
            if not row:
                return [*lines, "return org.name, total, grade, profile"]
            position = judge.rank[judge.bands[at].grade] if at is not None else 0
            if position > 0:
                above = judge.bands[position - 1]
                bound[f"_grade{at}"] = above.grade
                bound[f"_min{at}"] = above.min
                head = f"_pack_head(None, {packed}, _grade{at}, _min{at} - {value})"
            else:
                head = f"_pack_head(None, {packed}, None, None)"
            return [*lines, f"head = {head}",
                    "return _new(_Scored, (row, org_id, org_type, grade, str(total), profile,"
                    " head, given, None, None))"]

        def banded(row: bool) -> list[str]:
            lines = []
            for at, band in enumerate(judge.bands):
                bound[f"_low{at}"] = band.min
                test = f"_low{at} <= {value}"
                if band.below is not None:
                    bound[f"_below{at}"] = band.below
                    test += f" and {value} < _below{at}"
                lines += [f"if {test}:", *("    " + line for line in ending(at, row))]
            return lines + ending(None, row)

        call = body + packing + banded(True)
        verdict = body + banded(False)
        source = ["def __call__(self, row, given):",
                  *("    " + line for line in call), "",
                  "def verdict(self, given):",
                  *("    " + line for line in verdict)]
        return "\n".join(source) + "\n", bound

    def _pack_points(self, text: str) -> str | bytes:
        found = pack_decimal_text(text)
        if len(self._packs) < _PACKS_LIMIT:
            self._packs[text] = found
        return found

    def _type_of(self, text: str) -> str | None:
        """The type id of an inline type if it is known and within the scheme, else None."""
        plan = self._plan
        type_id = text if text in plan.org_types else plan.org_type_id(text) if text else ""
        allowed = plan.allowed_types
        if type_id is None or (allowed and type_id not in allowed):
            return None
        self._types[text] = type_id
        return type_id

    def _rule(self, key: tuple, value: Decimal, flag_values: tuple) -> tuple[str, bytes]:
        """The grade and packed outcome of a ruling not met yet; `flag_values` are the judge's
        flags' input values, in its order."""
        flags = {self._names[at]: given is True for at, given in zip(self._flags, flag_values)}
        verdict = self._judge.assess(value, flags, [])
        ruling = (verdict.grade, pack_outcome(verdict.points_grade, verdict.vetoes,
                                              verdict.consequences, verdict.eligibility, []))
        if len(self._rulings) < _RULINGS_LIMIT:
            self._rulings[key] = ruling
        return ruling


def _attribute(name: str) -> bool:
    """Whether the generated code can read the input `name` as an attribute (ASCII only:
    Python would NFKC-normalise other names in source, and read another attribute)."""
    return (name.isascii() and name.isidentifier() and not keyword.iskeyword(name)
            and not name.startswith("__"))
