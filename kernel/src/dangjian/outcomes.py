"""Moved to `dangjian.judge`; kept so that existing imports keep working."""

from .judge import UNGRADED, Judge, Verdict

__all__ = ["UNGRADED", "Judge", "Verdict"]
