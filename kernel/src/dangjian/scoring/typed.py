"""A msgspec type generated once from a scheme's `[[inputs]]`, so that a well-formed record is
decoded and its inputs checked in one C call. Anything it refuses goes through the per-field
checks (`dangjian.scoring.inputs`), which give the Chinese reasons; it never accepts what they refuse."""

from __future__ import annotations

import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Annotated, Any, Literal

import msgspec

from dangjian.models import Activity, OrgInline
from dangjian.scheme import InputSpec

_LARGEST = Decimal(2) ** 52  # bounds beyond this are left to the per-field checks


def _int_bound(value: Decimal | None, rounding: str) -> int | None:
    if value is None or not value.is_finite() or abs(value) > _LARGEST:
        return None
    return int(value.to_integral_value(rounding=rounding))


def _float_bound(value: Decimal | None) -> float | None:
    """The bound as a float when the float is the bound exactly (then comparing a float input
    with it agrees with comparing its decimal reading), else None: no constraint."""
    if value is None or not value.is_finite() or abs(value) > _LARGEST:
        return None
    as_float = float(value)
    return as_float if Decimal(as_float) == value else None


def _number_type(spec: InputSpec, *, integer: bool = False) -> Any:
    low, high = spec.min, spec.max
    ints = {k: v for k, v in (("ge", _int_bound(low, ROUND_CEILING)),
                              ("le", _int_bound(high, ROUND_FLOOR))) if v is not None}
    int_type = Annotated[int, msgspec.Meta(**ints)] if ints else int
    if integer:
        return int_type
    float_low, float_high = _float_bound(low), _float_bound(high)
    if (low is not None and float_low is None) or (high is not None and float_high is None):
        return None  # a bound floats cannot hold exactly: leave numbers to the slow checks
    floats = {k: v for k, v in (("ge", float_low), ("le", float_high)) if v is not None}
    float_type = Annotated[float, msgspec.Meta(**floats)] if floats else float
    return int_type | float_type


def _label_type(labels: list[str]) -> Any:
    return Literal[tuple(labels)] if labels else str


def _field_type(spec: InputSpec) -> Any:
    kind = spec.type
    if kind == "number":
        return _number_type(spec)
    if kind == "integer":
        return _number_type(spec, integer=True)
    if kind == "boolean":
        return bool
    if kind == "text":
        return str
    if kind == "date":
        return datetime.date
    if kind == "choice":
        return _label_type(spec.choices)
    if kind == "list":
        number = _number_type(spec)
        if number is None:
            return None
        if spec.items == "number":
            item = number
        elif spec.items == "label":
            item = _label_type(spec.choices)
        else:
            item = number | _label_type(spec.choices)
        return list[item] | number
    return None


def typed_decoder(specs: list[InputSpec]) -> tuple[msgspec.json.Decoder, bool]:
    """A decoder of one JSONL record whose `inputs` are typed and bounded by the scheme, and
    whether it checks every input completely (False: some input is only partly checked and
    must go through the per-field checks as well). A record it cannot take raises msgspec's
    error, and the caller checks it field by field."""
    fields = []
    complete = True
    for spec in specs:
        kind = _field_type(spec)
        complete = complete and kind is not None and _bounds_kept(spec)
        fields.append((spec.name, kind | None if kind is not None else Any, None))
    try:
        inputs = msgspec.defstruct("TypedInputs", fields, forbid_unknown_fields=True)
        record = msgspec.defstruct(
            "TypedRecord",
            [("org_id", str), ("org", OrgInline | None, None),
             ("inputs", inputs, msgspec.field(default_factory=inputs)),
             ("activities", list[Activity], msgspec.field(default_factory=list))],
            kw_only=True, forbid_unknown_fields=True)
        return msgspec.json.Decoder(record), complete
    except (TypeError, ValueError):  # a name or type msgspec cannot hold: always check slowly
        return _NEVER, False


def _bounds_kept(spec: InputSpec) -> bool:
    """Whether the generated type refuses all the per-field checks refuse (bounds exactly)."""
    if spec.type == "text" or (spec.type == "choice" and not spec.choices):
        return not spec.required  # a required text of blanks only is missing
    if spec.type not in ("number", "integer", "list"):
        return True
    if spec.type == "list" and spec.items == "label":
        return True
    return all(bound is None or _float_bound(bound) is not None for bound in (spec.min, spec.max))


class _Never:
    def decode(self, raw: bytes) -> Any:
        raise msgspec.DecodeError("checked field by field")


_NEVER: Any = _Never()
