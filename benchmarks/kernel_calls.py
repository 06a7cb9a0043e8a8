"""The kernel as the benchmarks call it: stable entry points only, so the benchmarks run the
same before and after a change of the engine's insides.

`load_catalog().plan(id)` and `Plan.score` always; `Plan.decode(raw, row=…)` and
`Plan.assess(evaluation)` (score without rendering the explanation) where the plan has them,
else msgspec decoding into the public `Evaluation` and `Plan.score`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec
from dangjian import DangjianError, Evaluation


def has_assess(plan) -> bool:
    return hasattr(plan, "assess")


def decoder(plan) -> Callable[[bytes, int], Any]:
    """`decode(line, row)`: an evaluation, or a rejection (returned or raised)."""
    if hasattr(plan, "decode"):
        decode = plan.decode
        return lambda line, row: decode(line, row=row)
    decode = msgspec.json.Decoder(Evaluation).decode
    return lambda line, row: decode(line)


def assessor(plan) -> Callable[[Any], Any]:
    """Score one decoded evaluation without text where the kernel can, with text otherwise."""
    return plan.assess if has_assess(plan) else plan.score


def score_all(plan, lines: list[bytes]) -> list[Any]:
    """Decode and score a batch of lines the way the kernel scores a batch: its bulk entry
    `Plan.assess_many` (which pauses the garbage collector while the stream runs) where the
    plan has one, else one call per record."""
    if hasattr(plan, "assess_many") and hasattr(plan, "decode"):
        decode = plan.decode
        return list(plan.assess_many((row, decode(line, row=row))
                                     for row, line in enumerate(lines, 1)))
    decode, assess = decoder(plan), assessor(plan)
    return [assess(decode(line, row)) for row, line in enumerate(lines, 1)]


def _is_reject(item) -> bool:
    return type(item).__name__ == "Reject"


def decide(plan, lines: list[bytes]) -> list[Any]:
    """Decode and score every line: a result, or None for a rejected line."""
    decode, assess = decoder(plan), assessor(plan)
    out = []
    for row, line in enumerate(lines, 1):
        try:
            evaluation = decode(line, row)
            out.append(None if _is_reject(evaluation) else assess(evaluation))
        except (DangjianError, msgspec.DecodeError):
            out.append(None)
    return out


def _ids(items, attr: str = "id") -> tuple[str, ...]:
    return tuple(sorted(item if isinstance(item, str) else getattr(item, attr)
                        for item in items or ()))


def verdict(result, places: int) -> tuple:
    """(total, grade, vetoes, eligible honours, consequences) of one kernel result, in the form
    the peers write them; ("rejected",) for a rejected line."""
    if result is None:
        return ("rejected",)
    total = Decimal(str(result.total)).quantize(Decimal(1).scaleb(-places))
    if hasattr(result, "eligibility"):
        eligible = tuple(sorted(e.honour for e in result.eligibility if e.eligible))
    else:
        eligible = _ids(result.eligible, "honour")
    return (f"{total:f}", result.grade, _ids(result.vetoes), eligible,
            _ids(result.consequences))
