"""The compiled lane (`scoring.lane`) stores exactly the row the general path stores, for every
record it takes; everything else it hands back (None) for the general path to decide."""

from __future__ import annotations

import copy
from decimal import Decimal

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian import Scheme, load_catalog
from dangjian.scoring.pipeline import assess_chunk
from dangjian.store.compact import unpack_profile
from tests.conftest import catalog_with_scheme

from .reference import catalog_for, read

HEADER, CASES = read()


@pytest.fixture(scope="module")
def reference_catalog():
    return catalog_for([msgspec.convert(s, Scheme, strict=False) for s in HEADER.schemes])


def general(plan):
    """The same plan without its lane: every record through `Plan.decode` and `Plan.assess`."""
    plain = copy.copy(plan)
    plain.lane = None
    return plain


def both(plan, plain, raw: bytes, row: int = 1):
    (expected,) = assess_chunk(plain, [(row, raw)], None, None)
    return plan.lane(row, raw), expected


def test_the_lane_agrees_with_the_general_path_on_every_reference_case(reference_catalog):
    taken = differ = 0
    for case in CASES:
        if case.org is not None:  # organizations from a registry always take the general path
            continue
        plan = reference_catalog.plan(case.scheme)
        if plan.lane is None:
            continue
        raw = msgspec.json.encode(case.evaluation)
        fast, expected = both(plan, general(plan), raw, case.row)
        verdict = plan.lane.verdict(raw)
        assert (verdict is None) == (fast is None)
        if fast is not None:
            taken += 1
            differ += fast != expected
            name = case.evaluation["org"].get("name", "")
            assert verdict == (name, Decimal(fast.total), fast.grade, fast.profile)
    assert differ == 0
    # The reference scheme's golden cases and its 300 generated records: most take the lane.
    assert taken >= 300


def test_the_reference_schemes_golden_case_takes_the_lane(catalog):
    plan = catalog.plan("jilin-health-2019")
    raw = (b'{"org_id":"g01","org":{"name":"\xe7\xac\xac\xe4\xb8\x80\xe6\x94\xaf\xe9\x83\xa8",'
           b'"type":"branch"},"inputs":{"onsite":[95],"superior":80}}')
    fast, expected = both(plan, general(plan), raw)
    # 0.7 x 95 + 0.3 x 80 = 90.50: 好, every honour open.
    assert fast == expected
    assert (fast.org_id, fast.org_type, fast.grade, fast.total) == ("g01", "branch", "好", "90.50")
    points_grade, vetoes, consequences, eligibility, findings = unpack_profile(fast.profile)
    assert points_grade == "好" and vetoes == [] and consequences == []
    assert all(e.eligible for e in eligibility)


def test_a_type_written_as_its_title_is_stored_as_its_id(catalog):
    plan = catalog.plan("jilin-health-2019")
    raw = '{"org_id":"t1","org":{"type":"党支部"},"inputs":{"onsite":["好","差",88],"superior":70}}'
    fast, expected = both(plan, general(plan), raw.encode())
    # (95 + 50 + 88) / 3 = 77.666…; 0.7 x 77.666… + 0.3 x 70 = 75.37: 一般, talk and rectify.
    assert fast == expected and (fast.org_type, fast.total, fast.grade) == ("branch", "75.37", "一般")


def test_ratings_met_before_are_remembered_by_sum_and_raters_never_mixed_up():
    # A plan of its own: its kernel remembers only what this test shows it.
    plan = load_catalog().plan("jilin-health-2019")
    onsite = plan.components[0].scorer.kernel
    # 95 + 85 and 好 + 较好 are the same sum of two: 90, the second time remembered.
    assert onsite([95, 85]) == onsite(["好", "较好"]) == Decimal(90)
    assert onsite([95, "好", 88]) == Decimal(278) / 3  # 92.666…, the same Decimal as ever
    # One rater giving 1 point, then 2^20 + 1 raters giving 0: their sums and counts packed
    # into one number would meet (1·2^20 + 1); such a count is never looked up.
    assert onsite([1]) == Decimal(1)
    assert onsite([0] * (2 ** 20 + 1)) == Decimal(0)


