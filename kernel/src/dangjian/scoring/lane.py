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

from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import msgspec

from dangjian.numbers import ZERO
from dangjian.store.compact import Scored, pack_decimal_text, pack_head_values, pack_outcome

if TYPE_CHECKING:
    from dangjian.scoring.engine import Plan

_RULINGS_LIMIT = 4096
_PACKS_LIMIT = 65_536  # component points met so far, with their packed form
_astuple = msgspec.structs.astuple
_new = tuple.__new__
_pack_head = pack_head_values


def _getter(positions: tuple[int, ...]):
    """A function from a tuple of values to the tuple of those at `positions`."""
    if not positions:
        return lambda values: ()
    if len(positions) == 1:
        return lambda values, at=positions[0]: (values[at],)
    return itemgetter(*positions)


class Lane:
    """A plan's lane: `lane(row, given)` is the stored row of a well-formed record, or None."""

    __slots__ = ("_allowed", "_bands", "_components", "_decode", "_flags", "_flags_of",
                 "_judge", "_max", "_names", "_next", "_packs", "_plan", "_quantum", "_raw_bands",
                 "_required_of", "_rounding", "_rulings", "_thresholds", "_types")

    def __init__(self, plan: Plan, components: list[tuple[Decimal, Any, int]]) -> None:
        scheme = plan.scheme
        self._plan = plan
        self._decode = plan._typed.decode
        self._components = components
        names = self._names = [spec.name for spec in scheme.inputs]
        # A component's input is needed even where the scheme does not require it: without it
        # the general path reweights or rejects.
        needed = {at for _weight, _kernel, at in components}
        needed.update(names.index(spec.name) for spec in scheme.inputs if spec.required)
        self._required_of = _getter(tuple(sorted(needed)))
        judge = plan.judge
        self._judge = judge
        self._flags = tuple(names.index(flag) for flag in judge.flags)
        self._flags_of = _getter(self._flags)
        self._packs: dict[str, str | bytes] = {}
        self._thresholds = judge.thresholds
        self._bands = [(band.min, band.below) for band in judge.bands]
        # Each band's next band up (as the judge finds it, through its rank), or None.
        self._next = [judge.bands[judge.rank[band.grade] - 1] if judge.rank[band.grade] > 0
                      else None for band in judge.bands]
        self._max = scheme.max
        self._quantum = plan._quantum
        self._rounding = plan._rounding
        self._raw_bands = plan._bands_raw
        self._allowed = plan.allowed_types
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
        return cls(plan, components)

    def __call__(self, row: int, given: bytes) -> Scored | None:
        decided = self._decide(given, True)
        if decided is None:
            return None
        record, org_type, packed, total, value, band_at, ruling = decided
        above = self._next[band_at] if band_at is not None else None
        head = _pack_head(None, packed, above.grade, above.min - value) if above is not None \
            else _pack_head(None, packed, None, None)
        return _new(Scored, (row, record.org_id, org_type, ruling[0], str(total), ruling[1], head,
                             given, None, None))

    def verdict(self, given: bytes) -> tuple[str, Decimal, str, bytes] | None:
        """What a comparison needs of the record, nothing packed: the organization's name, the
        total, the grade and the outcome profile; None where `lane(row, given)` is None."""
        decided = self._decide(given, False)
        if decided is None:
            return None
        record, _type, _packed, total, _value, _band, ruling = decided
        return record.org.name, total, ruling[0], ruling[1]

    def _decide(self, given: bytes, pack: bool) -> tuple | None:
        try:
            record = self._decode(given)
        except Exception:  # noqa: BLE001 — the general path names what is wrong
            return None
        org_id = record.org_id
        org = record.org
        if org is None or not org_id or org_id.isspace() or "\x00" in org_id:
            return None
        org_type = self._types.get(org.type)
        if org_type is None:
            org_type = self._type_of(org.type)
            if org_type is None:
                return None
        values = _astuple(record.inputs)
        if None in self._required_of(values):
            return None

        weighted = ZERO
        packed = []
        packs = self._packs
        for weight, kernel, at in self._components:
            points = kernel(values[at])
            if points is None:
                return None
            weighted += weight * points
            if pack:
                text = str(points)  # the key: 95 and 95.0 are equal Decimals, stored apart
                found = packs.get(text)
                if found is None:
                    found = self._pack_points(text)
                packed.append(found)
        top = self._max
        raw = ZERO if weighted < ZERO else top if weighted > top else weighted
        raw = raw + ZERO
        total = raw.quantize(self._quantum, rounding=self._rounding)
        value = raw if self._raw_bands else total

        band_at = None
        for at, (low, below) in enumerate(self._bands):
            if low <= value and (below is None or value < below):
                band_at = at
                break
        key = (band_at, self._flags_of(values),
               tuple([value < bound for bound in self._thresholds]) if self._thresholds else ())
        ruling = self._rulings.get(key)
        if ruling is None:
            ruling = self._rule(key, value, values)
        return record, org_type, packed, total, value, band_at, ruling

    def _pack_points(self, text: str) -> str | bytes:
        found = pack_decimal_text(text)
        if len(self._packs) < _PACKS_LIMIT:
            self._packs[text] = found
        return found

    def _type_of(self, text: str) -> str | None:
        """The type id of an inline type if it is known and within the scheme, else None."""
        plan = self._plan
        type_id = text if text in plan.org_types else plan.org_type_id(text) if text else ""
        if type_id is None or (self._allowed and type_id not in self._allowed):
            return None
        self._types[text] = type_id
        return type_id

    def _rule(self, key: tuple, value: Decimal, values: tuple) -> tuple[str, bytes]:
        flags = {self._names[at]: values[at] is True for at in self._flags}
        verdict = self._judge.assess(value, flags, [])
        ruling = (verdict.grade, pack_outcome(verdict.points_grade, verdict.vetoes,
                                              verdict.consequences, verdict.eligibility, []))
        if len(self._rulings) < _RULINGS_LIMIT:
            self._rulings[key] = ruling
        return ruling
