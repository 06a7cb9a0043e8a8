"""Exact arithmetic: every point is a Decimal so that 89.995 never becomes 90 by accident."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

ZERO = Decimal(0)
ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}
_CENT = Decimal("0.01")
# A number as people write it: ASCII digits, one optional sign, point and exponent. Python's own
# Decimal() would also take 9_5, full-width １００ and Arabic-Indic ٩٥, and "nan" or "inf".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MAX_DIGITS = 200


def is_number_text(text: str) -> bool:
    """Whether `text` is a number as people write it (ASCII digits, sign, point, exponent)."""
    return _NUMBER.fullmatch(text) is not None


def parse_number(text: str) -> Decimal:
    """Written digits as an exact Decimal, or ValueError with a Chinese reason."""
    text = text.strip()
    if not is_number_text(text):
        if any(c.isdigit() or c.isnumeric() for c in text if not c.isascii()):
            raise ValueError(f"“{_clip(text)}”不是数字（只能用半角数字0—9书写）")
        if "_" in text:
            raise ValueError(f"“{_clip(text)}”不是数字（数字中不能有下划线）")
        raise ValueError(f"“{_clip(text)}”不是数字")
    if len(text) > _MAX_DIGITS:
        raise ValueError(f"“{_clip(text)}”位数过多（超过{_MAX_DIGITS}位），不是可以评分的数字")
    result = Decimal(text)
    return result.copy_abs() if not result and result.is_signed() else result


def _clip(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def to_decimal(value: object) -> Decimal:
    """A number as an exact Decimal; floats go through their shortest repr (0.7 → 0.7)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("布尔值不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("不是有限数字")
        return Decimal(repr(value if value else 0.0))  # -0.0 is 0.0
    if isinstance(value, str):
        return parse_number(value)
    raise ValueError(f"{type(value).__name__} 不是数字")


def parse_fraction(text: str) -> Fraction:
    """'1/3' or '0.5' as an exact fraction."""
    return Fraction(text.strip())


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(10)}


def round_total(value: Decimal, places: int, mode: str) -> Decimal:
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUNDING_MODES[mode])


def fmt(value: Decimal | None) -> str:
    """Points for a sentence, no trailing zeros: exact up to four decimals (59.995, 17.9985,
    90.5, 10), a longer value rounded half up to two (2918/31 → 94.13)."""
    # Not memoized: hashing a 28-digit Decimal costs more than formatting it. Exact up to four
    # decimals so that a score on a band's edge is never shown as the edge itself.
    if value is None:
        return "—"
    if value and not -_LONG < value.adjusted() < _LONG:
        return _scientific(value) if value.adjusted() > 0 else "0"
    text = f"{value:f}"
    dot = text.find(".")
    if dot >= 0:
        text = text.rstrip("0")
        if len(text) - dot > 5:
            text = f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):f}".rstrip("0")
        text = text.rstrip(".")
    return "0" if text in ("-0", "") else text


_LONG = 16


def _scientific(value: Decimal) -> str:
    """An absurdly large number in six significant digits (1E+10000, 1.23457E+20):
    written out, 1E+999999999 would be a billion characters."""
    mantissa, _, exponent = f"{value:.5E}".partition("E")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E{exponent}"


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return low if value < low else high if value > high else value