@pytest.mark.parametrize("inputs", [
    '{"onsite":[89.99],"superior":89.99}',  # scores with decimals: the general path's Decimals
    '{"onsite":{"好":30,"较好":5},"superior":100}',  # a table of ballot counts
    '{"onsite":95,"superior":80}',  # one score, not a list
    '{"onsite":[],"superior":80}',  # no raters: rejected
    '{"onsite":["优秀"],"superior":80}',  # not a ballot: rejected
    '{"onsite":[90]}',  # the superior's score missing: rejected
])
def test_what_the_lane_leaves_to_the_general_path(catalog, inputs):
    plan = catalog.plan("jilin-health-2019")
    raw = f'{{"org_id":"x1","org":{{"type":"branch"}},"inputs":{inputs}}}'.encode()
    assert plan.lane(1, raw) is None


def test_schemes_with_activities_or_plugin_methods_have_no_lane(catalog):
    assert catalog.plan("hubei-organs-2022").lane is None
    plan = catalog_with_scheme("""
id = "only-checklist"
title = "清单"
version = "1"
org_types = ["branch"]
max = 10
[[inputs]]
name = "done"
title = "完成事项"
type = "list"
items = "label"
choices = ["甲", "乙"]
[[criteria]]
id = "c1"
title = "清单"
max = 10
method = "checklist"
input = "done"
params = { items = ["甲", "乙"], deduct = 5 }
[[bands]]
grade = "合格"
min = 0
""").plan("only-checklist")
    assert plan.lane is None


# -- generated records, good and bad --------------------------------------------------------------
rater = st.one_of(
    st.integers(min_value=-3, max_value=103),
    st.sampled_from([89.99, 79.995, 0.5, 100.0, -0.0, 95.0]),
    st.sampled_from(["好", "较好", "一般", "差", "优秀", " 好", ""]),
)
onsite = st.one_of(st.lists(rater, max_size=45), rater,
                   st.just({"好": 3, "差": 1}), st.none())
superior = st.one_of(st.integers(min_value=-2, max_value=102),
                     st.sampled_from([89.99, 59.995, 100.5, "80", True]), st.none())
flag = st.one_of(st.booleans(), st.none(), st.just("是"))
org_type = st.sampled_from(["branch", "committee", "党支部", "党委", "党组", "", "village"])
org_id = st.sampled_from(["o1", "", "  ", "a\x00b", "支部-7"])


@settings(max_examples=600, deadline=None)
@given(onsite=onsite, superior=superior, integrity=flag, serious=flag, org_type=org_type,
       org_id=org_id, inline=st.booleans())
def test_generated_records_store_the_same_row_through_either_path(
        onsite, superior, integrity, serious, org_type, org_id, inline):
    plan = _REFERENCE
    inputs = {k: v for k, v in (("onsite", onsite), ("superior", superior),
                                ("integrity_problem", integrity), ("serious", serious))
              if v is not None}
    record = {"org_id": org_id, "inputs": inputs}
    if inline:
        record["org"] = {"name": "某支部", "type": org_type}
    fast, expected = both(plan, _PLAIN, msgspec.json.encode(record))
    assert fast is None or fast == expected


def _reference_plan():
    from dangjian import load_catalog

    return load_catalog().plan("jilin-health-2019")


_REFERENCE = _reference_plan()
_PLAIN = general(_REFERENCE)


