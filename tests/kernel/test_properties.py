"""Properties over many generated evaluations: totals stay in range and never fall with a rating."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.catalogue.loading import load_scheme
from tests.conftest import evaluation

from .conftest import DATA
from .test_engine import plan_for

WEIGHTED = plan_for(load_scheme(DATA / "weighted.toml"))
scores = st.decimals(min_value=0, max_value=100, places=2)
BALLOTS = {"好": 95, "较好": 85, "一般": 70, "差": 50}
ballots = st.sampled_from(list(BALLOTS))
raters = st.lists(st.one_of(scores, ballots), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(onsite=raters, superior=scores, flag=st.booleans())
def test_total_within_zero_and_max(onsite, superior, flag):
    result = WEIGHTED.score(evaluation(onsite=[str(x) if isinstance(x, Decimal) else x for x in onsite],
                                       superior=str(superior), integrity_problem=flag))
    assert Decimal(0) <= result.total <= result.max


@settings(max_examples=300, deadline=None)
@given(onsite=raters, superior=scores, bump=st.decimals(min_value=0, max_value=100, places=2),
       which=st.integers(min_value=0, max_value=29))
def test_total_monotone_in_every_rating(onsite, superior, bump, which):
    onsite = [str(x) if isinstance(x, Decimal) else x for x in onsite]
    base = WEIGHTED.score(evaluation(onsite=onsite, superior=str(superior))).total
    i = which % len(onsite)
    current = Decimal(BALLOTS.get(onsite[i], onsite[i]))
    raised = list(onsite)
    raised[i] = str(max(current, bump))
    assert WEIGHTED.score(evaluation(onsite=raised, superior=str(superior))).total >= base
    higher_superior = str(max(superior, bump))
    assert WEIGHTED.score(evaluation(onsite=onsite, superior=higher_superior)).total >= base
