"""Ranks by total: equal totals share a rank and the next rank skips (1, 2, 2, 4)."""

from __future__ import annotations

from decimal import Decimal as D

from dangjian.store.ranking import TIE_RULE, BatchRanking, Ranking


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    ranking = Ranking([D("91.73"), D("85.00"), D("85.00"), D("60.00")])
    assert [ranking.rank(t) for t in (D("91.73"), D("85.00"), D("60.00"))] == [1, 2, 4]
    assert ranking.shared(D("85.00")) and not ranking.shared(D("91.73"))
    assert "1、2、2、4" in TIE_RULE


def test_three_way_tie_at_the_top_then_fourth():
    ranking = Ranking([D("90"), D("90.00"), D("90"), D("89.99")])
    assert ranking.rank(D("90")) == 1 and ranking.rank(D("89.99")) == 4 and len(ranking) == 4


def test_a_total_added_later_moves_the_ranks_below_it():
    ranking = Ranking([D("80"), D("70")])
    assert ranking.rank(D("70")) == 2
    ranking.add(D("75"))
    assert ranking.rank(D("70")) == 3 and ranking.rank(D("75")) == 2


def test_ranks_within_each_unit_follow_the_parent():
    parents = {"a1": "u1", "a2": "u1", "a3": "u1", "b1": "u2", "top": None}
    ranking = BatchRanking(parents.get)
    for org_id, total in (("a1", D("88")), ("a2", D("95")), ("a3", D("88")), ("b1", D("70")),
                          ("top", D("99"))):
        ranking.add(org_id, total)
    assert [ranking.rank(t) for t in (D("99"), D("95"), D("88"), D("70"))] == [1, 2, 3, 5]
    assert ranking.unit_rank("a2", D("95")) == 1
    assert ranking.unit_rank("a1", D("88")) == ranking.unit_rank("a3", D("88")) == 2
    assert ranking.unit_rank("b1", D("70")) == 1 and ranking.unit_size("u1") == 3
    assert ranking.unit_rank("top", D("99")) is None