# -- other shapes of plan: raw bands, thresholds, one flag, an input named `class` ---------------
_SHAPES = """
id = "lane-shapes"
title = "形状"
version = "1"
org_types = ["branch"]
max = 100
[rounding]
places = 1
mode = "half_even"
bands_read = "raw"
[[inputs]]
name = "onsite"
title = "评议"
type = "list"
items = "number_or_label"
choices = ["好", "差"]
min = 0
max = 100
[[inputs]]
name = "class"
title = "上级评分"
min = 0
max = 50
[[inputs]]
name = "late"
title = "迟报"
type = "boolean"
required = false
[[components]]
id = "onsite"
title = "评议"
weight = 0.55
max = 100
method = "rating"
input = "onsite"
params = { ballots = { "好" = 90, "差" = 40 } }
[[components]]
id = "class"
title = "上级"
weight = 0.45
max = 100
method = "number"
input = "class"
[[bands]]
grade = "优"
min = 85
[[bands]]
grade = "良"
min = 70
below = 85
[[bands]]
grade = "中"
min = 50
below = 70
[[bands]]
grade = "差"
min = 0
below = 50
[[honours]]
id = "award"
title = "表彰"
requires_grades = ["优"]
[[vetoes]]
id = "late"
title = "迟报"
when = { flags = ["late"] }
reason = "迟报"
blocks = ["award"]
[[consequences]]
id = "talk"
title = "约谈"
when = { total_below = 60 }
[[consequences]]
id = "warn"
title = "提醒"
when = { flags = ["late"], total_below = 77.5 }
"""


@pytest.fixture(scope="module")
def shapes():
    plan = catalog_with_scheme(_SHAPES).plan("lane-shapes")
    assert plan.lane is not None and plan.judge.thresholds and plan._bands_raw
    return plan, general(plan)


@pytest.mark.parametrize(("onsite", "superior", "late"), [
    ([90, "好"], 50, None),  # 94.5: the top band, none above
    (["好", 80, 79], 40, True),  # 81.6: 良, late but above 77.5
    ([77, 78], 38, True),  # 76.8: 良, late and below 77.5
    ([55], 30, None),  # 57.2: 中, below 60
    (["差", 41], 10, True),  # 31.3: 差
    ([89], 40, None),  # 84.95 rounds to 85.0, but the bands read the raw total: 良
    ([41, 0], 43, False),  # 49.975 rounds to 50.0: 差 all the same
    ([0], 0, None),
])
def test_other_shapes_of_plan_store_the_same_row_through_either_path(shapes, onsite, superior,
                                                                      late):
    plan, plain = shapes
    inputs = {"onsite": onsite, "class": superior}
    if late is not None:
        inputs["late"] = late
    raw = msgspec.json.encode({"org_id": "s1", "org": {"name": "某支部", "type": "branch"},
                               "inputs": inputs})
    fast, expected = both(plan, plain, raw)
    assert fast is not None and fast == expected
    assert plan.lane.verdict(raw) == ("某支部", Decimal(fast.total), fast.grade, fast.profile)


@settings(max_examples=300, deadline=None)
@given(onsite=onsite, superior=st.one_of(st.integers(min_value=-2, max_value=52), st.none()),
       late=flag)
def test_generated_records_of_other_shapes_store_the_same_row_through_either_path(
        shapes, onsite, superior, late):
    plan, plain = shapes
    inputs = {k: v for k, v in (("onsite", onsite), ("class", superior), ("late", late))
              if v is not None}
    raw = msgspec.json.encode({"org_id": "s1", "org": {"type": "branch"}, "inputs": inputs})
    fast, expected = both(plan, plain, raw)
    assert fast is None or fast == expected
    verdict = plan.lane.verdict(raw)
    assert (verdict is None) == (fast is None)
    if fast is not None:
        assert verdict == ("", Decimal(fast.total), fast.grade, fast.profile)


def test_an_input_whose_name_python_would_read_as_another_is_read_by_position():
    # "ｃｌａｓｓ" (full width) is an identifier that Python source would NFKC-normalise to
    # `class`; the generated code reads it by position instead, and agrees.
    plan = catalog_with_scheme(_SHAPES.replace('"class"', '"ｃｌａｓｓ"')).plan("lane-shapes")
    assert plan.lane is not None
    raw = msgspec.json.encode({"org_id": "s1", "org": {"name": "某支部", "type": "branch"},
                               "inputs": {"onsite": [90, "好"], "ｃｌａｓｓ": 40}})
    fast, expected = both(plan, general(plan), raw)
    assert fast is not None and fast == expected and fast.total == "85.5"
