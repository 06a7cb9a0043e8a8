"""Ranks by total within a batch and within each unit (the organizations under one parent).

Tie rule (shown to users as `TIE_RULE`): ranked by total from high to low; equal totals share a
rank and the next rank skips the shared places (standard competition ranking: 1, 2, 2, 4).
Totals are compared as the scheme rounds them, so 89.995 rounded to 90.00 ties with 90.00.
Only the distinct totals are kept, so ranking a run of millions takes little memory.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal

from dangjian.models import Result

TIE_RULE = "按总分从高到低排名；总分相同者名次相同，其后名次顺延（如 1、2、2、4）"


class Ranking:
    """Competition ranks of totals: a total's rank is 1 + how many totals are higher."""

    def __init__(self, totals: Iterable[Decimal] = ()) -> None:
        self._counts: Counter[Decimal] = Counter(totals)
        self._ready: tuple[list[Decimal], list[int]] | None = None

    def add(self, total: Decimal) -> None:
        self._counts[total] += 1
        self._ready = None

    def __len__(self) -> int:
        return sum(self._counts.values())

    def rank(self, total: Decimal) -> int:
        """The rank of `total` among the totals added (it need not be one of them)."""
        if self._ready is None:
            ascending = sorted(self._counts)
            at_or_below, running = [], 0
            for value in ascending:
                running += self._counts[value]
                at_or_below.append(running)
            self._ready = (ascending, at_or_below)
        ascending, at_or_below = self._ready
        place = bisect_right(ascending, total)
        not_higher = at_or_below[place - 1] if place else 0
        return len(self) - not_higher + 1

    def shared(self, total: Decimal) -> bool:
        """Whether more than one total equals `total` (a tie, shown as 并列)."""
        return self._counts.get(total, 0) > 1


class BatchRanking:
    """Ranks in the whole batch and within each unit; `unit_of(org_id)` names the unit (the
    parent organization), or None when it is unknown (then there is no rank within a unit)."""

    def __init__(self, unit_of: Callable[[str], str | None] = lambda org_id: None) -> None:
        self.unit_of = unit_of
        self.batch = Ranking()
        self.units: dict[str, Ranking] = {}

    @classmethod
    def of(cls, results: Iterable[Result],
           unit_of: Callable[[str], str | None] = lambda org_id: None) -> BatchRanking:
        ranking = cls(unit_of)
        for result in results:
            ranking.add(result.org_id, result.total)
        return ranking

    def add(self, org_id: str, total: Decimal) -> None:
        self.batch.add(total)
        unit = self.unit_of(org_id)
        if unit is not None:
            self.units.setdefault(unit, Ranking()).add(total)

    def rank(self, total: Decimal) -> int:
        return self.batch.rank(total)

    def unit_rank(self, org_id: str, total: Decimal) -> int | None:
        unit = self.unit_of(org_id)
        ranking = self.units.get(unit) if unit is not None else None
        return ranking.rank(total) if ranking is not None else None

    def unit_size(self, unit: str) -> int:
        ranking = self.units.get(unit)
        return len(ranking) if ranking is not None else 0
